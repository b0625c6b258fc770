"""`/api/v1/outcomes`: register one or many, read them back, remove; only for people the caller may see."""

from __future__ import annotations

from tests.api.helpers import bearer, issue_token, register_client

WORK = "werk.work_ends_benefit"


def url(tenant, path):
    return f"/t/{tenant.slug}/api/v1{path}"


def test_a_coach_registers_and_reads_an_outcome_of_their_caseload(app, caseload):
    client = app.test_client()
    token = bearer(issue_token(app, caseload.tenant, caseload.coach, ["outcomes:read", "outcomes:write"]))
    body = {
        "person_id": str(caseload.person),
        "outcome": WORK,
        "date": "2026-03-01",
        "details": {"activity": "work", "hours": 36, "sector": "care"},
        "outcome_id": "UWV-10",
    }
    added = client.post(url(caseload.tenant, "/outcomes"), json=body, headers=token)
    assert added.status_code == 201, added.get_json()
    assert added.get_json()["action"] == "added" and added.get_json()["details"]["hours"] == 36
    again = client.post(url(caseload.tenant, "/outcomes"), json=body, headers=token)
    assert again.get_json()["action"] == "unchanged"
    listed = client.get(url(caseload.tenant, f"/outcomes?person_id={caseload.person}"), headers=token)
    assert [o["outcome_id"] for o in listed.get_json()] == ["UWV-10"]
    types = client.get(url(caseload.tenant, "/outcome-types"), headers=token).get_json()
    assert {t["key"] for t in types} >= {WORK} and types[0]["details"]


def test_a_coach_gets_404_for_a_person_outside_the_caseload(app, caseload):
    client = app.test_client()
    token = bearer(issue_token(app, caseload.tenant, caseload.coach, ["outcomes:read", "outcomes:write"]))
    body = {
        "person_id": str(caseload.stranger),
        "outcome": WORK,
        "date": "2026-03-01",
        "details": {"activity": "work"},
    }
    assert client.post(url(caseload.tenant, "/outcomes"), json=body, headers=token).status_code == 404
    assert (
        client.get(url(caseload.tenant, f"/outcomes?person_id={caseload.stranger}"), headers=token).get_json()
        == []
    )


def test_a_refused_outcome_answers_422_with_reasons_per_field(app, caseload):
    client = app.test_client()
    token = bearer(issue_token(app, caseload.tenant, caseload.coach, ["outcomes:write"]))
    body = {
        "person_id": str(caseload.person),
        "outcome": WORK,
        "date": "2026-03-01",
        "details": {"hours": 90},
    }
    refused = client.post(url(caseload.tenant, "/outcomes"), json=body, headers=token)
    assert refused.status_code == 422
    assert set(refused.get_json()["errors"]) == {"activity", "hours"}


def test_a_benefits_system_registers_a_list_all_or_nothing(app, caseload, create_tenant):
    client = app.test_client()
    client_id, secret, _ = register_client(app, caseload.tenant, ["outcomes:read", "outcomes:write"])
    answer = client.post(
        url(caseload.tenant, "/oauth/token"),
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )
    token = bearer(answer.get_json()["access_token"])
    rows = [
        {
            "client_number": "CL-0001",
            "outcome": WORK,
            "date": "2026-03-01",
            "activity": "work",
            "outcome_id": "A",
        },
        {
            "client_number": "CL-0002",
            "outcome": "werk.benefit_ended_other",
            "date": "2026-03-01",
            "details": {"reason": "nope"},
        },
    ]
    refused = client.post(url(caseload.tenant, "/outcomes/bulk"), json={"rows": rows}, headers=token)
    assert refused.status_code == 422
    report = refused.get_json()
    assert report["written"] is False and [row["errors"] != {} for row in report["rows"]] == [False, True]
    assert client.get(url(caseload.tenant, "/outcomes"), headers=token).get_json() == []

    rows[1]["details"]["reason"] = "moved"
    done = client.post(url(caseload.tenant, "/outcomes/bulk"), json={"rows": rows}, headers=token)
    assert done.status_code == 200 and done.get_json()["counts"] == {"added": 2}
    listed = client.get(url(caseload.tenant, "/outcomes"), headers=token).get_json()
    assert sorted(o["source"] for o in listed) == ["api", "api"]
    outcome_id = listed[0]["id"]
    assert client.delete(url(caseload.tenant, f"/outcomes/{outcome_id}"), headers=token).status_code == 204
    assert len(client.get(url(caseload.tenant, "/outcomes"), headers=token).get_json()) == 1
    other = create_tenant(domains=["werk"])
    assert client.get(url(other, "/outcomes"), headers=token).status_code == 401


def test_a_token_without_the_scope_is_refused(app, caseload):
    client = app.test_client()
    token = bearer(issue_token(app, caseload.tenant, caseload.coach, ["people:read"]))
    assert client.get(url(caseload.tenant, "/outcomes"), headers=token).status_code == 403
