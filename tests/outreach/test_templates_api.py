"""`/api/v1/message-templates`: list, create, change, delete and preview, with the workspace's refusals."""

from __future__ import annotations

import pytest

from tests.api.helpers import add_staff, assert_error, bearer, issue_token

BOTH = ["templates:read", "templates:write"]


@pytest.fixture
def api(app, template_setting, create_staff):
    """The addresses and the tokens of the coach, the team lead and a colleague coach."""
    setting = template_setting
    tenant = setting.tenant
    return {
        "tenant": tenant,
        "base": f"/t/{tenant.slug}/api/v1/message-templates",
        "mine": setting.mine,
        "other": setting.other,
        "coach": bearer(issue_token(app, tenant, setting.coach, BOTH)),
        "lead": bearer(issue_token(app, tenant, setting.lead, BOTH)),
        "colleague": bearer(issue_token(app, tenant, create_staff(tenant), BOTH)),
    }


def create(client, api, **body):
    body.setdefault("name", "Banenmarkt")
    return client.post(api["base"], json=body, headers=api["coach"])


def test_a_coach_creates_lists_and_previews_a_template(client, api):
    made = create(
        client,
        api,
        email_subject="Werk in de {{ profile['tenant.sector'] }}",
        email_body="**Hallo** {{ person.first_name }}",
        sms_text="Hoi {{ person.first_name }}, groet van {{ coach.name }}",
    )
    assert made.status_code == 201
    template = made.get_json()
    assert template["language"] == "nl" and template["channels"] == ["email", "sms"]
    listed = client.get(api["base"], headers=api["coach"]).get_json()
    assert [item["name"] for item in listed] == ["Banenmarkt"]

    preview = client.post(
        f"{api['base']}/{template['id']}/preview", json={"person_id": str(api["mine"])}, headers=api["coach"]
    )
    assert preview.status_code == 200
    found = preview.get_json()
    assert found["texts"]["email_subject"] == "Werk in de zorg"
    assert found["texts"]["sms_text"] == "Hoi Sanne, groet van Anna de Vries"
    assert "<strong>Hallo</strong> Sanne" in found["email_html"]
    assert found["sms"] == {"encoding": "GSM-7", "length": 34, "parts": 1, "per_part": 160}


def test_a_refused_template_gets_422_with_line_and_reason_per_field(client, api):
    answer = client.post(
        api["base"],
        json={"name": "Fout", "sms_text": "Hoi\n{{ voornaam }}", "in_app_text": "{{ 1/0 }}"},
        headers={**api["coach"], "Accept-Language": "en"},
    )
    body = assert_error(answer, 422, "validation_failed")
    assert body["errors"] == {
        "sms_text": ["line 2: there is no field “voornaam”; use person, profile, tenant, coach or today"],
        "in_app_text": ["line 1: division by zero"],
    }
    assert client.get(api["base"], headers=api["coach"]).get_json() == []


def test_preview_of_a_person_outside_the_caseload_is_not_found(client, api):
    template = create(client, api, in_app_text="Hoi {{ person.display_name }}").get_json()
    url = f"{api['base']}/{template['id']}/preview"
    assert_error(
        client.post(url, json={"person_id": str(api["other"])}, headers=api["coach"]), 404, "not_found"
    )
    lead = client.post(url, json={"person_id": str(api["other"])}, headers=api["lead"])
    assert lead.get_json()["texts"]["in_app_text"] == "Hoi Ahmet Yilmaz"


def test_a_special_category_field_is_refused_for_a_role_that_may_not_see_it(client, api):
    mine = create(client, api, in_app_text="Energie {{ profile['tenant.energy'] }}").get_json()
    url = f"{api['base']}/{mine['id']}/preview"
    assert client.post(url, json={"person_id": str(api["mine"])}, headers=api["coach"]).get_json()[
        "texts"
    ] == {"in_app_text": "Energie 4"}
    refused = client.post(url, json={"person_id": str(api["mine"])}, headers=api["lead"])
    body = assert_error(refused, 422, "validation_failed")
    assert "tenant.energy" in body["errors"]["in_app_text"][0]
    written = client.post(
        api["base"],
        json={"name": "Lead", "in_app_text": "{{ profile['tenant.energy'] }}"},
        headers=api["lead"],
    )
    assert_error(written, 422, "validation_failed")


def test_only_the_writer_or_a_team_lead_changes_or_deletes(client, api):
    template = create(client, api, in_app_text="Hoi").get_json()
    url = f"{api['base']}/{template['id']}"
    assert_error(client.patch(url, json={"name": "Anders"}, headers=api["colleague"]), 403, "forbidden")
    assert_error(client.delete(url, headers=api["colleague"]), 403, "forbidden")
    changed = client.patch(url, json={"name": "Anders", "language": "en"}, headers=api["lead"])
    assert changed.status_code == 200
    assert (changed.get_json()["name"], changed.get_json()["in_app_text"]) == ("Anders", "Hoi")
    assert client.delete(url, headers=api["coach"]).status_code == 204
    assert_error(client.get(url, headers=api["coach"]), 404, "not_found")


def test_scopes_and_tenants_are_kept_apart(app, client, api, create_tenant):
    template = create(client, api, in_app_text="Hoi").get_json()
    reader = bearer(issue_token(app, api["tenant"], add_staff(app, api["tenant"]), ["templates:read"]))
    assert_error(create(client, {**api, "coach": reader}, in_app_text="x"), 403, "insufficient_scope")
    other = create_tenant()
    stranger = bearer(issue_token(app, other, add_staff(app, other, role="team_lead"), BOTH))
    answer = client.get(f"/t/{other.slug}/api/v1/message-templates/{template['id']}", headers=stranger)
    assert_error(answer, 404, "not_found")
