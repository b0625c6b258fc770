"""End to end: a campaign prepared and delivered by a real RQ worker to the test SMTP peer."""

from __future__ import annotations

from sqlalchemy import select

from aandacht import jobs
from aandacht.accounts.principal import Principal
from aandacht.app import create_app
from aandacht.db import session
from aandacht.outreach import campaigns
from aandacht.outreach.campaigns import CampaignFields
from aandacht.outreach.models import Message
from aandacht.tenancy.context import tenant_context

RECIPIENTS = 50


def test_a_real_worker_prepares_and_delivers_a_campaign_to_fifty_people(
    queued_app, app_settings, peer_settings, redis_url, create_tenant, create_person, create_staff, mailbox
):
    # A hand-off time-out long enough for a busy test machine: this test is about the flow, not failures.
    patient = create_app(
        {**app_settings, **peer_settings, "REDIS_URL": redis_url, "AANDACHT_SEND_TIMEOUT": "15"}
    )
    tenant = create_tenant()
    addresses = [f"lezer{number}@example.nl" for number in range(RECIPIENTS)]
    for address in addresses:
        create_person(tenant, email=address)
    lead = create_staff(tenant, role="team_lead")
    principal = Principal(kind="staff", id=lead, tenant_id=tenant.id, role="team_lead")
    texts = {"email": {"subject": "Vacature", "body": "Er is een baan bij de gemeente."}}
    with patient.app_context(), tenant_context(tenant):
        campaign = campaigns.save_campaign(
            CampaignFields(name="Vacature", audience_kind="everyone", texts=texts, broadcast=True),
            acting_user=principal,
        )
        campaigns.release(campaign, acting_user=principal)
        campaign_id = campaign.id
    assert jobs.queue_named(patient, "bulk").count == 1  # only the preparation: ids, not messages

    jobs.run_worker(patient, ["bulk"], burst=True)  # RQ's worker: the preparation, then 50 deliveries

    with patient.app_context(), tenant_context(tenant):
        messages = list(session.execute(select(Message).where(Message.campaign_id == campaign_id)).scalars())
        campaigns.release_due()
        found = campaigns.results(campaigns.campaign_by_id(campaign_id))
        status = campaigns.campaign_by_id(campaign_id).status
    assert len(messages) == RECIPIENTS
    left = jobs.queue_named(patient, "bulk").count
    assert {m.status for m in messages} == {"sent"}, (
        left,
        [m.attempts for m in messages if m.status != "sent"],
    )
    assert len({m.next_attempt_at for m in messages}) == 1  # one release moment for all
    assert sorted(mail["To"].addresses[0].addr_spec for mail in mailbox.accepted) == sorted(addresses)
    assert (found.audience, found.count("sent"), status) == (RECIPIENTS, RECIPIENTS, "done")
