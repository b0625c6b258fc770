"""Vacancy feeds: a CSV or JSON file of vacancies, written to the catalogue by external id.

Each row is mapped to a vacancy's fields (English names, or the usual Dutch ones of a feed: `titel`,
`werkgever`, `plaats`, `uren`, ...), checked like a vacancy typed in the workspace, and created,
updated or left unchanged by its external id (kept as `<source>:<id>`, so that two feeds never touch
each other's vacancies). A bad row is refused with its reasons and never stops the good ones; a file
that cannot be read at all is refused whole and changes nothing. A full feed retires the vacancies of
its source that it no longer lists; a vacancy whose closing date has passed is retired too.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from aandacht.db import session, utcnow
from aandacht.personalisation import catalogue
from aandacht.personalisation.catalogue import ItemFields
from aandacht_werk.content import VACANCY
from aandacht_werk.i18n import translations

_ = translations.gettext
#: The most rows one file may hold, and its largest size; larger feeds are split by the sender.
MOST_ROWS, MOST_BYTES = 5000, 10 * 1024 * 1024
#: A source name: lower case letters, digits and dashes (it prefixes the external ids).
_SOURCE = re.compile(r"^[a-z0-9][a-z0-9-]{0,29}$")
#: Item fields a row may fill beside the vacancy's details.
_ITEM_FIELDS = ("title", "summary", "body", "link_url")
#: Names feeds use for the same thing -> the field here.
ALIASES = {
    "id": "external_id",
    "vacature_id": "external_id",
    "vacancy_id": "external_id",
    "titel": "title",
    "functie": "title",
    "samenvatting": "summary",
    "omschrijving": "body",
    "description": "body",
    "url": "link_url",
    "link": "link_url",
    "werkgever": "employer",
    "plaats": "place",
    "standplaats": "place",
    "uren": "hours",
    "uren_per_week": "hours",
    "hours_per_week": "hours",
    "dienstverband": "contract",
    "sector": "sector",
    "salaris": "salary",
    "eisen": "requirements",
    "rijbewijs": "driving_licence",
    "sluitingsdatum": "closing_date",
    "closing": "closing_date",
    "opleidingsniveau": "education_level",
}


class FeedRefused(ValueError):
    """The file as a whole cannot be read; nothing was written."""


@dataclass(frozen=True)
class RowReport:
    """What happened to one row: created, updated, unchanged, retired (closed) or refused, and why."""

    #: The row's number as the sender counts it (1 for the first vacancy).
    number: int
    external_id: str | None
    title: str | None
    outcome: str
    errors: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FeedReport:
    """What one import did: a report per row, and the vacancies it retired because the feed left them out."""

    rows: list[RowReport]
    withdrawn: list[str]
    #: Fields of the file that no vacancy field takes; they are left out.
    ignored: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        """How many rows had `outcome`."""
        return sum(1 for row in self.rows if row.outcome == outcome)


def read_rows(data: bytes, filename: str) -> list[dict[str, Any]]:
    """The rows of a CSV or JSON file, with their field names mapped; raises FeedRefused."""
    if len(data) > MOST_BYTES:
        raise FeedRefused(_("The file is larger than %(size)d MB.", size=MOST_BYTES // (1024 * 1024)))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FeedRefused(_("The file is not UTF-8 text.")) from None
    if filename.lower().endswith(".json") or text.lstrip().startswith(("[", "{")):
        rows = _json_rows(text)
    else:
        rows = _csv_rows(text)
    if not rows:
        raise FeedRefused(_("The file has no vacancies."))
    if len(rows) > MOST_ROWS:
        raise FeedRefused(_("The file has more than %(count)d vacancies.", count=MOST_ROWS))
    mapped = [{ALIASES.get(_name(key), _name(key)): value for key, value in row.items()} for row in rows]
    if not any("external_id" in row for row in mapped) or not any("title" in row for row in mapped):
        raise FeedRefused(
            _("Every vacancy needs an external id and a title (columns external_id and title).")
        )
    return mapped


def _name(key: Any) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(key).strip().lower()).strip("_")


def _json_rows(text: str) -> list[dict[str, Any]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise FeedRefused(_("The file is not valid JSON (line %(line)d).", line=error.lineno)) from None
    rows = document.get("vacancies") if isinstance(document, dict) else document
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise FeedRefused(_('Send a list of vacancies, or an object with a list under "vacancies".'))
    return rows


def _csv_rows(text: str) -> list[dict[str, Any]]:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    if not reader.fieldnames:
        raise FeedRefused(_("The file has no header row."))
    return [{key: value for key, value in row.items() if key is not None} for row in reader]


def import_feed(
    rows: list[dict[str, Any]], *, source: str, full: bool, today: date | None = None
) -> FeedReport:
    """Write the vacancies of one feed; refuse bad rows, retire closed ones and (full feed) absent ones."""
    if not _SOURCE.match(source):
        raise FeedRefused(_("Name the source with lower-case letters, digits and dashes."))
    today = today or utcnow().date()
    fields, early = [], {}
    for number, row in enumerate(rows, start=1):
        errors: dict[str, str] = {}
        fields.append(_item_fields(row, source, errors))
        if errors:
            early[number - 1] = errors
    results = catalogue.upsert_items(
        [ItemFields() if index in early else item for index, item in enumerate(fields)]
    )
    reports = []
    for index, result in enumerate(results):
        row = rows[index]
        errors = early.get(index) or dict(result.errors)
        outcome = "refused" if errors else result.outcome
        closing = (fields[index].details or {}).get("closing_date")
        if outcome != "refused" and closing and str(closing) < today.isoformat():
            outcome = "retired"
        external = str(row.get("external_id") or "").strip() or None
        title = str(row.get("title") or "").strip() or None
        reports.append(RowReport(index + 1, external, title, outcome, errors))
    present = {item.external_id for item in fields if item.external_id}
    withdrawn = catalogue.retire_absent(VACANCY.key, f"{source}:", present) if full else []
    session.commit()
    catalogue.retire_expired()
    known = {item.key for item in VACANCY.fields} | {*_ITEM_FIELDS, "external_id"}
    ignored = sorted({key for row in rows for key in row if key not in known})
    return FeedReport(reports, [external.partition(":")[2] for external in withdrawn], ignored)


def _item_fields(row: Mapping[str, Any], source: str, errors: dict[str, str]) -> ItemFields:
    """A row as the catalogue's fields: item fields, the vacancy's details, validity from the closing date."""
    external = str(row.get("external_id") or "").strip()
    if not external or len(external) > 90:
        errors["external_id"] = _("Give an external id of 1 to 90 characters.")
    known = {item.key for item in VACANCY.fields}
    details = {key: _plain(value) for key, value in row.items() if key in known and _plain(value) is not None}
    valid_until = None
    closing = details.get("closing_date")
    if closing is not None:
        try:
            day = date.fromisoformat(str(closing))
        except ValueError:
            errors["closing_date"] = _("Fill in a date like 2026-03-31.")
        else:
            valid_until = datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC)
    texts = {name: _plain(row.get(name)) for name in _ITEM_FIELDS}
    return ItemFields(
        type=VACANCY.key,
        external_id=f"{source}:{external}" if external else None,
        details=details,
        valid_until=valid_until,
        status="published",
        **{name: str(value) for name, value in texts.items() if value is not None},
    )


def _plain(value: Any) -> Any:
    """A cell as a value: text stripped, empty as None; numbers and booleans of JSON as they are."""
    if isinstance(value, str):
        return value.strip() or None
    return value


def rows_outcomes(report: FeedReport) -> Iterable[tuple[str, int]]:
    """The outcomes with how many rows had each, in a fixed order, for a summary line."""
    for outcome in ("created", "updated", "unchanged", "retired", "refused"):
        yield outcome, report.count(outcome)
