"""`/api/v1/people/<person>/profile`: a person's profile as the caller may see it, its changes and history.

The same people as `/api/v1/people`: a coach their caseload, a team lead, tenant administrator or an
integration with `people:read` everyone; anyone else is not found (404). The values are those the
caller's role may see (an integration acting as itself is the "system" audience); `PATCH` changes those
its role may edit and needs the scope `profiles:write`. One bad value refuses the whole change (422,
naming each attribute with its reason), and nothing is written then.
"""

from __future__ import annotations

import uuid
from typing import Any

import marshmallow as ma
from flask import g

from aandacht.accounts import service as accounts
from aandacht.accounts.models import Person
from aandacht.accounts.permissions import Permission, Rule, requires_any
from aandacht.api.errors import fail
from aandacht.api.people import READ_PEOPLE
from aandacht.api.schemas import (
    Integer,
    List,
    ListArgs,
    PageSchema,
    Schema,
    String,
    page_of,
    path_id,
    sort_field,
)
from aandacht.api.smorest import Blueprint, Resource
from aandacht.privacy.service import record_access
from aandacht.profiles.presentation import profile_rows
from aandacht.profiles.service import ProfileInvalid, audience_of, completeness, history, set_values
from aandacht.tenancy.scoping import get_scoped

blp = Blueprint(
    "api_profiles",
    __name__,
    tag="Profiles",
    description="A person's profile: the values the caller may see and change, and their history.",
)

#: Who may change profile values: a coach in their caseload, whoever may see everyone in all profiles.
WRITE_PROFILES = (
    Rule.of(Permission.CASELOAD_VIEW, scopes=["profiles:write"]),
    Rule.of(Permission.PEOPLE_VIEW_ALL, scopes=["profiles:write"]),
)
_PATH = [{"in": "path", "name": "person_id", "schema": {"type": "string", "format": "uuid"}}]


class ProfileValueSchema(Schema):
    """One attribute of the profile with the person's value."""

    key = String(required=True, metadata={"description": "The attribute, e.g. `core.preferred_channel`."})
    label = String(required=True, metadata={"description": "The attribute's label in the caller's language."})
    type = String(required=True)
    category = String(required=True)
    value = ma.fields.Raw(
        allow_none=True,
        metadata={"description": "The stored value (null: not answered; `prefer_not_to_say` is an answer)."},
    )
    value_text = String(
        required=True, metadata={"description": "The value in words, in the caller's language."}
    )
    editable = ma.fields.Boolean(required=True, metadata={"description": "Whether the caller may change it."})
    changed_at = ma.fields.DateTime(allow_none=True)
    source = String(
        allow_none=True, metadata={"description": "Who or what set it: person, coach, import, rule, system."}
    )


class CompletenessSchema(Schema):
    """How much of the profile is answered (of what the person may answer)."""

    answered = Integer(required=True)
    total = Integer(required=True)


class ProfileSchema(Schema):
    """A person's profile as the caller may see it."""

    person_id = ma.fields.UUID(required=True)
    completeness = ma.fields.Nested(CompletenessSchema, required=True)
    values = List(ma.fields.Nested(ProfileValueSchema), required=True)


class ProfilePatchSchema(Schema):
    """New values by attribute key; null clears a value, `prefer_not_to_say` is always possible."""

    values = ma.fields.Dict(
        keys=String(),
        values=ma.fields.Raw(allow_none=True),
        required=True,
        metadata={"example": {"core.preferred_channel": "sms", "core.languages": ["nl", "en"]}},
    )


class ProfileChangeSchema(Schema):
    """One change of one value."""

    key = String(required=True, attribute="attribute_key")
    old_value = ma.fields.Raw(allow_none=True)
    new_value = ma.fields.Raw(allow_none=True)
    source = String(required=True)
    actor_id = ma.fields.UUID(
        allow_none=True, metadata={"description": "The person or staff member who did it."}
    )
    detail = String(allow_none=True)
    changed_at = ma.fields.DateTime(required=True)


class ProfileChangePageSchema(PageSchema):
    """One page of changes."""

    items = List(ma.fields.Nested(ProfileChangeSchema), required=True)


class HistoryArgs(ListArgs):
    """Which changes, in which order."""

    key = String(metadata={"description": "Only the changes of this attribute."})
    sort = sort_field("changed_at", default="-changed_at")


def _person(person_id: str, scope: str, *, what: str) -> Person:
    """The person, when the caller may see them; else 404 (also for one that does not exist).

    The view is written to the person's access log as `what`.
    """
    wanted = path_id(person_id, "person_id")
    principal = g.principal
    if principal.can(Permission.PEOPLE_VIEW_ALL) and principal.has_scopes(frozenset({scope})):
        person = get_scoped(Person, wanted)
    elif principal.kind == "staff":
        person = next((p for p in accounts.caseload(principal.id) if p.id == wanted), None)
    else:
        person = None
    if person is None:
        fail(404, "not_found")
    record_access(person.id, what=what, channel="api")
    return person


def _audience() -> str:
    return audience_of(g.principal.kind, g.principal.role)


def _profile(person_id: uuid.UUID) -> dict[str, Any]:
    answered, total = completeness(person_id, "person")
    values = [
        {
            "key": row.attribute.key,
            "label": str(row.attribute.label),
            "type": row.attribute.type,
            "category": row.attribute.category,
            "value": row.value,
            "value_text": row.text,
            "editable": row.editable,
            "changed_at": row.last_change.changed_at if row.last_change else None,
            "source": row.last_change.source if row.last_change else None,
        }
        for row in profile_rows(person_id, _audience())
    ]
    return {"person_id": person_id, "completeness": {"answered": answered, "total": total}, "values": values}


@blp.route("/people/<person_id>/profile", parameters=_PATH)
class ProfileResource(Resource):
    """A person's profile."""

    @requires_any(*READ_PEOPLE)
    @blp.response(200, ProfileSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, person_id: str) -> dict[str, Any]:
        """Get a person's profile.

        Every attribute the caller's role may see, with the value (null when unanswered), whether the
        caller may change it, and the last change. `completeness` counts what the person may answer.
        """
        return _profile(_person(person_id, "people:read", what="api.profile").id)

    @requires_any(*WRITE_PROFILES)
    @blp.arguments(ProfilePatchSchema)
    @blp.response(200, ProfileSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def patch(self, body: dict[str, Any], person_id: str) -> dict[str, Any]:
        """Change values of a person's profile.

        Only attributes the caller's role may change. One bad value refuses the whole change: 422 with
        `errors` naming each attribute (`values.<key>`) and its reason, and nothing is written.
        """
        person = _person(person_id, "profiles:write", what="api.profile")
        principal = g.principal
        source = "coach" if principal.kind == "staff" else "system"
        try:
            set_values(
                person.id,
                body["values"],
                source=source,
                audience=_audience(),
                actor_id=principal.id if principal.kind == "staff" else None,
                detail="api",
            )
        except ProfileInvalid as refused:
            fail(
                422,
                "validation_failed",
                errors={f"values.{key}": [reason] for key, reason in refused.errors.items()},
            )
        return _profile(person.id)


@blp.route("/people/<person_id>/profile/history", parameters=_PATH)
class ProfileHistory(Resource):
    """The changes of a person's profile."""

    @requires_any(*READ_PEOPLE)
    @blp.arguments(HistoryArgs, location="query")
    @blp.response(200, ProfileChangePageSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args: dict[str, Any], person_id: str) -> dict[str, Any]:
        """List the changes of a person's profile, newest first.

        Only changes of attributes the caller may see; filter one attribute with `key`.
        """
        person = _person(person_id, "people:read", what="api.profile_history")
        visible = {row.attribute.key for row in profile_rows(person.id, _audience())}
        changes = [
            change for change in history(person.id, args.get("key")) if change.attribute_key in visible
        ]
        return page_of(changes, args, {"changed_at": lambda change: change.changed_at})
