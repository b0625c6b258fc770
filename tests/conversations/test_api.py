"""The API of conversations: read and write with the scopes, only for the person's own coaches."""

from __future__ import annotations

from datetime import timedelta

from aandacht.db import utcnow
from tests.api.helpers import issue_token
from tests.conversations.test_messages import messages


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}


def test_a_coach_writes_and_reads_the_conversation_with_the_scopes(app, client, cast, as_person):
    token = issue_token(app, cast.tenant, cast.coach, ["conversations:read", "conversations:write"])
    url = cast.url(f"/api/v1/people/{cast.person}/conversation")
    written = client.post(url, json={"body": "Hoe gaat het?"}, headers=bearer(token))
    assert written.status_code == 201
    assert (written.json["author"], written.json["read_at"]) == ("staff", None)
    as_person.get(cast.url("/app/conversation/"))
    [message] = client.get(url, headers=bearer(token)).json
    assert message["body"] == "Hoe gaat het?" and message["read_at"] is not None


def test_without_the_write_scope_nothing_is_written(app, client, cast):
    token = issue_token(app, cast.tenant, cast.coach, ["conversations:read"])
    url = cast.url(f"/api/v1/people/{cast.person}/conversation")
    refused = client.post(url, json={"body": "x"}, headers=bearer(token))
    assert refused.status_code == 403 and refused.json["code"] == "insufficient_scope"
    assert messages(app, cast) == []


def test_a_coach_outside_the_caseload_is_told_the_person_does_not_exist(app, client, cast, create_staff):
    lead = create_staff(cast.tenant, role="team_lead")
    for staff in (cast.other_coach, lead):
        token = issue_token(app, cast.tenant, staff, ["conversations:read", "conversations:write"])
        url = cast.url(f"/api/v1/people/{cast.person}/conversation")
        assert client.get(url, headers=bearer(token)).status_code == 404
        assert client.post(url, json={"body": "x"}, headers=bearer(token)).status_code == 404
    assert messages(app, cast) == []


def test_an_empty_message_is_refused_per_field(app, client, cast):
    token = issue_token(app, cast.tenant, cast.coach, ["conversations:write"])
    refused = client.post(
        cast.url(f"/api/v1/people/{cast.person}/conversation"), json={"body": ""}, headers=bearer(token)
    )
    assert refused.status_code == 422 and "body" in refused.json["errors"]


def test_invite_and_cancel_an_appointment(app, client, cast):
    token = issue_token(app, cast.tenant, cast.coach, ["conversations:read", "conversations:write"])
    url = cast.url(f"/api/v1/people/{cast.person}/appointments")
    starts = (utcnow() + timedelta(days=2)).replace(microsecond=0)
    invitation = {"kind": "phone", "starts_at": starts.isoformat(), "phone": "020 123 4567"}
    made = client.post(url, json=invitation, headers=bearer(token))
    assert made.status_code == 201 and made.json["status"] == "invited"
    nowhere = client.post(url, json={**invitation, "phone": ""}, headers=bearer(token))
    assert nowhere.status_code == 422 and "phone" in nowhere.json["errors"]
    change = f"{url}/{made.json['id']}"
    assert client.post(change, json={"action": "no_show"}, headers=bearer(token)).status_code == 409
    cancelled = client.post(change, json={"action": "cancel", "reason": "Ziek"}, headers=bearer(token))
    assert cancelled.status_code == 200 and cancelled.json["cancel_reason"] == "Ziek"
    [listed] = client.get(url, headers=bearer(token)).json
    assert listed["status"] == "cancelled" and listed["cancelled_by"] == "staff"
