"""Delivery guarantees: sent once however often a job runs, nothing lost when Redis or a worker is gone."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

from aandacht import jobs
from aandacht.app import create_app
from aandacht.db import session, utcnow
from aandacht.outreach import delivery, service
from aandacht.outreach.models import Campaign
from aandacht.tenancy.context import tenant_context
from tests.outreach.conftest import (
    free_port,
    kill_worker_midway,
    message_ids_per_recipient,
    statuses_after_the_sweeper,
)


def test_the_same_job_run_twice_sends_once(
    outreach_app, create_tenant, create_person, decide, mailbox, messages_of
):
    tenant = create_tenant()
    person_id = create_person(tenant, email="nina@example.nl")
    message_id = decide(tenant, person_id)
    with outreach_app.app_context(), tenant_context(tenant):
        assert delivery.deliver(str(message_id)) == "skipped"
        assert delivery.deliver(str(message_id)) == "skipped"
    assert len(mailbox.to("nina@example.nl")) == 1
    [message] = messages_of(tenant, person_id)
    assert (message.status, message.attempts) == ("sent", 1)


def test_two_runs_at_the_same_moment_send_once(
    outreach_app, create_tenant, create_person, decide, time_passes, mailbox, messages_of
):
    tenant = create_tenant()
    person_id = create_person(tenant, email="noor@example.nl")
    message_id = decide(tenant, person_id, not_before=utcnow() + timedelta(minutes=1))
    time_passes(tenant, minutes=2)
    mailbox.delay = 0.5  # the first hand-off is still going on when the second run starts
    results: list[str] = []

    def run() -> None:
        with outreach_app.app_context(), tenant_context(tenant):
            results.append(delivery.deliver(str(message_id)))

    runs = [threading.Thread(target=run) for _ in range(2)]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join()
    assert sorted(results) == ["sent", "skipped"]
    assert len(mailbox.attempts) == 1
    assert [(m.status, m.attempts) for m in messages_of(tenant, person_id)] == [("sent", 1)]


def test_the_sweeper_takes_back_the_claim_of_a_worker_that_died(
    outreach_app, create_tenant, create_person, decide, sweep, time_passes, mailbox, messages_of
):
    tenant = create_tenant()
    person_id = create_person(tenant, email="olaf@example.nl")
    message_id = decide(tenant, person_id, not_before=utcnow() + timedelta(minutes=1))
    time_passes(tenant, minutes=2)
    with outreach_app.app_context(), tenant_context(tenant):
        assert delivery._claim(message_id, utcnow())  # a worker claims it, then dies before handing it over
        assert delivery.deliver(str(message_id)) == "skipped"  # a second run of its job leaves it alone
    assert sweep(tenant) == (0, 0)  # a recent claim may still be working

    time_passes(tenant, minutes=delivery.STUCK_AFTER.total_seconds() / 60 + 1)
    assert sweep(tenant) == (1, 1)
    [message] = messages_of(tenant, person_id)
    assert (message.status, message.attempts) == ("sent", 2)
    assert len(mailbox.to("olaf@example.nl")) == 1


def test_with_redis_down_a_message_waits_and_the_sweeper_sends_it(
    app_settings,
    peer_settings,
    create_tenant,
    create_person,
    decide,
    sweep,
    time_passes,
    mailbox,
    messages_of,
):
    tenant = create_tenant()
    person_id = create_person(tenant, email="piet@example.nl")
    redis_down = create_app(
        {**app_settings, **peer_settings, "REDIS_URL": f"redis://127.0.0.1:{free_port()}/5"}
    )
    decide(tenant, person_id, app=redis_down)  # no error: the row holds the work
    [message] = messages_of(tenant, person_id)
    assert (message.status, message.attempts) == ("queued", 0)
    assert sweep(tenant, app=redis_down) == (0, 0)  # handed over a moment ago, as far as anyone knows

    time_passes(tenant, minutes=delivery.HAND_OVER_AGAIN_AFTER.total_seconds() / 60 + 1)
    assert sweep(tenant, app=redis_down) == (0, 1)  # Redis still down: handing over fails again, quietly
    assert [m.status for m in messages_of(tenant, person_id)] == ["queued"]
    time_passes(tenant, minutes=delivery.HAND_OVER_AGAIN_AFTER.total_seconds() / 60 + 1)
    assert sweep(tenant) == (0, 1)  # Redis back (here: jobs inline)
    [message] = messages_of(tenant, person_id)
    assert (message.status, message.attempts) == ("sent", 1)
    assert len(mailbox.to("piet@example.nl")) == 1


def test_a_real_worker_sends_a_queued_message_once_even_when_its_job_comes_twice(
    queued_app, create_tenant, create_person, decide, mailbox, messages_of
):
    tenant = create_tenant()
    person_id = create_person(tenant, email="quinten@example.nl")
    message_id = decide(tenant, person_id, app=queued_app)
    assert [m.status for m in messages_of(tenant, person_id)] == ["queued"]
    with queued_app.app_context(), tenant_context(tenant):
        jobs.enqueue(service.DELIVER, str(message_id))  # the same job once more
    assert jobs.queue_named(queued_app, "default").count == 2

    jobs.run_worker(queued_app, ["default"], burst=True)

    [message] = messages_of(tenant, person_id)
    assert (message.status, message.attempts) == ("sent", 1)
    assert len(mailbox.to("quinten@example.nl")) == 1


RECIPIENTS = 24


def test_a_worker_killed_mid_campaign_leaves_every_recipient_exactly_one_message(
    queued_app,
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
    addresses = [f"ontvanger{number}@example.nl" for number in range(RECIPIENTS)]
    people = [create_person(tenant, email=address) for address in addresses]
    campaign = uuid.uuid4()
    with queued_app.app_context(), tenant_context(tenant):
        session.add(Campaign(id=campaign, name="Nieuws", audience_kind="everyone", status="released"))
        for person_id in people:
            service.send_to_person(
                person_id, subject="Nieuws", body="Iedereen tegelijk.", actor_id=None, campaign_id=campaign
            )
        session.commit()
    assert jobs.queue_named(queued_app, "bulk").count == RECIPIENTS
    mailbox.delay = 0.15  # each mail takes a while, so the kill lands mid-campaign

    settings = {**app_settings, **peer_settings, "REDIS_URL": redis_url}
    log_path = tmp_path / "worker.log"
    accepted_before = kill_worker_midway(settings, mailbox, after=RECIPIENTS // 3, log_path=log_path)
    assert RECIPIENTS // 3 <= accepted_before < RECIPIENTS, log_path.read_text()[-3000:]

    states = statuses_after_the_sweeper(queued_app, tenant, sweep, time_passes, mailbox)
    assert [state.status for state in states] == ["sent"] * RECIPIENTS, states
    message_ids = message_ids_per_recipient(mailbox)
    assert sorted(message_ids) == sorted(addresses)
    assert all(len(found) == 1 for found in message_ids.values()), message_ids
    # Only a hand-off the kill cut between the server's answer and its record can be repeated: at most
    # one (one worker), and with the same Message-ID, which mail systems use to drop the repeat.
    assert RECIPIENTS <= len(mailbox.accepted) <= RECIPIENTS + 1
