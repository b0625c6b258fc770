"""Helpers of the API tests: accounts, tokens and login sessions made directly, as a test needs them."""

import re
import time
import uuid
from datetime import timedelta

from aandacht.accounts import service, tokens
from aandacht.accounts.models import ApiCredential
from aandacht.db import session, utcnow
from aandacht.tenancy.context import tenant_context
from aandacht.tenancy.scoping import get_scoped


def add_person(app, tenant, **values) -> uuid.UUID:
    """A resident of `tenant`; returns the id."""
    values.setdefault("display_name", f"Persoon {uuid.uuid4().hex[:6]}")
    with app.app_context(), tenant_context(tenant):
        return service.create_person(**values).id


def add_staff(app, tenant, role="coach", caseload=(), **values) -> uuid.UUID:
    """A staff member of `tenant` with these people in their caseload; returns the id."""
    values.setdefault("display_name", f"Medewerker {uuid.uuid4().hex[:6]}")
    values.setdefault("email", f"{uuid.uuid4().hex[:8]}@staff.example.nl")
    with app.app_context(), tenant_context(tenant):
        staff = service.create_staff(role=role, **values)
        if caseload:
            service.assign_to_caseload(staff_id=staff.id, person_ids=list(caseload))
        return staff.id


def issue_token(app, tenant, staff_id, scopes, **options) -> str:
    """A personal token of a staff member."""
    with app.app_context(), tenant_context(tenant):
        return tokens.create_personal_token(staff_id=staff_id, name="test", scopes=scopes, **options)[1]


def register_client(app, tenant, scopes) -> tuple[str, str, uuid.UUID]:
    """An integration client: (client_id, secret, credential id)."""
    with app.app_context(), tenant_context(tenant):
        credential, secret = tokens.create_client(name="integratie", scopes=scopes)
        return credential.client_id, secret, credential.id


def credential_ids(app, tenant) -> set[uuid.UUID]:
    """The ids of every credential of `tenant`."""
    with app.app_context(), tenant_context(tenant):
        return {credential.id for credential in tokens.credentials()}


def revoke(app, tenant, credential_id) -> None:
    """Revoke a credential."""
    with app.app_context(), tenant_context(tenant):
        tokens.revoke(credential_id)


def expire_all(app, tenant) -> None:
    """Let every credential of `tenant` expire yesterday."""
    with app.app_context(), tenant_context(tenant):
        for credential in tokens.credentials():
            get_scoped(ApiCredential, credential.id).expires_at = utcnow() - timedelta(days=1)
        session.commit()


def bearer(token: str) -> dict[str, str]:
    """The Authorization header of a bearer token."""
    return {"Authorization": f"Bearer {token}"}


def log_in(client, tenant, kind: str, account_id: uuid.UUID) -> None:
    """Give `client` a login session of the account, as a completed login does."""
    with client.session_transaction() as data:
        data["auth"] = {
            "kind": kind,
            "id": str(account_id),
            "tenant": tenant.id,
            "epoch": 0,
            "seen": int(time.time()),
        }


def csrf_token(client, tenant) -> str:
    """The CSRF token the documentation page hands the browser (of the client's session)."""
    page = client.get(f"/t/{tenant.slug}/api/v1/docs").get_data(as_text=True)
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
    assert match, "the documentation page has no CSRF token"
    return match.group(1)


def assert_error(response, status: int, code: str) -> dict:
    """The response is a JSON error body with this status and code; returns the body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["code"] == code, body
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["errors"], dict)
    return body
