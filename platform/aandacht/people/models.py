"""Notes of staff about a person: for staff only, never shown to the person in any face, download or API."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from aandacht.db import Base, TenantScoped, new_id, tenant_foreign_key, utcnow


class StaffNote(Base, TenantScoped):
    """A staff member's note about a person; only its author changes or deletes it."""

    __tablename__ = "staff_note"
    __table_args__ = (
        tenant_foreign_key("person_id", "person", ondelete="CASCADE"),
        tenant_foreign_key("author_id", "staff_member"),
        Index("ix_staff_note_person", "tenant_id", "person_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID]
    #: The staff member who wrote it (staff accounts are deactivated, never deleted).
    author_id: Mapped[uuid.UUID]
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: When its author last changed it; None when never changed.
    updated_at: Mapped[datetime | None]
