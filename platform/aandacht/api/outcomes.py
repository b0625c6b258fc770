"""`/api/v1/outcomes`: what happened to people (found work, benefit ended, ...), for research.

A coach registers and reads outcomes of their caseload (token scopes `outcomes:read`, `outcomes:write`);
a team lead, a tenant administrator or an integration with those scopes, of everyone. A person the caller
may not see is answered as one that does not exist. `POST /outcomes/bulk` registers a list all or
nothing, with a report per row. The types and their details are at `/outcome-types`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import marshmallow as ma
from flask import g

from aandacht.accounts import service as accounts
from aandacht.accounts.models import Person
from aandacht.accounts.permissions import Permission, Rule, requires_any
from aandacht.api.errors import fail
from aandacht.api.schemas import List, Schema, String, length, path_id
from aandacht.api.smorest import Blueprint, Resource
from aandacht.db import session
from aandacht.research import imports, service
from aandacht.research.models import Outcome
from aandacht.research.types import OutcomeType

blp = Blueprint(
    "api_outcomes",
    __name__,
    tag="Outcomes",
    description="What happened to people: work, study, an ended benefit. Each domain brings its types.",
)

READ = (
    Rule.of(Permission.CASELOAD_VIEW, scopes=["outcomes:read"]),
    Rule.of(Permission.PEOPLE_VIEW_ALL, scopes=["outcomes:read"]),
)
WRITE = (
    Rule.of(Permission.CASELOAD_VIEW, scopes=["outcomes:write"]),
    Rule.of(Permission.PEOPLE_VIEW_ALL, scopes=["outcomes:write"]),
)
_PATH = [{"in": "path", "name": "outcome_id", "schema": {"type": "string", "format": "uuid"}}]


class OutcomeRowSchema(Schema):
    """One outcome to register; the person by `person_id` or by `client_number`."""

    person_id = ma.fields.UUID()
    client_number = String(validate=length(1, 100), metadata={"description": "The tenant's client number."})
    outcome = String(required=True, metadata={"description": "The type's key, e.g. werk.work_ends_benefit."})
    date = ma.fields.Date(required=True)
    details = ma.fields.Dict(keys=String(), metadata={"description": "The type's details by name."})
    note = String(allow_none=True, validate=length(0, service.LONGEST_NOTE))
    outcome_id = String(
        validate=length(1, 100),
        metadata={"description": "Your own id of the outcome: sending it again changes that outcome."},
    )

    @ma.validates_schema
    def _names_a_person(self, data: Mapping[str, Any], **_kwargs: Any) -> None:
        if not data.get("person_id") and not data.get("client_number"):
            raise ma.ValidationError("Give person_id or client_number.", "person_id")


class OutcomeSchema(Schema):
    """A registered outcome."""

    id = ma.fields.UUID(dump_only=True)
    person_id = ma.fields.UUID(dump_only=True)
    outcome = String(dump_only=True, attribute="type_key")
    date = ma.fields.Date(dump_only=True, attribute="occurred_on")
    details = ma.fields.Dict(dump_only=True, allow_none=True)
    note = String(dump_only=True, allow_none=True)
    source = String(dump_only=True, metadata={"description": "coach, import or api."})
    outcome_id = String(dump_only=True, allow_none=True, attribute="external_id")
    recorded_at = ma.fields.DateTime(dump_only=True)
    changed_at = ma.fields.DateTime(dump_only=True)


class OutcomeRecordedSchema(OutcomeSchema):
    """A registered outcome, and what registering did: added, changed or unchanged."""

    action = String(dump_only=True)


class OutcomeArgs(Schema):
    """Which outcomes."""

    person_id = ma.fields.UUID()
    outcome = String(metadata={"description": "Only outcomes of this type."})
    since = ma.fields.Date(metadata={"description": "Dated on or after this day."})
    until = ma.fields.Date(metadata={"description": "Dated before this day."})


class OutcomeBulkSchema(Schema):
    """Outcomes to register all or nothing."""

    rows = List(ma.fields.Dict(), required=True, validate=length(1, imports.MOST_ROWS))


class OutcomeRowReportSchema(Schema):
    """What happened to one row (`row` counts from 1), or why it was refused."""

    row = ma.fields.Integer(dump_only=True)
    who = String(dump_only=True)
    action = String(dump_only=True, allow_none=True)
    errors = ma.fields.Dict(dump_only=True)


class OutcomeBulkReportSchema(Schema):
    """Whether the list was registered, and a report per row."""

    written = ma.fields.Boolean(dump_only=True)
    counts = ma.fields.Dict(dump_only=True)
    rows = List(ma.fields.Nested(OutcomeRowReportSchema), dump_only=True)


class OutcomeDetailSchema(Schema):
    """A detail an outcome type asks."""

    name = String(dump_only=True)
    label = String(dump_only=True)
    kind = String(dump_only=True, metadata={"description": "text, number or choice."})
    required = ma.fields.Boolean(dump_only=True)
    options = List(List(String()), dump_only=True)
    minimum = ma.fields.Integer(dump_only=True, allow_none=True)
    maximum = ma.fields.Integer(dump_only=True, allow_none=True)


class OutcomeTypeSchema(Schema):
    """An outcome type of the tenant's domains."""

    key = String(dump_only=True)
    label = String(dump_only=True)
    description = String(dump_only=True)
    ends_trajectory = ma.fields.Boolean(dump_only=True)
    details = List(ma.fields.Nested(OutcomeDetailSchema), dump_only=True)


def _sees_everyone() -> bool:
    return g.principal.can(Permission.PEOPLE_VIEW_ALL)


def _may_see(person: Person) -> bool:
    return _sees_everyone() or any(member.id == person.id for member in accounts.caseload(g.principal.id))


def _visible_ids() -> list[uuid.UUID] | None:
    return None if _sees_everyone() else [person.id for person in accounts.caseload(g.principal.id)]


def _as_row(body: Mapping[str, Any]) -> dict[str, Any]:
    row = {key: body[key] for key in ("client_number", "outcome", "note", "outcome_id") if body.get(key)}
    if body.get("person_id"):
        row["person_id"] = str(body["person_id"])
    row["date"] = str(body.get("date") or "")
    row.update(body.get("details") or {})
    return row


def _register(rows: list[Mapping[str, Any]]) -> imports.ImportReport:
    recorded_by = g.principal.id if g.principal.kind == "staff" else None
    text_rows = [{key: "" if value is None else str(value) for key, value in row.items()} for row in rows]
    report = imports.import_outcomes(text_rows, source="api", recorded_by=recorded_by, may_see=_may_see)
    if report.written:
        session.commit()
    else:
        session.rollback()
    return report


@blp.route("/outcome-types")
class OutcomeTypes(Resource):
    """The outcome types of the tenant's domains."""

    @requires_any(*READ)
    @blp.response(200, OutcomeTypeSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """List the outcome types, with the details each asks."""
        return [_type(kind) for kind in service.outcome_types().values()]


def _type(kind: OutcomeType) -> dict[str, Any]:
    return {
        "key": kind.key,
        "label": str(kind.label),
        "description": str(kind.description),
        "ends_trajectory": kind.ends_trajectory,
        "details": [
            {
                "name": detail.name,
                "label": str(detail.label),
                "kind": detail.kind,
                "required": detail.required,
                "options": [[value, str(label)] for value, label in detail.options],
                "minimum": detail.minimum,
                "maximum": detail.maximum,
            }
            for detail in kind.details
        ],
    }


@blp.route("/outcomes")
class Outcomes(Resource):
    """The outcomes of the people the caller may see."""

    @requires_any(*READ)
    @blp.arguments(OutcomeArgs, location="query")
    @blp.response(200, OutcomeSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[Outcome]:
        """List outcomes, oldest first; filter by person, type and dates."""
        people = _visible_ids()
        if args.get("person_id"):
            people = [args["person_id"]] if people is None or args["person_id"] in people else []
        return service.find_outcomes(
            since=args.get("since"),
            until=args.get("until"),
            type_keys=[args["outcome"]] if args.get("outcome") else None,
            person_ids=people,
        )

    @requires_any(*WRITE)
    @blp.arguments(OutcomeRowSchema)
    @blp.response(201, OutcomeRecordedSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Register an outcome; the same `outcome_id` again changes it (action: added, changed, unchanged)."""
        report = _register([_as_row(body)])
        row = report.rows[0]
        if not report.written:
            if set(row.problems) == {"person"}:
                fail(404, "not_found")
            fail(422, "validation_failed", errors={key: [reason] for key, reason in row.problems.items()})
        columns = {column.key: getattr(row.outcome, column.key) for column in Outcome.__table__.columns}
        return {**columns, "action": row.action}


@blp.route("/outcomes/bulk")
class BulkOutcomes(Resource):
    """Many outcomes at once."""

    @requires_any(*WRITE)
    @blp.arguments(OutcomeBulkSchema)
    @blp.response(200, OutcomeBulkReportSchema)
    @blp.alt_response(422, schema=OutcomeBulkReportSchema, description="Nothing is registered: see the rows.")
    def post(self, body: dict[str, Any]) -> tuple[dict[str, Any], int]:
        """Register a list of outcomes (rows as in POST /outcomes, details as extra keys): all or nothing."""
        report = _register([_as_row(_normalised(row)) for row in body["rows"]])
        rows = [
            {"row": row.line - 1, "who": row.who, "action": row.action, "errors": row.problems}
            for row in report.rows
        ]
        answer = {"written": report.written, "counts": report.counts, "rows": rows}
        return answer, 200 if report.written else 422


def _normalised(row: Mapping[str, Any]) -> dict[str, Any]:
    """A bulk row's details may be nested under `details` or given as extra keys, as in the CSV file."""
    extra = {key: value for key, value in row.items() if key not in imports.RESERVED and key != "details"}
    fields = {key: row[key] for key in imports.RESERVED if key in row}
    return {**fields, "details": {**extra, **(row.get("details") or {})}}


@blp.route("/outcomes/<outcome_id>", parameters=_PATH)
class OutcomeResource(Resource):
    """One outcome."""

    @requires_any(*READ)
    @blp.response(200, OutcomeSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, outcome_id: str) -> Outcome:
        """Get an outcome."""
        return _outcome(outcome_id)

    @requires_any(*WRITE)
    @blp.response(204)
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, outcome_id: str) -> None:
        """Remove an outcome registered in error (its registrar, a team lead, or an integration)."""
        outcome = _outcome(outcome_id)
        if g.principal.kind == "staff" and outcome.recorded_by != g.principal.id and not _sees_everyone():
            fail(403, "forbidden")
        service.remove_outcome(outcome)
        session.commit()


def _outcome(outcome_id: str) -> Outcome:
    outcome = service.outcome_by_id(path_id(outcome_id, "outcome_id"))
    if outcome is None:
        fail(404, "not_found")
    visible = _visible_ids()
    if visible is not None and outcome.person_id not in visible:
        fail(404, "not_found")
    return outcome
