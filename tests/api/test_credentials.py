"""API credentials through the API: issued and revoked by a logged-in staff member, shown once."""

import uuid

import pytest

from tests.api.helpers import (
    add_person,
    add_staff,
    assert_error,
    bearer,
    credential_ids,
    csrf_token,
    issue_token,
    log_in,
)


def url(tenant, path=""):
    return f"/t/{tenant.slug}/api/v1/api-credentials{path}"


@pytest.fixture
def coach(app, tenant):
    return add_staff(app, tenant, role="coach")


@pytest.fixture
def browser(app, tenant, coach):
    """The coach's browser: logged in, with the CSRF token of the session."""
    client = app.test_client()
    log_in(client, tenant, "staff", coach)
    client.csrf = {"X-CSRFToken": csrf_token(client, tenant)}
    return client


def test_a_coach_issues_a_token_that_is_shown_once(app, tenant, browser):
    response = browser.post(
        url(tenant), json={"name": "Mijn script", "scopes": ["caseload:read"]}, headers=browser.csrf
    )
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert (
        created["kind"] == "personal"
        and created["token"].startswith("aat_")
        and created["client_secret"] is None
    )
    assert created["scopes"] == ["caseload:read"] and created["expires_at"]
    me = app.test_client().get(f"/t/{tenant.slug}/api/v1/me", headers=bearer(created["token"]))
    assert me.status_code == 200
    listed = browser.get(url(tenant)).get_json()
    assert [item["id"] for item in listed["items"]] == [created["id"]]
    assert created["token"] not in browser.get(url(tenant)).get_data(as_text=True)
    assert "token" not in listed["items"][0]


def test_a_login_session_writes_only_with_the_csrf_token(app, tenant, browser):
    before = credential_ids(app, tenant)
    new = {"name": "Zonder token", "scopes": ["caseload:read"]}
    assert_error(browser.post(url(tenant), json=new), 403, "csrf_failed")
    assert_error(browser.post(url(tenant), json=new, headers={"X-CSRFToken": "vals"}), 403, "csrf_failed")
    assert credential_ids(app, tenant) == before


def test_a_token_cannot_manage_credentials(app, client, tenant, coach):
    token = issue_token(app, tenant, coach, ["caseload:read", "people:read"])
    before = credential_ids(app, tenant)
    new = {"name": "Nog een", "scopes": ["caseload:read"]}
    assert_error(client.post(url(tenant), json=new, headers=bearer(token)), 403, "login_session_required")
    assert_error(client.get(url(tenant), headers=bearer(token)), 403, "login_session_required")
    assert credential_ids(app, tenant) == before


@pytest.mark.parametrize(
    ("new", "field"),
    [
        ({"name": "x", "scopes": ["people:write"]}, "scopes.0"),
        ({"name": "x", "scopes": ["tenant:read"]}, "scopes"),
        ({"name": "x", "scopes": []}, "scopes"),
        ({"name": "", "scopes": ["caseload:read"]}, "name"),
        ({"scopes": ["caseload:read"]}, "name"),
        ({"name": "x", "scopes": ["caseload:read"], "valid_days": 1000}, "valid_days"),
        ({"name": "x", "scopes": ["caseload:read"], "owner": "iemand"}, "owner"),
        ({"name": "x", "scopes": ["caseload:read"], "kind": "master"}, "kind"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(app, tenant, browser, new, field):
    before = credential_ids(app, tenant)
    body = assert_error(browser.post(url(tenant), json=new, headers=browser.csrf), 422, "validation_failed")
    assert list(body["errors"]) == [field]
    assert credential_ids(app, tenant) == before


def test_a_coach_may_not_register_clients(app, tenant, browser):
    before = credential_ids(app, tenant)
    new = {"kind": "client", "name": "Koppeling", "scopes": ["caseload:read"]}
    assert_error(browser.post(url(tenant), json=new, headers=browser.csrf), 403, "forbidden")
    assert credential_ids(app, tenant) == before


def test_a_tenant_admin_registers_and_revokes_an_integration_client(app, tenant, coach):
    admin = app.test_client()
    log_in(admin, tenant, "staff", add_staff(app, tenant, role="tenant_admin"))
    headers = {"X-CSRFToken": csrf_token(admin, tenant)}
    new = {"kind": "client", "name": "Koppeling", "scopes": ["people:read"]}
    created = admin.post(url(tenant), json=new, headers=headers).get_json()
    assert (
        created["client_id"].startswith("client_") and created["client_secret"] and created["token"] is None
    )
    form = {
        "grant_type": "client_credentials",
        "client_id": created["client_id"],
        "client_secret": created["client_secret"],
    }
    assert admin.post(f"/t/{tenant.slug}/api/v1/oauth/token", data=form).status_code == 200
    assert [item["kind"] for item in admin.get(url(tenant)).get_json()["items"]] == ["client"]
    assert admin.delete(url(tenant, f"/{created['id']}"), headers=headers).status_code == 204
    assert admin.delete(url(tenant, f"/{created['id']}"), headers=headers).status_code == 204
    assert_error(admin.post(f"/t/{tenant.slug}/api/v1/oauth/token", data=form), 401, "invalid_client")
    assert admin.get(url(tenant)).get_json()["items"][0]["revoked_at"]


def test_a_coach_revokes_their_own_token_and_no_one_elses(app, tenant, coach, browser):
    mine = browser.post(
        url(tenant), json={"name": "a", "scopes": ["caseload:read"]}, headers=browser.csrf
    ).get_json()
    colleague = add_staff(app, tenant, role="coach")
    theirs = issue_token(app, tenant, colleague, ["caseload:read"])
    (their_id,) = credential_ids(app, tenant) - {uuid.UUID(mine["id"])}
    assert_error(browser.delete(url(tenant, f"/{their_id}"), headers=browser.csrf), 404, "not_found")
    assert app.test_client().get(f"/t/{tenant.slug}/api/v1/me", headers=bearer(theirs)).status_code == 200
    body = assert_error(browser.delete(url(tenant, "/nope"), headers=browser.csrf), 422, "validation_failed")
    assert list(body["errors"]) == ["credential_id"]
    assert browser.delete(url(tenant, f"/{mine['id']}"), headers=browser.csrf).status_code == 204
    gone = app.test_client().get(f"/t/{tenant.slug}/api/v1/me", headers=bearer(mine["token"]))
    assert_error(gone, 401, "invalid_token")


def test_a_residents_session_may_not_manage_credentials(app, tenant):
    resident = app.test_client()
    log_in(resident, tenant, "person", add_person(app, tenant))
    headers = {"X-CSRFToken": csrf_token(resident, tenant)}
    new = {"name": "x", "scopes": ["caseload:read"]}
    assert_error(resident.post(url(tenant), json=new, headers=headers), 403, "forbidden")
