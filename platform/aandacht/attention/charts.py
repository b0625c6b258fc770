"""The caseload report's charts: Vega-Lite specifications by Altair, drawn as SVG on the server.

vl-convert draws them without a browser; the page embeds the SVG inline, beside the table that is its
text alternative. A drawing costs about as much for one chart as for three side by side (most of it is
vl-convert's own start of a drawing), so the month charts are drawn as one; a drawing of the same
figures is kept (the report of one caseload is asked for again and again).
"""

from __future__ import annotations

import json
from functools import lru_cache

import altair as alt
import vl_convert
from flask_babel import gettext as _
from markupsafe import Markup

from aandacht.attention.figures import BUCKETS
from aandacht.attention.report import Report
from aandacht.outreach.models import CHANNELS
from aandacht.outreach.workspace_views import CHANNEL_NAMES

WIDTH, HEIGHT = 420, 200
#: The NL Design System's dark blue and a palette that stays apart in grey.
COLOUR = "#154273"
SPREAD_COLOURS = ["#d0d5dd", "#8fb3d9", "#3d7cc9", "#154273"]


def svg(chart: alt.TopLevelMixin) -> Markup:
    """The chart as an inline SVG element, hidden from screen readers (the table beside it says it all)."""
    return Markup(_draw(json.dumps(chart.to_dict(validate=False), sort_keys=True)))  # noqa: S704 - drawn by vl-convert from our own figures, text escaped


@lru_cache(maxsize=128)
def _draw(spec: str) -> str:
    drawn = vl_convert.vegalite_to_svg(json.loads(spec))
    return drawn.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


def _base(values: list[dict], title: str) -> alt.Chart:
    return alt.Chart(alt.Data(values=values), title=title, width=WIDTH, height=HEIGHT)


def attention(report: Report) -> Markup:
    """The month charts side by side: contacts per person, reach, and the spread of attention."""
    return svg(
        alt.hconcat(contacts(report), reach(report), spread(report)).resolve_scale(color="independent")
    )


def contacts(report: Report) -> alt.Chart:
    """Contact moments per person, per month."""
    values = [{"month": month.label, "value": month.per_person or 0} for month in report.months]
    chart = (
        _base(values, _("Contact moments per person"))
        .mark_bar(color=COLOUR)
        .encode(x=alt.X("month:O", title=_("Month")), y=alt.Y("value:Q", title=_("Per person")))
    )
    return chart


def reach(report: Report) -> alt.Chart:
    """The share of the caseload active in the app, per month."""
    values = [{"month": month.label, "value": round((month.reach or 0) * 100, 1)} for month in report.months]
    chart = (
        _base(values, _("Reach: active in the app"))
        .mark_line(point=True, color=COLOUR)
        .encode(
            x=alt.X("month:O", title=_("Month")),
            y=alt.Y("value:Q", title=_("Share of the caseload (%)"), scale=alt.Scale(domain=[0, 100])),
        )
    )
    return chart


def spread(report: Report) -> alt.Chart:
    """How the contact moments of each month spread over the caseload: people with 0, 1, 2-3 and 4+."""
    order = [label for label, _low, _high in BUCKETS]
    values = [
        {"month": month.label, "group": label, "people": month.buckets[label], "order": order.index(label)}
        for month in report.months
        for label in order
    ]
    chart = (
        _base(values, _("Spread of attention"))
        .mark_bar()
        .encode(
            x=alt.X("month:O", title=_("Month")),
            y=alt.Y("people:Q", title=_("People"), stack="zero"),
            color=alt.Color(
                "group:N",
                title=_("Contact moments"),
                sort=order,
                scale=alt.Scale(domain=order, range=SPREAD_COLOURS),
            ),
            order=alt.Order("order:Q"),
        )
    )
    return chart


def channels(report: Report) -> Markup:
    """How many people each channel reaches today, and how many none does."""
    values = [
        {
            "channel": str(CHANNEL_NAMES[name][1]),
            "people": sum(1 for found in report.channels if name in found.usable),
        }
        for name in CHANNELS
    ]
    values.append({"channel": _("No channel"), "people": len(report.unreachable)})
    chart = (
        _base(values, _("Reachable by channel"))
        .mark_bar(color=COLOUR)
        .encode(
            y=alt.Y("channel:N", title=None, sort=None),
            x=alt.X("people:Q", title=_("People")),
        )
    )
    return svg(chart)
