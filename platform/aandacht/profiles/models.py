"""Profile storage: each person's current values in one document, and every change in a history."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from aandacht.db import Base, JSONDocument, TenantScoped, new_id, tenant_foreign_key, utcnow

SOURCES = ("person", "coach", "import", "rule", "system")


class Profile(Base, TenantScoped):
    """A person's current profile: attribute key -> value, one JSON document (JSONB on PostgreSQL).

    One row per person keeps a selection over many attributes a scan of one table, and storing an
    answer one row update; docs/profiles.md gives the measurements behind the choice.
    """

    __tablename__ = "profile"
    __table_args__ = (
        tenant_foreign_key("person_id", "person", ondelete="CASCADE"),
        # What selections over many attributes use on PostgreSQL (docs/profiles.md: storage).
        Index(
            "ix_profile_values", "values", postgresql_using="gin", postgresql_ops={"values": "jsonb_path_ops"}
        ),
    )

    person_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    values: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ProfileChange(Base, TenantScoped):
    """One change of one value: what it was and became, when, from which source and by whom."""

    __tablename__ = "profile_change"
    __table_args__ = (
        tenant_foreign_key("person_id", "person", ondelete="CASCADE"),
        Index("ix_profile_change_person", "tenant_id", "person_id", "attribute_key", "changed_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID]
    attribute_key: Mapped[str] = mapped_column(String(120))
    old_value: Mapped[Any] = mapped_column(JSONDocument, nullable=True)
    new_value: Mapped[Any] = mapped_column(JSONDocument, nullable=True)
    #: One of SOURCES: the person, a coach, an import, a rule, or the system.
    source: Mapped[str] = mapped_column(String(16))
    #: The staff member or person who made the change (None for imports and rules).
    actor_id: Mapped[uuid.UUID | None]
    #: Free detail of the source, e.g. the import's file name or the rule's name.
    detail: Mapped[str | None] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
