"""Who may do what: roles, permissions, and the one check that every route and API operation passes.

Every view declares what it needs: `@requires(Permission.CASELOAD_VIEW)`, `@requires_any(rule, ...)`
when one of several will do, or `@public`. A view that declares nothing is refused (fail closed), and
a test walks the URL map to find any. API operations (MethodView methods) declare the same way, per
method, and add the OAuth2 scopes a token must carry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from flask import Flask, abort, current_app, g, request
from werkzeug.exceptions import Forbidden

if TYPE_CHECKING:
    from aandacht.accounts.principal import Principal

View = TypeVar("View", bound=Callable[..., Any])
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
    #: Assign people to coaches' caseloads and take them out (team leads, administrators).
    CASELOAD_MANAGE = "caseload.manage"
    #: Download lists of people with their contact details (a selection's results as CSV).
    PEOPLE_EXPORT = "people.export"
    #: Write, publish and retire content items, and adopt items of the platform's library.
    CONTENT_MANAGE = "content.manage"
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
    "coach": frozenset({Permission.WORKSPACE, Permission.CASELOAD_VIEW, Permission.CONTENT_MANAGE}),
    "team_lead": frozenset(
        {
            Permission.WORKSPACE,
            Permission.CASELOAD_VIEW,
            Permission.PEOPLE_VIEW_ALL,
            Permission.CASELOAD_MANAGE,
            Permission.PEOPLE_EXPORT,
            Permission.CONTENT_MANAGE,
        }
    ),
    "tenant_admin": frozenset(
        {
            Permission.PORTAL,
            Permission.STAFF_MANAGE,
            Permission.API_CREDENTIALS_MANAGE,
            Permission.PEOPLE_VIEW_ALL,
            Permission.CASELOAD_MANAGE,
            Permission.CONTENT_MANAGE,
        }
    ),
    "platform_admin": frozenset({Permission.PLATFORM}),
}


#: OAuth2 scopes of API tokens, with what each one is for (shown in the API documentation).
SCOPES: dict[str, str] = {
    "people:read": "Read the people of the tenant that the token's owner may see.",
    "caseload:read": "Read the caseload of the token's owner.",
    "tenant:read": "Read the tenant's own settings.",
    "profiles:write": "Change the profile values of the people the token's owner may see, as its role may.",
    "content:read": "Read the tenant's content items, drafts and retired ones included.",
    "content:write": "Create, change and retire content items (a vacancy feed upserts by external id).",
    "templates:read": "Read the tenant's message templates and preview them for people the owner may see.",
    "templates:write": "Create, change and delete message templates (one's own; a team lead's token any).",
    "campaigns:read": "Read the tenant's campaigns and their results.",
    "campaigns:write": "Create, change, send and cancel campaigns to people the owner may see.",
    "outcomes:read": "Read the outcomes (work, study, an ended benefit) of the people the owner may see.",
    "outcomes:write": "Register and remove outcomes of the people the owner may see.",
    "conversations:read": "Read the conversations and appointments of the people in the owner's caseload.",
    "conversations:write": "Write to, and make appointments with, the people in the owner's caseload.",
}

#: What an integration client (acting as itself, not as a person) may do with each scope.
SCOPE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "people:read": frozenset({Permission.PEOPLE_VIEW_ALL}),
    "caseload:read": frozenset(),
    "tenant:read": frozenset({Permission.PORTAL}),
    "profiles:write": frozenset({Permission.PEOPLE_VIEW_ALL}),
    "content:read": frozenset({Permission.CONTENT_MANAGE}),
    "content:write": frozenset({Permission.CONTENT_MANAGE}),
    # Templates render as a staff member's role; an integration acting as itself has none.
    "templates:read": frozenset(),
    "templates:write": frozenset(),
    # A campaign's audience is resolved as the staff member who made it; an integration has none.
    "campaigns:read": frozenset(),
    "campaigns:write": frozenset(),
    # A benefits system registers the outcomes of everyone the organisation serves.
    "outcomes:read": frozenset({Permission.PEOPLE_VIEW_ALL}),
    "outcomes:write": frozenset({Permission.PEOPLE_VIEW_ALL}),
    # A conversation is between a person and their coaches; an integration acting as itself takes no part.
    "conversations:read": frozenset(),
    "conversations:write": frozenset(),
}


@dataclass(frozen=True)
class Rule:
    """One way to be allowed: all of `permissions` and, when calling with a token, all of `scopes`."""

    permissions: frozenset[Permission] = frozenset()
    scopes: frozenset[str] = frozenset()

    @classmethod
    def of(cls, *permissions: Permission, scopes: Iterable[str] = ()) -> Rule:
        """`Rule.of(Permission.CASELOAD_VIEW, scopes=["caseload:read"])`."""
        return cls(frozenset(permissions), frozenset(scopes))

    def allows(self, principal: Principal) -> bool:
        """Whether the principal's role (a client's: its scopes) and token scopes meet this rule."""
        return self.permissions <= principal.permissions and principal.has_scopes(self.scopes)

    def open_to_clients(self) -> bool:
        """Whether an integration client holding this rule's scopes gets its permissions too."""
        granted = frozenset().union(*(SCOPE_PERMISSIONS.get(scope, frozenset()) for scope in self.scopes))
        return self.permissions <= granted


#: Anyone logged in, or calling with a valid token of this tenant.
ANY_PRINCIPAL = Rule()


@dataclass(frozen=True)
class Access:
    """What a view declares: open to anyone, or to a principal meeting one of its rules."""

    rules: tuple[Rule, ...] = ()
    public: bool = False
    #: False: only a login session may call it (a token never, so a leaked token cannot mint others).
    tokens: bool = True

    @property
    def scopes(self) -> frozenset[str]:
        """Every scope any rule names."""
        return frozenset().union(*(rule.scopes for rule in self.rules))


PUBLIC = Access(public=True)


def requires(*permissions: Permission, scopes: Iterable[str] = ()) -> Callable[[View], View]:
    """Declare that a view (or API method) needs all of `permissions` (and, by token, these scopes)."""
    return requires_any(Rule.of(*permissions, scopes=scopes))


def requires_any(*rules: Rule, tokens: bool = True) -> Callable[[View], View]:
    """Declare that a view is open to a principal meeting any one of `rules`."""
    if not rules:
        raise TypeError("requires_any needs at least one rule (ANY_PRINCIPAL for anyone logged in)")

    def declare(view: View) -> View:
        view.access = Access(rules=rules, tokens=tokens)  # type: ignore[attr-defined]
        return view

    return declare


def public(view: View) -> View:
    """Declare that a view is open to anyone (login pages, the manifest, error pages)."""
    view.access = PUBLIC  # type: ignore[attr-defined]
    return view


def access_of(function: Callable[..., Any]) -> Access | None:
    """What a view function or MethodView method declares; None when it declares nothing."""
    return getattr(function, "access", None)


def declared_access(view: Callable[..., Any], method: str) -> Access | None:
    """What a view declares for `method` (a MethodView's method, else the view itself); None: nothing."""
    view_class = getattr(view, "view_class", None)
    handler = getattr(view_class, method.lower(), None) if view_class else None
    return access_of(handler) if handler is not None and access_of(handler) else access_of(view)


class LoginSessionRequired(Forbidden):
    """A token called an operation that only a login session may use."""


def is_public_endpoint(endpoint: str) -> bool:
    """Static files and other library endpoints that need no declaration."""
    return endpoint.endswith(_PUBLIC_SUFFIXES) or endpoint in current_app.config.get(
        "AANDACHT_PUBLIC_ENDPOINTS", ()
    )


def check_request_permissions() -> None:
    """Refuse the request unless its principal meets what the view declares (401 when nobody is logged in)."""
    endpoint = request.endpoint
    if endpoint is None or is_public_endpoint(endpoint) or request.method == "OPTIONS":
        return  # OPTIONS only lists the allowed methods
    method = "GET" if request.method == "HEAD" else request.method
    access = declared_access(current_app.view_functions[endpoint], method)
    if access is None:
        current_app.logger.error("route declares no permission", extra={"endpoint": endpoint})
        abort(403)
    if access.public:
        return
    if g.get("tenant") is None and not any(Permission.PLATFORM in rule.permissions for rule in access.rules):
        abort(404)  # an organisation's page or operation does not exist on the platform's own address
    principal = g.principal
    if not principal.is_authenticated:
        abort(401)
    if principal.scopes is not None and not access.tokens:
        raise LoginSessionRequired()
    if not any(rule.allows(principal) for rule in access.rules):
        abort(403)


def init_app(app: Flask) -> None:
    """Check every request against its view's declaration."""
    app.before_request(check_request_permissions)
