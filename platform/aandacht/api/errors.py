"""Errors of the API: every error is JSON, `{"code", "message", "errors"}`, in the caller's language.

`code` is a stable snake_case string for programs (listed in `CODES` and in docs/api.md), `message` is
for people, translated by the request's locale (the principal's own language, else Accept-Language,
else the tenant's), and `errors` holds messages per field (empty when the error is not about a field).
The token endpoint adds RFC 6749's `error` and `error_description` to the same body.
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

from flask import Response, current_app, g, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_smorest import abort
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from aandacht.accounts.permissions import LoginSessionRequired, declared_access
from aandacht.db import session
from aandacht.tenancy.resolution import TenantNotFound

#: Every stable code the API answers with, and its message.
CODES: dict[str, Any] = {
    "bad_request": lazy_gettext("The request is not valid."),
    "invalid_json": lazy_gettext("The request body is not valid JSON."),
    "authentication_required": lazy_gettext("Log in, or send an API token in the Authorization header."),
    "invalid_token": lazy_gettext(
        "This API token is not valid here: it is unknown, expired, revoked or of another organisation."
    ),
    "forbidden": lazy_gettext("You may not do this."),
    "insufficient_scope": lazy_gettext("Your API token does not have the scope that this needs."),
    "login_session_required": lazy_gettext("You can only do this while logged in, not with an API token."),
    "csrf_failed": lazy_gettext("The CSRF token is missing or not valid. Reload the page and try again."),
    "not_found": lazy_gettext("There is nothing at this address."),
    "tenant_not_found": lazy_gettext("There is no organisation at this address."),
    "method_not_allowed": lazy_gettext("This address does not accept this method."),
    "conflict": lazy_gettext("This conflicts with data that already exists."),
    "unsupported_media_type": lazy_gettext("The request body has a type that this address does not accept."),
    "validation_failed": lazy_gettext("The request has errors. See the errors per field."),
    "rate_limited": lazy_gettext("Too many requests. Wait a minute, then try again."),
    "internal_error": lazy_gettext("Something went wrong on our side. Please try again later."),
    "invalid_request": lazy_gettext("The token request is incomplete or not valid."),
    "invalid_client": lazy_gettext("Unknown client, wrong secret, or the client was revoked."),
    "unsupported_grant_type": lazy_gettext("Only the client_credentials grant is supported."),
    "invalid_scope": lazy_gettext("The client may not ask for this scope."),
}

#: The code of an HTTP status when the code raising it names none.
_STATUS_CODES = {
    400: "bad_request",
    401: "authentication_required",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    500: "internal_error",
}
_REALM = 'realm="aandacht"'


def fail(
    status: int,
    code: str,
    *,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> NoReturn:
    """Stop the request with the error `code` (one of CODES) and HTTP `status`."""
    abort(status, code=code, errors=errors or {}, headers=headers or {})
    raise AssertionError("abort returned")  # pragma: no cover - abort always raises


def invalid(field: str, message: str) -> NoReturn:
    """Stop the request because `field` has a bad value (422 validation_failed, naming the field)."""
    fail(422, "validation_failed", errors={field: [message]})


def error_response(error: HTTPException, *, oauth: bool = False) -> Response:
    """The JSON answer to `error`; with `oauth`, also in RFC 6749's shape (token endpoint)."""
    status = error.code or 500
    data: dict[str, Any] = getattr(error, "data", None) or {}
    code = data.get("code") or _code_for(error, status, data)
    if oauth and code in ("bad_request", "validation_failed"):
        code = "invalid_request"  # RFC 6749's name for a malformed token request
    message = str(CODES.get(code) or _("The request could not be handled."))
    body: dict[str, Any] = {"code": code, "message": message, "errors": _field_errors(data, code)}
    if oauth:
        body.update(error=code, error_description=message)
    response = jsonify(body)
    response.status_code = status
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    response.headers.update(data.get("headers") or {})
    if (status == 401 or code == "insufficient_scope") and "WWW-Authenticate" not in response.headers:
        response.headers["WWW-Authenticate"] = _bearer_challenge(code)
    if status >= 500 or status == 409:
        session.rollback()
    return response


def _code_for(error: HTTPException, status: int, data: dict[str, Any]) -> str:
    if isinstance(error, TenantNotFound):
        return "tenant_not_found"
    if status == 400 and data.get("messages") == {"json": ["Invalid JSON body."]}:
        return "invalid_json"
    if status == 401 and g.get("bearer_rejected"):
        return "invalid_token"
    if isinstance(error, LoginSessionRequired):
        return "login_session_required"
    if status == 403 and _lacks_only_scopes():
        return "insufficient_scope"
    if status in _STATUS_CODES:
        return _STATUS_CODES[status]
    return re.sub(r"[^a-z0-9]+", "_", (error.name or "error").lower()).strip("_")


def _lacks_only_scopes() -> bool:
    """Whether a token's role would allow the operation by one of its rules, but its scopes do not."""
    principal = g.get("principal")
    view = current_app.view_functions.get(request.endpoint or "")
    declared = declared_access(view, request.method) if view and principal else None
    if not declared or principal.scopes is None:
        return False
    return any(rule.permissions <= principal.permissions for rule in declared.rules)


def _bearer_challenge(code: str) -> str:
    """RFC 6750's WWW-Authenticate: what went wrong with the token, and which scopes would do."""
    if code == "invalid_token":
        return f'Bearer {_REALM}, error="invalid_token"'
    if code == "insufficient_scope":
        view = current_app.view_functions.get(request.endpoint or "")
        declared = declared_access(view, request.method) if view else None
        wanted = " ".join(sorted(declared.scopes)) if declared else ""
        return f'Bearer {_REALM}, error="insufficient_scope", scope="{wanted}"'
    return f"Bearer {_REALM}"


def _field_errors(data: dict[str, Any], code: str) -> dict[str, list[str]]:
    """Messages per field, flat: webargs' `{location: {field: [...]}}` and nested fields as `a.0.b`."""
    if code == "invalid_json":
        return {}
    flat: dict[str, list[str]] = {}

    def collect(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                collect(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list | tuple):
            for inner in value:
                collect(prefix, inner)
        else:
            flat.setdefault(prefix or "_request", []).append(str(value))

    if "errors" in data:
        collect("", data["errors"])
    elif isinstance(data.get("messages"), dict):  # webargs: messages per location
        for location, messages in data["messages"].items():
            collect("" if isinstance(messages, dict) else location, messages)
    return flat


def outside_response(error: HTTPException) -> Response:
    """The JSON answer for an API address none of the API's views handled (its error handlers never ran).

    An address or method the API does not have is named as such, before what stopped the request
    earlier (an unknown organisation, a missing CSRF token).
    """
    failure = request.routing_exception
    if isinstance(failure, HTTPException) and not isinstance(failure, RequestRedirect):
        error = failure
    return error_response(error)
