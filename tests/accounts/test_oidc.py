"""Staff log in through their organisation's OpenID Connect provider: the whole flow, against a real one.

The provider (tests/support/oidc_provider.py) runs on 127.0.0.1. The browser is played by hand: the
app's test client for the app, plain HTTP for the provider, every redirect followed one by one.
"""

import base64
import http.client
import json
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import select

from aandacht.accounts import service
from aandacht.accounts.models import StaffMember
from aandacht.db import session
from aandacht.tenancy.context import tenant_context
from aandacht.tenancy.files import TenantFilesInvalid, read_tenant_files
from aandacht.tenancy.service import find_tenant
from tests.support.oidc_provider import IdentityProvider, ProviderUser

ENGLISH = {"Accept-Language": "en"}


# --- The provider and the tenants that use it -----------------------------------------------------------


@pytest.fixture(scope="module")
def provider():
    """The identity provider of tenant A (and of most tests)."""
    running = IdentityProvider().start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def other_provider():
    """A second organisation's identity provider."""
    running = IdentityProvider().start()
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def nobody_signed_in_at_the_providers(provider, other_provider):
    yield
    provider.reset()
    other_provider.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def oidc_tenant(create_tenant, monkeypatch):
    """Make a tenant whose staff log in at `provider` (the client secret only in the environment)."""

    def make(provider: IdentityProvider, **overrides):
        slug = f"t-{uuid.uuid4().hex[:10]}"
        registered = provider.add_client(f"http://localhost/t/{slug}/staff/login/oidc/callback")
        variable = f"OIDC_SECRET_{uuid.uuid4().hex[:8].upper()}"
        monkeypatch.setenv(variable, registered.client_secret)
        settings = {
            "name": f"{slug} account",
            "metadata_url": provider.metadata_url,
            "client_id": registered.client_id,
            "client_secret_env": variable,
            "scopes": "openid email profile",
        }
        return create_tenant(slug=slug, identity_provider=settings, **overrides)

    return make


def add_staff(app, tenant, *, role="coach", active=True):
    """A staff member of `tenant`; returns (id, e-mail address)."""
    email = f"{uuid.uuid4().hex[:8]}@staff.example.nl"
    with app.app_context(), tenant_context(tenant):
        staff = service.create_staff(display_name="Sam Staf", email=email, role=role)
        staff.active = active
        session.commit()
        return staff.id, email


def stored_staff(app, tenant, staff_id):
    """What the database holds of a staff member's logins."""
    with app.app_context(), tenant_context(tenant):
        staff = session.execute(select(StaffMember).where(StaffMember.id == staff_id)).scalar_one()
        return {
            "oidc_subject": staff.oidc_subject,
            "last_login_at": staff.last_login_at,
            "failed_logins": staff.failed_logins,
        }


NOTHING_STORED = {"oidc_subject": None, "last_login_at": None, "failed_logins": 0}


# --- Playing the browser --------------------------------------------------------------------------------


def to_provider(method, url, body=None, headers=None):
    """One request to the provider, without following redirects: (status, headers, body)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def start(client, tenant):
    """Press the provider's button on the staff login page: the address at the provider."""
    response = client.get(f"/t/{tenant.slug}/staff/login/oidc", headers=ENGLISH)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def at_provider(authorize_url):
    """The provider's answer to the authorization request: the address back to the app."""
    status, headers, body = to_provider("GET", authorize_url)
    assert status == 302, body
    return headers["Location"]


def back_at_app(client, callback_url):
    """Follow the provider's redirect back into the app."""
    parts = urlsplit(callback_url)
    assert parts.netloc == "localhost"
    return client.get(f"{parts.path}?{parts.query}", headers=ENGLISH)


def log_in(client, tenant):
    return back_at_app(client, at_provider(start(client, tenant)))


def assert_nobody_logged_in(client, tenant):
    with client.session_transaction() as cookie:
        assert "auth" not in cookie
    response = client.get(f"/t/{tenant.slug}/workspace/")
    assert response.status_code == 302
    assert "/staff/login" in response.headers["Location"]


def text_of(response):
    return response.get_data(as_text=True).replace("&#39;", "'")


def query_of(url):
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


# --- Logging in --------------------------------------------------------------------------------------


def test_a_coach_logs_in_at_the_provider_and_lands_on_the_workspace(app, client, provider, oidc_tenant):
    tenant = oidc_tenant(provider)
    coach_id, email = add_staff(app, tenant)
    provider.sign_in_as(ProviderUser(subject=f"sub-{uuid.uuid4().hex}", email=email.upper()))

    response = log_in(client, tenant)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/t/{tenant.slug}/workspace/"
    assert client.get(response.headers["Location"]).status_code == 200
    stored = stored_staff(app, tenant, coach_id)
    assert stored["oidc_subject"] == provider.signed_in.subject
    assert stored["last_login_at"] is not None


def test_a_linked_coach_is_found_by_subject_even_with_a_new_address(app, client, provider, oidc_tenant):
    tenant = oidc_tenant(provider)
    coach_id, email = add_staff(app, tenant)
    subject = f"sub-{uuid.uuid4().hex}"
    provider.sign_in_as(ProviderUser(subject=subject, email=email))
    assert log_in(client, tenant).status_code == 302

    provider.sign_in_as(ProviderUser(subject=subject, email="renamed@elsewhere.example.nl"))
    response = log_in(app.test_client(), tenant)

    assert response.headers["Location"] == f"/t/{tenant.slug}/workspace/"
    assert stored_staff(app, tenant, coach_id)["oidc_subject"] == subject


def test_a_tenant_admin_lands_on_the_portal(app, client, provider, oidc_tenant):
    tenant = oidc_tenant(provider)
    _, email = add_staff(app, tenant, role="tenant_admin")
    provider.sign_in_as(ProviderUser(subject=f"sub-{uuid.uuid4().hex}", email=email))

    response = log_in(client, tenant)

    assert response.headers["Location"] == f"/t/{tenant.slug}/portal/"
    assert client.get(response.headers["Location"]).status_code == 200


def test_pkce_is_used_and_the_provider_insists_on_the_verifier(app, client, provider, oidc_tenant):
    tenant = oidc_tenant(provider)
    coach_id, email = add_staff(app, tenant)
    provider.sign_in_as(ProviderUser(subject=f"sub-{uuid.uuid4().hex}", email=email))

    authorize_url = start(client, tenant)
    callback_url = at_provider(authorize_url)
    asked = provider.authorization_requests[-1]  # recorded when the browser reached the provider
    assert asked["code_challenge_method"] == "S256"
    assert len(asked["code_challenge"]) >= 43
    assert asked["state"] and asked["nonce"]
    assert "code_verifier" not in asked
    code = query_of(callback_url)["code"]

    # Someone who intercepted the code, but not the verifier kept in the app's session, gets nothing.
    registered = provider.clients[tenant.identity_provider["client_id"]]
    basic = base64.b64encode(f"{registered.client_id}:{registered.client_secret}".encode()).decode()
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": asked["redirect_uri"]}
    headers = {"Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"}
    for verifier in (None, "x" * 43):
        body = urlencode(form | ({"code_verifier": verifier} if verifier else {}))
        status, _, answer = to_provider("POST", f"{provider.issuer}/token", body, headers)
        assert status == 400
        assert json.loads(answer)["error"] in ("invalid_request", "invalid_grant")
    assert stored_staff(app, tenant, coach_id) == NOTHING_STORED

    response = back_at_app(client, callback_url)
    assert response.headers["Location"] == f"/t/{tenant.slug}/workspace/"
    assert provider.token_requests[-1] == {"code_verifier": True, "status": 200}


def test_the_staff_login_page_offers_the_provider(client, provider, oidc_tenant, create_tenant):
    tenant = oidc_tenant(provider)
    page = text_of(client.get(f"/t/{tenant.slug}/staff/login", headers=ENGLISH))
    assert f"Log in with {tenant.slug} account" in page

    without = create_tenant()
    page = text_of(client.get(f"/t/{without.slug}/staff/login", headers=ENGLISH))
    assert "Log in with" not in page
    assert client.get(f"/t/{without.slug}/staff/login/oidc").status_code == 404
    assert client.get(f"/t/{without.slug}/staff/login/oidc/callback?code=x&state=y").status_code == 404
    assert client.get("/staff/login/oidc").status_code == 404


# --- Refusals: a message, nobody logged in, nothing stored ---------------------------------------------


def test_the_staff_member_saying_no_at_the_provider_logs_nobody_in(app, client, provider, oidc_tenant):
    tenant = oidc_tenant(provider)
    coach_id, _ = add_staff(app, tenant)
    provider.deny()

    callback_url = at_provider(start(client, tenant))
    assert query_of(callback_url)["error"] == "access_denied"
    response = back_at_app(client, callback_url)

    assert response.status_code == 400
    assert f"You stopped logging in at {tenant.slug} account. Nobody is logged in." in text_of(response)
    assert_nobody_logged_in(client, tenant)
    assert stored_staff(app, tenant, coach_id) == NOTHING_STORED


def test_an_id_token_with_a_false_signature_is_refused(app, client, provider, oidc_tenant):
    tenant = oidc_tenant(provider)
    coach_id, email = add_staff(app, tenant)
    provider.sign_in_as(ProviderUser(subject=f"sub-{uuid.uuid4().hex}", email=email))
    provider.forge_id_tokens()

    response = log_in(client, tenant)

    assert response.status_code == 400
    assert f"We could not check your login at {tenant.slug} account. Try again." in text_of(response)
    assert (
        provider.token_requests[-1]["status"] == 200
    )  # the provider gave tokens; the app did not trust them
    assert_nobody_logged_in(client, tenant)
    assert stored_staff(app, tenant, coach_id) == NOTHING_STORED


def test_another_error_of_the_provider_is_shown_plainly(client, provider, oidc_tenant):
    tenant = oidc_tenant(provider)
    state = query_of(start(client, tenant))["state"]
    response = client.get(
        f"/t/{tenant.slug}/staff/login/oidc/callback?error=server_error&state={state}", headers=ENGLISH
    )
    assert response.status_code == 400
    assert f"{tenant.slug} account did not log you in." in text_of(response)
    assert_nobody_logged_in(client, tenant)


@pytest.mark.parametrize("tamper", ["wrong state", "no state", "no code"])
def test_a_wrong_state_or_a_missing_code_is_refused(app, client, provider, oidc_tenant, tamper):
    tenant = oidc_tenant(provider)
    coach_id, email = add_staff(app, tenant)
    provider.sign_in_as(ProviderUser(subject=f"sub-{uuid.uuid4().hex}", email=email))
    answer = query_of(at_provider(start(client, tenant)))
    asked_for_tokens = len(provider.token_requests)

    if tamper == "wrong state":
        answer["state"] = answer["state"][::-1]
    else:
        del answer["state" if tamper == "no state" else "code"]
    response = client.get(f"/t/{tenant.slug}/staff/login/oidc/callback?{urlencode(answer)}", headers=ENGLISH)

    assert response.status_code == 400
    assert "This login is too old, or it was started in another window." in text_of(response)
    assert len(provider.token_requests) == asked_for_tokens
    assert_nobody_logged_in(client, tenant)
    assert stored_staff(app, tenant, coach_id) == NOTHING_STORED


def test_an_answer_of_the_provider_is_used_once(app, client, provider, oidc_tenant):
    tenant = oidc_tenant(provider)
    _, email = add_staff(app, tenant)
    provider.sign_in_as(ProviderUser(subject=f"sub-{uuid.uuid4().hex}", email=email))
    callback_url = at_provider(start(client, tenant))
    assert back_at_app(client, callback_url).status_code == 302

    again = back_at_app(client, callback_url)

    assert again.status_code == 400
    assert "This login is too old, or it was started in another window." in text_of(again)


@pytest.mark.parametrize("who", ["unknown", "unverified address", "someone else's address"])
def test_an_unknown_staff_member_is_refused(app, client, provider, oidc_tenant, who):
    tenant = oidc_tenant(provider)
    coach_id, email = add_staff(app, tenant)
    if who == "someone else's address":  # the address is already linked to another subject
        provider.sign_in_as(ProviderUser(subject=f"sub-{uuid.uuid4().hex}", email=email))
        assert log_in(app.test_client(), tenant).status_code == 302
    before = stored_staff(app, tenant, coach_id)
    user = {
        "unknown": ProviderUser(subject=f"sub-{uuid.uuid4().hex}", email="nobody@staff.example.nl"),
        "unverified address": ProviderUser(
            subject=f"sub-{uuid.uuid4().hex}", email=email, email_verified=False
        ),
        "someone else's address": ProviderUser(subject=f"sub-{uuid.uuid4().hex}", email=email),
    }[who]
    provider.sign_in_as(user)

    response = log_in(client, tenant)

    assert response.status_code == 403
    assert f"You have no staff account at {tenant.name} with this login." in text_of(response)
    assert_nobody_logged_in(client, tenant)
    assert stored_staff(app, tenant, coach_id) == before


def test_an_inactive_staff_member_is_refused(app, client, provider, oidc_tenant):
    tenant = oidc_tenant(provider)
    staff_id, email = add_staff(app, tenant, active=False)
    provider.sign_in_as(ProviderUser(subject=f"sub-{uuid.uuid4().hex}", email=email))

    response = log_in(client, tenant)

    assert response.status_code == 403
    assert f"Your staff account at {tenant.name} is switched off." in text_of(response)
    assert_nobody_logged_in(client, tenant)
    assert stored_staff(app, tenant, staff_id) == NOTHING_STORED


def test_staff_of_one_tenant_cannot_log_in_to_another(app, client, provider, other_provider, oidc_tenant):
    tenant_a, tenant_b = oidc_tenant(provider), oidc_tenant(other_provider)
    a_id, email = add_staff(app, tenant_a)
    with app.app_context(), tenant_context(tenant_b):  # B even has a staff member with the same address
        b_id = service.create_staff(display_name="Naamgenoot", email=email, role="tenant_admin").id
    provider.sign_in_as(ProviderUser(subject=f"sub-{uuid.uuid4().hex}", email=email))
    other_provider.sign_in_as(ProviderUser(subject=f"sub-{uuid.uuid4().hex}", email=email))

    # Logins begin at both tenants in one browser; A's provider answers A, B's provider answers B.
    from_a = query_of(at_provider(start(client, tenant_a)))
    from_b = query_of(at_provider(start(client, tenant_b)))
    callback = "/t/{slug}/staff/login/oidc/callback?{query}"
    attempts = [
        # A's callback with B's state (and B's code): A has no such login in progress.
        (tenant_a, {"code": from_b["code"], "state": from_b["state"]}),
        # B's callback with A's answer: B has no such login in progress.
        (tenant_b, {"code": from_a["code"], "state": from_a["state"]}),
        # B's own state with the code of A's provider: B's provider does not know that code.
        (tenant_b, {"code": from_a["code"], "state": from_b["state"]}),
    ]
    for tenant, answer in attempts:
        response = client.get(callback.format(slug=tenant.slug, query=urlencode(answer)), headers=ENGLISH)
        assert response.status_code == 400, text_of(response)
        assert_nobody_logged_in(client, tenant_a)
        assert_nobody_logged_in(client, tenant_b)
    assert stored_staff(app, tenant_a, a_id) == NOTHING_STORED
    assert stored_staff(app, tenant_b, b_id) == NOTHING_STORED


# --- A provider that cannot be used ------------------------------------------------------------------


def test_a_missing_client_secret_gives_a_clear_page(client, provider, oidc_tenant, monkeypatch):
    tenant = oidc_tenant(provider)
    monkeypatch.delenv(tenant.identity_provider["client_secret_env"])

    response = client.get(f"/t/{tenant.slug}/staff/login/oidc", headers=ENGLISH)

    assert response.status_code == 503
    assert f"Logging in with {tenant.slug} account does not work right now." in text_of(response)


def test_a_provider_that_does_not_answer_gives_a_clear_page(client, oidc_tenant):
    gone = IdentityProvider().start()
    tenant = oidc_tenant(gone)
    gone.stop()

    response = client.get(f"/t/{tenant.slug}/staff/login/oidc", headers=ENGLISH)

    assert response.status_code == 503
    assert f"Logging in with {tenant.slug} account does not work right now." in text_of(response)


# --- The tenant file's [identity_provider] ----------------------------------------------------------


PROVIDER_FILE = """
name = "Gemeente Proef"
kind = "municipality"

[identity_provider]
name = "Gemeente Proef account"
metadata_url = "https://login.proef.example.nl/.well-known/openid-configuration"
client_id = "aandacht"
client_secret_env = "PROEF_OIDC_SECRET"
"""


def test_the_identity_provider_is_synced_and_known_to_the_tenant(app, runner, tmp_path):
    slug = f"proef-{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{slug}.toml").write_text(PROVIDER_FILE)

    result = runner.invoke(args=["tenants", "sync", "--dir", str(tmp_path)])

    assert result.exit_code == 0, result.output
    with app.app_context():
        assert find_tenant(slug=slug).identity_provider == {
            "name": "Gemeente Proef account",
            "metadata_url": "https://login.proef.example.nl/.well-known/openid-configuration",
            "client_id": "aandacht",
            "client_secret_env": "PROEF_OIDC_SECRET",
            "scopes": "openid email profile",
        }
    (tmp_path / f"{slug}.toml").write_text(PROVIDER_FILE.replace('"aandacht"', '"aandacht-2"'))
    result = runner.invoke(args=["tenants", "sync", "--dir", str(tmp_path)])
    assert f"{slug}: updated" in result.output
    assert "identity_provider:" in result.output


def test_a_tenant_without_a_provider_has_none(app, create_tenant):
    with app.app_context():
        assert find_tenant(slug=create_tenant().slug).identity_provider == {}


@pytest.mark.parametrize(
    ("change", "key", "problem"),
    [
        (('client_id = "aandacht"\n', ""), "client_id", "Missing data for required field."),
        (
            ("https://login.proef.example.nl", "http://login.proef.example.nl"),
            "metadata_url",
            "Must start with https:// (http only for 127.0.0.1 or localhost).",
        ),
        (
            ("/.well-known/openid-configuration", "/"),
            "metadata_url",
            "Must end in /.well-known/openid-configuration",
        ),
        (("https://login.proef.example.nl", "login.proef.example.nl"), "metadata_url", "Not an address"),
        (
            ('"PROEF_OIDC_SECRET"', '"proef secret"'),
            "client_secret_env",
            "Must be the name of an environment variable",
        ),
        (
            ('client_id = "aandacht"\n', 'client_id = "aandacht"\nclient_secret = "hunter2"\n'),
            "client_secret",
            "Secrets never go in a tenant file; name an environment variable in client_secret_env.",
        ),
        (
            ('client_id = "aandacht"\n', 'client_id = "aandacht"\nscopes = "email"\n'),
            "scopes",
            "Must contain openid",
        ),
        (('client_id = "aandacht"\n', 'client_id = "aandacht"\nlogo = "x"\n'), "logo", "Unknown field."),
    ],
)
def test_a_wrong_identity_provider_is_named_with_key_and_problem(tmp_path, change, key, problem):
    (tmp_path / "proef.toml").write_text(PROVIDER_FILE.replace(*change))
    with pytest.raises(TenantFilesInvalid) as raised:
        read_tenant_files(tmp_path, [])
    assert [(error.file, error.key) for error in raised.value.errors] == [
        (Path(tmp_path / "proef.toml"), f"identity_provider.{key}")
    ]
    assert problem in raised.value.errors[0].problem


def test_plain_http_is_allowed_for_a_provider_on_this_machine(tmp_path):
    local = PROVIDER_FILE.replace("https://login.proef.example.nl", "http://127.0.0.1:8080")
    (tmp_path / "proef.toml").write_text(local)
    [declaration] = read_tenant_files(tmp_path, [])
    assert (
        declaration.identity_provider["metadata_url"]
        == "http://127.0.0.1:8080/.well-known/openid-configuration"
    )
