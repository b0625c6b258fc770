"""Deciding to send: preference, opt-outs and fallback choose the channel; the decision is one transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest

from aandacht.db import session, utcnow
from aandacht.outreach import service
from aandacht.outreach.preferences import set_opt_out
from aandacht.tenancy.context import tenant_context


@pytest.fixture
def opt_out(app):
    """`opt_out(tenant, person_id, "email")`: the person switches a channel off."""

    def switch(tenant, person_id, channel: str) -> None:
        with app.app_context(), tenant_context(tenant):
            set_opt_out(person_id, channel, True, source="person")

    return switch


def test_without_a_preference_email_comes_first_then_sms_then_the_app(
    create_tenant, create_person, decide, messages_of
):
    tenant = create_tenant()
    both = create_person(tenant, email="eva@example.nl", phone="+31633333333")
    phone_only = create_person(tenant, phone="+31644444444")
    neither = create_person(tenant)
    for person_id in (both, phone_only, neither):
        decide(tenant, person_id)

    [to_both] = messages_of(tenant, both)
    assert (to_both.channel, to_both.fallback) == ("email", ["sms", "in_app"])
    assert [m.channel for m in messages_of(tenant, phone_only)] == ["sms"]
    assert [(m.channel, m.status) for m in messages_of(tenant, neither)] == [("in_app", "sent")]


@pytest.mark.parametrize(("preference", "channel"), [("sms", "sms"), ("email", "email"), ("app", "in_app")])
def test_the_persons_preferred_channel_decides(
    create_tenant, create_person, decide, prefer, messages_of, preference, channel
):
    tenant = create_tenant()
    person_id = create_person(tenant, email="fleur@example.nl", phone="+31655555555")
    prefer(tenant, person_id, preference)
    decide(tenant, person_id)
    [message] = messages_of(tenant, person_id)
    assert (message.channel, message.status) == (channel, "sent")


def test_a_switched_off_channel_is_never_used(
    create_tenant, create_person, decide, prefer, opt_out, mailbox, messages_of
):
    tenant = create_tenant()
    person_id = create_person(tenant, email="gijs@example.nl", phone="+31666666666")
    prefer(tenant, person_id, "email")
    opt_out(tenant, person_id, "email")
    decide(tenant, person_id)
    decide(tenant, person_id, channels=["email", "in_app"])

    assert [m.channel for m in messages_of(tenant, person_id)] == ["sms", "in_app"]
    assert mailbox.attempts == []


def test_a_channel_switched_off_after_the_decision_is_not_used_either(
    outreach_app, create_tenant, create_person, decide, opt_out, sweep, time_passes, mailbox, messages_of
):
    tenant = create_tenant()
    person_id = create_person(tenant, email="hans@example.nl")
    decide(tenant, person_id, not_before=utcnow() + timedelta(minutes=30))
    opt_out(tenant, person_id, "email")
    time_passes(tenant, minutes=31)
    sweep(tenant)

    failed, replacement = messages_of(tenant, person_id)
    assert (failed.channel, failed.status) == ("email", "failed")
    assert failed.last_error == "De persoon heeft dit kanaal uitgezet."  # in the person's language
    assert (replacement.channel, replacement.status) == ("in_app", "sent")
    assert mailbox.attempts == []


def test_a_scheduled_message_waits_for_its_moment(
    create_tenant, create_person, decide, sweep, time_passes, mailbox, messages_of
):
    tenant = create_tenant()
    person_id = create_person(tenant, email="ilse@example.nl")
    decide(tenant, person_id, not_before=utcnow() + timedelta(hours=2))
    sweep(tenant)
    assert [m.status for m in messages_of(tenant, person_id)] == ["queued"]
    assert mailbox.attempts == []

    time_passes(tenant, minutes=121)
    sweep(tenant)
    assert [m.status for m in messages_of(tenant, person_id)] == ["sent"]
    assert len(mailbox.to("ilse@example.nl")) == 1


def test_when_nothing_reaches_the_person_the_failure_is_written_down(
    create_tenant, create_person, decide, opt_out, messages_of
):
    tenant = create_tenant()
    person_id = create_person(tenant, email="joost@example.nl")
    opt_out(tenant, person_id, "email")
    decide(tenant, person_id, channels=["email", "sms"])

    [message] = messages_of(tenant, person_id)
    assert (message.channel, message.status) == ("email", "failed")
    assert "email: uitgezet door de persoon" in message.last_error  # switched off by the person
    assert "sms: geen adres voor dit kanaal" in message.last_error  # no address for this channel


def test_deciding_twice_with_one_key_writes_one_message(
    create_tenant, create_person, decide, mailbox, messages_of
):
    tenant = create_tenant()
    person_id = create_person(tenant, email="karin@example.nl")
    first = decide(tenant, person_id, idempotency_key="campaign-7:karin")
    second = decide(tenant, person_id, idempotency_key="campaign-7:karin")
    assert first == second
    assert len(messages_of(tenant, person_id)) == 1
    assert len(mailbox.to("karin@example.nl")) == 1


def test_a_rolled_back_decision_sends_nothing(
    outreach_app, create_tenant, create_person, mailbox, messages_of
):
    tenant = create_tenant()
    person_id = create_person(tenant, email="lars@example.nl")
    with outreach_app.app_context(), tenant_context(tenant):
        service.send_to_person(person_id, subject="Nooit", body="Nooit verstuurd.", actor_id=None)
        session.rollback()
    assert messages_of(tenant, person_id) == []
    assert mailbox.attempts == []


def test_an_unknown_person_or_channel_is_refused(outreach_app, create_tenant, create_person):
    tenant, other = create_tenant(), create_tenant()
    stranger = create_person(other, email="mila@example.nl")
    person_id = create_person(tenant)
    with outreach_app.app_context(), tenant_context(tenant):
        with pytest.raises(service.UnknownPerson):
            service.send_to_person(stranger, subject="x", body="y", actor_id=None)
        with pytest.raises(ValueError, match="unknown channels"):
            service.send_to_person(person_id, subject="x", body="y", actor_id=None, channels=["fax"])
