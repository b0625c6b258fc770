"""Login sessions: who the request's principal is, from the session cookie or a bearer token.

The session cookie is signed, HttpOnly, SameSite=Lax and Secure in production. It holds one login,
bound to the tenant it was made in: in another tenant the same cookie is nobody. A login replaces the
session's whole content (rotation); a session idle too long, or older than the account's
"log out everywhere", ends.
"""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

from flask import Flask, g, request, session

from aandacht.accounts import service as accounts
from aandacht.accounts.models import Person, PlatformAdministrator, StaffMember
from aandacht.accounts.principal import ANONYMOUS, Principal
from aandacht.accounts.tokens import principal_for_bearer
from aandacht.db import session as db_session
from aandacht.tenancy.context import current_tenant
from aandacht.tenancy.scoping import get_scoped

#: How long a session may sit unused: residents stay logged in on their phone, staff and operators not.
IDLE_TIMEOUT = {
    "person": timedelta(days=14),
    "staff": timedelta(minutes=30),
    "platform": timedelta(minutes=15),
}
_AUTH = "auth"
_SEEN_PRECISION = 60  # seconds: the cookie is rewritten at most once a minute


def log_in(kind: str, account: Person | StaffMember | PlatformAdministrator) -> None:
    """Start a fresh session for `account` (anything the old session held is dropped)."""
    tenant = current_tenant()
    session.clear()
    session.permanent = True
    session[_AUTH] = {
        "kind": kind,
        "id": str(account.id),
        "tenant": tenant.id if tenant else None,
        "epoch": account.session_epoch or 0,
        "seen": int(time.time()),
    }


def log_out() -> None:
    """End the session in this browser."""
    session.clear()


def pending(step: str) -> dict | None:
    """Data of an unfinished login (password given, code still to come) of this tenant, if any."""
    data = session.get(f"pending_{step}")
    tenant = current_tenant()
    if not data or data.get("tenant") != (tenant.id if tenant else None) or data["until"] < time.time():
        return None
    return data


def start_pending(step: str, account_id: uuid.UUID, minutes: int = 10) -> None:
    """Remember that `account_id` passed the first step and still needs `step`."""
    tenant = current_tenant()
    session[f"pending_{step}"] = {
        "id": str(account_id),
        "tenant": tenant.id if tenant else None,
        "until": time.time() + minutes * 60,
    }


def _principal_from_session() -> Principal:
    data = session.get(_AUTH)
    tenant = current_tenant()
    if not data or data.get("tenant") != (tenant.id if tenant else None):
        return ANONYMOUS
    now = int(time.time())
    if now - data["seen"] > IDLE_TIMEOUT[data["kind"]].total_seconds():
        session.clear()
        g.session_expired = True
        return ANONYMOUS
    account = load_account(data["kind"], uuid.UUID(data["id"]))
    if account is None or not account.active or (account.session_epoch or 0) != data["epoch"]:
        session.clear()
        return ANONYMOUS
    if now - data["seen"] >= _SEEN_PRECISION:
        session[_AUTH] = {**data, "seen": now}
    if data["kind"] == "person":
        accounts.note_activity(account)
    return principal_for(data["kind"], account)


def load_account(kind: str, account_id: uuid.UUID) -> Person | StaffMember | PlatformAdministrator | None:
    """The account of a session or pending login: a person or staff member of this tenant, or an operator."""
    if kind == "platform":
        return db_session.get(PlatformAdministrator, account_id)
    return get_scoped(Person if kind == "person" else StaffMember, account_id)


def principal_for(kind: str, account: Person | StaffMember | PlatformAdministrator) -> Principal:
    """The principal an account acts as."""
    tenant = current_tenant()
    role = {"person": "resident", "platform": "platform_admin"}.get(kind) or account.role
    return Principal(
        kind=kind,
        id=account.id,
        tenant_id=tenant.id if tenant else None,
        role=role,
        display_name=account.display_name,
        locale=getattr(account, "locale", None),
    )


def load_principal() -> None:
    """Set `g.principal` for the request: a bearer token's, the session's, or nobody."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        g.principal = principal_for_bearer(header[7:].strip()) or ANONYMOUS
        g.bearer_rejected = g.principal is ANONYMOUS
        return
    g.principal = _principal_from_session()


def init_app(app: Flask) -> None:
    """Load the principal before every request (after the tenant is known)."""
    app.permanent_session_lifetime = max(IDLE_TIMEOUT.values())
    app.before_request(load_principal)
