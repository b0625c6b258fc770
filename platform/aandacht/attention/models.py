"""Contact moments: each time a staff member was in touch with a person, and how.

A contact moment is what the caseload report counts and what the worklist's "done for today" records.
Engines record their own (a coach's personal message, a conversation, an appointment held); a coach
records a phone call or a meeting by hand. `source_id` ties a moment to the record it came from, so
recording the same message or appointment twice writes one moment.
"""

from __future__ import annotations

import uuid
from datetime import datetime

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
