"""`GET /api/v1/me`: who the caller is, as the API sees them."""

from __future__ import annotations

from flask import g

from aandacht.accounts.permissions import ANY_PRINCIPAL, requires_any
from aandacht.api.schemas import List, Schema, String
from aandacht.api.smorest import Blueprint, Resource

blp = Blueprint("api_me", __name__, tag="Me", description="Who the token or login session is.")


class MeSchema(Schema):
    """The caller: a staff member (by login or personal token), a resident, or an integration client."""

    kind = String(metadata={"description": "person, staff or client (an integration acting as itself)."})
    id = String(metadata={"description": "The account's id; for a client, the id of its credential."})
    role = String(metadata={"description": "resident, coach, team_lead, tenant_admin or integration."})
    display_name = String()
    tenant = String(metadata={"description": "The slug of the organisation."})
    locale = String(allow_none=True, metadata={"description": "The account's own language, if chosen."})
    scopes = List(
        String(),
        allow_none=True,
        metadata={"description": "The token's scopes; null for a login session (no scope limits)."},
    )
    permissions = List(String(), metadata={"description": "What the role (or client's scopes) allows."})


@blp.route("/me")
class Me(Resource):
    """The caller."""

    @requires_any(ANY_PRINCIPAL)
    @blp.response(200, MeSchema)
    def get(self) -> dict:
        """Who am I.

        The principal of the request: whose token it is, or who is logged in, with their role, scopes
        and permissions.
        """
        principal = g.principal
        return {
            "kind": principal.kind,
            "id": str(principal.id) if principal.id else None,
            "role": principal.role,
            "display_name": principal.display_name,
            "tenant": g.tenant.slug,
            "locale": principal.locale,
            "scopes": sorted(principal.scopes) if principal.scopes is not None else None,
            "permissions": sorted(principal.permissions),
        }
