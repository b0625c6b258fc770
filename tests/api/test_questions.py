"""`GET /me/questions` and `POST /me/answers`: a resident's next questions and answers, for a native app."""

import pytest

from aandacht.profiles.definitions import PREFER_NOT_TO_SAY
from aandacht.profiles.service import profile_values
from aandacht.tenancy.context import tenant_context
from tests.api.helpers import add_person, add_staff, assert_error, bearer, csrf_token, issue_token, log_in
from tests.profiles.test_questions import QuestionDomain


@pytest.fixture
def resident(app, client, create_tenant, monkeypatch):
    """A resident of a tenant with the test domain, logged in: (tenant, person id, CSRF header)."""
    monkeypatch.setitem(app.extensions["aandacht.domains"].domains, "qtest", QuestionDomain())
    tenant = create_tenant(domains=["qtest"])
    person = add_person(app, tenant)
    log_in(client, tenant, "person", person)
    return tenant, person, {"X-CSRFToken": csrf_token(client, tenant)}


def values(app, tenant, person):
    with app.app_context(), tenant_context(tenant):
        return profile_values(person)


def test_the_next_questions_with_what_a_client_needs_to_draw_them(client, resident):
    tenant, _person, _headers = resident
    response = client.get(f"/t/{tenant.slug}/api/v1/me/questions", headers={"Accept-Language": "en"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert [item["attribute"] for item in body["items"]] == [
        "qtest.transport",
        "qtest.licence",
        "qtest.energy",
    ]
    transport, _licence, energy = body["items"]
    assert transport["type"] == "choice" and transport["label"] == "How do you travel?"
    assert [option["value"] for option in transport["options"]] == ["bike", "car"]
    assert transport["questionnaire"] == "qtest.all" and transport["icon"] == "bike"
    assert (energy["minimum"], energy["maximum"]) == (1, 5)
    assert body["completeness"]["answered"] == 0 and body["completeness"]["total"] >= 9
    assert body["prefer_not_to_say"] == PREFER_NOT_TO_SAY


def test_an_answer_not_now_and_prefer_not_to_say(app, client, resident):
    tenant, person, headers = resident
    url = f"/t/{tenant.slug}/api/v1/me/answers"
    body = client.post(url, json={"attribute": "qtest.transport", "value": "car"}, headers=headers).get_json()
    assert [item["attribute"] for item in body["items"]] == ["qtest.licence", "qtest.energy"]
    assert body["completeness"]["answered"] == 1
    client.post(url, json={"attribute": "qtest.licence", "not_now": True}, headers=headers)
    answered = client.post(
        url, json={"attribute": "qtest.energy", "value": PREFER_NOT_TO_SAY}, headers=headers
    )
    assert answered.status_code == 200
    assert answered.get_json()["items"] == []  # three today: enough
    assert values(app, tenant, person) == {"qtest.transport": "car", "qtest.energy": PREFER_NOT_TO_SAY}


def test_a_bad_answer_is_refused_in_the_callers_language_and_stores_nothing(app, client, resident):
    tenant, person, headers = resident
    url = f"/t/{tenant.slug}/api/v1/me/answers"
    dutch = {**headers, "Accept-Language": "nl"}
    body = assert_error(
        client.post(url, json={"attribute": "qtest.hours", "value": 99}, headers=dutch),
        422,
        "validation_failed",
    )
    assert list(body["errors"]) == ["value"]
    body = assert_error(
        client.post(url, json={"attribute": "qtest.coach_note", "value": "x"}, headers=dutch),
        422,
        "validation_failed",
    )
    assert list(body["errors"]) == ["attribute"]
    assert_error(client.post(url, json={"value": 3}, headers=dutch), 422, "validation_failed")
    assert_error(
        client.post(url, json={"attribute": "qtest.hours", "extra": 1}, headers=dutch),
        422,
        "validation_failed",
    )
    assert values(app, tenant, person) == {}


def test_a_write_by_login_session_needs_the_csrf_header(app, client, resident):
    tenant, person, _headers = resident
    response = client.post(
        f"/t/{tenant.slug}/api/v1/me/answers", json={"attribute": "qtest.dream", "value": "x"}
    )
    assert_error(response, 403, "csrf_failed")
    assert values(app, tenant, person) == {}


def test_only_residents_have_questions(app, client, create_tenant):
    tenant = create_tenant()
    assert_error(client.get(f"/t/{tenant.slug}/api/v1/me/questions"), 401, "authentication_required")
    coach = add_staff(app, tenant)
    token = issue_token(app, tenant, coach, ["caseload:read"])
    assert_error(client.get(f"/t/{tenant.slug}/api/v1/me/questions", headers=bearer(token)), 403, "forbidden")
