"""Saved segments: a named selection of a tenant, evaluated live or frozen as a list of people."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aandacht.db import Base, JSONDocument, TenantScoped, new_id, tenant_foreign_key, utcnow

#: dynamic: evaluated at the moment it is used; static: the people it held when it was frozen.
KINDS = ("dynamic", "static")


class Segment(Base, TenantScoped):
    """A selection a coach saved under a name, for reuse in outreach, content and research."""

    __tablename__ = "segment"
    __table_args__ = (
        UniqueConstraint("tenant_id", "name"),
        CheckConstraint(f"kind IN {KINDS}", name="kind"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(500), default="")
    #: The predicate document (docs/segments.md); checked against the registry when saved.
    predicate: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    kind: Mapped[str] = mapped_column(String(8), default="dynamic")
    #: The staff member who saved it (None when a system or an import made it).
    owner_id: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: When a static segment took its list of people, and how many.
    frozen_at: Mapped[datetime | None]
    frozen_count: Mapped[int | None] = mapped_column(Integer)


class SegmentMember(Base, TenantScoped):
    """One person on the frozen list of a static segment."""

    __tablename__ = "segment_member"
    __table_args__ = (
        tenant_foreign_key("segment_id", "segment", ondelete="CASCADE"),
        tenant_foreign_key("person_id", "person", ondelete="CASCADE"),
    )

    segment_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
