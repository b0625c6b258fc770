"""Delivery reports make messages `delivered`: Infobip's SMS reports, the push receipt, the app's list.

Infobip's reports come to a per-tenant secret address; an unknown id is ignored, a repeated report
counts once, and an SMS that did not arrive fails with the reason and falls back to the next channel.
"""

from __future__ import annotations

from aandacht.accounts.principal import Principal
from aandacht.outreach import campaigns
from aandacht.outreach.campaigns import CampaignFields
from aandacht.outreach.preferences import subscribe_to_push
from aandacht.outreach.reports import infobip_secret
from aandacht.tenancy.context import tenant_context
from tests.api.helpers import log_in
from tests.outreach.conftest import REPORT_STATUSES


def test_an_sms_delivery_report_makes_the_message_delivered_once(
    outreach_app, create_tenant, create_person, decide, sms_gateway, messages_of
):
    tenant = create_tenant()
    person_id = create_person(tenant, phone="+31612345678")
    decide(tenant, person_id, channels=["sms"])
    client = outreach_app.test_client()
    [answer] = sms_gateway.send_reports(client, "DELIVERED")
    assert (answer.status_code, answer.json) == (200, {"delivered": 1, "failed": 0, "ignored": 0})
    [message] = messages_of(tenant, person_id)
    assert (message.status, message.last_error) == ("delivered", None)
    assert message.delivered_at is not None
    [again] = sms_gateway.send_reports(client, "DELIVERED")  # Infobip may report twice
    assert again.json == {"delivered": 0, "failed": 0, "ignored": 1}
    [message] = messages_of(tenant, person_id)
    assert message.status == "delivered"


def test_an_undelivered_sms_fails_with_the_reason_and_falls_back_to_the_next_channel(
    outreach_app, create_tenant, create_person, decide, sms_gateway, mailbox, messages_of
):
    tenant = create_tenant()
    person_id = create_person(tenant, phone="+31612345678", email="sem@example.nl")
    decide(tenant, person_id, channels=["sms", "email"])
    [answer] = sms_gateway.send_reports(outreach_app.test_client(), "UNDELIVERABLE")
    assert answer.json["failed"] == 1
    sms, mail = messages_of(tenant, person_id)
    assert (sms.channel, sms.status) == ("sms", "failed")
    assert REPORT_STATUSES["UNDELIVERABLE"]["description"] in sms.last_error
    assert "Absent subscriber" in sms.last_error
    assert (mail.channel, mail.status, mail.replaces_id) == ("email", "sent", sms.id)
    assert len(mailbox.to("sem@example.nl")) == 1


def test_sms_reports_need_the_tenants_own_secret_and_ignore_unknown_ids(
    outreach_app, create_tenant, create_person, decide, sms_gateway, messages_of
):
    tenant, other = create_tenant(), create_tenant()
    person_id = create_person(tenant, phone="+31612345678")
    decide(tenant, person_id, channels=["sms"])
    client = outreach_app.test_client()
    [(url, report)] = sms_gateway.reports("DELIVERED")
    with outreach_app.app_context():
        others = infobip_secret(other)
    path = url.removeprefix("https://aandacht.test")
    assert (
        client.post(path.replace(infobip_secret_of(outreach_app, tenant), "0" * 40), json=report).status_code
        == 404
    )
    # The other tenant's address with its own secret: the message is not its, so it is ignored.
    answer = client.post(f"/t/{other.slug}/outreach/reports/infobip/{others}", json=report)
    assert (answer.status_code, answer.json["ignored"]) == (200, 1)
    unknown = {"results": [{**report["results"][0], "messageId": "not-ours"}]}
    assert client.post(path, json=unknown).json == {"delivered": 0, "failed": 0, "ignored": 1}
    assert client.post(path, json={"nothing": 1}).status_code == 400
    [message] = messages_of(tenant, person_id)
    assert message.status == "sent"


def infobip_secret_of(app, tenant) -> str:
    """The tenant's secret of its SMS report address."""
    with app.app_context():
        return infobip_secret(tenant)


def test_the_service_worker_confirms_a_push_message_which_makes_it_delivered(
    outreach_app, create_tenant, create_person, decide, prefer, push_service, messages_of
):
    tenant, other = create_tenant(), create_tenant()
    person_id = create_person(tenant)
    prefer(tenant, person_id, "app")
    with outreach_app.app_context(), tenant_context(tenant):
        subscribe_to_push(person_id, **push_service.subscribe())
    decide(tenant, person_id)
    [(_request, payload)] = push_service.payloads()
    receipt = payload["receipt"].removeprefix("https://aandacht.test")
    client = outreach_app.test_client()  # the service worker sends no cookies
    assert client.post(receipt.replace(tenant.slug, other.slug)).status_code == 404  # another tenant's
    assert client.post(receipt[:-3] + "xyz").status_code == 404  # a token that is not signed
    assert client.post(receipt).status_code == 204
    assert client.post(receipt).status_code == 204  # again: nothing changes
    [message] = messages_of(tenant, person_id)
    assert (message.channel, message.status) == ("push", "delivered")


def test_a_message_in_the_app_is_delivered_when_the_app_has_shown_it(
    outreach_app, create_tenant, create_person, decide, messages_of
):
    tenant = create_tenant()
    person_id, other = create_person(tenant), create_person(tenant)
    decide(tenant, person_id, channels=["in_app"])
    [message] = messages_of(tenant, person_id)
    assert message.status == "sent"  # in the app's list, not yet seen
    client = outreach_app.test_client()
    log_in(client, tenant, "person", other)  # someone else's list does not show it
    assert client.get(f"/t/{tenant.slug}/app/messages/").status_code == 200
    assert messages_of(tenant, person_id)[0].status == "sent"
    log_in(client, tenant, "person", person_id)
    assert client.get(f"/t/{tenant.slug}/app/messages/").status_code == 200
    [message] = messages_of(tenant, person_id)
    assert message.status == "delivered" and message.opened_at is not None


def test_campaign_results_count_what_arrived(
    outreach_app, create_tenant, create_person, create_staff, sms_gateway
):
    tenant = create_tenant()
    people = [create_person(tenant, phone=f"+3161234567{n}") for n in range(3)]
    lead = create_staff(tenant, role="team_lead")
    principal = Principal(kind="staff", id=lead, tenant_id=tenant.id, role="team_lead")
    with outreach_app.app_context(), tenant_context(tenant):
        campaign = campaigns.save_campaign(
            CampaignFields(
                name="Banenmarkt",
                audience_kind="everyone",
                texts={"sms": {"subject": "", "body": "Kom naar de banenmarkt."}},
                channels=["sms"],
            ),
            acting_user=principal,
        )
        campaigns.release(campaign, acting_user=principal)
        campaign_id = campaign.id
    client = outreach_app.test_client()
    reports = sms_gateway.reports("DELIVERED")
    assert len(reports) == len(people)
    for url, report in reports[:2]:
        client.post(url.removeprefix("https://aandacht.test"), json=report)
    with outreach_app.app_context(), tenant_context(tenant):
        results = campaigns.results(campaigns.campaign_by_id(campaign_id))
        assert (results.count("delivered"), results.count("sent")) == (2, 1)
