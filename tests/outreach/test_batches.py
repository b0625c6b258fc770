"""Delivery in batches: one job and one SMTP connection for many messages, each still sent once."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from aandacht import jobs
from aandacht.db import session, utcnow
from aandacht.outreach import delivery, service
from aandacht.outreach.models import Campaign, Message
from aandacht.tenancy.context import tenant_context
from tests.outreach.conftest import kill_worker_midway, message_ids_per_recipient, statuses_after_the_sweeper


def _due_messages(outreach_app, tenant, create_person, count: int, *, campaign: bool = False) -> list[str]:
    """`count` e-mails to as many people, decided for a minute ago but not handed to a job yet."""
    people = [create_person(tenant, email=f"batch{number}@example.nl") for number in range(count)]
    with outreach_app.app_context(), tenant_context(tenant):
        campaign_id = None
        if campaign:
            campaign_id = uuid.uuid4()
            session.add(Campaign(id=campaign_id, name="Nieuws", audience_kind="everyone", status="released"))
        later = utcnow() + timedelta(minutes=1)
        ids = [
            str(
                service.send_to_person(
                    person_id,
                    subject="Nieuws",
                    body="Iedereen tegelijk.",
                    actor_id=None,
                    not_before=later,
                    campaign_id=campaign_id,
                ).id
            )
            for person_id in people
        ]
        session.commit()
    return ids


def _states(outreach_app, tenant) -> dict[str, tuple[str, int]]:
    with outreach_app.app_context(), tenant_context(tenant):
        rows = session.execute(select(Message.id, Message.status, Message.attempts)).all()
    return {str(row.id): (row.status, row.attempts) for row in rows}


def test_a_batch_sends_each_message_once_over_one_connection_and_records_each(
    outreach_app, create_tenant, create_person, time_passes, mailbox
):
    tenant = create_tenant()
    ids = _due_messages(outreach_app, tenant, create_person, 5)
    time_passes(tenant, minutes=2)

    with outreach_app.app_context(), tenant_context(tenant):
        assert delivery.deliver_batch(ids) == {"sent": 5}

    assert _states(outreach_app, tenant) == dict.fromkeys(ids, ("sent", 1))
    assert sorted(mail["To"].addresses[0].addr_spec for mail in mailbox.accepted) == sorted(
        f"batch{number}@example.nl" for number in range(5)
    )
    assert mailbox.connections == 1


def test_a_batch_run_twice_sends_nothing_the_second_time(
    outreach_app, create_tenant, create_person, time_passes, mailbox
):
    tenant = create_tenant()
    ids = _due_messages(outreach_app, tenant, create_person, 3)
    time_passes(tenant, minutes=2)

    with outreach_app.app_context(), tenant_context(tenant):
        assert delivery.deliver_batch(ids) == {"sent": 3}
        assert delivery.deliver_batch(ids) == {"skipped": 3}

    assert len(mailbox.attempts) == 3
    assert _states(outreach_app, tenant) == dict.fromkeys(ids, ("sent", 1))


def test_a_message_claimed_by_another_run_is_skipped(
    outreach_app, create_tenant, create_person, time_passes, mailbox
):
    tenant = create_tenant()
    ids = _due_messages(outreach_app, tenant, create_person, 3)
    time_passes(tenant, minutes=2)

    with outreach_app.app_context(), tenant_context(tenant):
        assert delivery._claim(uuid.UUID(ids[1]), utcnow())  # another worker is sending it right now
        assert delivery.deliver_batch(ids) == {"sent": 2, "skipped": 1}

    assert _states(outreach_app, tenant) == {ids[0]: ("sent", 1), ids[1]: ("sending", 1), ids[2]: ("sent", 1)}
    assert len(mailbox.attempts) == 2


def test_a_failure_of_one_message_retries_only_that_one(
    outreach_app, create_tenant, create_person, time_passes, mailbox
):
    tenant = create_tenant()
    ids = _due_messages(outreach_app, tenant, create_person, 3)
    time_passes(tenant, minutes=2)
    mailbox.answers.extend([None, "451 Probeer het later nog eens"])  # type: ignore[list-item]

    with outreach_app.app_context(), tenant_context(tenant):
        assert delivery.deliver_batch(ids) == {"sent": 2, "retry": 1}
        failed = session.execute(select(Message).where(Message.id == uuid.UUID(ids[1]))).scalar_one()
        assert failed.next_attempt_at > utcnow() + delivery.backoff(1) - timedelta(seconds=30)
        assert "451" in (failed.last_error or "")

    assert _states(outreach_app, tenant) == {ids[0]: ("sent", 1), ids[1]: ("queued", 1), ids[2]: ("sent", 1)}
    assert len(mailbox.accepted) == 2
    # The refusal closes the connection; the next mail opens a fresh one.
    assert mailbox.connections == 2

    time_passes(tenant, minutes=delivery.backoff(1).total_seconds() / 60 + 1)
    with outreach_app.app_context(), tenant_context(tenant):
        assert delivery.deliver_batch(ids) == {"sent": 1, "skipped": 2}
    assert _states(outreach_app, tenant)[ids[1]] == ("sent", 2)


def test_the_sweeper_hands_campaign_messages_over_in_batches(
    queued_app, outreach_app, create_tenant, create_person, time_passes, sweep
):
    tenant = create_tenant()
    count = service.DELIVERY_BATCH_SIZE + 20
    _due_messages(outreach_app, tenant, create_person, count, campaign=True)
    time_passes(tenant, minutes=2)

    assert sweep(tenant, app=queued_app) == (0, count)

    queue = jobs.queue_named(queued_app, "bulk")
    assert queue.count == 2
    sizes = sorted(len(job.args[0]["args"][0]) for job in queue.get_jobs())
    assert sizes == [20, service.DELIVERY_BATCH_SIZE]


RECIPIENTS = 24


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "no-fork"])
def test_a_worker_killed_mid_batch_leaves_every_recipient_exactly_one_message(
    fork,
    queued_app,
    outreach_app,
    app_settings,
    peer_settings,
    redis_url,
    create_tenant,
    create_person,
    sweep,
    time_passes,
    mailbox,
    tmp_path,
):
    tenant = create_tenant()
    _due_messages(outreach_app, tenant, create_person, RECIPIENTS, campaign=True)
    addresses = [f"batch{number}@example.nl" for number in range(RECIPIENTS)]
    time_passes(tenant, minutes=2)
    assert sweep(tenant, app=queued_app) == (0, RECIPIENTS)
    assert jobs.queue_named(queued_app, "bulk").count == 1  # one batch job for all of them
    mailbox.delay = 0.15  # each mail takes a while, so the kill lands mid-batch

    settings = {**app_settings, **peer_settings, "REDIS_URL": redis_url}
    log_path = tmp_path / "worker.log"
    accepted_before = kill_worker_midway(
        settings, mailbox, after=RECIPIENTS // 3, log_path=log_path, fork=fork
    )
    assert RECIPIENTS // 3 <= accepted_before < RECIPIENTS, log_path.read_text()[-3000:]

    # The batch's job died with its worker: the sweeper takes back the claims and hands the rest over.
    states = statuses_after_the_sweeper(queued_app, tenant, sweep, time_passes, mailbox)
    assert [state.status for state in states] == ["sent"] * RECIPIENTS, states
    message_ids = message_ids_per_recipient(mailbox)
    assert sorted(message_ids) == sorted(addresses)
    assert all(len(found) == 1 for found in message_ids.values()), message_ids
    # Only the one hand-off the kill cut between the server's answer and its record can be repeated.
    assert RECIPIENTS <= len(mailbox.accepted) <= RECIPIENTS + 1
