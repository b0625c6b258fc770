"""Outreach pages: messages in the app with their count, unsubscribe, push sign-up, the coach's view."""

from __future__ import annotations

import re

from aandacht.db import session
from aandacht.outreach.models import PushSubscription
from aandacht.outreach.preferences import opted_out_channels, unsubscribe_token
from aandacht.tenancy.context import tenant_context
from tests.api.helpers import log_in
from tests.helpers import csrf_token
from tests.outreach.conftest import Answer

DUTCH = {"Accept-Language": "nl"}


def unread_badge(page: str) -> str | None:
    match = re.search(r'data-testid="unread-count">(\d+)', page)
    return match.group(1) if match else None


def test_the_app_shows_new_messages_with_a_count_until_they_are_read(
    outreach_app, create_tenant, create_person, decide
):
    tenant = create_tenant()
    person_id, other = create_person(tenant), create_person(tenant)
    decide(tenant, person_id, subject="Koffie-ochtend", body="Donderdag is er koffie in het buurthuis.")
    decide(
        tenant, person_id, subject="Nieuwe tip", body="Lees de tip over solliciteren.", link="https://x.nl/t"
    )
    client = outreach_app.test_client()
    log_in(client, tenant, "person", person_id)

    home = client.get(f"/t/{tenant.slug}/app/", headers=DUTCH).get_data(as_text=True)
    assert unread_badge(home) == "2"
    assert "nieuwe berichten" in home
    page = client.get(f"/t/{tenant.slug}/app/messages/", headers=DUTCH).get_data(as_text=True)
    assert page.count('data-testid="message"') == 2
    assert "Koffie-ochtend" in page and "Donderdag is er koffie in het buurthuis." in page
    assert 'href="https://x.nl/t"' in page and "Nieuw" in page
    again = client.get(f"/t/{tenant.slug}/app/messages/", headers=DUTCH).get_data(as_text=True)
    assert unread_badge(again) is None and "message--new" not in again

    log_in(client, tenant, "person", other)
    assert 'data-testid="messages-empty"' in client.get(f"/t/{tenant.slug}/app/messages/").get_data(
        as_text=True
    )


def test_one_click_unsubscribe_switches_email_off_without_a_login(
    outreach_app, create_tenant, create_person, decide, mailbox, messages_of
):
    tenant, other = create_tenant(), create_tenant()
    person_id = create_person(tenant, email="rosa@example.nl", phone="+31677777777")
    decide(tenant, person_id)
    link = mailbox.to("rosa@example.nl")[0]["List-Unsubscribe"].strip("<>")
    path = link.removeprefix("https://aandacht.test")
    client = outreach_app.test_client()

    page = client.get(path, headers=DUTCH)
    assert page.status_code == 200 and "Ja, geen e-mails meer" in page.get_data(as_text=True)
    with outreach_app.app_context(), tenant_context(tenant):
        assert opted_out_channels(person_id) == set()  # looking changes nothing
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and 'data-testid="unsubscribed"' in done.get_data(as_text=True)
    with outreach_app.app_context(), tenant_context(tenant):
        assert opted_out_channels(person_id) == {"email"}

    decide(tenant, person_id)
    assert [m.channel for m in messages_of(tenant, person_id)] == ["email", "sms"]
    assert client.post(path.replace(tenant.slug, other.slug)).status_code == 404  # another tenant's link
    assert client.post(path[:-3] + "abc").status_code == 404


def test_an_unsubscribe_token_of_another_tenant_is_not_accepted(outreach_app, create_tenant, create_person):
    tenant, other = create_tenant(), create_tenant()
    person_id = create_person(tenant)
    with outreach_app.app_context(), tenant_context(other):
        token = unsubscribe_token(person_id, "email")
    client = outreach_app.test_client()
    assert client.get(f"/t/{other.slug}/unsubscribe/{token}").status_code == 404
    assert client.get(f"/t/{tenant.slug}/unsubscribe/{token}").status_code == 404


def test_a_browser_signs_up_for_push_messages(outreach_app, app, create_tenant, create_person):
    tenant = create_tenant()
    person_id = create_person(tenant)
    client = outreach_app.test_client()
    log_in(client, tenant, "person", person_id)
    token = csrf_token(client.get(f"/t/{tenant.slug}/app/settings"))
    url = f"/t/{tenant.slug}/app/messages/push-subscription"
    subscription = {"endpoint": "https://push.example/abc", "keys": {"p256dh": "BPk", "auth": "c2VjcmV0"}}

    assert client.post(url, json=subscription, headers={"X-CSRFToken": token}).status_code == 201
    assert client.post(url, json={"endpoint": "x"}, headers={"X-CSRFToken": token}).status_code == 400
    with outreach_app.app_context(), tenant_context(tenant):
        [found] = session.query(PushSubscription).all()
        assert (found.person_id, found.endpoint) == (person_id, "https://push.example/abc")
    assert (
        client.delete(
            url, json={"endpoint": "https://push.example/abc"}, headers={"X-CSRFToken": token}
        ).status_code
        == 200
    )
    with outreach_app.app_context(), tenant_context(tenant):
        assert session.query(PushSubscription).count() == 0

    plain = app.test_client()  # without VAPID keys there is no web push
    log_in(plain, tenant, "person", person_id)
    token = csrf_token(plain.get(f"/t/{tenant.slug}/app/settings"))
    assert plain.post(url, json=subscription, headers={"X-CSRFToken": token}).status_code == 404


def test_the_coach_sees_each_message_with_its_state_and_why_it_failed(
    outreach_app, create_tenant, create_person, create_staff, decide, sms_gateway
):
    tenant = create_tenant()
    person_id = create_person(tenant, display_name="Sanne Bakker", phone="+31688888888")
    stranger = create_person(tenant)
    coach = create_staff(tenant, caseload=[person_id])
    sms_gateway.script.append(Answer(400, {"description": "Bad number"}))
    decide(tenant, person_id, channels=["sms"], subject="Afspraak")
    client = outreach_app.test_client()
    log_in(client, tenant, "staff", coach)
    url = f"/t/{tenant.slug}/workspace/people/{person_id}/messages"

    page = client.get(url, headers=DUTCH).get_data(as_text=True)
    assert "Berichten aan Sanne Bakker" in page
    assert "Mislukt" in page and "Bad number" in page
    sent = client.post(
        url, data={"subject": "Hoi", "body": "Hoe gaat het?", "csrf_token": csrf_token(client.get(url))}
    )
    assert sent.status_code == 302
    page = client.get(url, headers=DUTCH).get_data(as_text=True)
    assert "Hoi" in page and "Verzonden" in page
    refused = client.post(url, data={"subject": "", "body": "", "csrf_token": csrf_token(client.get(url))})
    assert refused.status_code == 400
    assert client.get(f"/t/{tenant.slug}/workspace/people/{stranger}/messages").status_code == 404


def test_the_person_switches_channels_off_and_on_in_the_settings(
    outreach_app, app, create_tenant, create_person, decide, messages_of
):
    tenant = create_tenant()
    person_id = create_person(tenant, email="tess@example.nl", phone="+31699999999")
    client = outreach_app.test_client()
    log_in(client, tenant, "person", person_id)
    settings = f"/t/{tenant.slug}/app/settings"
    page = client.get(settings, headers=DUTCH).get_data(as_text=True)
    assert "Hoe mogen we u bereiken?" in page
    assert (
        page.count('name="channel"') == 3 and page.count('name="channel" value="email" aria-describedby') == 1
    )
    assert 'data-push hidden data-url="/t/' in page and "push.js" in page

    token = csrf_token(client.get(settings))
    saved = client.post(
        f"/t/{tenant.slug}/app/messages/channels", data={"channel": ["sms"], "csrf_token": token}
    )
    assert saved.status_code == 302
    with outreach_app.app_context(), tenant_context(tenant):
        assert opted_out_channels(person_id) == {"email", "push"}
    decide(tenant, person_id)
    assert messages_of(tenant, person_id)[-1].channel == "sms"
    client.post(
        f"/t/{tenant.slug}/app/messages/channels", data={"channel": ["email", "sms"], "csrf_token": token}
    )
    with outreach_app.app_context(), tenant_context(tenant):
        assert opted_out_channels(person_id) == {"push"}

    plain = app.test_client()  # without VAPID keys the settings offer no notifications
    log_in(plain, tenant, "person", person_id)
    assert "data-push" not in plain.get(settings).get_data(as_text=True)
