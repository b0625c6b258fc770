"""Who may call an API operation, how that is checked, and how it is documented.

An operation declares its access on its MethodView method, like any view: `@public`, `@requires(...)`
(aandacht.accounts.permissions), or `@requires_any(rule, rule, ...)` when one of several rules will do
(a coach reads their caseload with `caseload:read`, a team lead or an integration everyone with
`people:read`). The central check knows only "all of these"; an operation declared with `requires_any`
passes it as open and is checked here, before its arguments are read.

Callers: a bearer token (personal token or a client's access token) or the browser's login session of
the same tenant. A login session may write only with the CSRF token in an `X-CSRFToken` header (the
documentation page sends it; a page of the app can take it from `csrf_token()`); a token needs none, as
a browser never sends one by itself. Operations declared with `tokens=False` are for login sessions
only: a token cannot manage API credentials, so a leaked token cannot mint or revoke others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, g, request
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from aandacht.accounts.permissions import SCOPE_PERMISSIONS, Permission
from aandacht.accounts.principal import Principal
from aandacht.api.errors import fail

View = TypeVar("View", bound=Callable[..., Any])
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Rule:
    """One way to be allowed an operation: all of `permissions` and, when calling by token, all `scopes`."""

    permissions: frozenset[Permission] = frozenset()
    scopes: frozenset[str] = frozenset()

    @classmethod
    def of(cls, *permissions: Permission, scopes: Iterable[str] = ()) -> Rule:
        """`Rule.of(Permission.CASELOAD_VIEW, scopes=["caseload:read"])`."""
        return cls(frozenset(permissions), frozenset(scopes))

    def allows(self, principal: Principal) -> bool:
        """Whether the principal's role (or client's scopes) and token scopes meet this rule."""
        return self.permissions <= principal.permissions and principal.has_scopes(self.scopes)

    def open_to_clients(self) -> bool:
        """Whether an integration client holding this rule's scopes gets the permissions too."""
        granted = frozenset().union(*(SCOPE_PERMISSIONS.get(scope, frozenset()) for scope in self.scopes))
        return self.permissions <= granted


#: Anyone logged in or calling with a valid token of this tenant.
ANY_PRINCIPAL = Rule()


@dataclass(frozen=True)
class Access:
    """How an operation may be reached: by anyone (`public`), or by a principal meeting one of `rules`."""

    rules: tuple[Rule, ...] = ()
    public: bool = False
    #: False: login sessions only (bearer tokens are refused).
    tokens: bool = True
    scopes: frozenset[str] = field(init=False, default=frozenset())

    def __post_init__(self) -> None:
        object.__setattr__(self, "scopes", frozenset().union(*(rule.scopes for rule in self.rules)))


def requires_any(*rules: Rule, tokens: bool = True) -> Callable[[View], View]:
    """Declare an API operation open to a principal meeting any one of `rules` (see the module)."""
    if not rules:
        raise TypeError("requires_any needs at least one rule (use ANY_PRINCIPAL for anyone logged in)")
    access = Access(rules=rules, tokens=tokens)

    def declare(method: View) -> View:
        @wraps(method)
        def checked(*args: Any, **kwargs: Any) -> Any:
            check(access)
            return method(*args, **kwargs)

        # For the central check this operation is open; `check` above decides.
        checked.required_permissions = frozenset()  # type: ignore[attr-defined]
        checked.required_scopes = frozenset()  # type: ignore[attr-defined]
        checked.api_access = access  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return declare


def access_of(function: Callable[..., Any]) -> Access | None:
    """What a view function or MethodView method declares; None when it declares nothing."""
    declared = getattr(function, "api_access", None)
    if declared is not None:
        return declared
    if not hasattr(function, "required_permissions"):
        return None
    if not function.required_permissions:
        return Access(public=True)
    return Access(rules=(Rule(function.required_permissions, function.required_scopes),))


def check(access: Access) -> None:
    """Refuse the request unless its principal may reach an operation declared with `access`."""
    principal: Principal = g.principal
    if not principal.is_authenticated:
        fail(401, "invalid_token" if g.get("bearer_rejected") else "authentication_required")
    by_token = principal.scopes is not None
    if by_token and not access.tokens:
        fail(403, "login_session_required")
    if any(rule.allows(principal) for rule in access.rules):
        return
    if by_token and any(rule.permissions <= principal.permissions for rule in access.rules):
        wanted = " ".join(sorted(access.scopes))
        challenge = f'Bearer realm="aandacht", error="insufficient_scope", scope="{wanted}"'
        fail(403, "insufficient_scope", headers={"WWW-Authenticate": challenge})
    fail(403, "forbidden")


def calls_by_login_session() -> bool:
    """Whether the request's principal comes from the session cookie (not from a bearer token)."""
    principal = g.get("principal")
    return principal is not None and principal.is_authenticated and principal.scopes is None


def check_cookie_write() -> None:
    """A write by login session needs the CSRF token in a header; tokens and public operations do not."""
    if request.method in SAFE_METHODS or not calls_by_login_session():
        return
    view = current_app.view_functions.get(request.endpoint or "")
    handler = getattr(getattr(view, "view_class", None), request.method.lower(), None) or view
    declared = access_of(handler) if handler else None
    if declared is not None and declared.public:
        return  # uses no ambient credentials (the token endpoint reads its client's secret)
    names = current_app.config.get("WTF_CSRF_HEADERS", ["X-CSRFToken", "X-CSRF-Token"])
    token = next((request.headers[name] for name in names if request.headers.get(name)), None)
    try:
        validate_csrf(token)
    except ValidationError:
        fail(403, "csrf_failed")
