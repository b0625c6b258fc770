"""Delivery, the worker's side of the outbox: claim a message, hand it over, record what happened.

`deliver(message_id)` is the job. It first claims the message with one conditional UPDATE
(`queued` -> `sending`, committed at once): of two runs of the same job only one can win, so a
message already sent or being sent is never sent again. The hand-off happens outside any database
transaction, and its outcome is recorded right after it, which keeps the window in which a dying worker
leaves a message handed over but not recorded as short as one commit.

A failure that may pass (a time-out, a 5xx answer) puts the message back in the queue with an
exponential back-off (`backoff`); a final one, or the last attempt, ends it as `failed` with the
reason in `last_error`, and the next channel of its fallback gets a message of its own.

`deliver_batch(message_ids)` is the same for a batch of messages (`service.DELIVER_BATCH` ids per
job): campaigns and the sweeper hand their messages over in batches, because RQ forks a process per
job, and a batch's e-mails share one SMTP connection. Each message of a batch is still claimed,
handed over and recorded on its own, so the guarantee is the same as `deliver`'s.

`sweep()` is the periodic job (every minute, per tenant): it takes back claims of workers that died
(`sending` for longer than `STUCK_AFTER`) and hands every due message to the queue that has no job
waiting for it (back-off over, a scheduled moment reached, or Redis was down when it was decided).
Redis being down therefore delays messages; it never loses one. `docs/outreach.md` states the
guarantee per channel.
"""

from __future__ import annotations

import logging
import uuid
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from itertools import groupby

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import Row, or_, select, text, update

from aandacht.db import one_connection, pipelined, session, utcnow
from aandacht.outreach import service, tracking
from aandacht.outreach.channels import adapter
from aandacht.outreach.channels.base import DeliveryFailed, HandOff, Outgoing, Recipient
from aandacht.outreach.models import Message
from aandacht.outreach.outbox import tenant_request
from aandacht.outreach.preferences import unsubscribe_token
from aandacht.tenancy.context import require_tenant

log = logging.getLogger(__name__)

#: Attempts before a message that keeps failing ends as failed.
MAX_ATTEMPTS = 5
#: The pause after the first failed attempt; each next pause is `BACKOFF_FACTOR` times longer.
FIRST_RETRY = timedelta(minutes=1)
BACKOFF_FACTOR = 4
#: A claim older than this belongs to a worker that died (far longer than any hand-off's time-out).
STUCK_AFTER = timedelta(minutes=10)
#: A due message whose job has not come after this long is handed to the queue again.
HAND_OVER_AGAIN_AFTER = timedelta(minutes=5)
#: The most messages one sweep hands over (the next sweep takes the rest).
SWEEP_BATCH = 5000
#: The messages of a batch claimed with one UPDATE (and their people read at once): a dying worker
#: leaves at most this many claimed messages for the sweeper to take back.
CLAIM_GROUP = 50


def backoff(attempts: int) -> timedelta:
    """The pause after the `attempts`-th failed attempt: 1, 4, 16, 64 minutes."""
    return FIRST_RETRY * BACKOFF_FACTOR ** max(attempts - 1, 0)


def deliver(message_id: str) -> str:
    """The delivery job of one message; returns `sent`, `retry`, `failed` or `skipped` (not claimable)."""
    [outcome] = _deliver_group([uuid.UUID(message_id)])
    return outcome


def deliver_batch(message_ids: list[str]) -> dict[str, int]:
    """The delivery job of a batch of messages (a campaign's, the sweeper's); counts the outcomes.

    The batch is delivered in groups of `CLAIM_GROUP`, exactly as `deliver` delivers its one message:
    a group is claimed with one conditional UPDATE (a message claimed elsewhere is skipped) and its
    people are read at once; then each message is handed off and recorded on its own, so the
    not-recorded window stays one commit per message. All in one process (RQ forks one per job), on
    one database connection and, for e-mail, over one SMTP connection with one mail composer. A
    failure of one message retries that message only.
    """
    keys = [uuid.UUID(message_id) for message_id in message_ids]
    outcomes: dict[str, int] = {}
    with one_connection(), _email_connection():
        for start in range(0, len(keys), CLAIM_GROUP):
            for outcome in _deliver_group(keys[start : start + CLAIM_GROUP]):
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


#: What a hand-off needs of a message (columns, not an ORM object: a batch reads hundreds).
_HANDED_OFF = (
    Message.id,
    Message.person_id,
    Message.channel,
    Message.subject,
    Message.body,
    Message.payload,
    Message.campaign_id,
)


def _deliver_group(keys: list[uuid.UUID]) -> list[str]:
    """Claim the messages, read them and their people, then hand each over and record it; the outcomes.

    The hand-offs run in one request on the tenant's address per language (for links and texts).
    """
    claimed = _claim_many(keys, utcnow())
    outcomes = ["skipped"] * (len(keys) - len(claimed))
    if len(claimed) < len(keys):
        log.info("%d messages not claimed: already sent, being sent or not due", len(keys) - len(claimed))
    if not claimed:
        return outcomes
    messages = session.execute(select(*_HANDED_OFF).where(Message.id.in_(claimed))).all()
    reach = service.reach_of_many(list({message.person_id for message in messages}))
    session.commit()  # no transaction stays open during the hand-offs
    outcomes += ["skipped"] * (len(claimed) - len(messages))  # removed with their person since the claim
    tenant = require_tenant()
    position = {key: index for index, key in enumerate(keys)}

    def language(message: Row) -> str:
        found = reach.get(message.person_id)
        return found.person.locale if found else tenant.default_locale

    in_order = sorted(messages, key=lambda message: (language(message), position[message.id]))
    for locale, same_language in groupby(in_order, key=language):
        with tenant_request(tenant, locale):
            outcomes.extend(_hand_off(message, reach.get(message.person_id)) for message in same_language)
    return outcomes


def _hand_off(message: Row, reach: service.Reach | None) -> str:
    """Hand one claimed message to its channel and record the outcome at once."""
    try:
        if reach is None:  # no longer there, or no longer active
            raise service.UnknownPerson(str(message.person_id))
        if message.channel in reach.switched_off:
            raise DeliveryFailed(_("The person switched this channel off."), permanent=True)
        hand_off = adapter(message.channel).send(_outgoing(message, reach.person))
    except DeliveryFailed as failure:
        return _record_failure(message.id, failure)
    except service.UnknownPerson:
        return _record_failure(message.id, DeliveryFailed(_("The person no longer exists."), permanent=True))
    except Exception as error:  # a fault of ours or a library's: recorded and retried like any failure
        log.exception("delivery of message %s failed", message.id)
        return _record_failure(message.id, DeliveryFailed(f"{type(error).__name__}: {error}"))
    _record_sent(message.id, hand_off)
    return "sent"


def _email_connection() -> AbstractContextManager[None]:
    """The e-mail channel's shared connection and composer for a batch (`Email.connection`)."""
    return adapter("email").connection()  # type: ignore[attr-defined]


def sweep() -> None:
    """The periodic job: take back dead workers' claims and hand due messages to the queue."""
    stuck, handed = requeue()
    if stuck or handed:
        log.info("outreach sweep: %d stuck messages taken back, %d handed to the queue", stuck, handed)


def requeue(*, now: datetime | None = None, limit: int = SWEEP_BATCH) -> tuple[int, int]:
    """One sweep at `now`; returns (stuck claims taken back, messages handed to the queue)."""
    now = now or utcnow()
    stuck = session.execute(
        update(Message)
        .where(Message.status == "sending", Message.claimed_at < now - STUCK_AFTER)
        .values(
            status="queued",
            claimed_at=None,
            next_attempt_at=now,
            handed_over_at=None,
            last_error=_("The worker stopped while sending; the message is sent again."),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    due = session.execute(
        select(Message.id, Message.campaign_id)
        .where(
            Message.status == "queued",
            Message.next_attempt_at <= now,
            or_(Message.handed_over_at.is_(None), Message.handed_over_at < now - HAND_OVER_AGAIN_AFTER),
        )
        .order_by(Message.next_attempt_at)
        .limit(limit)
    ).all()
    ids = [row.id for row in due]
    for start in range(0, len(ids), 1000):
        session.execute(
            update(Message)
            .where(Message.id.in_(ids[start : start + 1000]))
            .values(handed_over_at=now)
            .execution_options(synchronize_session=False)
        )
    session.commit()  # before the hand-over: an inline job must find the rows committed
    service.hand_over_many([row.id for row in due if row.campaign_id is not None], bulk=True)
    service.hand_over_many([row.id for row in due if row.campaign_id is None], bulk=False)
    return stuck, len(ids)


def _claim(key: uuid.UUID, now: datetime) -> bool:
    """Make the message `sending` if it is queued and due; True when this run won it (committed)."""
    return bool(_claim_many([key], now))


def _claim_many(keys: list[uuid.UUID], now: datetime) -> set[uuid.UUID]:
    """Make those of the messages `sending` that are queued and due, in one UPDATE; the ids this run won.

    Committed at once: of two runs claiming the same message only one gets it back.
    """
    # One UPDATE: PostgreSQL locks the rows in the order of the primary key's index, so two claims of
    # overlapping groups wait for each other briefly (the loser then finds them `sending`), never deadlock.
    claimed = set(
        session.execute(
            update(Message)
            .where(
                Message.id.in_(keys),
                Message.status == "queued",
                or_(Message.next_attempt_at.is_(None), Message.next_attempt_at <= now),
            )
            .values(status="sending", claimed_at=now, attempts=Message.attempts + 1)
            .returning(Message.id)
            .execution_options(synchronize_session=False)
        ).scalars()
    )
    session.commit()
    return claimed


def _record_sent(key: uuid.UUID, hand_off: HandOff) -> None:
    """Record the hand-off, committed without waiting for the disk (see `docs/outreach.md`, Speed).

    `synchronous_commit = off` for this transaction only: PostgreSQL answers the commit before its
    WAL reaches the disk, so a crash of the database server (not of a worker) may forget the last few
    hundred milliseconds of these records; those messages are then `sending` again and sent once more
    with the same Message-ID, exactly as after a worker killed between hand-off and record.
    """
    with pipelined():
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SET LOCAL synchronous_commit = off"))
        # `queued` too: a sweep may have taken the claim back meanwhile; the waiting job then finds it sent.
        session.execute(
            update(Message)
            .where(Message.id == key, Message.status.in_(("sending", "queued")))
            .values(
                status="sent",
                sent_at=utcnow(),
                claimed_at=None,
                last_error=None,
                address=(hand_off.address or "")[:320] or None,
                provider_message_id=(hand_off.provider_message_id or "")[:200] or None,
            )
            .execution_options(synchronize_session=False)
        )
        session.commit()


def _record_failure(key: uuid.UUID, failure: DeliveryFailed) -> str:
    session.rollback()
    message = session.execute(select(Message).where(Message.id == key).with_for_update()).scalar_one_or_none()
    if message is None or message.status != "sending":
        session.commit()
        return "skipped"
    now = utcnow()
    message.last_error = failure.reason[:500]
    message.claimed_at = None
    if failure.permanent or message.attempts >= MAX_ATTEMPTS:
        message.status, message.failed_at = "failed", now
        replacement = service.fall_back(message)
        session.commit()
        log.info(
            "message %s failed for good on %s%s",
            key,
            message.channel,
            f"; falls back to {replacement.channel}" if replacement else "",
        )
        return "failed"
    message.status = "queued"
    message.next_attempt_at = now + backoff(message.attempts)
    message.handed_over_at = None
    session.commit()
    log.info("message %s failed on attempt %d; tried again after a pause", key, message.attempts)
    return "retry"


def _outgoing(message: Row, person: Recipient) -> Outgoing:
    links = {"app": url_for("messages.index", _external=True)}
    if message.channel == "email":
        links["unsubscribe"] = url_for(
            "unsubscribe.confirm", token=unsubscribe_token(person.id, "email"), _external=True
        )
        if tracking.tracks(require_tenant(), message):
            links.update(tracking.tracking_links(message))
    return Outgoing(
        message_id=message.id,
        tenant=require_tenant(),
        recipient=person,
        subject=message.subject,
        body=message.body,
        link=(message.payload or {}).get("link"),
        links=links,
        payload=dict(message.payload or {}),
    )
