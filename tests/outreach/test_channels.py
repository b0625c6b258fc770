"""Each channel against a real peer on 127.0.0.1: what arrives, and what happens when the peer fails."""

from __future__ import annotations

from aandacht.outreach.delivery import MAX_ATTEMPTS
from aandacht.outreach.preferences import subscribe_to_push
from aandacht.outreach.reports import infobip_secret
from aandacht.tenancy.context import tenant_context
from tests.outreach.conftest import Answer


def test_an_email_has_text_and_html_in_the_tenants_look_and_one_click_unsubscribe(
    create_tenant, create_person, decide, mailbox, messages_of
):
    tenant = create_tenant(name="Gemeente Hengelo", branding={"primary_color": "#00a1e0"})
    person_id = create_person(tenant, email="anna@example.nl", display_name="Anna de Vries")
    message_id = decide(
        tenant, person_id, subject="Banenmarkt", body="Kom naar de banenmarkt.\n\nHet is gratis."
    )

    [mail] = mailbox.to("anna@example.nl")
    assert mail["Subject"] == "Banenmarkt"
    assert str(mail["To"]) == "Anna de Vries <anna@example.nl>"
    assert str(mail["From"]) == "Gemeente Hengelo <noreply@aandacht.test>"
    assert mail["Message-ID"] == f"<{message_id.hex}@aandacht.test>"
    assert mail.get_content_type() == "multipart/alternative"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "Kom naar de banenmarkt." in text and "Het is gratis." in text
    assert "#00a1e0" in html and "Gemeente Hengelo" in html and "<p" in html and "Het is gratis." in html
    unsubscribe = mail["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<https://aandacht.test/t/{tenant.slug}/unsubscribe/")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in text and unsubscribe.strip("<>") in html

    [message] = messages_of(tenant, person_id)
    assert (message.channel, message.status, message.attempts) == ("email", "sent", 1)
    assert message.provider_message_id == mail["Message-ID"]
    assert message.address == "anna@example.nl"


def test_a_refused_mail_is_tried_again_with_the_same_message_id(
    create_tenant, create_person, decide, sweep, time_passes, mailbox, messages_of
):
    tenant = create_tenant()
    person_id = create_person(tenant, email="bram@example.nl")
    mailbox.answers.append("451 4.3.0 Try again later")
    decide(tenant, person_id)
    [message] = messages_of(tenant, person_id)
    assert (message.status, message.attempts) == ("queued", 1)
    assert "451" in message.last_error

    time_passes(tenant, minutes=2)
    sweep(tenant)

    [message] = messages_of(tenant, person_id)
    assert (message.status, message.attempts, message.last_error) == ("sent", 2, None)
    first, second = mailbox.attempts
    assert first["Message-ID"] == second["Message-ID"] == message.provider_message_id
    assert len(mailbox.to("bram@example.nl")) == 1


def test_a_mail_the_server_refuses_for_good_fails_and_falls_back_to_the_app(
    create_tenant, create_person, decide, mailbox, messages_of
):
    tenant = create_tenant()
    person_id = create_person(tenant, email="cas@example.nl")
    mailbox.answers.append("550 5.1.1 No such user")
    decide(tenant, person_id)

    failed, replacement = messages_of(tenant, person_id)
    assert (failed.channel, failed.status) == ("email", "failed")
    assert "550" in failed.last_error and "No such user" in failed.last_error
    assert (replacement.channel, replacement.status, replacement.replaces_id) == ("in_app", "sent", failed.id)


def test_a_text_message_goes_to_infobip_as_its_api_is_documented(
    outreach_app, create_tenant, create_person, decide, sms_gateway, messages_of
):
    tenant = create_tenant(channels={"sms": {"sender": "Enschede"}})
    person_id = create_person(tenant, phone="+31612345678")
    message_id = decide(
        tenant, person_id, channels=["sms"], body="Uw afspraak is morgen.", link="https://x.nl/a"
    )

    [request] = sms_gateway.received
    assert request.path == "/sms/3/messages"
    assert request.headers["authorization"] == "App test-infobip-key"
    with outreach_app.app_context():
        secret = infobip_secret(tenant)
    assert request.json() == {
        "messages": [
            {
                "sender": "Enschede",
                "destinations": [{"to": "31612345678", "messageId": message_id.hex}],
                "content": {"text": "Uw afspraak is morgen.\nhttps://x.nl/a"},
                "webhooks": {
                    "delivery": {
                        "url": f"https://aandacht.test/t/{tenant.slug}/outreach/reports/infobip/{secret}"
                    },
                    "contentType": "application/json",
                },
            }
        ]
    }
    [message] = messages_of(tenant, person_id)
    assert (message.status, message.provider_message_id) == ("sent", message_id.hex)


def test_a_gateway_error_is_retried_with_the_same_key_until_it_succeeds(
    create_tenant, create_person, decide, sweep, time_passes, sms_gateway, messages_of
):
    tenant = create_tenant()
    person_id = create_person(tenant, phone="+31687654321")
    sms_gateway.script.extend([Answer(503, {"description": "Service unavailable"}), Answer(500)])
    decide(tenant, person_id, channels=["sms"])
    [message] = messages_of(tenant, person_id)
    assert message.status == "queued"
    assert "503" in message.last_error and "Service unavailable" in message.last_error

    time_passes(tenant, minutes=1.5)
    sweep(tenant)
    [message] = messages_of(tenant, person_id)
    assert (message.status, message.attempts) == ("queued", 2)
    time_passes(tenant, minutes=3)
    sweep(tenant)
    assert [message.status for message in messages_of(tenant, person_id)] == [
        "queued"
    ]  # the pause is 4 minutes
    time_passes(tenant, minutes=2)
    sweep(tenant)

    [message] = messages_of(tenant, person_id)
    assert (message.status, message.attempts) == ("sent", 3)
    keys = {request.json()["messages"][0]["destinations"][0]["messageId"] for request in sms_gateway.received}
    assert keys == {message.id.hex}
    assert len(sms_gateway.received) == 3


def test_a_refusal_by_the_gateway_fails_at_once_with_the_reason(
    create_tenant, create_person, decide, sms_gateway, messages_of
):
    tenant = create_tenant()
    person_id = create_person(tenant, phone="+31600000000")
    refusal = {
        "errorCode": "E400",
        "description": "Request cannot be processed.",
        "violations": [{"property": "messages[0].destinations[0].to", "violation": "invalid number"}],
    }
    sms_gateway.script.append(Answer(400, refusal))
    decide(tenant, person_id, channels=["sms"])

    [message] = messages_of(tenant, person_id)
    assert (message.status, message.attempts) == ("failed", 1)
    assert "400" in message.last_error and "invalid number" in message.last_error
    assert len(sms_gateway.received) == 1


def test_a_slow_gateway_times_out_and_the_retry_carries_the_same_key(
    create_tenant, create_person, decide, sweep, time_passes, sms_gateway, messages_of
):
    tenant = create_tenant()
    person_id = create_person(tenant, phone="+31611111111")
    sms_gateway.script.append(Answer(delay=2.5))  # the time-out is 1 s
    decide(tenant, person_id, channels=["sms"])
    [message] = messages_of(tenant, person_id)
    assert message.status == "queued"
    assert message.last_error == "De sms-dienst gaf niet op tijd antwoord."  # "did not answer in time"

    time_passes(tenant, minutes=2)
    sweep(tenant)
    [message] = messages_of(tenant, person_id)
    assert message.status == "sent"
    first, second = (request.json()["messages"][0]["destinations"][0] for request in sms_gateway.received)
    assert first == second == {"to": "31611111111", "messageId": message.id.hex}


def test_retries_end_as_failed_with_the_reason(
    create_tenant, create_person, decide, sweep, time_passes, sms_gateway, messages_of
):
    tenant = create_tenant()
    person_id = create_person(tenant, phone="+31622222222")
    sms_gateway.default = lambda _request: Answer(502, {"description": "Bad gateway"})
    decide(tenant, person_id, channels=["sms"])
    for _attempt in range(MAX_ATTEMPTS - 1):
        time_passes(tenant, minutes=24 * 60)
        sweep(tenant)

    [message] = messages_of(tenant, person_id)
    assert (message.status, message.attempts) == ("failed", MAX_ATTEMPTS)
    assert "502" in message.last_error and "Bad gateway" in message.last_error
    assert message.failed_at is not None
    assert len(sms_gateway.received) == MAX_ATTEMPTS


def test_a_push_message_is_encrypted_for_the_browser_and_signed_with_vapid(
    outreach_app, create_tenant, create_person, decide, prefer, push_service, messages_of
):
    tenant = create_tenant(name="Samen Actief")
    person_id = create_person(tenant, email="dirk@example.nl")
    prefer(tenant, person_id, "app")
    browser = push_service.subscribe()
    with outreach_app.app_context(), tenant_context(tenant):
        subscribe_to_push(person_id, **browser)
    message_id = decide(tenant, person_id, subject="Wandelen", body="Morgen om 10 uur wandelen.")

    [(request, payload)] = push_service.payloads()
    assert payload.pop("receipt").startswith(f"https://aandacht.test/t/{tenant.slug}/m/")
    assert payload == {
        "title": "Wandelen",
        "body": "Morgen om 10 uur wandelen.",
        "url": f"https://aandacht.test/t/{tenant.slug}/app/messages/",
        "tag": message_id.hex,
    }
    assert request.headers["topic"] == message_id.hex
    assert request.headers["content-encoding"] == "aes128gcm"
    assert request.headers["authorization"].startswith("vapid t=")
    [message] = messages_of(tenant, person_id)
    assert (message.channel, message.status) == ("push", "sent")


def test_a_gone_browser_is_forgotten_and_the_message_goes_to_the_app(
    outreach_app, create_tenant, create_person, decide, prefer, push_service, messages_of
):
    tenant = create_tenant()
    person_id = create_person(tenant)
    prefer(tenant, person_id, "app")
    with outreach_app.app_context(), tenant_context(tenant):
        subscribe_to_push(person_id, **push_service.subscribe())
    push_service.script.append(Answer(410))
    decide(tenant, person_id)

    failed, replacement = messages_of(tenant, person_id)
    assert (failed.channel, failed.status) == ("push", "failed")
    assert (replacement.channel, replacement.status) == ("in_app", "sent")
    decide(tenant, person_id)
    assert messages_of(tenant, person_id)[-1].channel == "in_app"  # the browser is no longer subscribed
