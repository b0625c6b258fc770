"""The campaign pages of the workspace: the form, the confirm step, sending, results, permissions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from aandacht.db import session
from aandacht.outreach import rules
from aandacht.outreach.models import Campaign, Message
from aandacht.segments.language import Viewer
from aandacht.segments.service import SegmentFields, save_segment
from aandacht.tenancy.context import tenant_context
from tests.api.helpers import log_in
from tests.helpers import csrf_token

DUTCH = {"Accept-Language": "nl"}


@pytest.fixture
def setting(outreach_app, create_tenant, create_person, create_staff):
    """A tenant with 4 people, a coach with 2 of them (one without address), a team lead, a segment."""
    tenant = create_tenant()
    people = [create_person(tenant, email=f"page{index}@example.nl") for index in range(3)]
    people.append(create_person(tenant))
    coach = create_staff(tenant, caseload=[people[0], people[3]])
    lead = create_staff(tenant, role="team_lead")
    with outreach_app.app_context(), tenant_context(tenant):
        segment_id = save_segment(SegmentFields(name="Allemaal", predicate={"and": []}), Viewer.system()).id
    return tenant, people, coach, lead, segment_id


def client_of(app, tenant, staff_id):
    """A browser logged in as the staff member."""
    client = app.test_client()
    log_in(client, tenant, "staff", staff_id)
    return client


def form(token, **values):
    """The campaign form's fields."""
    found = {"csrf_token": token, "name": "Banenmarkt", "when": "now", "email_subject": "Banenmarkt"}
    found.update(values)
    return found


def submit(client, tenant, action: str, **values):
    """Post the new-campaign form with `action` (check, send, draft) as the client's staff member."""
    token = csrf_token(client.get(f"/t/{tenant.slug}/workspace/campaigns/new"))
    return client.post(
        f"/t/{tenant.slug}/workspace/campaigns/new", data={**form(token, **values), "action": action}
    )


def draft_for(client, tenant, person_id) -> str:
    """Save a draft to one person; the address of its page."""
    saved = submit(client, tenant, "draft", audience_kind="person", person_id=str(person_id), email_body="x")
    return saved.headers["Location"]


def test_a_coach_checks_then_sends_to_a_selection_of_the_caseload(outreach_app, setting, mailbox):
    tenant, _people, coach, _lead, segment_id = setting
    client = client_of(outreach_app, tenant, coach)
    page = client.get(f"/t/{tenant.slug}/workspace/campaigns/new", headers=DUTCH)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Allemaal (2 " in text  # the live count: the coach's own people only
    assert 'value="everyone"' not in text  # only team leads send to everyone
    token = csrf_token(page)
    values = form(token, audience_kind="segment", segment_id=str(segment_id), email_body="Kom dinsdag.")
    checked = client.post(
        f"/t/{tenant.slug}/workspace/campaigns/new", data={**values, "action": "check"}, headers=DUTCH
    )
    assert checked.status_code == 200
    shown = checked.get_data(as_text=True)
    assert 'data-testid="estimate-unreachable"' in shown
    sent = client.post(f"/t/{tenant.slug}/workspace/campaigns/new", data={**values, "action": "send"})
    assert sent.status_code == 302
    results = client.get(sent.headers["Location"], headers=DUTCH).get_data(as_text=True)
    assert 'data-testid="result-sent">1<' in results
    assert 'data-testid="result-skipped-unreachable">1<' in results
    assert len(mailbox.accepted) == 1 and mailbox.to("page0@example.nl")
    listed = client.get(f"/t/{tenant.slug}/workspace/campaigns/", headers=DUTCH).get_data(as_text=True)
    assert "Banenmarkt" in listed


def test_a_coach_cannot_send_to_someone_outside_the_caseload(outreach_app, setting):
    tenant, people, coach, _lead, _segment_id = setting
    client = client_of(outreach_app, tenant, coach)
    refused = submit(client, tenant, "send", audience_kind="person", person_id=str(people[1]), email_body="x")
    assert refused.status_code == 400
    assert 'data-testid="error-person_id"' in refused.get_data(as_text=True)
    everyone = submit(client, tenant, "send", audience_kind="everyone", email_body="x")
    assert everyone.status_code == 400
    with outreach_app.app_context(), tenant_context(tenant):
        assert session.execute(select(Campaign)).first() is None
        assert session.execute(select(Message)).first() is None


def test_a_draft_is_sent_or_cancelled_by_its_maker_or_a_team_lead(
    outreach_app, setting, create_staff, mailbox
):
    tenant, people, coach, lead, _segment_id = setting
    client = client_of(outreach_app, tenant, coach)
    address = draft_for(client, tenant, people[0])
    other = client_of(outreach_app, tenant, create_staff(tenant))
    other_token = csrf_token(other.get(f"/t/{tenant.slug}/workspace/campaigns/new"))
    assert other.post(f"{address}/cancel", data={"csrf_token": other_token}).status_code == 403
    boss = client_of(outreach_app, tenant, lead)
    boss_token = csrf_token(boss.get(f"/t/{tenant.slug}/workspace/campaigns/new"))
    assert boss.post(f"{address}/send", data={"csrf_token": boss_token}).status_code == 302
    assert len(mailbox.accepted) == 1
    shown = client.get(address, headers=DUTCH).get_data(as_text=True)
    assert 'data-testid="cancel-campaign"' not in shown


def test_another_tenants_campaign_is_not_found(outreach_app, setting, create_tenant, create_staff):
    tenant, people, coach, _lead, _segment_id = setting
    client = client_of(outreach_app, tenant, coach)
    campaign_id = draft_for(client, tenant, people[0]).rstrip("/").rsplit("/", 1)[1]
    other = create_tenant()
    stranger = client_of(outreach_app, other, create_staff(other, role="team_lead"))
    assert stranger.get(f"/t/{other.slug}/workspace/campaigns/{campaign_id}").status_code == 404


def test_a_coach_makes_an_automatic_message_and_switches_it_off(outreach_app, setting, create_staff):
    tenant, _people, coach, _lead, _segment_id = setting
    client = client_of(outreach_app, tenant, coach)
    token = csrf_token(client.get(f"/t/{tenant.slug}/workspace/rules/new", headers=DUTCH))
    refused = client.post(
        f"/t/{tenant.slug}/workspace/rules/new", data={"csrf_token": token, "name": ""}, headers=DUTCH
    )
    assert refused.status_code == 400 and 'data-testid="error-texts"' in refused.get_data(as_text=True)
    saved = client.post(
        f"/t/{tenant.slug}/workspace/rules/new",
        data={
            "csrf_token": token,
            "name": "Stil",
            "condition_kind": "inactive",
            "days": "14",
            "in_app_body": "Hoe gaat het met u?",
            "cooldown_days": "7",
        },
    )
    assert saved.status_code == 302
    listed = client.get(f"/t/{tenant.slug}/workspace/rules/", headers=DUTCH).get_data(as_text=True)
    assert "Stil" in listed and "7 dagen" in listed
    with outreach_app.app_context(), tenant_context(tenant):
        [rule] = rules.rules()
        rule_id = rule.id
    other = client_of(outreach_app, tenant, create_staff(tenant))
    other_token = csrf_token(other.get(f"/t/{tenant.slug}/workspace/rules/"))
    assert (
        other.post(
            f"/t/{tenant.slug}/workspace/rules/{rule_id}/toggle", data={"csrf_token": other_token}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/t/{tenant.slug}/workspace/rules/{rule_id}/toggle", data={"csrf_token": token}
        ).status_code
        == 302
    )
    with outreach_app.app_context(), tenant_context(tenant):
        assert rules.rule_by_id(rule_id).enabled is False


def test_a_draft_or_planned_campaign_is_changed_with_the_same_checks_until_it_is_sent(
    outreach_app, setting, create_staff, create_tenant, mailbox
):
    tenant, people, coach, _lead, segment_id = setting
    client = client_of(outreach_app, tenant, coach)
    address = draft_for(client, tenant, people[0])
    page = client.get(f"{address}/edit", headers=DUTCH).get_data(as_text=True)
    assert 'value="Banenmarkt"' in page and 'data-testid="save-campaign"' in page
    token = csrf_token(client.get(f"{address}/edit"))
    refused = client.post(
        f"{address}/edit", data=form(token, name="", audience_kind="segment"), headers=DUTCH
    )
    assert refused.status_code == 400
    assert 'data-testid="error-name"' in refused.get_data(as_text=True)
    assert 'data-testid="error-segment_id"' in refused.get_data(as_text=True)
    changed = client.post(
        f"{address}/edit",
        data=form(
            token,
            name="Banenmarkt april",
            audience_kind="segment",
            segment_id=str(segment_id),
            email_body="Kom naar de banenmarkt in april.",
            when="later",
            scheduled_at="2031-04-02T10:00",
            broadcast="on",
        ),
    )
    assert changed.status_code == 302
    with outreach_app.app_context(), tenant_context(tenant):
        [campaign] = session.execute(select(Campaign)).scalars().all()
        assert (campaign.name, campaign.audience_kind, campaign.segment_id) == (
            "Banenmarkt april",
            "segment",
            segment_id,
        )
        assert campaign.texts["email"]["body"] == "Kom naar de banenmarkt in april."
        assert (campaign.status, campaign.broadcast, campaign.scheduled_at.year) == ("draft", True, 2031)

    other = client_of(outreach_app, tenant, create_staff(tenant))
    assert other.get(f"{address}/edit").status_code == 403
    stranger_tenant = create_tenant()
    stranger = client_of(outreach_app, stranger_tenant, create_staff(stranger_tenant, role="team_lead"))
    campaign_path = address.split(f"/t/{tenant.slug}", 1)[1]
    assert stranger.get(f"/t/{stranger_tenant.slug}{campaign_path}/edit").status_code == 404

    assert client.post(f"{address}/send", data={"csrf_token": token}).status_code == 302  # planned
    assert client.get(f"{address}/edit").status_code == 200  # still waiting for its moment
    with outreach_app.app_context(), tenant_context(tenant):
        campaign = session.execute(select(Campaign)).scalar_one()
        campaign.scheduled_at = None
        session.commit()
    client.post(f"{address}/send", data={"csrf_token": token})
    shown = client.get(address, headers=DUTCH).get_data(as_text=True)
    assert 'data-testid="no-changes"' in shown and 'data-testid="change-campaign"' not in shown
    moved = client.get(f"{address}/edit", headers=DUTCH)
    assert moved.status_code == 302 and moved.headers["Location"].endswith(campaign_path)
    again = client.post(f"{address}/edit", data=form(token, audience_kind="everyone", email_body="x"))
    assert again.status_code == 302  # refused: nothing changes
    with outreach_app.app_context(), tenant_context(tenant):
        assert session.execute(select(Campaign.name)).scalar_one() == "Banenmarkt april"


def test_a_rule_is_changed_by_its_maker_into_a_rule_on_an_event(
    outreach_app, setting, create_staff, create_tenant
):
    tenant, _people, coach, _lead, segment_id = setting
    client = client_of(outreach_app, tenant, coach)
    token = csrf_token(client.get(f"/t/{tenant.slug}/workspace/rules/new"))
    fields = {
        "csrf_token": token,
        "name": "Stil",
        "condition_kind": "inactive",
        "days": "14",
        "cooldown_days": "7",
    }
    client.post(f"/t/{tenant.slug}/workspace/rules/new", data={**fields, "in_app_body": "Hoe gaat het?"})
    with outreach_app.app_context(), tenant_context(tenant):
        rule_id = rules.rules()[0].id
    address = f"/t/{tenant.slug}/workspace/rules/{rule_id}/edit"
    page = client.get(address, headers=DUTCH).get_data(as_text=True)
    assert 'value="Stil"' in page and "Hoe gaat het?" in page and 'value="14"' in page
    refused = client.post(
        address,
        data={**fields, "in_app_body": "x", "trigger": "event", "event": "profile.answered"},
        headers=DUTCH,
    )
    assert refused.status_code == 400 and 'data-testid="error-event_params"' in refused.get_data(as_text=True)
    changed = client.post(
        address,
        data={
            **fields,
            "condition_kind": "segment",
            "segment_id": str(segment_id),
            "in_app_body": "Bedankt voor uw antwoord.",
            "cooldown_days": "30",
            "trigger": "event",
            "event": "profile.answered",
            "param_attribute": "core.preferred_channel",
            "param_type": "core.news",  # not a parameter of this event: refused
        },
        headers=DUTCH,
    )
    assert changed.status_code == 400
    changed = client.post(
        address,
        data={
            **fields,
            "condition_kind": "segment",
            "segment_id": str(segment_id),
            "in_app_body": "Bedankt voor uw antwoord.",
            "cooldown_days": "30",
            "trigger": "event",
            "event": "profile.answered",
            "param_attribute": "core.preferred_channel",
        },
    )
    assert changed.status_code == 302
    with outreach_app.app_context(), tenant_context(tenant):
        rule = rules.rule_by_id(rule_id)
        assert (rule.event, rule.event_params, rule.cooldown_days) == (
            "profile.answered",
            {"attribute": "core.preferred_channel"},
            30,
        )
        assert rule.condition == {"segment": {"id": str(segment_id)}}
        assert rule.texts == {"in_app": {"subject": "", "body": "Bedankt voor uw antwoord."}}
    listed = client.get(f"/t/{tenant.slug}/workspace/rules/", headers=DUTCH).get_data(as_text=True)
    assert f'data-testid="change-{rule_id}"' in listed
    other = client_of(outreach_app, tenant, create_staff(tenant))
    assert other.get(address).status_code == 403
    assert f'data-testid="change-{rule_id}"' not in other.get(f"/t/{tenant.slug}/workspace/rules/").get_data(
        as_text=True
    )
    stranger_tenant = create_tenant()
    stranger = client_of(outreach_app, stranger_tenant, create_staff(stranger_tenant, role="team_lead"))
    assert stranger.get(f"/t/{stranger_tenant.slug}/workspace/rules/{rule_id}/edit").status_code == 404
