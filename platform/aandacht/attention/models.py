"""Contact moments, and the coach's worklist marks and daily digest.

Contact moments: each time a staff member was in touch with a person, and how.

A contact moment is what the caseload report counts and what the worklist's "done for today" records.
Engines record their own (a coach's personal message, a conversation, an appointment held); a coach
records a phone call or a meeting by hand. `source_id` ties a moment to the record it came from, so
recording the same message or appointment twice writes one moment.

Worklist marks take a person off one coach's worklist (done for today, or snoozed); the digest tables
make the morning e-mail go once per coach per day, to the coaches who did not switch it off.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aandacht.db import Base, TenantScoped, new_id, tenant_foreign_key, utcnow

#: message: a personal message from staff; conversation: a reply in a conversation with the person;
#: phone, meeting: recorded by the coach; appointment: an appointment that took place;
#: other: any other contact the coach records.
CONTACT_KINDS = ("message", "conversation", "phone", "meeting", "appointment", "other")


class ContactMoment(Base, TenantScoped):
    """One contact between a staff member and a person."""

    __tablename__ = "contact_moment"
    __table_args__ = (
        tenant_foreign_key("person_id", "person", ondelete="CASCADE"),
        tenant_foreign_key("staff_id", "staff_member"),
        CheckConstraint(f"kind IN {CONTACT_KINDS}", name="kind"),
        UniqueConstraint("tenant_id", "kind", "source_id"),
        Index("ix_contact_moment_person", "tenant_id", "person_id", "at"),
        Index("ix_contact_moment_staff", "tenant_id", "staff_id", "at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID]
    #: The staff member in touch (staff accounts are deactivated, never deleted).
    staff_id: Mapped[uuid.UUID]
    kind: Mapped[str] = mapped_column(String(12))
    #: When the contact took place (a call recorded afterwards may lie in the past).
    at: Mapped[datetime]
    #: The coach's own words about it, visible to staff only.
    note: Mapped[str | None] = mapped_column(Text)
    #: The record the moment came from (a message, an appointment), so it is recorded once.
    source_id: Mapped[uuid.UUID | None]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


#: done: the coach attended to the person today (a contact moment was recorded);
#: snooze: the coach put the person off until a chosen day (no contact).
MARK_KINDS = ("done", "snooze")


class WorklistMark(Base, TenantScoped):
    """A person taken off a coach's worklist for a while: done for today, or snoozed until a day.

    Undoing it the same day deletes the mark (and the contact moment that "done" recorded).
    """

    __tablename__ = "worklist_mark"
    __table_args__ = (
        tenant_foreign_key("person_id", "person", ondelete="CASCADE"),
        tenant_foreign_key("staff_id", "staff_member"),
        tenant_foreign_key("contact_id", "contact_moment"),
        CheckConstraint(f"kind IN {MARK_KINDS}", name="kind"),
        Index("ix_worklist_mark_staff", "tenant_id", "staff_id", "hidden_until"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID]
    #: The coach whose worklist no longer shows the person.
    staff_id: Mapped[uuid.UUID]
    kind: Mapped[str] = mapped_column(String(8))
    #: The tenant's day on which the coach made the mark (undo is possible on that day only).
    day: Mapped[date]
    #: The first day the person shows again: the next day after "done", the chosen day of a snooze.
    hidden_until: Mapped[date]
    #: Why the coach snoozed the person, in their own words (staff only).
    note: Mapped[str | None] = mapped_column(Text)
    #: The contact moment that "done" recorded.
    contact_id: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DigestPreference(Base, TenantScoped):
    """A coach who switched the daily digest e-mail off (no row: the digest is on)."""

    __tablename__ = "digest_preference"
    __table_args__ = (tenant_foreign_key("staff_id", "staff_member", ondelete="CASCADE"),)

    staff_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class DigestSent(Base, TenantScoped):
    """The daily digest of one coach on one day: written before it is sent, so it goes once a day."""

    __tablename__ = "digest_sent"
    __table_args__ = (tenant_foreign_key("staff_id", "staff_member", ondelete="CASCADE"),)

    staff_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    #: The tenant's day of the digest.
    day: Mapped[date] = mapped_column(primary_key=True)
    #: How many people needed attention in it.
    people: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
