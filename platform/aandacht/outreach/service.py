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
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from aandacht import jobs
from aandacht.accounts.models import Person
from aandacht.accounts.principal import Principal
from aandacht.db import session, utcnow
from aandacht.outreach.channels import adapter
from aandacht.outreach.channels.base import Recipient
from aandacht.outreach.message_templates import TemplateFields, render_for
from aandacht.outreach.models import CHANNELS, Message, MessageTemplate
from aandacht.outreach.preferences import opted_out_channels, push_subscriptions_of
from aandacht.profiles.service import profile_values
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


def channel_order(person_id: uuid.UUID, channels: Sequence[str] | None = None) -> list[str]:
    """The channels to try for a person, best first: `channels` as given, else preference then default."""
    if channels is None:
        preferred = PREFERRED.get(profile_values(person_id).get(PREFERENCE) or "", ())
        channels = (*preferred, *DEFAULT_ORDER)
    unknown = [name for name in channels if name not in CHANNELS]
    if unknown:
        raise ValueError(f"unknown channels {unknown}")
    return list(dict.fromkeys(channels))


def reachable(person: Recipient, order: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """The channels of `order` that reach the person, and for the others why not (in words)."""
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
) -> Message:
    """Decide a message to a person in the caller's transaction (not committed); delivery follows the commit.

    The same `idempotency_key` gives the same message: deciding twice writes once. When no channel
    reaches the person, the message is written as failed with the reason, so the coach sees it.

    With a `template` (and the staff member it is sent as, `acting_user`), `subject` and `body` are
    not used: only the channels the template serves are tried, and the template is rendered for each
    of them that reaches the person, so a fallback sends that channel's own text. A template that
    cannot be rendered for this person raises `TemplateInvalid` and writes nothing.
    """
    if idempotency_key is not None:
        existing = session.execute(
            select(Message).where(Message.idempotency_key == idempotency_key)
        ).scalar_one_or_none()
        if existing is not None:
            return existing
    person = recipient(person_id)
    order = channel_order(person_id, channels)
    payload: dict[str, Any] = {"link": link} if link else {}
    if template is not None:
        if acting_user is None:
            raise ValueError("a template is rendered as a staff member: pass acting_user")
        order = [name for name in order if name in TemplateFields.of(template).channels()]
    usable, reasons = reachable(person, order)
    if template is not None:
        texts = {
            name: render_for(template, person_id, channel=name, acting_user=acting_user).payload()
            for name in usable
        }
        payload.update(template_id=str(template.id), texts=texts)
        if usable:
            subject, body = texts[usable[0]]["subject"], texts[usable[0]]["body"]
        else:
            subject = template.name  # what the coach sees of a message that reached no one
    now = utcnow()
    message = Message(
        id=uuid.uuid4(),
        person_id=person_id,
        subject=subject,
        body=body,
        payload=payload or None,
        idempotency_key=idempotency_key,
        campaign_id=campaign_id,
        sender_id=actor_id,
        not_before=not_before,
        created_at=now,
    )
    if not usable:
        message.channel = order[0] if order else "in_app"
        message.status, message.failed_at = "failed", now
        message.last_error = unreachable_reason(reasons)
        session.add(message)
        return message
    message.channel, message.fallback = usable[0], usable[1:]
    session.add(message)
    _schedule(message, now)
    return message


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
        not_before=failed.not_before,
        created_at=now,
    )
    session.add(message)
    _schedule(message, now)
    return message


def unreachable_reason(reasons: dict[str, str]) -> str:
    """Why no channel reaches a person, channel by channel."""
    if not reasons:
        return _("No channel to try.")
    listed = "; ".join(f"{name}: {why}" for name, why in reasons.items())
    return _("No channel reaches this person (%(reasons)s).", reasons=listed)[:500]


def messages_of(person_id: uuid.UUID, *, limit: int = 50) -> list[Message]:
    """A person's messages on every channel, newest first (for the coach: status and reason)."""
    query = (
        select(Message).where(Message.person_id == person_id).order_by(Message.created_at.desc()).limit(limit)
    )
    return list(session.execute(query).scalars())


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


def mark_read(person_id: uuid.UUID, message_ids: Sequence[uuid.UUID]) -> None:
    """Record that the person opened these messages of the app, and commit."""
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
    session.commit()


def queue_of(message: Message) -> str:
    """The queue of a message's delivery: `bulk` for campaigns, `default` for a coach's own messages."""
    return "bulk" if message.campaign_id is not None else "default"


def _schedule(message: Message, now: datetime) -> None:
    """Make `message` (in the session) due now, handed over after the commit, or at its `not_before`."""
    message.status = "queued"
    later = message.not_before is not None and message.not_before > now
    message.next_attempt_at = message.not_before if later else now
    if not later:
        message.handed_over_at = now
        jobs.enqueue(DELIVER, str(message.id), queue=queue_of(message), best_effort=True)
