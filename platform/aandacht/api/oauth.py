"""`POST /api/v1/oauth/token`: the OAuth2 client credentials grant (RFC 6749, section 4.4).

An integration sends `grant_type=client_credentials` with its `client_id` and `client_secret`, in the
form or by HTTP Basic authentication (not both), optionally narrowing its `scope` (space separated).
The answer is an access token that lives an hour. Errors follow RFC 6749 (`error`,
`error_description`), in the same body as every other API error (`code`, `message`, `errors`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_plus

import marshmallow as ma
from flask import request
from flask_babel import gettext as _

from aandacht.accounts import tokens
from aandacht.accounts.limits import limiter
from aandacht.accounts.permissions import public
from aandacht.api.errors import fail
from aandacht.api.schemas import ErrorSchema, Integer, Schema, String
from aandacht.api.smorest import Blueprint, Resource

blp = Blueprint(
    "api_oauth",
    __name__,
    tag="OAuth",
    description="Access tokens for integrations (client credentials grant).",
    oauth_errors=True,
)
#: Token requests per minute from one address to one organisation.
TOKEN_LIMIT = "10 per minute"  # noqa: S105 - a rate, not a secret
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class TokenRequestSchema(Schema):
    """The token request; the server checks it itself, to answer in RFC 6749's terms."""

    grant_type = String(metadata={"description": "Always client_credentials."})
    client_id = String(metadata={"description": "Unless sent by HTTP Basic authentication."})
    client_secret = String(metadata={"description": "Unless sent by HTTP Basic authentication."})
    scope = String(metadata={"description": "Space-separated scopes; default: all of the client's."})

    class Meta:
        """RFC 6749: unknown request parameters are ignored."""

        unknown = ma.EXCLUDE


class TokenSchema(Schema):
    """An access token (RFC 6749, section 5.1)."""

    access_token = String(required=True)
    token_type = String(required=True, metadata={"description": "Bearer."})
    expires_in = Integer(required=True, metadata={"description": "Seconds the token lives."})
    scope = String(required=True, metadata={"description": "The granted scopes, space separated."})


def _client_credentials(form: dict[str, Any]) -> tuple[str, str]:
    """The client's id and secret, from HTTP Basic authentication or the form (exactly one of them)."""
    basic = request.authorization if request.authorization and request.authorization.type == "basic" else None
    in_form = form.get("client_id") is not None or form.get("client_secret") is not None
    if basic is not None and in_form:
        fail(400, "invalid_request")
    if basic is not None:
        # RFC 6749 2.3.1: id and secret are form-encoded before they are put in the header.
        return unquote_plus(basic.username or ""), unquote_plus(basic.password or "")
    if not form.get("client_id") or not form.get("client_secret"):
        fail(401, "invalid_client", headers={"WWW-Authenticate": 'Basic realm="aandacht"'})
    return form["client_id"], form["client_secret"]


@blp.route("/oauth/token")
class Token(Resource):
    """The token endpoint."""

    @public
    @limiter.limit(TOKEN_LIMIT)
    @blp.arguments(TokenRequestSchema, location="form", unknown=ma.EXCLUDE, error_status_code=400)
    @blp.response(200, TokenSchema)
    @blp.alt_response(400, schema=ErrorSchema, description="invalid_request, unsupported_grant_type or scope")
    @blp.alt_response(401, schema=ErrorSchema, description="invalid_client: unknown, wrong secret or revoked")
    @blp.alt_response(429, schema=ErrorSchema, description="rate_limited: too many token requests")
    def post(self, form: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
        """Get an access token.

        Client credentials grant: form-encoded `grant_type=client_credentials`, with `client_id` and
        `client_secret` in the form or by HTTP Basic authentication.
        """
        if not form.get("grant_type"):
            fail(400, "invalid_request", errors={"grant_type": [_("Missing data for required field.")]})
        if form["grant_type"] != "client_credentials":
            fail(400, "unsupported_grant_type")
        client_id, secret = _client_credentials(form)
        scopes = form.get("scope", "").split() or None
        try:
            granted = tokens.exchange_client_credentials(client_id, secret, scopes)
        except tokens.CredentialError as refusal:
            if refusal.code == "invalid_client":
                fail(401, "invalid_client", headers={"WWW-Authenticate": 'Basic realm="aandacht"'})
            fail(400, "invalid_scope" if refusal.code == "invalid_scope" else "invalid_request")
        return granted, 200, _NO_STORE
