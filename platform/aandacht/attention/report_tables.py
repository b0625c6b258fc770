"""The caseload report as tables: the one form both the page and the CSV downloads are made from."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from aandacht.attention.figures import BUCKETS
from aandacht.attention.report import Report
from aandacht.outreach.models import CHANNELS
from aandacht.outreach.workspace_views import CHANNEL_NAMES

Cell = str | int


@dataclass(frozen=True)
class Table:
    """A table with a key (its CSV's name), a caption, column headers and rows of cells."""

    key: str
    caption: str
    headers: list[str]
    rows: list[list[Cell]]


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def summary(report: Report) -> Table:
    """One row per month: contacts, reach, spread of attention and response times."""
    headers = [
        _("Month"),
        _("Caseload"),
        _("Contact moments"),
        _("Contact moments per person"),
        _("Active in the app"),
        _("Reach (%)"),
        *[_("People with %(count)s contacts", count=label) for label, _low, _high in BUCKETS],
        _("Gini (0 = even)"),
        _("Share of the top 20% (%)"),
        _("Questions answered"),
        _("Questions not answered"),
        _("Median response time (hours)"),
    ]
    rows: list[list[Cell]] = [
        [
            month.label,
            month.caseload,
            month.contacts,
            _number(month.per_person),
            month.active,
            _percent(month.reach),
            *[month.buckets[label] for label, _low, _high in BUCKETS],
            _number(month.gini),
            _percent(month.top_share),
            month.answered if report.responses_measured else "",
            month.unanswered if report.responses_measured else "",
            _number(month.median_hours),
        ]
        for month in report.months
    ]
    return Table("summary", _("Per month"), headers, rows)


def people(report: Report) -> Table:
    """Contact moments per person per month."""
    labels = [month.label for month in report.months]
    rows: list[list[Cell]] = [
        [person.display_name, *report.contacts[person.id], sum(report.contacts[person.id])]
        for person in sorted(report.people, key=lambda person: person.display_name.casefold())
    ]
    return Table("people", _("Contact moments per person"), [_("Person"), *labels, _("Total")], rows)


def channels(report: Report) -> Table:
    """How many people of the caseload each channel reaches today, and how many none does."""
    total = len(report.channels)
    rows: list[list[Cell]] = [
        [
            str(CHANNEL_NAMES[name][1]),
            count := sum(1 for found in report.channels if name in found.usable),
            _percent(count / total if total else None),
        ]
        for name in CHANNELS
    ]
    unreachable = len(report.unreachable)
    rows.append([_("Any channel"), total - unreachable, _percent(report.reachable_share)])
    rows.append([_("No channel"), unreachable, _percent(unreachable / total if total else None)])
    return Table("channels", _("Reachable by channel"), [_("Channel"), _("People"), _("Share (%)")], rows)


def unreachable(report: Report) -> Table:
    """The people no channel reaches, with why not per channel."""
    rows: list[list[Cell]] = [
        [
            found.person.display_name,
            "; ".join(f"{CHANNEL_NAMES[name][1]}: {why}" for name, why in found.reasons.items()),
        ]
        for found in sorted(report.unreachable, key=lambda found: found.person.display_name.casefold())
    ]
    return Table("unreachable", _("Reachable by no channel"), [_("Person"), _("Why not")], rows)


#: Every table of the report by its key.
TABLES = {"summary": summary, "people": people, "channels": channels, "unreachable": unreachable}
