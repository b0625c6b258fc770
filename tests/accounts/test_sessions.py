"""Sessions: bound to their tenant, rotated at login, ended by idle time, logout and logout everywhere."""

import time

import pytest

from aandacht.app import create_app
from tests.helpers import csrf_token, post_form


def log_in(client, tenant, email="r@example.nl", password="wachtwoord van r"):
    response = post_form(client, f"/t/{tenant.slug}/login/password", {"email": email, "password": password})
    assert response.status_code == 302
    return response


@pytest.fixture
def resident(tenant, create_person):
    return create_person(tenant, display_name="Rik", email="r@example.nl", password="wachtwoord van r")


def test_a_session_of_tenant_a_is_nobody_at_tenant_b(app, tenant, resident, create_tenant, create_person):
    other = create_tenant()
    create_person(other, display_name="Iemand van B", email="r@example.nl", password="ander wachtwoord")
    client = app.test_client()
    log_in(client, tenant)
    assert client.get(f"/t/{tenant.slug}/app/").status_code == 200
    at_b = client.get(f"/t/{other.slug}/app/")
    assert at_b.status_code == 302
    assert at_b.headers["Location"].startswith(f"/t/{other.slug}/login")


def test_login_rotates_the_session(app, tenant, resident):
    client = app.test_client()
    with client.session_transaction() as before:
        before["planted"] = "by someone else"
    log_in(client, tenant)
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after["auth"]["kind"] == "person"


def test_session_cookie_flags(app, app_settings, tenant, resident):
    production = create_app({**app_settings, "AANDACHT_ENV": "production"})
    response = log_in(production.test_client(), tenant)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_an_idle_session_ends(app, tenant, resident):
    client = app.test_client()
    log_in(client, tenant)
    with client.session_transaction() as data:
        data["auth"] = {**data["auth"], "seen": int(time.time()) - 15 * 24 * 3600}
    assert client.get(f"/t/{tenant.slug}/app/").status_code == 302


def test_logout_ends_the_session(app, tenant, resident):
    client = app.test_client()
    log_in(client, tenant)
    home = client.get(f"/t/{tenant.slug}/app/")
    assert home.status_code == 200
    token = csrf_token(home)
    client.post(f"/t/{tenant.slug}/logout", data={"csrf_token": token})
    assert client.get(f"/t/{tenant.slug}/app/").status_code == 302


def test_logout_everywhere_ends_every_session_of_the_account(app, tenant, resident):
    phone, laptop = app.test_client(), app.test_client()
    log_in(phone, tenant)
    log_in(laptop, tenant)
    token = csrf_token(laptop.get(f"/t/{tenant.slug}/app/"))
    laptop.post(f"/t/{tenant.slug}/logout/everywhere", data={"csrf_token": token})
    assert phone.get(f"/t/{tenant.slug}/app/").status_code == 302
    assert laptop.get(f"/t/{tenant.slug}/app/").status_code == 302
    log_in(phone, tenant)
    assert phone.get(f"/t/{tenant.slug}/app/").status_code == 200
