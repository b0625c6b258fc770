"""Writes by login session in the API: they need the CSRF token, as a form does.

Operations declare who may call them like any view, with `@public`, `@requires(...)` or
`@requires_any(rule, ...)` from aandacht.accounts.permissions, and the central check enforces that.

Callers: a bearer token (personal token or a client's access token) or the browser's login session of
the same tenant. A login session may write only with the CSRF token in an `X-CSRFToken` header (the
documentation page sends it; a page of the app can take it from `csrf_token()`); a token needs none, as
a browser never sends one by itself. Operations declared with `tokens=False` are for login sessions
only: a token cannot manage API credentials, so a leaked token cannot mint or revoke others.
"""

from __future__ import annotations

from flask import current_app, g, request
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from aandacht.accounts.permissions import declared_access
from aandacht.api.errors import fail

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def calls_by_login_session() -> bool:
    """Whether the request's principal comes from the session cookie (not from a bearer token)."""
    principal = g.get("principal")
    return principal is not None and principal.is_authenticated and principal.scopes is None


def check_cookie_write() -> None:
    """A write by login session needs the CSRF token in a header; tokens and public operations do not."""
    if request.method in SAFE_METHODS or not calls_by_login_session():
        return
    view = current_app.view_functions.get(request.endpoint or "")
    declared = declared_access(view, request.method) if view else None
    if declared is not None and declared.public:
        return  # uses no ambient credentials (the token endpoint reads its client's secret)
    names = current_app.config.get("WTF_CSRF_HEADERS", ["X-CSRFToken", "X-CSRF-Token"])
    token = next((request.headers[name] for name in names if request.headers.get(name)), None)
    try:
        validate_csrf(token)
    except ValidationError:
        fail(403, "csrf_failed")
