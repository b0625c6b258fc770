"""`/api/v1/campaigns`: create, list, get with results, release, cancel, and the refusals."""

from __future__ import annotations

import pytest

from tests.api.helpers import assert_error, bearer, issue_token

BOTH = ["campaigns:read", "campaigns:write"]
TEXTS = {"email": {"subject": "Banenmarkt", "body": "Kom naar de banenmarkt op dinsdag."}}


@pytest.fixture
def api(outreach_app, create_tenant, create_person, create_staff):
    """A tenant with 4 people (e-mail), a coach with 2 of them, a team lead and another coach."""
    tenant = create_tenant()
    people = [create_person(tenant, email=f"api{index}@example.nl") for index in range(4)]
    coach = create_staff(tenant, caseload=people[:2])
    lead = create_staff(tenant, role="team_lead")
    return {
        "base": f"/t/{tenant.slug}/api/v1/campaigns",
        "people": people,
        "coach": bearer(issue_token(outreach_app, tenant, coach, BOTH)),
        "lead": bearer(issue_token(outreach_app, tenant, lead, BOTH)),
        "colleague": bearer(issue_token(outreach_app, tenant, create_staff(tenant), BOTH)),
        "reader": bearer(issue_token(outreach_app, tenant, coach, ["campaigns:read"])),
    }


@pytest.fixture
def client(outreach_app):
    """A client of the app that sends to the test peers."""
    return outreach_app.test_client()


def test_a_coach_creates_releases_and_reads_the_results(client, api, mailbox):
    made = client.post(
        api["base"],
        json={
            "name": "Banenmarkt",
            "audience_kind": "person",
            "person_id": str(api["people"][0]),
            "texts": TEXTS,
        },
        headers=api["coach"],
    )
    assert made.status_code == 201, made.get_json()
    campaign = made.get_json()
    assert campaign["status"] == "draft"
    released = client.post(f"{api['base']}/{campaign['id']}/release", headers=api["coach"])
    assert released.status_code == 200, released.get_json()
    found = client.get(f"{api['base']}/{campaign['id']}", headers=api["reader"]).get_json()
    assert found["status"] == "released"
    assert found["results"]["sent"] == 1 and found["results"]["audience"] == 1
    listed = client.get(api["base"], headers=api["reader"]).get_json()
    assert [item["id"] for item in listed] == [campaign["id"]]
    assert len(mailbox.accepted) == 1


def test_refusals_are_422_with_the_field(client, api):
    outside = client.post(
        api["base"],
        json={"name": "X", "audience_kind": "person", "person_id": str(api["people"][3]), "texts": TEXTS},
        headers=api["coach"],
    )
    assert "person_id" in assert_error(outside, 422, "validation_failed")["errors"]
    everyone = client.post(
        api["base"], json={"name": "X", "audience_kind": "everyone", "texts": TEXTS}, headers=api["coach"]
    )
    assert "audience_kind" in assert_error(everyone, 422, "validation_failed")["errors"]
    no_text = client.post(api["base"], json={"name": "X", "audience_kind": "everyone"}, headers=api["lead"])
    assert "texts" in assert_error(no_text, 422, "validation_failed")["errors"]
    bad_channel = client.post(
        api["base"],
        json={"name": "X", "audience_kind": "everyone", "texts": {"fax": {"body": "x"}}},
        headers=api["lead"],
    )
    assert_error(bad_channel, 422, "validation_failed")


def test_only_the_maker_or_a_team_lead_changes_and_cancels(client, api, mailbox):
    made = client.post(
        api["base"],
        json={
            "name": "Later",
            "audience_kind": "everyone",
            "texts": TEXTS,
            "scheduled_at": "2099-01-01T09:00:00+01:00",
        },
        headers=api["lead"],
    ).get_json()
    address = f"{api['base']}/{made['id']}"
    assert_error(client.post(f"{address}/cancel", headers=api["colleague"]), 403, "forbidden")
    renamed = client.patch(address, json={"name": "Later nog"}, headers=api["lead"])
    assert renamed.get_json()["name"] == "Later nog"
    assert client.post(f"{address}/release", headers=api["lead"]).get_json()["status"] == "scheduled"
    assert client.post(f"{address}/cancel", headers=api["lead"]).get_json()["status"] == "cancelled"
    assert_error(client.post(f"{address}/release", headers=api["lead"]), 422, "validation_failed")
    assert mailbox.accepted == []


def test_another_tenants_campaign_is_not_found(client, api, create_tenant, create_staff, outreach_app):
    made = client.post(
        api["base"], json={"name": "X", "audience_kind": "everyone", "texts": TEXTS}, headers=api["lead"]
    )
    other = create_tenant()
    token = bearer(issue_token(outreach_app, other, create_staff(other, role="team_lead"), BOTH))
    found = client.get(f"/t/{other.slug}/api/v1/campaigns/{made.get_json()['id']}", headers=token)
    assert_error(found, 404, "not_found")


def test_rules_are_created_listed_and_switched_off(client, api):
    base = api["base"].replace("/campaigns", "/outreach-rules")
    condition = {"last_active": {"op": "not_since", "value": {"days_ago": 14}}}
    made = client.post(
        base,
        json={
            "name": "Stil",
            "condition": condition,
            "texts": {"in_app": {"body": "Hoe gaat het?"}},
            "cooldown_days": 7,
        },
        headers=api["coach"],
    )
    assert made.status_code == 201, made.get_json()
    rule = made.get_json()
    assert (rule["enabled"], rule["cooldown_days"]) == (True, 7)
    assert [item["name"] for item in client.get(base, headers=api["reader"]).get_json()] == ["Stil"]
    assert_error(
        client.patch(f"{base}/{rule['id']}", json={"enabled": False}, headers=api["colleague"]),
        403,
        "forbidden",
    )
    off = client.patch(f"{base}/{rule['id']}", json={"enabled": False}, headers=api["coach"])
    assert off.get_json()["enabled"] is False
    bad = client.post(
        base, json={"name": "X", "condition": {"nope": 1}, "cooldown_days": 0}, headers=api["coach"]
    )
    assert {"condition", "cooldown_days", "texts"} <= set(
        assert_error(bad, 422, "validation_failed")["errors"]
    )


def test_a_rule_on_an_event_is_made_and_changed_through_the_api(client, api):
    base = api["base"].replace("/campaigns", "/outreach-rules")
    made = client.post(
        base,
        json={
            "name": "Welkom",
            "condition": {"and": []},
            "event": "person.joined",
            "texts": {"in_app": {"body": "Welkom!"}},
        },
        headers=api["coach"],
    )
    assert made.status_code == 201, made.get_json()
    rule = made.get_json()
    assert (rule["event"], rule["event_params"]) == ("person.joined", None)
    changed = client.patch(
        f"{base}/{rule['id']}",
        json={"event": "profile.answered", "event_params": {"attribute": "core.preferred_channel"}},
        headers=api["coach"],
    )
    assert changed.get_json()["event_params"] == {"attribute": "core.preferred_channel"}
    bad = client.patch(
        f"{base}/{rule['id']}", json={"event": "profile.answered", "event_params": {}}, headers=api["coach"]
    )
    assert set(assert_error(bad, 422, "validation_failed")["errors"]) == {"event_params"}
    back = client.patch(
        f"{base}/{rule['id']}", json={"event": None, "event_params": {}}, headers=api["coach"]
    )
    assert (back.get_json()["event"], back.get_json()["event_params"]) == (None, None)
