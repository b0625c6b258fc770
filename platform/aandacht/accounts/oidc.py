"""Staff login through the tenant's own OpenID Connect provider: authorization code flow with PKCE.

The tenant file's `[identity_provider]` names the provider's discovery document, the client id and
the environment variable that holds the client secret. Each tenant gets an authlib client of its own,
registered on first use under the tenant's slug and a fingerprint of its settings (so a changed file
gets a fresh client). authlib keeps the state, nonce and PKCE code verifier in the session under that
client's name: one tenant's callback never finds another tenant's login in progress.

`oidc_start` sends the browser to the provider (state, nonce, S256 code challenge). `oidc_callback`
exchanges the code together with the code verifier, has authlib verify the ID token (signature by
the provider's published keys, issuer, audience, nonce, expiry), and logs in the active staff member
whose subject the token names, or else whose verified e-mail address it carries (whose subject is
then remembered). Every refusal shows the staff login page with a message and changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError
from authlib.integrations.flask_client import FlaskOAuth2App, OAuth
from flask import Flask, abort, current_app, flash, g, render_template, request, url_for
from flask import session as browser_session
from flask_babel import gettext as _
from joserfc.errors import JoseError
from requests import RequestException
from sqlalchemy import select
from werkzeug.wrappers import Response

from aandacht.accounts.limits import limiter
from aandacht.accounts.models import StaffMember
from aandacht.accounts.permissions import public
from aandacht.accounts.service import normalise_email
from aandacht.accounts.views import LOGIN_LIMIT, blueprint, finish_login, remember_next
from aandacht.db import session
from aandacht.tenancy.context import CurrentTenant
from aandacht.tenancy.files import DEFAULT_OIDC_SCOPES

#: Where `OAuth.init_app` keeps the app's registry of clients.
_REGISTRY = "authlib.integrations.flask_client"
#: Seconds to wait for the provider's discovery document, keys and token endpoint.
PROVIDER_TIMEOUT = 10


class ProviderNotReady(Exception):
    """The tenant's provider cannot be used now: its secret is not set, or it does not answer."""


@dataclass(frozen=True)
class StaffIdentity:
    """Who the provider says logged in, from a verified ID token."""

    subject: str
    #: The e-mail address, only when the provider vouches for it (`email_verified`).
    verified_email: str | None


# --- The per-tenant client ---------------------------------------------------------------------------


def _client_name(tenant: CurrentTenant) -> str:
    """The tenant's slug and a fingerprint of its provider settings (state keys in the session use it)."""
    settings = json.dumps(tenant.identity_provider, sort_keys=True).encode()
    return f"{tenant.slug}-{hashlib.sha256(settings).hexdigest()[:12]}"


def client_for(tenant: CurrentTenant) -> FlaskOAuth2App:
    """The authlib client of `tenant`'s provider, registered on first use; raises ProviderNotReady."""
    oauth: OAuth = current_app.extensions[_REGISTRY]
    name = _client_name(tenant)
    client = oauth.create_client(name)
    if client is not None:
        return client
    settings = tenant.identity_provider
    secret = os.environ.get(settings["client_secret_env"])
    if not secret:
        raise ProviderNotReady(f"environment variable {settings['client_secret_env']} is not set")
    return oauth.register(
        name,
        client_id=settings["client_id"],
        client_secret=secret,
        server_metadata_url=settings["metadata_url"],
        client_kwargs={
            "scope": settings.get("scopes") or DEFAULT_OIDC_SCOPES,
            "code_challenge_method": "S256",
            "default_timeout": PROVIDER_TIMEOUT,
        },
    )


def _tenant_with_provider() -> CurrentTenant:
    """The request's tenant when it has an identity provider; 404 otherwise."""
    tenant = g.get("tenant")
    if tenant is None or not tenant.identity_provider:
        abort(404)
    return tenant


# --- Finding the staff member ------------------------------------------------------------------------


def identity_from(token: dict[str, Any]) -> StaffIdentity | None:
    """The identity in a token response whose ID token authlib verified; None without an ID token."""
    claims = token.get("userinfo")
    if not claims or not claims.get("sub"):
        return None
    verified = claims.get("email_verified") in (True, "true")
    email = claims.get("email") if verified else None
    return StaffIdentity(subject=str(claims["sub"]), verified_email=normalise_email(email) if email else None)


def staff_for(identity: StaffIdentity) -> StaffMember | None:
    """The tenant's staff member with this subject, else the unlinked one with this verified address."""
    by_subject = select(StaffMember).where(StaffMember.oidc_subject == identity.subject)
    staff = session.execute(by_subject).scalar_one_or_none()
    if staff is not None or identity.verified_email is None:
        return staff
    by_email = select(StaffMember).where(
        StaffMember.email == identity.verified_email, StaffMember.oidc_subject.is_(None)
    )
    return session.execute(by_email).scalar_one_or_none()


def link_subject(staff: StaffMember, subject: str) -> None:
    """Remember the provider's subject of `staff`, so later logins find them even after a new address."""
    if staff.oidc_subject != subject:
        staff.oidc_subject = subject
        session.commit()


# --- Pages -------------------------------------------------------------------------------------------


def _refuse(message: str, status: int) -> tuple[str, int]:
    """The staff login page with `message`; nobody is logged in and nothing is stored."""
    flash(message, "error")
    return render_template("accounts/staff_login.html", email=""), status


def _not_ready(tenant: CurrentTenant, problem: Exception) -> tuple[str, int]:
    current_app.logger.error(
        "identity provider of %s cannot be used: %s", tenant.slug, problem, extra={"problem": str(problem)}
    )
    provider = tenant.identity_provider["name"]
    return _refuse(
        _(
            "Logging in with %(provider)s does not work right now. "
            "Try again later, or tell your administrator.",
            provider=provider,
        ),
        503,
    )


def _answer_message(error: str, provider: str) -> str:
    """What an error answer of the provider means for the staff member."""
    if error == "access_denied":
        return _("You stopped logging in at %(provider)s. Nobody is logged in.", provider=provider)
    return _("%(provider)s did not log you in. Try again, or ask your administrator.", provider=provider)


@blueprint.get("/staff/login/oidc")
@public
def oidc_start() -> Response | tuple[str, int]:
    """Send the staff member to the organisation's identity provider to log in."""
    tenant = _tenant_with_provider()
    remember_next()
    try:
        client = client_for(tenant)
        return client.authorize_redirect(url_for("accounts.oidc_callback", _external=True))
    except (ProviderNotReady, RequestException, RuntimeError) as problem:
        return _not_ready(tenant, problem)


@blueprint.get("/staff/login/oidc/callback")
@public
@limiter.limit(LOGIN_LIMIT)
def oidc_callback() -> Response | tuple[str, int]:
    """The provider sends the staff member back here: check the answer and log them in."""
    tenant = _tenant_with_provider()
    provider = tenant.identity_provider["name"]
    try:
        client = client_for(tenant)
    except ProviderNotReady as problem:
        return _not_ready(tenant, problem)
    state = request.args.get("state", "")
    if "error" in request.args:
        client.framework.clear_state_data(browser_session, state)
        return _refuse(_answer_message(request.args["error"], provider), 400)
    if not request.args.get("code") or not state:
        client.framework.clear_state_data(browser_session, state)
        return _refuse(_stale_message(), 400)
    try:
        token = client.authorize_access_token()
    except MismatchingStateError:
        return _refuse(_stale_message(), 400)
    except (RequestException, RuntimeError) as problem:
        return _not_ready(tenant, problem)
    except (AuthlibBaseError, JoseError, ValueError) as problem:
        current_app.logger.warning("login at the identity provider failed: %s", problem)
        return _refuse(_("We could not check your login at %(provider)s. Try again.", provider=provider), 400)
    return _log_in(tenant, identity_from(token), provider)


def _stale_message() -> str:
    return _("This login is too old, or it was started in another window. Start again with the button.")


def _log_in(
    tenant: CurrentTenant, identity: StaffIdentity | None, provider: str
) -> Response | tuple[str, int]:
    if identity is None:
        return _refuse(_("We could not check your login at %(provider)s. Try again.", provider=provider), 400)
    staff = staff_for(identity)
    if staff is None:
        return _refuse(
            _(
                "You have no staff account at %(name)s with this login. Ask your administrator to add you.",
                name=tenant.name,
            ),
            403,
        )
    if not staff.active:
        return _refuse(
            _("Your staff account at %(name)s is switched off. Ask your administrator.", name=tenant.name),
            403,
        )
    link_subject(staff, identity.subject)
    return finish_login("staff", staff)


# --- Wiring ------------------------------------------------------------------------------------------


def expose_provider_name() -> None:
    """Give templates the display name of the tenant's provider (`g.tenant_identity_provider`), if any."""
    tenant = g.get("tenant")
    g.tenant_identity_provider = tenant.identity_provider.get("name") if tenant is not None else None


def init_app(app: Flask) -> None:
    """Keep a registry of provider clients for `app`, and name the provider on every tenant page."""
    OAuth(app)
    app.before_request(expose_provider_name)
