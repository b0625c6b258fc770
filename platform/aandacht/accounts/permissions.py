"""Who may do what: roles, permissions, and the one check that every route and API operation passes.

Every view declares what it needs: `@requires(Permission.CASELOAD_VIEW)` or `@public`. A view that
declares nothing is refused (fail closed), and a test walks the URL map to find any. API operations
(MethodView methods) declare the same way, per method, and may add OAuth2 scopes.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

from flask import Flask, abort, current_app, g, request

View = TypeVar("View", bound=Callable[..., Any])
_PUBLIC = frozenset()
#: Endpoints of libraries (static files, the API description) that are public by nature.
_PUBLIC_SUFFIXES = (".static", "static")


class Permission(StrEnum):
    """Everything a principal can be allowed to do."""

    #: A resident: their own home, profile, messages and settings.
    SELF = "self"
    #: A staff member: the coach workspace.
    WORKSPACE = "workspace"
    #: See the people in one's own caseload.
    CASELOAD_VIEW = "caseload.view"
    #: See every person of the tenant (team leads).
    PEOPLE_VIEW_ALL = "people.view_all"
    #: The tenant portal: the organisation's own administration.
    PORTAL = "portal"
    #: Create, change and deactivate staff accounts.
    STAFF_MANAGE = "staff.manage"
    #: Issue and revoke API tokens and integration clients.
    API_CREDENTIALS_MANAGE = "api_credentials.manage"
    #: The platform administration across tenants.
    PLATFORM = "platform"


#: What each role may do. Residents and platform administrators are roles of their own.
ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "resident": frozenset({Permission.SELF}),
    "coach": frozenset({Permission.WORKSPACE, Permission.CASELOAD_VIEW}),
    "team_lead": frozenset({Permission.WORKSPACE, Permission.CASELOAD_VIEW, Permission.PEOPLE_VIEW_ALL}),
    "tenant_admin": frozenset(
        {
            Permission.PORTAL,
            Permission.STAFF_MANAGE,
            Permission.API_CREDENTIALS_MANAGE,
            Permission.PEOPLE_VIEW_ALL,
        }
    ),
    "platform_admin": frozenset({Permission.PLATFORM}),
}


#: OAuth2 scopes of API tokens, with what each one is for (shown in the API documentation).
SCOPES: dict[str, str] = {
    "people:read": "Read the people of the tenant that the token's owner may see.",
    "caseload:read": "Read the caseload of the token's owner.",
    "tenant:read": "Read the tenant's own settings.",
}

#: What an integration client (acting as itself, not as a person) may do with each scope.
SCOPE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "people:read": frozenset({Permission.PEOPLE_VIEW_ALL}),
    "caseload:read": frozenset(),
    "tenant:read": frozenset({Permission.PORTAL}),
}


def requires(*permissions: Permission, scopes: tuple[str, ...] = ()) -> Callable[[View], View]:
    """Declare that a view (or API method) needs all of `permissions` (and, by token, these scopes)."""

    def declare(view: View) -> View:
        view.required_permissions = frozenset(permissions)  # type: ignore[attr-defined]
        view.required_scopes = frozenset(scopes)  # type: ignore[attr-defined]
        return view

    return declare


def public(view: View) -> View:
    """Declare that a view is open to anyone (login pages, the manifest, error pages)."""
    view.required_permissions = _PUBLIC  # type: ignore[attr-defined]
    view.required_scopes = _PUBLIC  # type: ignore[attr-defined]
    return view


def declared_requirements(view: Callable[..., Any], method: str) -> tuple[frozenset, frozenset] | None:
    """The permissions and scopes a view declares for `method`; None when it declares nothing."""
    view_class = getattr(view, "view_class", None)
    handler = getattr(view_class, method.lower(), None) if view_class else None
    for candidate in (handler, view):
        if candidate is not None and hasattr(candidate, "required_permissions"):
            return candidate.required_permissions, candidate.required_scopes
    return None


def is_public_endpoint(endpoint: str) -> bool:
    """Static files and other library endpoints that need no declaration."""
    return endpoint.endswith(_PUBLIC_SUFFIXES) or endpoint in current_app.config.get(
        "AANDACHT_PUBLIC_ENDPOINTS", ()
    )


def check_request_permissions() -> None:
    """Refuse the request unless its principal has what the view declares (404 for a missing login)."""
    endpoint = request.endpoint
    if endpoint is None or is_public_endpoint(endpoint) or request.method == "OPTIONS":
        return  # OPTIONS only lists the allowed methods
    method = "GET" if request.method == "HEAD" else request.method
    requirements = declared_requirements(current_app.view_functions[endpoint], method)
    if requirements is None:
        current_app.logger.error("route declares no permission", extra={"endpoint": endpoint})
        abort(403)
    permissions, scopes = requirements
    if not permissions:
        return
    principal = g.principal
    if not principal.is_authenticated:
        abort(401)
    if not permissions <= principal.permissions or not principal.has_scopes(scopes):
        abort(403)


def init_app(app: Flask) -> None:
    """Check every request against its view's declaration."""
    app.before_request(check_request_permissions)
