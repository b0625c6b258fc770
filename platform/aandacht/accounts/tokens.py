"""API credentials: personal tokens of staff members and OAuth2 clients of integrations.

Both are bound to one tenant and a set of scopes, revocable, and stored only as a hash. A personal
token (`aat_…`) acts as its staff member within its scopes. An integration client exchanges its id and
secret for an access token (`aac_…`, client credentials grant) that is signed, lives an hour, and dies
with its client's revocation.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from aandacht.accounts.models import ApiCredential, StaffMember
from aandacht.accounts.permissions import SCOPES
from aandacht.accounts.principal import Principal
from aandacht.accounts.secrets import new_token, token_hash
from aandacht.db import session, utcnow
from aandacht.tenancy.context import current_tenant
from aandacht.tenancy.scoping import get_scoped

PERSONAL_PREFIX = "aat_"
ACCESS_PREFIX = "aac_"
ACCESS_TOKEN_LIFETIME = timedelta(hours=1)


class CredentialError(ValueError):
    """A credential cannot be issued or exchanged as asked; `code` says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def check_scopes(scopes: Iterable[str]) -> list[str]:
    """The scopes, sorted and without repeats; raises CredentialError for an unknown one."""
    chosen = sorted(set(scopes))
    unknown = [scope for scope in chosen if scope not in SCOPES]
    if unknown:
        raise CredentialError("invalid_scope", f"Unknown scope(s): {', '.join(unknown)}.")
    return chosen


def create_personal_token(
    *, staff_id: uuid.UUID, name: str, scopes: Iterable[str], valid_days: int | None = 90
) -> tuple[ApiCredential, str]:
    """Issue a token that acts as a staff member; the token is returned once and never stored."""
    token = PERSONAL_PREFIX + new_token()
    credential = ApiCredential(
        kind="personal",
        name=name,
        staff_id=staff_id,
        secret_hash=token_hash(token),
        scopes=check_scopes(scopes),
        expires_at=utcnow() + timedelta(days=valid_days) if valid_days else None,
    )
    session.add(credential)
    session.commit()
    return credential, token


def create_client(*, name: str, scopes: Iterable[str]) -> tuple[ApiCredential, str]:
    """Register an integration; returns it with its secret (shown once, stored as a hash)."""
    secret = new_token()
    credential = ApiCredential(
        kind="client",
        name=name,
        client_id="client_" + secrets.token_hex(8),
        secret_hash=token_hash(secret),
        scopes=check_scopes(scopes),
    )
    session.add(credential)
    session.commit()
    return credential, secret


def revoke(credential_id: uuid.UUID) -> bool:
    """Revoke a token or client at once; False when there is no such credential in this tenant."""
    credential = get_scoped(ApiCredential, credential_id)
    if credential is None:
        return False
    credential.revoked_at = credential.revoked_at or utcnow()
    session.commit()
    return True


def credentials(*, staff_id: uuid.UUID | None = None) -> list[ApiCredential]:
    """The tenant's credentials (or one staff member's personal tokens), newest first."""
    query = select(ApiCredential).order_by(ApiCredential.created_at.desc())
    if staff_id is not None:
        query = query.where(ApiCredential.staff_id == staff_id)
    return list(session.execute(query).scalars())


def exchange_client_credentials(client_id: str, secret: str, scopes: Iterable[str] | None = None) -> dict:
    """The client credentials grant: an access token for a valid, unrevoked client of this tenant."""
    credential = session.execute(
        select(ApiCredential).where(ApiCredential.kind == "client", ApiCredential.client_id == client_id)
    ).scalar_one_or_none()
    if (
        credential is None
        or credential.revoked_at
        or not secrets.compare_digest(credential.secret_hash, token_hash(secret))
    ):
        raise CredentialError("invalid_client", "Unknown client, wrong secret, or the client was revoked.")
    granted = credential.scopes if scopes is None else check_scopes(scopes)
    if not set(granted) <= set(credential.scopes):
        raise CredentialError("invalid_scope", "The client may not ask for these scopes.")
    payload = {"credential": str(credential.id), "tenant": credential.tenant_id, "scopes": granted}
    return {
        "access_token": ACCESS_PREFIX + _signer().dumps(payload),
        "token_type": "Bearer",
        "expires_in": int(ACCESS_TOKEN_LIFETIME.total_seconds()),
        "scope": " ".join(granted),
    }


def principal_for_bearer(token: str) -> Principal | None:
    """The principal a bearer token stands for in the current tenant; None when it is not valid here."""
    tenant = current_tenant()
    if tenant is None:
        return None
    if token.startswith(ACCESS_PREFIX):
        return _access_token_principal(token.removeprefix(ACCESS_PREFIX), tenant.id)
    if not token.startswith(PERSONAL_PREFIX):
        return None
    credential = session.execute(
        select(ApiCredential).where(
            ApiCredential.kind == "personal", ApiCredential.secret_hash == token_hash(token)
        )
    ).scalar_one_or_none()
    if credential is None or not _usable(credential):
        return None
    staff = get_scoped(StaffMember, credential.staff_id)
    if staff is None or not staff.active:
        return None
    _mark_used(credential)
    return Principal(
        kind="staff",
        id=staff.id,
        tenant_id=tenant.id,
        role=staff.role,
        display_name=staff.display_name,
        locale=staff.locale,
        scopes=frozenset(credential.scopes),
    )


def _access_token_principal(signed: str, tenant_id: int) -> Principal | None:
    try:
        payload = _signer().loads(signed, max_age=ACCESS_TOKEN_LIFETIME.total_seconds())
    except BadSignature:
        return None
    if payload.get("tenant") != tenant_id:
        return None
    credential = get_scoped(ApiCredential, uuid.UUID(payload["credential"]))
    if credential is None or not _usable(credential):
        return None
    _mark_used(credential)
    return Principal(
        kind="client",
        id=credential.id,
        tenant_id=tenant_id,
        role="integration",
        display_name=credential.name,
        scopes=frozenset(payload["scopes"]),
    )


def _usable(credential: ApiCredential) -> bool:
    return credential.revoked_at is None and (
        credential.expires_at is None or credential.expires_at > utcnow()
    )


def _mark_used(credential: ApiCredential) -> None:
    """Note the last use, at most once a minute (no write on every request)."""
    now = utcnow()
    if credential.last_used_at is None or now - credential.last_used_at > timedelta(minutes=1):
        credential.last_used_at = now
        session.commit()


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="aandacht-access-token")
