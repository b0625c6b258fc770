"""Who may call the API: personal tokens, integration clients and login sessions, each in one tenant."""

import base64

import pytest

from tests.api.helpers import (
    add_person,
    add_staff,
    assert_error,
    bearer,
    credential_ids,
    expire_all,
    issue_token,
    log_in,
    register_client,
    revoke,
)


def url(tenant, path):
    return f"/t/{tenant.slug}/api/v1{path}"


def names(response):
    assert response.status_code == 200, response.get_json()
    return [item["display_name"] for item in response.get_json()["items"]]


@pytest.fixture
def caseloads(app, tenant):
    """Two coaches with two and one people, and someone in nobody's caseload."""
    anna, bram, cor, dirk = (
        add_person(app, tenant, display_name=name) for name in ("Anna", "Bram", "Cor", "Dirk")
    )
    return {
        "mine": add_staff(app, tenant, caseload=[anna, bram]),
        "theirs": add_staff(app, tenant, caseload=[cor]),
        "people": {"Anna": anna, "Bram": bram, "Cor": cor, "Dirk": dirk},
    }


def test_a_personal_token_sees_only_its_owners_caseload(app, client, tenant, caseloads):
    token = issue_token(app, tenant, caseloads["mine"], ["caseload:read"])
    assert names(client.get(url(tenant, "/people"), headers=bearer(token))) == ["Anna", "Bram"]
    with_people_scope = issue_token(app, tenant, caseloads["mine"], ["people:read"])
    assert names(client.get(url(tenant, "/people"), headers=bearer(with_people_scope))) == ["Anna", "Bram"]
    anna, cor = caseloads["people"]["Anna"], caseloads["people"]["Cor"]
    assert (
        client.get(url(tenant, f"/people/{anna}"), headers=bearer(token)).get_json()["display_name"] == "Anna"
    )
    not_mine = client.get(url(tenant, f"/people/{cor}"), headers=bearer(token))
    not_there = client.get(url(tenant, "/people/00000000-0000-0000-0000-000000000000"), headers=bearer(token))
    assert assert_error(not_mine, 404, "not_found") == assert_error(not_there, 404, "not_found")


def test_a_team_lead_sees_everyone_with_people_read_and_only_the_caseload_without(
    app, client, tenant, caseloads
):
    lead = add_staff(app, tenant, role="team_lead", caseload=[caseloads["people"]["Dirk"]])
    everyone = issue_token(app, tenant, lead, ["people:read"])
    assert names(client.get(url(tenant, "/people"), headers=bearer(everyone))) == [
        "Anna",
        "Bram",
        "Cor",
        "Dirk",
    ]
    caseload_only = issue_token(app, tenant, lead, ["caseload:read"])
    assert names(client.get(url(tenant, "/people"), headers=bearer(caseload_only))) == ["Dirk"]
    cor = caseloads["people"]["Cor"]
    assert_error(client.get(url(tenant, f"/people/{cor}"), headers=bearer(caseload_only)), 404, "not_found")
    assert client.get(url(tenant, f"/people/{cor}"), headers=bearer(everyone)).status_code == 200


def test_a_token_of_tenant_a_is_nobody_at_tenant_b(app, client, tenant, other_tenant, caseloads):
    token = issue_token(app, tenant, caseloads["mine"], ["caseload:read"])
    response = client.get(url(other_tenant, "/people"), headers=bearer(token))
    assert_error(response, 401, "invalid_token")
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert_error(client.get(url(other_tenant, "/me"), headers=bearer(token)), 401, "invalid_token")


def test_a_missing_scope_is_refused_with_its_own_code(app, client, tenant):
    admin = add_staff(app, tenant, role="tenant_admin")
    token = issue_token(app, tenant, admin, ["tenant:read"])
    response = client.get(url(tenant, "/people"), headers=bearer(token))
    assert_error(response, 403, "insufficient_scope")
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]


def test_a_role_without_the_permission_is_refused(app, client, tenant):
    resident = add_person(app, tenant)
    log_in(client, tenant, "person", resident)
    assert client.get(url(tenant, "/me")).get_json()["role"] == "resident"
    assert_error(client.get(url(tenant, "/people")), 403, "forbidden")


def test_no_credentials_at_all_is_401(client, tenant):
    response = client.get(url(tenant, "/people"))
    assert_error(response, 401, "authentication_required")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert_error(client.get(url(tenant, "/me"), headers=bearer("aat_made-up")), 401, "invalid_token")


def test_a_revoked_token_is_401(app, client, tenant, caseloads):
    token = issue_token(app, tenant, caseloads["mine"], ["caseload:read"])
    assert client.get(url(tenant, "/me"), headers=bearer(token)).status_code == 200
    (credential_id,) = credential_ids(app, tenant)
    revoke(app, tenant, credential_id)
    assert_error(client.get(url(tenant, "/me"), headers=bearer(token)), 401, "invalid_token")


def test_an_expired_token_is_401(app, client, tenant, caseloads):
    token = issue_token(app, tenant, caseloads["mine"], ["caseload:read"], valid_days=1)
    assert client.get(url(tenant, "/people"), headers=bearer(token)).status_code == 200
    expire_all(app, tenant)
    assert_error(client.get(url(tenant, "/people"), headers=bearer(token)), 401, "invalid_token")


def test_me_says_who_the_caller_is(app, client, tenant, caseloads):
    token = issue_token(app, tenant, caseloads["mine"], ["caseload:read", "people:read"])
    me = client.get(url(tenant, "/me"), headers=bearer(token)).get_json()
    assert me["kind"] == "staff" and me["role"] == "coach" and me["id"] == str(caseloads["mine"])
    assert me["scopes"] == ["caseload:read", "people:read"] and me["tenant"] == tenant.slug
    assert "caseload.view" in me["permissions"]
    log_in(client, tenant, "staff", caseloads["mine"])
    assert client.get(url(tenant, "/me")).get_json()["scopes"] is None


# --- Integration clients: the client credentials grant ------------------------------------------


def token_request(client, tenant, **form):
    return client.post(url(tenant, "/oauth/token"), data=form)


def test_client_credentials_round_trip(app, client, tenant, caseloads):
    client_id, secret, _ = register_client(app, tenant, ["people:read"])
    response = token_request(
        client, tenant, grant_type="client_credentials", client_id=client_id, client_secret=secret
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    granted = response.get_json()
    assert granted["token_type"] == "Bearer" and granted["expires_in"] == 3600
    assert granted["scope"] == "people:read"
    people = client.get(url(tenant, "/people"), headers=bearer(granted["access_token"]))
    assert names(people) == ["Anna", "Bram", "Cor", "Dirk"]
    me = client.get(url(tenant, "/me"), headers=bearer(granted["access_token"])).get_json()
    assert me["kind"] == "client" and me["role"] == "integration"


def test_client_credentials_by_http_basic_authentication(app, client, tenant):
    client_id, secret, _ = register_client(app, tenant, ["people:read", "tenant:read"])
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    response = client.post(
        url(tenant, "/oauth/token"),
        data={"grant_type": "client_credentials", "scope": "tenant:read"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.status_code == 200
    assert response.get_json()["scope"] == "tenant:read"
    narrowed = response.get_json()["access_token"]
    assert_error(client.get(url(tenant, "/people"), headers=bearer(narrowed)), 403, "forbidden")
    both_ways = client.post(
        url(tenant, "/oauth/token"),
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert_error(both_ways, 400, "invalid_request")


def test_a_wrong_client_secret_is_invalid_client(app, client, tenant):
    client_id, _, _ = register_client(app, tenant, ["people:read"])
    response = token_request(
        client, tenant, grant_type="client_credentials", client_id=client_id, client_secret="nope"
    )
    body = assert_error(response, 401, "invalid_client")
    assert body["error"] == "invalid_client" and body["error_description"] == body["message"]
    assert_error(token_request(client, tenant, grant_type="client_credentials"), 401, "invalid_client")


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"grant_type": "password"}, "unsupported_grant_type"),
        ({}, "invalid_request"),
        ({"grant_type": "client_credentials", "scope": "people:write"}, "invalid_scope"),
        ({"grant_type": "client_credentials", "scope": "tenant:read"}, "invalid_scope"),
    ],
)
def test_bad_token_requests_get_rfc_6749_errors(app, client, tenant, form, code):
    client_id, secret, _ = register_client(app, tenant, ["people:read"])
    response = token_request(client, tenant, client_id=client_id, client_secret=secret, **form)
    body = assert_error(response, 400, code)
    assert body["error"] == code


def test_a_revoked_client_and_its_tokens_stop_working(app, client, tenant):
    client_id, secret, credential_id = register_client(app, tenant, ["people:read"])
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    access_token = token_request(client, tenant, **form).get_json()["access_token"]
    revoke(app, tenant, credential_id)
    assert_error(client.get(url(tenant, "/people"), headers=bearer(access_token)), 401, "invalid_token")
    assert_error(token_request(client, tenant, **form), 401, "invalid_client")


def test_a_clients_access_token_is_nobody_at_another_tenant(app, client, tenant, other_tenant):
    client_id, secret, _ = register_client(app, tenant, ["people:read"])
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    access_token = token_request(client, tenant, **form).get_json()["access_token"]
    assert_error(client.get(url(other_tenant, "/people"), headers=bearer(access_token)), 401, "invalid_token")
    assert_error(token_request(client, other_tenant, **form), 401, "invalid_client")


def test_the_token_endpoint_is_rate_limited(app, client, tenant):
    for _ in range(10):
        assert token_request(client, tenant, grant_type="client_credentials").status_code == 401
    response = token_request(client, tenant, grant_type="client_credentials")
    body = assert_error(response, 429, "rate_limited")
    assert body["error"] == "rate_limited"
