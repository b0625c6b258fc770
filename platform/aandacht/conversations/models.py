"""The tables of conversations: messages between a person and their coaches, attachments, appointments.

A person has one conversation: every message about them (`person_id`) in order, written by the person or
by a staff member whose caseload holds them. Each message is read by the other side once (`read_at`):
a coach's message when the person opens the conversation, the person's when one of their coaches does.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from aandacht.db import Base, TenantScoped, new_id, tenant_foreign_key, utcnow

#: Who wrote a message: the person, or a staff member.
AUTHORS = ("person", "staff")
#: The kinds of appointment: a meeting face to face, or a phone call.
APPOINTMENT_KINDS = ("meeting", "phone")
#: invited: waiting for the person's answer; proposed: the person asked for another time;
#: accepted: both agree; cancelled: called off by either side; attended / no_show: after the time.
APPOINTMENT_STATUSES = ("invited", "proposed", "accepted", "cancelled", "attended", "no_show")


class ConversationMessage(Base, TenantScoped):
    """One message in a person's conversation with their coaches."""

    __tablename__ = "conversation_message"
    __table_args__ = (
        tenant_foreign_key("person_id", "person", ondelete="CASCADE"),
        tenant_foreign_key("staff_id", "staff_member"),
        CheckConstraint(f"author IN {AUTHORS}", name="author"),
        CheckConstraint("(author = 'staff') = (staff_id IS NOT NULL)", name="staff_author"),
        Index("ix_conversation_message_person", "tenant_id", "person_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    #: Whose conversation it is.
    person_id: Mapped[uuid.UUID]
    author: Mapped[str] = mapped_column(String(8))
    #: The staff member who wrote it (None: the person wrote it).
    staff_id: Mapped[uuid.UUID | None]
    body: Mapped[str] = mapped_column(Text, default="")
    #: The key of the quick reply the person tapped (`aandacht.conversations.quick_replies`), if any.
    quick_reply: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: When the other side read it: the person (a staff message), or one of their coaches (the person's).
    read_at: Mapped[datetime | None]
    #: The outreach message that told the person about it (a staff message), so opening the
    #: conversation marks that notification read too.
    notification_id: Mapped[uuid.UUID | None]


class ConversationAttachment(Base, TenantScoped):
    """A file sent with a message: its type checked from its content, kept in the database."""

    __tablename__ = "conversation_attachment"
    __table_args__ = (
        tenant_foreign_key("message_id", "conversation_message", ondelete="CASCADE"),
        tenant_foreign_key("person_id", "person", ondelete="CASCADE"),
        Index("ix_conversation_attachment_message", "tenant_id", "message_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    message_id: Mapped[uuid.UUID]
    #: Whose conversation it belongs to (who may see it follows from this).
    person_id: Mapped[uuid.UUID]
    #: The name the sender gave it, cleaned; shown and used as the download's name.
    filename: Mapped[str] = mapped_column(String(200))
    #: The type detected from the content (never the one the sender claimed).
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Appointment(Base, TenantScoped):
    """A meeting or phone call a coach invited the person to, from the invitation until after its time."""

    __tablename__ = "appointment"
    __table_args__ = (
        tenant_foreign_key("person_id", "person", ondelete="CASCADE"),
        tenant_foreign_key("staff_id", "staff_member"),
        CheckConstraint(f"kind IN {APPOINTMENT_KINDS}", name="kind"),
        CheckConstraint(f"status IN {APPOINTMENT_STATUSES}", name="status"),
        CheckConstraint("cancelled_by IS NULL OR cancelled_by IN ('person', 'staff')", name="cancelled_by"),
        Index("ix_appointment_person", "tenant_id", "person_id", "starts_at"),
        Index("ix_appointment_due", "tenant_id", "status", "starts_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID]
    #: The coach who invited (and who the person meets).
    staff_id: Mapped[uuid.UUID]
    kind: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(12), default="invited")
    starts_at: Mapped[datetime]
    minutes: Mapped[int] = mapped_column(Integer, default=30)
    #: Where they meet (a meeting) or the number the coach calls (a phone call).
    place: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(40))
    #: The coach's note to the person ("bring your CV").
    note: Mapped[str | None] = mapped_column(Text)
    #: The other time the person proposed, and their words with it (status `proposed`).
    proposed_starts_at: Mapped[datetime | None]
    proposal_note: Mapped[str | None] = mapped_column(String(500))
    cancelled_by: Mapped[str | None] = mapped_column(String(8))
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    #: When the reminder went out; set once, so a reminder is never sent twice.
    reminder_sent_at: Mapped[datetime | None]
    #: The calendar's revision of the event (iCalendar SEQUENCE): raised at each change of time or state.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
