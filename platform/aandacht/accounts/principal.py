"""The principal of a request: who is acting, in which tenant, with which permissions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from aandacht.accounts.permissions import ROLE_PERMISSIONS, SCOPE_PERMISSIONS, Permission


@dataclass(frozen=True)
class Principal:
    """Who is acting: a resident, a staff member, the platform administrator, an API client or nobody."""

    #: "anonymous", "person", "staff", "platform" or "client" (an integration acting as itself).
    kind: str = "anonymous"
    id: uuid.UUID | None = None
    tenant_id: int | None = None
    #: resident, coach, team_lead, tenant_admin or platform_admin.
    role: str | None = None
    display_name: str = ""
    #: The person's own language, if chosen.
    locale: str | None = None
    #: OAuth2 scopes of a token; None for a login session (which has no scope limits).
    scopes: frozenset[str] | None = None

    @property
    def is_authenticated(self) -> bool:
        """Whether anyone is logged in."""
        return self.kind != "anonymous"

    @property
    def permissions(self) -> frozenset[Permission]:
        """What the principal's role allows; for an integration client, what its scopes allow."""
        if self.kind == "client":
            return frozenset().union(
                *(SCOPE_PERMISSIONS.get(scope, frozenset()) for scope in self.scopes or ())
            )
        return ROLE_PERMISSIONS.get(self.role or "", frozenset())

    def can(self, permission: Permission) -> bool:
        """Whether the role allows `permission`."""
        return permission in self.permissions

    def has_scopes(self, required: frozenset[str]) -> bool:
        """Whether a token carries the scopes an API operation needs (sessions always do)."""
        return self.scopes is None or required <= self.scopes


ANONYMOUS = Principal()
