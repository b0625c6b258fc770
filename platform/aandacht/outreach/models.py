"""Messages to people and what decides their channel: the outbox table, push subscriptions, opt-outs.

The `message` table is the outbox: a message is written in the transaction that decides it, a job
carries only its id, and its row says at every moment how far it got (`docs/outreach.md`).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from aandacht.db import Base, JSONDocument, TenantScoped, new_id, tenant_foreign_key, utcnow

CHANNELS = ("in_app", "email", "sms", "push")
#: queued: waiting for a worker (now or at `next_attempt_at`); sending: a worker claimed it and is
#: handing it over; sent: the channel accepted it; delivered: the channel reported it arrived;
#: failed: given up, with the reason in `last_error`.
STATUSES = ("queued", "sending", "sent", "delivered", "failed")
#: The channels a person can switch off (the app's own list is always there).
OPT_OUT_CHANNELS = ("email", "sms", "push")
OPT_OUT_SOURCES = ("person", "unsubscribe", "staff")
#: The rows of `ix_message_unread_from_staff`: personal messages from staff that are not opened yet.
UNREAD_FROM_STAFF = "sender_id IS NOT NULL AND opened_at IS NULL"


class Message(Base, TenantScoped):
    """A message to one person over one channel, from the decision to send it until it is sent or failed."""

    __tablename__ = "message"
    __table_args__ = (
        tenant_foreign_key("person_id", "person", ondelete="CASCADE"),
        tenant_foreign_key("replaces_id", "message"),
        CheckConstraint(f"channel IN {CHANNELS}", name="channel"),
        CheckConstraint(f"status IN {STATUSES}", name="status"),
        Index("ix_message_person", "tenant_id", "person_id", "sent_at"),
        Index("ix_message_due", "tenant_id", "status", "next_attempt_at"),
        Index("uq_message_tenant_id_idempotency_key", "tenant_id", "idempotency_key", unique=True),
        Index("ix_message_campaign", "tenant_id", "campaign_id", "status"),
        # The worklist's "unread messages from the coach": only the few unopened messages from staff.
        Index(
            "ix_message_unread_from_staff",
            "tenant_id",
            "person_id",
            "sent_at",
            postgresql_where=text(UNREAD_FROM_STAFF),
            sqlite_where=text(UNREAD_FROM_STAFF),
        ),
        tenant_foreign_key("campaign_id", "campaign"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID]
    channel: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(12), default="queued")
    subject: Mapped[str] = mapped_column(String(200), default="")
    #: The text in plain words; e-mail adds an HTML part made from it, SMS and push send it as it is.
    body: Mapped[str] = mapped_column(Text, default="")
    #: What a channel needs beyond the text, e.g. `{"link": "https://…"}`.
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    #: The caller's key of the decision: deciding the same message twice writes it once (None: no key).
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    #: The campaign that sent it (None: a coach's own message or a system message).
    campaign_id: Mapped[uuid.UUID | None]
    #: The staff member who decided it (None: the system, e.g. a trigger).
    sender_id: Mapped[uuid.UUID | None]
    #: The message on another channel that failed, when this one is its fallback.
    replaces_id: Mapped[uuid.UUID | None]
    #: The channels still to try, in order, when this one fails.
    fallback: Mapped[list[str] | None] = mapped_column(JSONDocument)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The earliest moment it may be sent (scheduling; later quiet hours). None: at once.
    not_before: Mapped[datetime | None]
    #: When a worker may next try (the first try, or the next after a back-off). None while a
    #: broadcast is being prepared: held back until all its messages are released at one moment.
    next_attempt_at: Mapped[datetime | None]
    #: When a job for it was last handed to the queue; the sweeper hands it over again when that job
    #: did not come (Redis was down, a worker died).
    handed_over_at: Mapped[datetime | None]
    #: When a worker claimed it (status `sending`); a claim that gets old belongs to a dead worker.
    claimed_at: Mapped[datetime | None]
    #: Hand-overs tried so far.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: Why the last attempt failed, in words a coach can read.
    last_error: Mapped[str | None] = mapped_column(String(500))
    #: Where it went: the e-mail address, phone number or number of push subscriptions.
    address: Mapped[str | None] = mapped_column(String(320))
    #: The provider's id of the hand-off (SMS gateway message id, SMTP Message-ID).
    provider_message_id: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    #: When the person opened it (read in the app; an e-mail's image loaded, where the tenant tracks).
    opened_at: Mapped[datetime | None]
    #: When the person first followed its link (where the tenant tracks).
    clicked_at: Mapped[datetime | None]


#: draft: being written; scheduled: waits for its moment; preparing: its messages are being written
#: (a broadcast also waits here for its shared release moment); released: its messages are handed to
#: delivery; done: every message is sent, delivered or failed; cancelled: stopped before release.
CAMPAIGN_STATUSES = ("draft", "scheduled", "preparing", "released", "done", "cancelled")
#: person: one person; segment: a saved segment (resolved when it is released); everyone: the tenant.
AUDIENCE_KINDS = ("person", "segment", "everyone")
#: Why a person of the audience got no message: the frequency cap, no channel reaches them.
SKIP_REASONS = ("capped", "unreachable")


class Campaign(Base, TenantScoped):
    """One message to many: a name, an audience, content per channel, a moment, and its results.

    The audience is resolved once, when the campaign is prepared: the message rows (and the skipped
    people in `campaign_skip`) are the record of who got it, also when the segment changes later.
    """

    __tablename__ = "campaign"
    __table_args__ = (
        tenant_foreign_key("person_id", "person", ondelete="CASCADE"),
        tenant_foreign_key("segment_id", "segment"),
        CheckConstraint(f"status IN {CAMPAIGN_STATUSES}", name="status"),
        CheckConstraint(f"audience_kind IN {AUDIENCE_KINDS}", name="audience_kind"),
        Index("ix_campaign_status", "tenant_id", "status", "scheduled_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(120))
    audience_kind: Mapped[str] = mapped_column(String(12))
    #: The one person (audience `person`).
    person_id: Mapped[uuid.UUID | None]
    #: The saved segment (audience `segment`).
    segment_id: Mapped[uuid.UUID | None]
    #: The template whose texts are rendered per person; None: the texts of `texts`. No foreign key:
    #: a template may be deleted while a campaign waits; preparing it then stops with the reason.
    template_id: Mapped[uuid.UUID | None]
    #: Without a template: per channel `{"subject": …, "body": …}`; a channel without text is not used.
    texts: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    #: The channels it may use, best first after each person's preference (None: all).
    channels: Mapped[list[str] | None] = mapped_column(JSONDocument)
    #: A link every message carries (e.g. the vacancy).
    link: Mapped[str | None] = mapped_column(String(500))
    #: When it is to go out; None: as soon as it is released.
    scheduled_at: Mapped[datetime | None]
    #: All messages are prepared first and handed to delivery together, at `release_at`.
    broadcast: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    #: The moment its messages become due (a broadcast's one shared moment).
    release_at: Mapped[datetime | None]
    prepared_at: Mapped[datetime | None]
    released_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    #: How many people the audience held when it was prepared.
    audience_size: Mapped[int | None] = mapped_column(Integer)
    #: Why preparing failed (e.g. the template was removed), in words a coach can read.
    problem: Mapped[str | None] = mapped_column(String(500))
    #: The staff member who made it: the audience is resolved as they see people (a coach: caseload).
    created_by: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class CampaignSkip(Base, TenantScoped):
    """A person of a campaign's audience who got no message, and why (shown in its results)."""

    __tablename__ = "campaign_skip"
    __table_args__ = (
        tenant_foreign_key("campaign_id", "campaign", ondelete="CASCADE"),
        tenant_foreign_key("person_id", "person", ondelete="CASCADE"),
        CheckConstraint(f"reason IN {SKIP_REASONS}", name="reason"),
    )

    campaign_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    reason: Mapped[str] = mapped_column(String(12))
    #: The details in words (e.g. per channel why it does not reach the person).
    detail: Mapped[str] = mapped_column(String(500), default="")
    skipped_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutreachRule(Base, TenantScoped):
    """A triggered message: whoever meets a condition, or whom an event concerns, gets it once per cooldown.

    The condition is a selection document (docs/segments.md), e.g. "no login for 14 days":
    `{"last_active": {"op": "not_since", "value": {"days_ago": 14}}}`; it is checked by the periodic
    job `aandacht.outreach.rules:check_rules`, among the people its maker may see. A rule with an
    `event` fires when that event happens instead (`aandacht.outreach.events`); its condition is then
    its audience: only the people the event concerns who also meet it get the message.
    """

    __tablename__ = "outreach_rule"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(120))
    enabled: Mapped[bool] = mapped_column(default=True)
    #: The selection document of who meets the condition (of an event rule: its audience).
    condition: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    #: The event it waits for (a key of `aandacht.outreach.events.event_kinds`); None: the condition,
    #: checked on a schedule.
    event: Mapped[str | None] = mapped_column(String(60))
    #: What the event must carry for the rule to fire, e.g. `{"attribute": "core.transport"}`.
    event_params: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    #: A template (no foreign key: deleting it switches the rule off at its next check).
    template_id: Mapped[uuid.UUID | None]
    #: Without a template: per channel {"subject": …, "body": …}.
    texts: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    channels: Mapped[list[str] | None] = mapped_column(JSONDocument)
    #: Never the same person twice for this rule within this many days.
    cooldown_days: Mapped[int] = mapped_column(Integer, default=14)
    created_by: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: When the periodic job last checked it, and how many messages that run wrote.
    last_run_at: Mapped[datetime | None]
    last_run_count: Mapped[int | None] = mapped_column(Integer)


class OutreachEvent(Base, TenantScoped):
    """An event that concerns too many people to decide their messages in the request: the job's outbox.

    Written in the transaction of the event; the job `aandacht.outreach.events:handle` (carrying only
    its id) fires the rules waiting for it and marks it handled. The periodic check hands an event
    over again whose job did not come.
    """

    __tablename__ = "outreach_event"
    __table_args__ = (Index("ix_outreach_event_open", "tenant_id", "handled_at", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(60))
    #: What the event carries (e.g. `{"item_id": …}`), as its emitter sent it.
    details: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    #: The people it concerns; None: the event kind finds them (the people who may see an item).
    person_ids: Mapped[list[str] | None] = mapped_column(JSONDocument)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: When its job was last given to the queue.
    handed_over_at: Mapped[datetime | None]
    #: When its rules were fired (None: still to do).
    handled_at: Mapped[datetime | None]


class PushSubscription(Base, TenantScoped):
    """A browser of a person that accepts web push messages (the Push API's subscription)."""

    __tablename__ = "push_subscription"
    __table_args__ = (
        tenant_foreign_key("person_id", "person", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "endpoint_hash"),
        Index("ix_push_subscription_person", "tenant_id", "person_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID]
    #: The push service's address for this browser (a capability: whoever has it can push).
    endpoint: Mapped[str] = mapped_column(Text)
    #: SHA-256 of the endpoint, to find a subscription again.
    endpoint_hash: Mapped[str] = mapped_column(String(64))
    #: The browser's public key (P-256, base64url) and authentication secret, for encrypting payloads.
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]


class ChannelOptOut(Base, TenantScoped):
    """A person does not want messages over one channel; honoured by every decision to send."""

    __tablename__ = "channel_opt_out"
    __table_args__ = (
        tenant_foreign_key("person_id", "person", ondelete="CASCADE"),
        CheckConstraint(f"channel IN {OPT_OUT_CHANNELS}", name="channel"),
    )

    person_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(8), primary_key=True)
    #: Who switched it off: the person in the app, an unsubscribe link, or staff on their request.
    source: Mapped[str] = mapped_column(String(16))
    opted_out_at: Mapped[datetime] = mapped_column(default=utcnow)


class MessageTemplate(Base, TenantScoped):
    """A message a coach writes once and sends to many: per channel, in one of the tenant's languages.

    Every text is a sandboxed Jinja2 template (`aandacht.outreach.message_templates`), checked when
    it is saved: a template that names an unknown field or fails to render is never stored.
    An empty text means the template does not serve that channel.
    """

    __tablename__ = "message_template"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    #: Unique in the tenant, also when only upper and lower case differ (checked when saved).
    name: Mapped[str] = mapped_column(String(120))
    #: One of the tenant's locales; the texts are written in it and dates and numbers follow it.
    language: Mapped[str] = mapped_column(String(8))
    email_subject: Mapped[str] = mapped_column(String(200), default="")
    #: Markdown (or plain text): the e-mail's text part as written, its HTML part made from it.
    email_body: Mapped[str] = mapped_column(Text, default="")
    sms_text: Mapped[str] = mapped_column(Text, default="")
    push_title: Mapped[str] = mapped_column(String(100), default="")
    push_body: Mapped[str] = mapped_column(String(300), default="")
    in_app_text: Mapped[str] = mapped_column(Text, default="")
    #: The staff member who wrote it and who changed it last (None: the system or an integration).
    created_by: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by: Mapped[uuid.UUID | None]
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
