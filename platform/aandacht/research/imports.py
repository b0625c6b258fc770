"""Registering many outcomes at once: a CSV file in the workspace, or a list through the API.

Each row names the person by `client_number` (the tenant's own client number) or `person_id`, the
outcome by `outcome` (its key, e.g. `werk.work_ends_benefit`) and `date`; `note` and `outcome_id`
(the sending system's own id) are optional, and every other column is a detail of the outcome.

All or nothing: every row is checked first, and only a file without problems is written; otherwise
the report lists each refused row with its reasons and nothing changes.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from aandacht.accounts import service as accounts
from aandacht.accounts.models import Person
from aandacht.db import session
from aandacht.research.models import Outcome
from aandacht.research.service import CheckedOutcome, OutcomeInput, OutcomeInvalid, check, record_outcome

#: Columns that are not details of the outcome.
RESERVED = ("client_number", "person_id", "outcome", "date", "note", "outcome_id")
LARGEST_FILE = 5 * 1024 * 1024
MOST_ROWS = 10_000


class FileRefused(ValueError):
    """The file as a whole cannot be read; the message says why."""


@dataclass
class RowReport:
    """What happened to one row: its action ("added", "changed", "unchanged") or why it was refused."""

    line: int
    who: str
    action: str | None = None
    problems: dict[str, str] = field(default_factory=dict)
    outcome: Outcome | None = None


@dataclass
class ImportReport:
    """The report of one file or list: every row, and whether anything was written."""

    rows: list[RowReport]
    written: bool

    @property
    def refused(self) -> list[RowReport]:
        """The rows with problems."""
        return [row for row in self.rows if row.problems]

    @property
    def counts(self) -> dict[str, int]:
        """How many rows were added, changed and left unchanged."""
        return dict(Counter(row.action for row in self.rows if row.action))


def read_csv(data: bytes) -> list[dict[str, str]]:
    """The rows of a CSV file (UTF-8, comma or semicolon); raises FileRefused when it cannot be read."""
    if len(data) > LARGEST_FILE:
        raise FileRefused(_("The file is larger than 5 MB. Split it into smaller files."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(_("The file is not UTF-8 text. Save it as CSV (UTF-8).")) from error
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    columns = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in ("outcome", "date") if name not in columns]
    if not ({"client_number", "person_id"} & set(columns)):
        missing.insert(0, "client_number")
    if missing:
        raise FileRefused(_("These columns are missing: %(columns)s.", columns=", ".join(missing)))
    rows = [{(key or "").strip(): (value or "").strip() for key, value in row.items()} for row in reader]
    if len(rows) > MOST_ROWS:
        raise FileRefused(_("The file has more than %(count)d rows.", count=MOST_ROWS))
    return rows


def _people(rows: list[Mapping[str, str]]) -> tuple[dict[str, Person], dict[str, Person]]:
    numbers = {row["client_number"] for row in rows if row.get("client_number")}
    by_number = accounts.people_by("external_id", numbers) if numbers else {}
    ids = [_uuid(row.get("person_id")) for row in rows if not row.get("client_number")]
    wanted = [person_id for person_id in ids if person_id is not None]
    found = session.execute(select(Person).where(Person.id.in_(wanted))).scalars() if wanted else []
    return by_number, {str(person.id): person for person in found}


def _uuid(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(raw or ""))
    except ValueError:
        return None


def _person_of(row: Mapping[str, str], by_number, by_id) -> tuple[Person | None, str]:
    if row.get("client_number"):
        return by_number.get(row["client_number"]), row["client_number"]
    person_id = _uuid(row.get("person_id"))
    return (by_id.get(str(person_id)) if person_id else None), str(row.get("person_id") or "")


def import_outcomes(
    rows: Iterable[Mapping[str, str]],
    *,
    source: str,
    recorded_by: uuid.UUID | None,
    may_see: Callable[[Person], bool],
) -> ImportReport:
    """Check every row, then register them all, or none when any row is refused."""
    rows = list(rows)
    by_number, by_id = _people(rows)
    reports: list[RowReport] = []
    checked: list[tuple[Person, CheckedOutcome, RowReport]] = []
    for line, row in enumerate(rows, start=2):
        person, who = _person_of(row, by_number, by_id)
        report = RowReport(line, who)
        reports.append(report)
        if person is None or not may_see(person):
            report.problems["person"] = _("No person with this client number or id.")
        values = OutcomeInput(
            type_key=row.get("outcome", ""),
            occurred_on=row.get("date"),
            details={key: value for key, value in row.items() if key not in RESERVED and value != ""},
            note=row.get("note"),
            external_id=row.get("outcome_id"),
        )
        try:
            outcome = check(values)
        except OutcomeInvalid as invalid:
            report.problems.update(invalid.errors)
            continue
        if person is not None and not report.problems:
            checked.append((person, outcome, report))
    if any(report.problems for report in reports):
        return ImportReport(reports, written=False)
    return _write(checked, reports, source=source, recorded_by=recorded_by)


def _write(checked, reports: list[RowReport], *, source: str, recorded_by: uuid.UUID | None) -> ImportReport:
    savepoint = session.begin_nested()
    for person, outcome, report in checked:
        try:
            recorded = record_outcome(person.id, outcome, source=source, recorded_by=recorded_by)
        except OutcomeInvalid as invalid:
            report.problems.update(invalid.errors)
        else:
            report.action, report.outcome = recorded.action, recorded.outcome
    if any(report.problems for report in reports):
        savepoint.rollback()
        for report in reports:
            report.action = report.outcome = None
        return ImportReport(reports, written=False)
    savepoint.commit()
    return ImportReport(reports, written=True)
