"""End to end: a campaign prepared and delivered by a real RQ worker process to the test SMTP peer."""

from __future__ import annotations

from sqlalchemy import select

from aandacht import jobs
from aandacht.accounts.principal import Principal
from aandacht.db import session
from aandacht.outreach import campaigns
from aandacht.outreach.campaigns import CampaignFields
from aandacht.outreach.models import Message
from aandacht.tenancy.context import tenant_context
from tests.outreach.conftest import start_worker

RECIPIENTS = 50


def test_a_real_worker_prepares_and_delivers_a_campaign_to_fifty_people(
    queued_app,
    app_settings,
    peer_settings,
    redis_url,
    create_tenant,
    create_person,
    create_staff,
    mailbox,
    tmp_path,
):
    tenant = create_tenant()
    addresses = [f"lezer{number}@example.nl" for number in range(RECIPIENTS)]
    for address in addresses:
        create_person(tenant, email=address)
    lead = create_staff(tenant, role="team_lead")
    principal = Principal(kind="staff", id=lead, tenant_id=tenant.id, role="team_lead")
    texts = {"email": {"subject": "Vacature", "body": "Er is een baan bij de gemeente."}}
    with queued_app.app_context(), tenant_context(tenant):
        campaign = campaigns.save_campaign(
            CampaignFields(name="Vacature", audience_kind="everyone", texts=texts, broadcast=True),
            acting_user=principal,
        )
        campaigns.release(campaign, acting_user=principal)
        campaign_id = campaign.id
    assert jobs.queue_named(queued_app, "bulk").count == 1  # only the preparation: ids, not messages

    log = tmp_path / "worker.log"
    with log.open("w") as output:
        worker = start_worker({**app_settings, **peer_settings, "REDIS_URL": redis_url}, output)
        assert worker.wait(timeout=120) == 0, log.read_text()[-3000:]

    with queued_app.app_context(), tenant_context(tenant):
        messages = list(session.execute(select(Message).where(Message.campaign_id == campaign_id)).scalars())
        campaigns.release_due()
        found = campaigns.results(campaigns.campaign_by_id(campaign_id))
        status = campaigns.campaign_by_id(campaign_id).status
    assert len(messages) == RECIPIENTS and {m.status for m in messages} == {"sent"}
    assert len({m.next_attempt_at for m in messages}) == 1  # one release moment for all
    assert sorted(mail["To"].addresses[0].addr_spec for mail in mailbox.accepted) == sorted(addresses)
    assert (found.audience, found.count("sent"), status) == (RECIPIENTS, RECIPIENTS, "done")
