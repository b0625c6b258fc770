"""What selections read of accounts: when a person was last active, and whose caseload they are in."""

from __future__ import annotations

import uuid
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, exists, select
from typing_extensions import override

from aandacht.accounts.models import CaseloadAssignment, Person, StaffMember
from aandacht.segments.arguments import DATE_SCHEMA, a_date, fields, start_of, text
from aandacht.segments.language import Context, Invalid, Predicate
from aandacht.tenancy.scoping import get_scoped


def in_caseload_of(staff_id: uuid.UUID) -> ColumnElement[bool]:
    """The person is in the caseload of this staff member."""
    return Person.id.in_(select(CaseloadAssignment.person_id).where(CaseloadAssignment.staff_id == staff_id))


class LastActive(Predicate):
    """When the person last used the app: `since` a date, `not_since` a date (never counts), or `never`."""

    name = "last_active"
    label = _l("Last active in the app")
    schema = {
        "type": "object",
        "properties": {"op": {"enum": ["since", "not_since", "never"]}, "value": DATE_SCHEMA},
        "required": ["op"],
        "additionalProperties": False,
    }

    @override
    def check(self, arguments: Any, context: Context) -> tuple[str, Any]:
        arguments = fields(arguments, required=["op"], optional=["value"])
        op = text(arguments["op"], "op", choices=("since", "not_since", "never"))
        if op == "never":
            return op, None
        if "value" not in arguments:
            raise Invalid(_("Give the date."), "value")
        return op, start_of(a_date(arguments["value"], context, "value"))

    @override
    def compile(self, arguments: tuple[str, Any], context: Context, scope: Any) -> ColumnElement[bool]:
        op, moment = arguments
        column = scope.person.last_active_at
        if op == "never":
            return column.is_(None)
        if op == "since":
            return column.is_not(None) & (column >= moment)
        return column.is_(None) | (column < moment)


class Caseload(Predicate):
    """In the caseload of a coach (`me`, or a staff member's id), or of nobody (`none`)."""

    name = "caseload"
    label = _l("Caseload")
    schema = {
        "type": "object",
        "properties": {"of": {"anyOf": [{"enum": ["me", "none"]}, {"type": "string", "format": "uuid"}]}},
        "required": ["of"],
        "additionalProperties": False,
    }

    @override
    def check(self, arguments: Any, context: Context) -> uuid.UUID | None:
        of = text(fields(arguments, required=["of"])["of"], "of")
        if of == "none":
            return None
        if of == "me":
            if context.viewer.staff_id is None:
                raise Invalid(_("Only a staff member has a caseload of their own."), "of")
            return context.viewer.staff_id
        try:
            staff_id = uuid.UUID(of)
        except ValueError:
            raise Invalid(_("Choose a coach."), "of") from None
        if get_scoped(StaffMember, staff_id) is None:
            raise Invalid(_("There is no such coach."), "of")
        return staff_id

    @override
    def compile(self, staff_id: uuid.UUID | None, context: Context, scope: Any) -> ColumnElement[bool]:
        if staff_id is None:
            return ~exists().where(CaseloadAssignment.person_id == scope.person.id)
        return in_caseload_of(staff_id)


PREDICATES: tuple[Predicate, ...] = (LastActive(), Caseload())
