"""`/api/v1/api-credentials`: personal API tokens and integration clients.

A staff member issues, lists and revokes their own personal tokens, with the scopes their role allows;
a tenant administrator also registers and revokes integration clients. A new token or client secret is
in the answer to its creation only, and never again (it is stored as a hash). These operations take a
login session: a token cannot issue or revoke tokens, so a leaked one cannot make itself new ones.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import g
from flask_babel import gettext as _

from aandacht.accounts import tokens
from aandacht.accounts.models import API_CREDENTIAL_KINDS, ApiCredential
from aandacht.accounts.permissions import SCOPE_PERMISSIONS, SCOPES, Permission, Rule, requires_any
from aandacht.accounts.principal import Principal
from aandacht.api.errors import fail
from aandacht.api.schemas import (
    Integer,
    List,
    ListArgs,
    PageSchema,
    Schema,
    String,
    between,
    length,
    one_of,
    page_of,
    path_id,
    sort_field,
)
from aandacht.api.smorest import Blueprint, Resource

blp = Blueprint(
    "api_credentials",
    __name__,
    tag="API credentials",
    description="Personal API tokens of staff members and integration clients (login session only).",
)

#: Staff members: coaches and team leads (the workspace) and tenant administrators (the portal).
STAFF = (Rule.of(Permission.WORKSPACE), Rule.of(Permission.PORTAL))
#: Life of a personal token, in days: unless asked otherwise, and at most.
DEFAULT_VALID_DAYS = 90
MAX_VALID_DAYS = 365
#: What a staff member's role must allow (any one of) before their personal token may carry a scope;
#: other scopes need what they give an integration client (SCOPE_PERMISSIONS).
_PERSONAL_SCOPE_NEEDS = {
    "people:read": (frozenset({Permission.CASELOAD_VIEW}), frozenset({Permission.PEOPLE_VIEW_ALL})),
    "caseload:read": (frozenset({Permission.CASELOAD_VIEW}),),
    "profiles:write": (frozenset({Permission.CASELOAD_VIEW}), frozenset({Permission.PEOPLE_VIEW_ALL})),
    "templates:read": (frozenset({Permission.CASELOAD_VIEW}),),
    "templates:write": (frozenset({Permission.CASELOAD_VIEW}),),
    "campaigns:read": (frozenset({Permission.CASELOAD_VIEW}),),
    "campaigns:write": (frozenset({Permission.CASELOAD_VIEW}),),
    "outcomes:read": (frozenset({Permission.CASELOAD_VIEW}), frozenset({Permission.PEOPLE_VIEW_ALL})),
    "outcomes:write": (frozenset({Permission.CASELOAD_VIEW}), frozenset({Permission.PEOPLE_VIEW_ALL})),
}
_SORT_KEYS = {
    "created_at": lambda credential: credential.created_at,
    "name": lambda credential: credential.name.casefold(),
    "last_used_at": lambda credential: credential.last_used_at,
}


class CredentialSchema(Schema):
    """A personal token or an integration client; never its secret."""

    id = ma.fields.UUID(dump_only=True)
    kind = String(dump_only=True, metadata={"description": "personal (a staff member's token) or client."})
    name = String(dump_only=True)
    client_id = String(dump_only=True, allow_none=True, metadata={"description": "Clients only."})
    scopes = List(String(), dump_only=True)
    created_at = ma.fields.DateTime(dump_only=True)
    expires_at = ma.fields.DateTime(dump_only=True, allow_none=True)
    revoked_at = ma.fields.DateTime(dump_only=True, allow_none=True)
    last_used_at = ma.fields.DateTime(dump_only=True, allow_none=True)


class CreatedCredentialSchema(CredentialSchema):
    """A new credential with its secret: shown this once, never again."""

    token = String(
        dump_only=True, allow_none=True, metadata={"description": "Personal tokens: the token (aat_…)."}
    )
    client_secret = String(dump_only=True, allow_none=True, metadata={"description": "Clients: the secret."})


class CredentialPageSchema(PageSchema):
    """One page of credentials."""

    items = List(ma.fields.Nested(CredentialSchema), required=True)


class CredentialArgs(ListArgs):
    """Which page, in which order."""

    sort = sort_field(*_SORT_KEYS, default="-created_at")


class NewCredentialSchema(Schema):
    """What to issue."""

    kind = String(
        load_default="personal",
        validate=one_of(API_CREDENTIAL_KINDS),
        metadata={"description": "personal (default) or client (tenant administrators)."},
    )
    name = String(required=True, validate=length(1, 200), metadata={"description": "What it is for."})
    scopes = List(
        String(validate=one_of(SCOPES)),
        required=True,
        validate=length(1, len(SCOPES)),
        metadata={"description": "One or more of the scopes (see the document's clientCredentials)."},
    )
    valid_days = Integer(
        validate=between(1, MAX_VALID_DAYS),
        metadata={"description": f"Personal tokens: days to live, 1 to {MAX_VALID_DAYS}; default 90."},
    )


def _manages_clients(principal: Principal) -> bool:
    return principal.can(Permission.API_CREDENTIALS_MANAGE)


def _visible_credentials() -> list[ApiCredential]:
    """The caller's own personal tokens and, for a tenant administrator, the integration clients."""
    principal = g.principal
    own = tokens.credentials(staff_id=principal.id)
    if not _manages_clients(principal):
        return own
    return own + [credential for credential in tokens.credentials() if credential.kind == "client"]


def scope_allowed(principal: Principal, kind: str, scope: str) -> bool:
    """Whether `principal` may issue a credential of `kind` with `scope`."""
    if kind == "personal" and scope in _PERSONAL_SCOPE_NEEDS:
        return any(needs <= principal.permissions for needs in _PERSONAL_SCOPE_NEEDS[scope])
    return SCOPE_PERMISSIONS.get(scope, frozenset()) <= principal.permissions


@blp.route("/api-credentials")
class Credentials(Resource):
    """The caller's tokens (and a tenant administrator's integration clients)."""

    @requires_any(*STAFF, tokens=False)
    @blp.arguments(CredentialArgs, location="query")
    @blp.response(200, CredentialPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List credentials.

        Your own personal tokens; a tenant administrator also sees the integration clients. Secrets
        are never shown here.
        """
        return page_of(_visible_credentials(), args, _SORT_KEYS)

    @requires_any(*STAFF, tokens=False)
    @blp.arguments(NewCredentialSchema)
    @blp.response(201, CreatedCredentialSchema)
    def post(self, new: dict[str, Any]) -> dict[str, Any]:
        """Issue a personal token or register an integration client.

        The answer holds the token (personal) or client secret (client) this once only. A personal
        token gets the scopes your role allows; clients are for tenant administrators.
        """
        principal, kind = g.principal, new["kind"]
        if kind == "client" and not _manages_clients(principal):
            fail(403, "forbidden")
        refused = [scope for scope in new["scopes"] if not scope_allowed(principal, kind, scope)]
        if refused:
            message = _("Your role does not allow these scopes: %(scopes)s.", scopes=", ".join(refused))
            fail(422, "validation_failed", errors={"scopes": [message]})
        if kind == "client":
            if "valid_days" in new:
                message = _("Integration clients do not expire; revoke them when they are no longer used.")
                fail(422, "validation_failed", errors={"valid_days": [message]})
            credential, secret = tokens.create_client(name=new["name"], scopes=new["scopes"])
            return {**_dump(credential), "client_secret": secret, "token": None}
        credential, token = tokens.create_personal_token(
            staff_id=principal.id,
            name=new["name"],
            scopes=new["scopes"],
            valid_days=new.get("valid_days", DEFAULT_VALID_DAYS),
        )
        return {**_dump(credential), "token": token, "client_secret": None}


@blp.route(
    "/api-credentials/<credential_id>",
    parameters=[{"in": "path", "name": "credential_id", "schema": {"type": "string", "format": "uuid"}}],
)
class Credential(Resource):
    """One of the caller's credentials."""

    @requires_any(*STAFF, tokens=False)
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def delete(self, credential_id: str) -> None:
        """Revoke a credential.

        It stops working at once (a client's access tokens too). Revoking twice is no error. 404 for
        a credential that does not exist and for one that is not yours to revoke.
        """
        wanted = path_id(credential_id, "credential_id")
        if not any(credential.id == wanted for credential in _visible_credentials()):
            fail(404, "not_found")
        tokens.revoke(wanted)


def _dump(credential: ApiCredential) -> dict[str, Any]:
    return {name: getattr(credential, name) for name in CredentialSchema().fields}
