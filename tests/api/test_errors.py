"""Every API error is JSON with a stable code, and its message speaks the caller's language."""

import pytest

from aandacht.accounts import service
from aandacht.accounts.models import StaffMember
from aandacht.api import people
from aandacht.api.errors import CODES
from aandacht.tenancy.context import tenant_context
from aandacht.tenancy.scoping import get_scoped
from tests.api.helpers import add_staff, assert_error, bearer, csrf_token, issue_token, log_in


def url(tenant, path):
    return f"/t/{tenant.slug}/api/v1{path}"


@pytest.fixture
def token(app, tenant):
    return bearer(issue_token(app, tenant, add_staff(app, tenant), ["caseload:read"]))


def test_addresses_and_methods_the_api_does_not_have(client, tenant, token):
    assert_error(client.get(url(tenant, "/nowhere"), headers=token), 404, "not_found")
    assert_error(client.post(url(tenant, "/nowhere"), json={}), 404, "not_found")  # not the CSRF page
    response = client.delete(url(tenant, "/people"), headers=token)
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]
    assert_error(client.post(url(tenant, "/me"), headers=token), 405, "method_not_allowed")


def test_an_unknown_organisation_and_the_platforms_address(client, token):
    assert_error(client.get("/t/bestaat-niet/api/v1/people", headers=token), 404, "tenant_not_found")
    assert_error(client.post("/t/bestaat-niet/api/v1/nowhere"), 404, "not_found")
    assert_error(client.get("/api/v1/people", headers=token), 404, "not_found")
    assert_error(client.get("/api/v1/me"), 404, "not_found")


def test_invalid_json_is_a_json_error(app, tenant):
    browser = app.test_client()
    log_in(browser, tenant, "staff", add_staff(app, tenant))
    headers = {"X-CSRFToken": csrf_token(browser, tenant), "Content-Type": "application/json"}
    response = browser.post(url(tenant, "/api-credentials"), data="{niet: json", headers=headers)
    assert_error(response, 400, "invalid_json")


def test_an_unexpected_failure_is_a_json_500(client, tenant, token, monkeypatch):
    def broken(_staff_id):
        raise RuntimeError("database gone")

    monkeypatch.setattr(people.accounts, "caseload", broken)
    body = assert_error(client.get(url(tenant, "/people"), headers=token), 500, "internal_error")
    assert "database gone" not in body["message"]


def test_api_answers_are_not_cached(client, tenant, token):
    assert client.get(url(tenant, "/people"), headers=token).headers["Cache-Control"] == "no-store"
    assert client.get(url(tenant, "/people")).headers["Cache-Control"] == "no-store"


def test_head_and_options_follow_get(client, tenant, token):
    assert client.head(url(tenant, "/people"), headers=token).status_code == 200
    assert client.head(url(tenant, "/people")).status_code == 401
    assert client.options(url(tenant, "/people")).status_code == 200


#: (request, status, code, English message, Dutch message) of errors in both languages.
IN_BOTH_LANGUAGES = [
    (
        "/people",
        401,
        "authentication_required",
        "Log in, or send an API token in the Authorization header.",
        "Log in, of stuur een API-token mee in de Authorization-header.",
    ),
    ("/nowhere", 404, "not_found", "There is nothing at this address.", "Op dit adres is niets te vinden."),
    (
        "/people?page_size=500",
        422,
        "validation_failed",
        "The request has errors. See the errors per field.",
        "Het verzoek bevat fouten. Kijk bij de fouten per veld.",
    ),
]


@pytest.mark.parametrize(("path", "status", "code", "english", "dutch"), IN_BOTH_LANGUAGES)
def test_messages_are_in_the_callers_language(app, client, tenant, path, status, code, english, dutch):
    headers = (
        bearer(issue_token(app, tenant, add_staff(app, tenant), ["caseload:read"])) if status == 422 else {}
    )
    in_dutch = client.get(url(tenant, path), headers={**headers, "Accept-Language": "nl"})
    in_english = client.get(url(tenant, path), headers={**headers, "Accept-Language": "en"})
    assert assert_error(in_dutch, status, code)["message"] == dutch
    assert assert_error(in_english, status, code)["message"] == english


def test_field_messages_are_translated_too(app, client, tenant, token):
    query = "/people?page_size=500&sort=wachtwoord"
    dutch = client.get(url(tenant, query), headers={**token, "Accept-Language": "nl"}).get_json()["errors"]
    english = client.get(url(tenant, query), headers={**token, "Accept-Language": "en"}).get_json()["errors"]
    assert english["page_size"] == ["Must be between 1 and 100."]
    assert dutch["page_size"] == ["Moet tussen 1 en 100 liggen."]
    assert english["sort"][0].startswith("Must be one of: display_name, -display_name")
    assert dutch["sort"][0].startswith("Moet een van deze zijn: display_name, -display_name")


def test_the_token_owners_own_language_comes_first(app, client, tenant):
    staff_id = add_staff(app, tenant)
    with app.app_context(), tenant_context(tenant):
        service.set_locale(get_scoped(StaffMember, staff_id), "en")
    tenant_read_only = bearer(issue_token(app, tenant, staff_id, ["tenant:read"]))
    response = client.get(url(tenant, "/people"), headers={**tenant_read_only, "Accept-Language": "nl"})
    assert assert_error(response, 403, "insufficient_scope")["message"] == str(CODES["insufficient_scope"])
    assert response.get_json()["message"] == "Your API token does not have the scope that this needs."


def test_codes_are_stable_snake_case_names():
    assert all(code.isidentifier() and code.islower() for code in CODES)
