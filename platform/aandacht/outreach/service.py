"""Deciding to send: which channel reaches a person, and the message row that records the decision.

`send_to_person` writes the message in the caller's transaction and does not commit: the caller's
commit makes the decision and the message one fact, and only then is a delivery job handed to the
queue (`aandacht.jobs` holds jobs until the commit). The job carries only the message's id.

The channel: the person's own preference (profile attribute `core.preferred_channel`) first, then
the platform's order; a channel the person switched off, or on which they have no address, is
skipped. The channels left after the chosen one are the message's fallback: when it fails for good,
the next one that still reaches the person gets a message of its own (`fall_back`).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from aandacht import jobs
from aandacht.accounts.models import Person
from aandacht.accounts.principal import Principal
from aandacht.db import UTCDateTime, one_of, session, utcnow
from aandacht.outreach import limits
from aandacht.outreach.channels import adapter
from aandacht.outreach.channels.base import Recipient
from aandacht.outreach.message_templates import TemplateFields, render_for
from aandacht.outreach.models import CHANNELS, ChannelOptOut, Message, MessageTemplate, PushSubscription
from aandacht.outreach.preferences import opted_out_channels, push_subscriptions_of
from aandacht.profiles.service import profile_value_of, profile_values
from aandacht.tenancy.context import require_tenant
from aandacht.tenancy.scoping import get_scoped

#: The profile attribute with the person's preferred channel.
PREFERENCE = "core.preferred_channel"
#: What each answer to "How do you want to hear from us?" asks for, in order ("phone" is a coach's call).
PREFERRED: dict[str, tuple[str, ...]] = {
    "app": ("push", "in_app"),
    "email": ("email",),
    "sms": ("sms",),
    "phone": (),
}
#: The order after the person's preference: the app's own list last, because it always reaches them.
DEFAULT_ORDER = ("email", "sms", "push", "in_app")
#: The delivery job (a name, so this module does not import the worker's).
DELIVER = "aandacht.outreach.delivery:deliver"
#: The delivery job of a batch of messages, and how many ids one such job carries.
DELIVER_BATCH = "aandacht.outreach.delivery:deliver_batch"
DELIVERY_BATCH_SIZE = 500


class UnknownPerson(LookupError):
    """There is no such person in the current tenant."""


def recipient(person_id: uuid.UUID) -> Recipient:
    """What the channels need of a person; raises UnknownPerson."""
    person = get_scoped(Person, person_id)
    if person is None or not person.active:
        raise UnknownPerson(str(person_id))
    return Recipient(
        id=person.id,
        display_name=person.display_name,
        email=person.email,
        phone=person.phone,
        locale=person.locale or require_tenant().default_locale,
        push_subscriptions=tuple(
            (found.endpoint, found.p256dh, found.auth) for found in push_subscriptions_of(person_id)
        ),
    )


@dataclass(frozen=True)
class Reach:
    """What deciding a channel needs to know of one person: read alone, or for a batch in a few queries."""

    person: Recipient
    #: The answer to "How do you want to hear from us?" (`core.preferred_channel`), if any.
    preference: str | None
    switched_off: frozenset[str]


def reach_of(person_id: uuid.UUID) -> Reach:
    """What decides the channel of one person; raises UnknownPerson."""
    return Reach(
        recipient(person_id),
        profile_values(person_id).get(PREFERENCE),
        frozenset(opted_out_channels(person_id)),
    )


def reach_of_many(person_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Reach]:
    """`reach_of` for a batch of people in four queries; people not active in the tenant are left out.

    Columns, not ORM objects, and each list of ids as one array parameter (`one_of`): a campaign
    reads this for 100,000 people.
    """
    wanted = list(person_ids)
    people = session.execute(
        select(Person.id, Person.display_name, Person.email, Person.phone, Person.locale).where(
            one_of(Person.id, wanted), Person.active.is_(True)
        )
    ).all()
    subscriptions: dict[uuid.UUID, list[tuple[str, str, str]]] = {}
    for person_id, endpoint, p256dh, auth in session.execute(
        select(
            PushSubscription.person_id,
            PushSubscription.endpoint,
            PushSubscription.p256dh,
            PushSubscription.auth,
        )
        .where(one_of(PushSubscription.person_id, wanted))
        .order_by(PushSubscription.created_at)
    ):
        subscriptions.setdefault(person_id, []).append((endpoint, p256dh, auth))
    switched_off: dict[uuid.UUID, set[str]] = {}
    for person_id, channel in session.execute(
        select(ChannelOptOut.person_id, ChannelOptOut.channel).where(one_of(ChannelOptOut.person_id, wanted))
    ):
        switched_off.setdefault(person_id, set()).add(channel)
    preferences = profile_value_of(wanted, PREFERENCE)
    default_locale = require_tenant().default_locale
    return {
        person.id: Reach(
            Recipient(
                id=person.id,
                display_name=person.display_name,
                email=person.email,
                phone=person.phone,
                locale=person.locale or default_locale,
                push_subscriptions=tuple(subscriptions.get(person.id, ())),
            ),
            preferences.get(person.id),
            frozenset(switched_off.get(person.id, ())),
        )
        for person in people
    }


def order_for(preference: str | None, channels: Sequence[str] | None = None) -> list[str]:
    """The channels to try, best first: `channels` as given, else the preference then the default order."""
    if channels is None:
        channels = (*PREFERRED.get(preference or "", ()), *DEFAULT_ORDER)
    unknown = [name for name in channels if name not in CHANNELS]
    if unknown:
        raise ValueError(f"unknown channels {unknown}")
    return list(dict.fromkeys(channels))


def channel_order(person_id: uuid.UUID, channels: Sequence[str] | None = None) -> list[str]:
    """The channels to try for a person, best first: `channels` as given, else preference then default."""
    preference = profile_values(person_id).get(PREFERENCE) if channels is None else None
    return order_for(preference, channels)


def reachable(
    person: Recipient, order: Sequence[str], switched_off: Collection[str] | None = None
) -> tuple[list[str], dict[str, str]]:
    """The channels of `order` that reach the person, and for the others why not (in words)."""
    if switched_off is None:
        switched_off = opted_out_channels(person.id)
    usable: list[str] = []
    reasons: dict[str, str] = {}
    for name in order:
        if name in switched_off:
            reasons[name] = _("switched off by the person")
        elif not adapter(name).reaches(person):
            reasons[name] = _("no address for this channel")
        else:
            usable.append(name)
    return usable, reasons


@dataclass(frozen=True)
class Choice:
    """The channels decided for one person: all tried in order, those that reach them, why not the rest."""

    order: list[str]
    usable: list[str]
    reasons: dict[str, str]


def choose(reach: Reach, channels: Sequence[str] | None, served: Collection[str] | None = None) -> Choice:
    """The decision of the channel for one person, the same for one message and for a campaign's many.

    `channels` limits and orders the channels (None: preference, then the default order); `served`
    keeps only the channels the content has a text for (a template's, a campaign's).
    """
    order = order_for(reach.preference, channels)
    if served is not None:
        order = [name for name in order if name in served]
    usable, reasons = reachable(reach.person, order, reach.switched_off)
    return Choice(order, usable, reasons)


def message_row(
    person_id: uuid.UUID,
    choice: Choice,
    *,
    subject: str,
    body: str,
    payload: dict[str, Any] | None,
    now: datetime,
    not_before: datetime | None = None,
    idempotency_key: str | None = None,
    campaign_id: uuid.UUID | None = None,
    sender_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """The column values of the message that records `choice`: queued on its first channel, or failed.

    Shared by `send_to_person` (one ORM row) and campaigns (a multi-row INSERT). A queued message
    waits for `not_before`, moved to the end of the tenant's quiet hours of its channel.
    """
    row: dict[str, Any] = {
        "id": uuid.uuid4(),
        "person_id": person_id,
        "subject": subject,
        "body": body,
        "payload": payload or None,
        "idempotency_key": idempotency_key,
        "campaign_id": campaign_id,
        "sender_id": sender_id,
        "created_at": now,
        "attempts": 0,
        "replaces_id": None,
        "fallback": None,
        "not_before": not_before,
        "next_attempt_at": None,
        "handed_over_at": None,
        "failed_at": None,
        "last_error": None,
    }
    if not choice.usable:
        order = choice.order
        row.update(channel=order[0] if order else "in_app", status="failed", failed_at=now)
        row["last_error"] = unreachable_reason(choice.reasons)
        return row
    row.update(channel=choice.usable[0], fallback=choice.usable[1:])
    row.update(timing(choice.usable[0], not_before, now))
    return row


def timing(channel: str, not_before: datetime | None, now: datetime) -> dict[str, Any]:
    """When a queued message on `channel` becomes due: at once, at `not_before`, or after quiet hours.

    `handed_over_at` is set when it is due now: the caller hands it to the queue after the commit.
    """
    not_before = limits.not_before_for(require_tenant(), channel, not_before, now)
    later = not_before is not None and not_before > now
    return {
        "status": "queued",
        "not_before": not_before,
        "next_attempt_at": not_before if later else now,
        "handed_over_at": None if later else now,
    }


def send_to_person(
    person_id: uuid.UUID,
    *,
    subject: str = "",
    body: str = "",
    actor_id: uuid.UUID | None,
    link: str | None = None,
    channels: Sequence[str] | None = None,
    not_before: datetime | None = None,
    idempotency_key: str | None = None,
    campaign_id: uuid.UUID | None = None,
    template: MessageTemplate | None = None,
    acting_user: Principal | None = None,
    attachments: list[dict[str, str]] | None = None,
) -> Message:
    """Decide a message to a person in the caller's transaction (not committed); delivery follows the commit.

    The same `idempotency_key` gives the same message: deciding twice writes once. When no channel
    reaches the person, the message is written as failed with the reason, so the coach sees it.

    With a `template` (and the staff member it is sent as, `acting_user`), `subject` and `body` are
    not used: only the channels the template serves are tried, and the template is rendered for each
    of them that reaches the person, so a fallback sends that channel's own text. A template that
    cannot be rendered for this person raises `TemplateInvalid` and writes nothing.

    `attachments` (`{"filename", "content_type", "text"}` each, e.g. a calendar file) go with an e-mail.
    """
    if idempotency_key is not None:
        existing = session.execute(
            select(Message).where(Message.idempotency_key == idempotency_key)
        ).scalar_one_or_none()
        if existing is not None:
            return existing
    payload: dict[str, Any] = {"link": link} if link else {}
    if attachments:
        payload["attachments"] = attachments
    served = None
    if template is not None:
        if acting_user is None:
            raise ValueError("a template is rendered as a staff member: pass acting_user")
        served = TemplateFields.of(template).channels()
    choice = choose(reach_of(person_id), channels, served)
    if template is not None:
        texts = template_texts(template, person_id, choice.usable, acting_user=acting_user)
        payload.update(template_id=str(template.id), texts=texts)
        subject, body = first_text(texts, choice.usable, template.name)
    row = message_row(
        person_id,
        choice,
        subject=subject,
        body=body,
        payload=payload,
        now=utcnow(),
        not_before=not_before,
        idempotency_key=idempotency_key,
        campaign_id=campaign_id,
        sender_id=actor_id,
    )
    message = Message(**row)
    session.add(message)
    if message.handed_over_at is not None:
        hand_over(message.id, message.campaign_id)
    return message


def template_texts(
    template: MessageTemplate, person_id: uuid.UUID, channels: Sequence[str], *, acting_user: Principal
) -> dict[str, dict[str, str]]:
    """The template rendered for the person on each of `channels` (as kept in a message's payload)."""
    return {
        name: render_for(template, person_id, channel=name, acting_user=acting_user).payload()
        for name in channels
    }


def first_text(
    texts: dict[str, dict[str, str]], usable: Sequence[str], fallback_subject: str
) -> tuple[str, str]:
    """The subject and body of the first usable channel; of a message that reaches no one, a subject only."""
    if usable:
        return texts[usable[0]]["subject"], texts[usable[0]]["body"]
    return fallback_subject, ""


def fall_back(failed: Message) -> Message | None:
    """The next channel's message after `failed` failed for good (not committed); None: none is left."""
    person = recipient(failed.person_id)
    usable, _why_not = reachable(person, failed.fallback or [])
    if not usable:
        return None
    now = utcnow()
    own = ((failed.payload or {}).get("texts") or {}).get(usable[0])  # a template's text of that channel
    message = Message(
        id=uuid.uuid4(),
        person_id=failed.person_id,
        channel=usable[0],
        fallback=usable[1:],
        subject=own["subject"] if own else failed.subject,
        body=own["body"] if own else failed.body,
        payload=failed.payload,
        campaign_id=failed.campaign_id,
        sender_id=failed.sender_id,
        replaces_id=failed.id,
        created_at=now,
        **timing(usable[0], failed.not_before, now),
    )
    session.add(message)
    if message.handed_over_at is not None:
        hand_over(message.id, message.campaign_id)
    return message


def unreachable_reason(reasons: dict[str, str]) -> str:
    """Why no channel reaches a person, channel by channel."""
    if not reasons:
        return _("No channel to try.")
    listed = "; ".join(f"{name}: {why}" for name, why in reasons.items())
    return _("No channel reaches this person (%(reasons)s).", reasons=listed)[:500]


def messages_of(person_id: uuid.UUID, *, limit: int = 50, before: datetime | None = None) -> list[Message]:
    """A person's messages on every channel, newest first (for the coach: status and reason)."""
    query = select(Message).where(Message.person_id == person_id)
    if before is not None:
        query = query.where(Message.created_at < before)
    return list(session.execute(query.order_by(Message.created_at.desc()).limit(limit)).scalars())


def app_messages(person_id: uuid.UUID, *, limit: int = 50) -> list[Message]:
    """The messages the app shows the person, newest first."""
    query = (
        select(Message)
        .where(
            Message.person_id == person_id,
            Message.channel == "in_app",
            Message.status.in_(("sent", "delivered")),
        )
        .order_by(Message.sent_at.desc())
        .limit(limit)
    )
    return list(session.execute(query).scalars())


def unread_count(person_id: uuid.UUID) -> int:
    """How many of the app's messages the person has not opened yet."""
    query = select(func.count()).where(
        Message.person_id == person_id,
        Message.channel == "in_app",
        Message.status.in_(("sent", "delivered")),
        Message.opened_at.is_(None),
    )
    return session.execute(query).scalar_one()


def unread_from_staff(person_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, tuple[int, datetime]]:
    """Per person: how many personal messages from staff in the app are unread, and since when.

    One query for all of `person_ids` (the worklist asks for a whole caseload); people without unread
    messages from staff are left out.
    """
    if not person_ids:
        return {}
    query = (
        select(Message.person_id, func.count(), func.min(Message.sent_at, type_=UTCDateTime))
        .where(
            one_of(Message.person_id, person_ids),
            Message.channel == "in_app",
            Message.status.in_(("sent", "delivered")),
            Message.sender_id.is_not(None),
            Message.opened_at.is_(None),
        )
        .group_by(Message.person_id)
    )
    return {person_id: (number, oldest) for person_id, number, oldest in session.execute(query)}


def mark_read(person_id: uuid.UUID, message_ids: Sequence[uuid.UUID]) -> None:
    """Record that the person opened these messages of the app, and commit."""
    mark_notices_read(person_id, message_ids)
    session.commit()


def mark_notices_read(person_id: uuid.UUID, message_ids: Sequence[uuid.UUID]) -> None:
    """Record that the person saw these messages elsewhere (a conversation's notices), without committing."""
    if message_ids:
        session.execute(
            update(Message)
            .where(
                Message.person_id == person_id,
                Message.id.in_(list(message_ids)),
                Message.opened_at.is_(None),
            )
            .values(opened_at=utcnow())
            .execution_options(synchronize_session=False)
        )


def hand_over(message_id: uuid.UUID, campaign_id: uuid.UUID | None) -> None:
    """Give the queue the delivery job of a due message (after the caller's commit; only its id)."""
    queue = "bulk" if campaign_id is not None else "default"
    jobs.enqueue(DELIVER, str(message_id), queue=queue, best_effort=True)


def hand_over_many(message_ids: Sequence[uuid.UUID], *, bulk: bool) -> None:
    """Give the queue the due messages in batches of `DELIVERY_BATCH_SIZE` ids (after the caller's commit).

    One job per batch, not per message: RQ forks a process for every job, which would cap delivery at
    a few dozen messages a second per worker. `bulk`: a campaign's messages, on the queue that waits
    for everything else.
    """
    ids = [str(message_id) for message_id in message_ids]
    for start in range(0, len(ids), DELIVERY_BATCH_SIZE):
        batch = ids[start : start + DELIVERY_BATCH_SIZE]
        jobs.enqueue(DELIVER_BATCH, batch, queue="bulk" if bulk else "default", best_effort=True)
