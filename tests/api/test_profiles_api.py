"""`/api/v1/people/<id>/profile`: what the caller may see and change, 422 that writes nothing, history."""

import uuid

import pytest

from aandacht.profiles.service import profile_values, set_values
from aandacht.tenancy.context import tenant_context
from tests.api.helpers import add_person, add_staff, assert_error, bearer, csrf_token, issue_token, log_in
from tests.helpers import HEALTH_ATTRIBUTES

ATTRIBUTES = HEALTH_ATTRIBUTES


@pytest.fixture
def tenant(create_tenant):
    return create_tenant(attributes=ATTRIBUTES)


def url(tenant, person, tail=""):
    return f"/t/{tenant.slug}/api/v1/people/{person}/profile{tail}"


def store(app, tenant, person, values):
    with app.test_request_context(), tenant_context(tenant):
        set_values(person, values, source="person", audience="person", actor_id=person)


def values_of(app, tenant, person):
    with app.app_context(), tenant_context(tenant):
        return profile_values(person)


def test_a_coach_reads_the_profile_of_their_caseload(app, client, tenant):
    person = add_person(app, tenant)
    coach = add_staff(app, tenant, caseload=[person])
    store(app, tenant, person, {"core.preferred_channel": "sms", "tenant.energy": 4, "tenant.diagnosis": "x"})
    token = issue_token(app, tenant, coach, ["caseload:read"])
    response = client.get(url(tenant, person), headers={**bearer(token), "Accept-Language": "en"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    values = {item["key"]: item for item in body["values"]}
    assert values["core.preferred_channel"]["value"] == "sms"
    assert values["core.preferred_channel"]["value_text"] == "By text message"
    assert values["core.preferred_channel"]["source"] == "person"
    assert values["tenant.energy"]["label"] == "How much energy do you have?"
    assert "tenant.diagnosis" not in values
    assert body["completeness"]["answered"] == 3


def test_a_person_outside_the_caseload_or_tenant_is_not_found(app, client, tenant, other_tenant):
    mine, other = add_person(app, tenant), add_person(app, tenant)
    foreign = add_person(app, other_tenant)
    coach = add_staff(app, tenant, caseload=[mine])
    token = issue_token(app, tenant, coach, ["caseload:read", "profiles:write"])
    for person in (other, foreign, uuid.uuid4()):
        assert_error(client.get(url(tenant, person), headers=bearer(token)), 404, "not_found")
        assert_error(client.get(url(tenant, person, "/history"), headers=bearer(token)), 404, "not_found")
        patch = client.patch(
            url(tenant, person), json={"values": {"tenant.energy": 2}}, headers=bearer(token)
        )
        assert_error(patch, 404, "not_found")
    assert values_of(app, tenant, other) == {}


def test_special_category_values_stay_hidden_from_a_tenant_admin(app, client, tenant):
    person = add_person(app, tenant)
    admin = add_staff(app, tenant, role="tenant_admin")
    store(app, tenant, person, {"tenant.energy": 4, "core.preferred_channel": "sms"})
    log_in(client, tenant, "staff", admin)
    body = client.get(url(tenant, person)).get_json()
    keys = {item["key"] for item in body["values"]}
    assert "core.preferred_channel" in keys
    assert not keys & {"tenant.energy", "tenant.diagnosis"}
    history = client.get(url(tenant, person, "/history")).get_json()
    assert history["total"] == 1 and history["items"][0]["key"] == "core.preferred_channel"


def test_patch_changes_what_the_role_may_and_records_the_coach(app, client, tenant):
    person = add_person(app, tenant)
    coach = add_staff(app, tenant, caseload=[person])
    token = issue_token(app, tenant, coach, ["caseload:read", "profiles:write"])
    response = client.patch(url(tenant, person), json={"values": {"tenant.energy": 5}}, headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    assert {item["key"]: item["value"] for item in response.get_json()["values"]}["tenant.energy"] == 5
    history = client.get(url(tenant, person, "/history"), headers=bearer(token)).get_json()
    [change] = history["items"]
    assert (change["key"], change["old_value"], change["new_value"]) == ("tenant.energy", None, 5)
    assert change["source"] == "coach" and change["actor_id"] == str(coach)


def test_a_bad_patch_names_each_attribute_and_writes_nothing(app, client, tenant):
    person = add_person(app, tenant)
    coach = add_staff(app, tenant, caseload=[person])
    token = issue_token(app, tenant, coach, ["caseload:read", "profiles:write"])
    response = client.patch(
        url(tenant, person),
        json={
            "values": {
                "core.preferred_channel": "sms",
                "tenant.energy": 9,
                "tenant.diagnosis": "x",
                "tenant.nothing": 1,
            }
        },
        headers={**bearer(token), "Accept-Language": "en"},
    )
    body = assert_error(response, 422, "validation_failed")
    assert set(body["errors"]) == {"values.tenant.energy", "values.tenant.diagnosis", "values.tenant.nothing"}
    assert body["errors"]["values.tenant.diagnosis"] == ["You may not change this."]
    assert values_of(app, tenant, person) == {}


def test_patch_needs_the_profiles_write_scope_and_a_login_session_its_csrf_token(app, client, tenant):
    person = add_person(app, tenant)
    coach = add_staff(app, tenant, caseload=[person])
    token = issue_token(app, tenant, coach, ["caseload:read"])
    response = client.patch(url(tenant, person), json={"values": {"tenant.energy": 2}}, headers=bearer(token))
    assert_error(response, 403, "insufficient_scope")
    log_in(client, tenant, "staff", coach)
    assert_error(client.patch(url(tenant, person), json={"values": {"tenant.energy": 2}}), 403, "csrf_failed")
    done = client.patch(
        url(tenant, person),
        json={"values": {"tenant.energy": 2}},
        headers={"X-CSRFToken": csrf_token(client, tenant)},
    )
    assert done.status_code == 200
    assert values_of(app, tenant, person) == {"tenant.energy": 2}


def test_a_resident_cannot_read_profiles_through_the_api(app, client, tenant):
    person = add_person(app, tenant)
    log_in(client, tenant, "person", person)
    assert client.get(url(tenant, person)).status_code == 403


def test_the_operations_are_in_the_openapi_document(client, tenant):
    document = client.get(f"/t/{tenant.slug}/api/v1/openapi.json").get_json()
    paths = document["paths"]
    assert {"get", "patch"} <= set(paths["/api/v1/people/{person_id}/profile"])
    assert "get" in paths["/api/v1/people/{person_id}/profile/history"]
