"""`/api/v1/people`: the people (residents) a caller may see.

A coach sees their own caseload (with a token of scope `caseload:read` or `people:read`); a team lead,
a tenant administrator or an integration with `people:read` sees every person of the organisation. A
person the caller may not see is answered exactly as one that does not exist: 404.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import g

from aandacht.accounts import service as accounts
from aandacht.accounts.models import Person
from aandacht.accounts.permissions import Permission, Rule, requires_any
from aandacht.api.errors import fail
from aandacht.api.schemas import (
    List,
    ListArgs,
    PageSchema,
    Schema,
    String,
    matches,
    page_of,
    path_id,
    sort_field,
)
from aandacht.api.smorest import Blueprint, Resource
from aandacht.privacy.service import record_access
from aandacht.tenancy.scoping import get_scoped

blp = Blueprint(
    "api_people", __name__, tag="People", description="The people (residents) the caller may see."
)

#: Who may read people: a coach their caseload, whoever may see everyone all of them.
READ_PEOPLE = (
    Rule.of(Permission.CASELOAD_VIEW, scopes=["caseload:read"]),
    Rule.of(Permission.CASELOAD_VIEW, scopes=["people:read"]),
    Rule.of(Permission.PEOPLE_VIEW_ALL, scopes=["people:read"]),
)
_SORT_KEYS = {
    "display_name": lambda person: person.display_name.casefold(),
    "email": lambda person: person.email,
    "created_at": lambda person: person.created_at,
    "last_login_at": lambda person: person.last_login_at,
}


class PersonSchema(Schema):
    """A person served by the organisation."""

    id = ma.fields.UUID(dump_only=True)
    display_name = String(dump_only=True)
    email = String(dump_only=True, allow_none=True)
    phone = String(dump_only=True, allow_none=True, metadata={"description": "International form, +31…"})
    locale = String(dump_only=True, allow_none=True, metadata={"description": "Own language, if chosen."})
    active = ma.fields.Boolean(dump_only=True)
    created_at = ma.fields.DateTime(dump_only=True)
    last_login_at = ma.fields.DateTime(dump_only=True, allow_none=True)


class PersonPageSchema(PageSchema):
    """One page of people."""

    items = List(ma.fields.Nested(PersonSchema), required=True)


class PeopleArgs(ListArgs):
    """Which people, in which order."""

    q = String(metadata={"description": "Only people whose name or e-mail address contains this."})
    sort = sort_field(*_SORT_KEYS, default="display_name")


def sees_everyone() -> bool:
    """Whether the caller may see every person (by token: only with `people:read`), not just a caseload."""
    principal = g.principal
    return principal.can(Permission.PEOPLE_VIEW_ALL) and principal.has_scopes(frozenset({"people:read"}))


def _visible_people() -> list[Person]:
    return accounts.all_people() if sees_everyone() else accounts.caseload(g.principal.id)


@blp.route("/people")
class People(Resource):
    """The people the caller may see."""

    @requires_any(*READ_PEOPLE)
    @blp.arguments(PeopleArgs, location="query")
    @blp.response(200, PersonPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List people.

        A coach gets their caseload; a team lead, tenant administrator or integration with
        `people:read` gets everyone. Filter with `q`, order with `sort`, page with `page`/`page_size`.
        """
        query = args.get("q")
        people = [person for person in _visible_people() if matches(query, person.display_name, person.email)]
        return page_of(people, args, _SORT_KEYS)


@blp.route(
    "/people/<person_id>",
    parameters=[{"in": "path", "name": "person_id", "schema": {"type": "string", "format": "uuid"}}],
)
class PersonResource(Resource):
    """One person the caller may see."""

    @requires_any(*READ_PEOPLE)
    @blp.response(200, PersonSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def get(self, person_id: str) -> Person:
        """Get a person.

        404 both for a person that does not exist and for one the caller may not see.
        """
        wanted = path_id(person_id, "person_id")
        if sees_everyone():
            person = get_scoped(Person, wanted)
        else:
            caseload = accounts.caseload(g.principal.id)
            person = next((person for person in caseload if person.id == wanted), None)
        if person is None:
            fail(404, "not_found")
        record_access(person.id, what="api.person", channel="api")
        return person
