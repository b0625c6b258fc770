"""Import of a tenant's existing client file (CSV or Excel) into people and their profiles.

The steps: `upload()` reads the file once to check it and keeps it in the instance folder;
`check()` stores the column mapping and makes the dry-run report (every bad row, column and reason);
`start()` queues the real run, which `run_import` (a background job on the `bulk` queue) performs.

A run is all-or-nothing: it checks every row again and writes everything in one transaction, so a
rejected import changes nothing. It is idempotent by external id (the tenant's client number): people
are created when their number is new, and only values that differ are written, so running the same
file twice changes nothing the second time and writes no history. An empty cell leaves a value as it
is. Changes of profile values are written to the history with source "import" and the file name.

Excel files are read with openpyxl in read-only mode; with defusedxml installed, openpyxl parses with
it and refuses XML bombs (entity expansion). The archive's unpacked size is checked before opening.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import uuid
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from aandacht.accounts.models import Person
from aandacht.accounts.service import normalise_email, people_by, stage_person, stage_person_details
from aandacht.accounts.signals import person_joined
from aandacht.db import AppSession, engine, session, utcnow
from aandacht.jobs import enqueue
from aandacht.profiles.definitions import ProfileAttribute
from aandacht.profiles.import_models import ACTIVE_STATUSES, ImportRun
from aandacht.profiles.models import Profile
from aandacht.profiles.registry import attributes_for
from aandacht.profiles.service import ProfileInvalid, clean_values, stage_values
from aandacht.tenancy.context import require_tenant
from aandacht.tenancy.scoping import get_scoped

#: Largest file accepted, in bytes (the app setting AANDACHT_IMPORT_MAX_BYTES may lower or raise it).
MAX_FILE_BYTES = 10 * 1024 * 1024
#: Largest unpacked size of an Excel file: a small archive that unpacks to gigabytes is refused.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 300
#: The person fields a column can fill; every other target is `attribute:<key>`.
PERSON_FIELDS = ("external_id", "name", "email", "phone")
ATTRIBUTE_PREFIX = "attribute:"
#: How many rows a run handles between two progress reports (at least; at most 100 reports a run).
_PROGRESS_STEP = 200
_LOOKUP_CHUNK = 500
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[0-9 ()-]{6,31}")
_LIST_SEPARATORS = re.compile(r"\s*[|;,]\s*")
log = logging.getLogger(__name__)


class ImportRefused(ValueError):
    """The file or mapping cannot be used; the message says why in plain words. Nothing changed."""


@dataclass(frozen=True)
class Table:
    """The content of a client file: its headers, and its data rows (the header is file row 1)."""

    headers: list[str]
    rows: list[list[Any]]


@dataclass(frozen=True)
class RowProblem:
    """One line of the report: file row number, file column (None: the whole row) and reason."""

    row: int | None
    column: str | None
    reason: str

    def as_json(self) -> dict[str, Any]:
        """The form stored in `ImportRun.errors`."""
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class Plan:
    """What a file would do: people to create and update, values per person, and the problems."""

    problems: list[RowProblem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: (file row, existing person or None, person fields to set, attribute values to set)
    actions: list[tuple[int, Person | None, dict[str, str], dict[str, Any]]] = field(default_factory=list)


# --- Reading files -------------------------------------------------------------------------------------


def max_file_bytes() -> int:
    """The largest file this installation accepts."""
    return int(current_app.config.get("AANDACHT_IMPORT_MAX_BYTES", MAX_FILE_BYTES))


def file_format(file_name: str, data: bytes) -> str:
    """`csv` or `xlsx`, by name and content; raises ImportRefused for anything else."""
    suffix = Path(file_name).suffix.lower()
    if suffix == ".xlsx" and data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if suffix == ".xlsx":
        raise ImportRefused(_("This file is not a real Excel file (.xlsx). Save it again as .xlsx or .csv."))
    if suffix in (".csv", ".txt"):
        return "csv"
    if suffix in (".xls", ".xlsm", ".ods"):
        raise ImportRefused(
            _("This kind of file cannot be read. Save it in Excel as .xlsx (Excel workbook) or as .csv.")
        )
    raise ImportRefused(_("Choose a CSV file (.csv) or an Excel file (.xlsx)."))


def read_table(file_name: str, data: bytes) -> Table:
    """The headers and rows of a CSV or Excel file; raises ImportRefused with a plain reason."""
    if not data:
        raise ImportRefused(_("The file is empty."))
    if len(data) > max_file_bytes():
        raise ImportRefused(
            _("The file is too large: at most %(size)d MB.", size=max_file_bytes() // (1024 * 1024) or 1)
        )
    kind = file_format(file_name, data)
    raw_rows = _read_xlsx(data) if kind == "xlsx" else _read_csv(data)
    return _table(raw_rows)


def _read_csv(data: bytes) -> Iterator[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(_('The file is not in UTF-8. Save it again as "CSV UTF-8".')) from None
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=";,")
    except csv.Error:
        first_line = sample.split("\n", 1)[0]
        dialect = "excel-semicolon" if first_line.count(";") > first_line.count(",") else "excel"
    if dialect == "excel-semicolon":
        return iter(csv.reader(io.StringIO(text), delimiter=";"))
    return iter(csv.reader(io.StringIO(text), dialect))


def _read_xlsx(data: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # never parse a workbook's XML without protection against entity bombs
        raise ImportRefused(_("Excel files cannot be read safely on this server. Use a CSV file."))
    unreadable = _("This Excel file cannot be read. Save it again as .xlsx or as .csv.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise ImportRefused(
                    _("This Excel file is too large when unpacked. Split it or use a CSV file.")
                )
    except zipfile.BadZipFile:
        raise ImportRefused(unreadable) from None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()
    except ImportRefused:
        raise
    except Exception as error:
        if _caused_by_defusedxml(error):
            raise ImportRefused(
                _("This Excel file contains forbidden XML and is refused for safety. Save it again as .xlsx.")
            ) from None
        raise ImportRefused(unreadable) from None
    return iter(rows)


def _caused_by_defusedxml(error: BaseException | None) -> bool:
    """Whether defusedxml refused the XML somewhere down the chain (openpyxl wraps parser errors)."""
    while error is not None:
        if type(error).__module__.startswith("defusedxml"):
            return True
        error = error.__cause__ or error.__context__
    return False


def _table(raw_rows: Iterator[list[Any]]) -> Table:
    header = next(raw_rows, None)
    if header is None or not any(_cell_text(cell) for cell in header):
        raise ImportRefused(_("The first row must name the columns."))
    headers = [_cell_text(cell) for cell in header]
    while headers and not headers[-1]:
        headers.pop()
    if len(headers) > MAX_COLUMNS:
        raise ImportRefused(_("The file has too many columns: at most %(count)d.", count=MAX_COLUMNS))
    if "" in headers:
        raise ImportRefused(
            _(
                "Column %(number)d has no name in the first row. Give every column a name.",
                number=headers.index("") + 1,
            )
        )
    duplicates = sorted({name for name in headers if headers.count(name) > 1})
    if duplicates:
        raise ImportRefused(_("Two columns have the same name: %(name)s.", name=duplicates[0]))
    rows: list[list[Any]] = []
    for raw in raw_rows:
        cells = [_cell_value(cell) for cell in list(raw)[: len(headers)]]
        if not any(cell not in (None, "") for cell in cells):
            rows.append([])  # an empty line keeps the numbering of the rows after it
            continue
        rows.append(cells + [None] * (len(headers) - len(cells)))
        if len(rows) > MAX_ROWS:
            raise ImportRefused(_("The file has too many rows: at most %(count)d.", count=MAX_ROWS))
    while rows and not rows[-1]:
        rows.pop()
    return Table(headers, rows)


def _cell_text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


def _cell_value(cell: Any) -> Any:
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    return cell


# --- Mapping -------------------------------------------------------------------------------------------


def targets() -> list[tuple[str, str]]:
    """Every target a column can be mapped to, with its name: the person fields, then each attribute."""
    fields = [
        ("external_id", _("Client number (external id)")),
        ("name", _("Name")),
        ("email", _("E-mail address")),
        ("phone", _("Mobile number")),
    ]
    attributes = [
        (f"{ATTRIBUTE_PREFIX}{key}", f"{attribute.label} ({key})")
        for key, attribute in attributes_for(require_tenant()).items()
        if "system" in attribute.editable_by
    ]
    return fields + attributes


def suggest_mapping(headers: Sequence[str]) -> dict[str, str]:
    """A first mapping: a column whose header equals a target's key or name (ignoring case) maps to it."""
    names = {
        "external_id": ("external_id", "client number", "klantnummer", "clientnummer", _("Client number")),
        "name": ("name", "naam", _("Name")),
        "email": ("email", "e-mail", "e-mailadres", _("E-mail address")),
        "phone": ("phone", "mobile", "telefoon", "mobiel", _("Mobile number")),
    }
    known: dict[str, str] = {}
    for target, words in names.items():
        for word in words:
            known.setdefault(str(word).casefold(), target)
    for key, attribute in attributes_for(require_tenant()).items():
        if "system" in attribute.editable_by:
            known.setdefault(key.casefold(), f"{ATTRIBUTE_PREFIX}{key}")
            known.setdefault(str(attribute.label).casefold(), f"{ATTRIBUTE_PREFIX}{key}")
    mapping: dict[str, str] = {}
    for header in headers:
        target = known.get(header.strip().casefold())
        if target and target not in mapping.values():
            mapping[header] = target
    return mapping


def validate_mapping(headers: Sequence[str], mapping: Mapping[str, str]) -> dict[str, str]:
    """The mapping without unmapped columns; raises ImportRefused when it cannot be used."""
    allowed = dict(targets())
    used: dict[str, str] = {}
    for header, target in mapping.items():
        if not target:
            continue
        if header not in headers:
            raise ImportRefused(_("The file has no column %(name)s.", name=header))
        if target not in allowed:
            raise ImportRefused(_("Column %(name)s is linked to something that does not exist.", name=header))
        if target in used.values():
            raise ImportRefused(
                _(
                    "Two columns are linked to %(target)s. Link each field to one column.",
                    target=allowed[target],
                )
            )
        used[header] = target
    if "external_id" not in used.values():
        raise ImportRefused(_("Choose the column with the client number: it tells people in the file apart."))
    return used


# --- Checking and applying rows ------------------------------------------------------------------------


def plan(table: Table, mapping: Mapping[str, str], *, progress: Callable[[int], None] | None = None) -> Plan:
    """Check every row against the mapping and the current people; what the import would do."""
    attributes = attributes_for(require_tenant())
    columns = {target: table.headers.index(header) for header, target in mapping.items()}
    header_of = {target: header for header, target in mapping.items()}
    rows = [(number, row) for number, row in enumerate(table.rows, start=2) if row]
    numbers = [_cell_text(row[columns["external_id"]]) for _number, row in rows]
    by_number = people_by("external_id", [n for n in numbers if n])
    emails = (
        [normalise_email(_cell_text(row[columns["email"]])) for _n, row in rows] if "email" in columns else []
    )
    by_email = people_by("email", [e for e in emails if e])
    profiles = _profiles([person.id for person in by_number.values()])
    result = Plan()
    seen_numbers: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for done, (number, row) in enumerate(rows, start=1):
        problems: list[RowProblem] = []
        external_id = _cell_text(row[columns["external_id"]])
        person = by_number.get(external_id)
        fields, raw_values = _row_fields(row, columns, attributes)
        if not external_id:
            problems.append(RowProblem(number, header_of["external_id"], _("The client number is empty.")))
        elif len(external_id) > 100:
            problems.append(RowProblem(number, header_of["external_id"], _("The client number is too long.")))
        elif external_id in seen_numbers:
            problems.append(
                RowProblem(
                    number,
                    header_of["external_id"],
                    _("This client number is also in row %(row)d.", row=seen_numbers[external_id]),
                )
            )
        else:
            seen_numbers[external_id] = number
        problems += _field_problems(number, fields, person, header_of, by_email, seen_emails)
        try:
            cleaned = clean_values(raw_values, audience="system")
        except ProfileInvalid as invalid:
            problems += [
                RowProblem(number, header_of[f"{ATTRIBUTE_PREFIX}{key}"], reason)
                for key, reason in invalid.errors.items()
            ]
            cleaned = {}
        if problems:
            result.problems += problems
        else:
            current = profiles.get(person.id, {}) if person else {}
            changed_values = {key: value for key, value in cleaned.items() if current.get(key) != value}
            changed_fields = fields if person is None else _changed_fields(person, fields)
            if person is None:
                result.created += 1
            elif changed_values or changed_fields:
                result.updated += 1
            else:
                result.unchanged += 1
            if person is None or changed_values or changed_fields:
                result.actions.append(
                    (number, person, {**changed_fields, "external_id": external_id}, changed_values)
                )
        if progress is not None:
            progress(done)
    return result


def _row_fields(
    row: list[Any], columns: Mapping[str, int], attributes: Mapping[str, ProfileAttribute]
) -> tuple[dict[str, str], dict[str, Any]]:
    fields = {
        name: _cell_text(row[columns[name]])
        for name in ("name", "email", "phone")
        if name in columns and _cell_text(row[columns[name]])
    }
    values: dict[str, Any] = {}
    for target, index in columns.items():
        if not target.startswith(ATTRIBUTE_PREFIX) or row[index] in (None, ""):
            continue  # an empty cell leaves the value as it is
        key = target.removeprefix(ATTRIBUTE_PREFIX)
        values[key] = _raw_value(attributes[key], row[index])
    return fields, values


def _raw_value(attribute: ProfileAttribute, cell: Any) -> Any:
    """A cell as the attribute's cleaner expects it: text as text, answers by value or by their label."""
    if attribute.type == "text":
        return str(cell)
    if attribute.type in ("choice", "multiple_choice"):
        by_label = {str(option.label).casefold(): option.value for option in attribute.options}  # type: ignore[union-attr]
        by_value = {value.casefold(): value for value in attribute.option_values}

        def answer(text: str) -> str:
            folded = text.strip().casefold()
            return by_value.get(folded) or by_label.get(folded) or text.strip()

        if attribute.type == "choice":
            return answer(str(cell))
        return [answer(part) for part in _LIST_SEPARATORS.split(str(cell).strip()) if part]
    return cell


def _field_problems(
    number: int,
    fields: Mapping[str, str],
    person: Person | None,
    header_of: Mapping[str, str],
    by_email: Mapping[str, Person],
    seen_emails: dict[str, int],
) -> list[RowProblem]:
    problems = []
    if person is None and not fields.get("name"):
        column = header_of.get("name") or header_of["external_id"]
        problems.append(RowProblem(number, column, _("A new person needs a name.")))
    if len(fields.get("name", "")) > 200:
        problems.append(
            RowProblem(number, header_of["name"], _("The name is too long: at most 200 characters."))
        )
    email = fields.get("email")
    if email:
        normal = normalise_email(email)
        owner = by_email.get(normal)
        if len(normal) > 320 or not _EMAIL.fullmatch(normal):
            problems.append(RowProblem(number, header_of["email"], _("This is not a valid e-mail address.")))
        elif owner is not None and (person is None or owner.id != person.id):
            problems.append(
                RowProblem(number, header_of["email"], _("Another person already has this e-mail address."))
            )
        elif normal in seen_emails:
            problems.append(
                RowProblem(
                    number,
                    header_of["email"],
                    _("This e-mail address is also in row %(row)d.", row=seen_emails[normal]),
                )
            )
        else:
            seen_emails[normal] = number
    phone = fields.get("phone")
    if phone and not _PHONE.fullmatch(phone):
        problems.append(RowProblem(number, header_of["phone"], _("This is not a valid phone number.")))
    return problems


def _changed_fields(person: Person, fields: Mapping[str, str]) -> dict[str, str]:
    current = {"name": person.display_name, "email": person.email, "phone": person.phone}
    wanted = {**fields, **({"email": normalise_email(fields["email"])} if "email" in fields else {})}
    return {name: value for name, value in wanted.items() if current[name] != value}


def _profiles(person_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    found: dict[uuid.UUID, dict[str, Any]] = {}
    for start in range(0, len(person_ids), _LOOKUP_CHUNK):
        chunk = person_ids[start : start + _LOOKUP_CHUNK]
        for profile in session.execute(select(Profile).where(Profile.person_id.in_(chunk))).scalars():
            found[profile.person_id] = dict(profile.values or {})
    return found


def _apply(result: Plan, detail: str) -> None:
    """Write the plan in the current transaction (no commit): people, values and their history."""
    existing = _profiles_for_update([person.id for _n, person, _f, _v in result.actions if person])
    joined: list[uuid.UUID] = []
    for _number, person, fields, values in result.actions:
        if person is None:
            person = stage_person(
                display_name=fields["name"],
                email=fields.get("email"),
                phone=fields.get("phone"),
                external_id=fields["external_id"],
            )
            joined.append(person.id)
        else:
            stage_person_details(
                person, display_name=fields.get("name"), email=fields.get("email"), phone=fields.get("phone")
            )
        if values:
            stage_values(person.id, values, profile=existing.get(person.id), source="import", detail=detail)
    if joined:
        session.flush()
        person_joined.send(person_ids=joined)


def _profiles_for_update(person_ids: list[uuid.UUID]) -> dict[uuid.UUID, Profile]:
    found: dict[uuid.UUID, Profile] = {}
    for start in range(0, len(person_ids), _LOOKUP_CHUNK):
        chunk = person_ids[start : start + _LOOKUP_CHUNK]
        query = select(Profile).where(Profile.person_id.in_(chunk)).with_for_update()
        for profile in session.execute(query).scalars():
            found[profile.person_id] = profile
    return found


# --- The steps of an import ----------------------------------------------------------------------------


def imports_folder() -> Path:
    """Where the current tenant's uploaded files wait for their run (inside the instance folder)."""
    folder = Path(current_app.instance_path) / "imports" / str(require_tenant().id)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stored_file(run: ImportRun) -> Path:
    """The kept copy of the run's file."""
    return imports_folder() / f"{run.id}.{run.file_format}"


def upload(*, file_name: str, data: bytes, acting_staff_id: uuid.UUID | None) -> ImportRun:
    """Check that a file can be read and keep it for the next steps; raises ImportRefused."""
    name = Path(file_name or "").name[:200] or "import"
    table = read_table(name, data)
    if not table.rows:
        raise ImportRefused(_("The file has column names but no rows."))
    run = ImportRun(
        file_name=name,
        file_format=file_format(name, data),
        columns=table.headers,
        mapping=suggest_mapping(table.headers),
        total=len([row for row in table.rows if row]),
        locale=str(get_locale() or "") or None,
        created_by=acting_staff_id,
    )
    session.add(run)
    session.flush()
    stored_file(run).write_bytes(data)
    session.commit()
    return run


def import_run(import_id: uuid.UUID | str) -> ImportRun | None:
    """The current tenant's import with this id (None when absent or another tenant's)."""
    try:
        return get_scoped(ImportRun, uuid.UUID(str(import_id)))
    except ValueError:
        return None


def recent_imports(limit: int = 20) -> list[ImportRun]:
    """The tenant's latest imports, newest first."""
    query = select(ImportRun).order_by(ImportRun.created_at.desc()).limit(limit)
    return list(session.execute(query).scalars())


def _load_table(run: ImportRun) -> Table:
    path = stored_file(run)
    if not path.exists():
        raise ImportRefused(_("The file of this import is no longer there. Upload it again."))
    return read_table(run.file_name, path.read_bytes())


def check(run: ImportRun, mapping: Mapping[str, str]) -> ImportRun:
    """The dry run: store the mapping, check every row, store the report; changes no person or profile."""
    if run.status not in ("uploaded", "checked"):
        raise ImportRefused(_("This import has already run. Upload the file again to import it once more."))
    table = _load_table(run)
    used = validate_mapping(table.headers, mapping)
    result = plan(table, used)
    run.mapping = used
    run.status = "checked"
    run.total = len([row for row in table.rows if row])
    run.processed = 0
    run.created, run.updated, run.unchanged = result.created, result.updated, result.unchanged
    run.errors = [problem.as_json() for problem in result.problems]
    session.commit()
    return run


def start(run: ImportRun) -> ImportRun:
    """Queue the real run of a checked import without errors; `run_import` does the work."""
    if run.status != "checked":
        raise ImportRefused(_("Check the file first (dry run)."))
    if run.errors:
        raise ImportRefused(_("The file has rows with errors. Correct them and upload the file again."))
    run.status = "queued"
    run.processed = 0
    enqueue(run_import, str(run.id), queue="bulk")
    session.commit()
    return run


def run_import(import_id: str) -> None:
    """The job of an import: check every row again and write all of it in one transaction, or nothing.

    Progress (rows handled) is written on the side, in a session of its own, where the database allows
    a second writer (PostgreSQL); the result is committed together with the people and values.
    """
    run = import_run(import_id)
    if run is None or run.status not in ACTIVE_STATUSES:
        return  # already handled (a job delivered twice does nothing)
    with force_locale(run.locale or str(get_locale())):
        _perform(run)


def _perform(run: ImportRun) -> None:
    run_id = run.id
    report = _progress_reporter(run_id, run.total)
    report(0, status="running")
    try:
        table = _load_table(run)
        mapping = validate_mapping(table.headers, run.mapping)
        result = plan(table, mapping, progress=report)
        if not result.problems:
            _apply(result, run.file_name)
    except ImportRefused as refused:
        result = Plan(problems=[RowProblem(None, None, str(refused))])
    except Exception:
        session.rollback()
        log.exception("import failed", extra={"import_id": str(run_id)})
        stopped = _("The import stopped because of an error. Nothing was changed. Try again later.")
        _finish(run_id, "failed", Plan(problems=[RowProblem(None, None, stopped)]))
        return
    if result.problems:
        session.rollback()
        _finish(run_id, "rejected", result)
    else:
        _finish(run_id, "done", result)


def _finish(run_id: uuid.UUID, status: str, result: Plan) -> None:
    """Record the end of a run in the transaction that holds its changes, commit, and drop the file."""
    run = import_run(run_id)
    run.status = status
    run.processed = run.total if status == "done" else run.processed
    run.created, run.updated, run.unchanged = result.created, result.updated, result.unchanged
    run.errors = [problem.as_json() for problem in result.problems]
    run.finished_at = utcnow()
    session.commit()
    stored_file(run).unlink(missing_ok=True)


def _progress_reporter(run_id: uuid.UUID, total: int) -> Callable[..., None]:
    """A function that stores how many rows are handled, outside the run's own transaction."""
    step = max(_PROGRESS_STEP, total // 100)
    side_writer = engine().dialect.name != "sqlite"  # SQLite has one writer at a time

    def report(done: int, *, status: str | None = None) -> None:
        if status is None and (not side_writer or done % step):
            return
        values: dict[str, Any] = {"processed": done}
        if status is not None:
            values["status"] = status
        if status is not None and not side_writer:
            session.execute(update(ImportRun).where(ImportRun.id == run_id).values(**values))
            session.commit()
            return
        with AppSession(bind=engine()) as side:
            side.execute(update(ImportRun).where(ImportRun.id == run_id).values(**values))
            side.commit()

    return report
