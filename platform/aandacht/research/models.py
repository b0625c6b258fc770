"""Outcomes: what happened to a person, with its date, how it was registered and by whom."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from aandacht.db import Base, JSONDocument, TenantScoped, new_id, tenant_foreign_key, utcnow

#: coach: in the workspace; import: from a file; api: by an integration or a token.
OUTCOME_SOURCES = ("coach", "import", "api")


class Outcome(Base, TenantScoped):
    """One outcome of a person, e.g. "found work that ends the benefit" on 1 March."""

    __tablename__ = "outcome"
    __table_args__ = (
        tenant_foreign_key("person_id", "person", ondelete="CASCADE"),
        CheckConstraint(f"source IN {OUTCOME_SOURCES}", name="source"),
        Index("ix_outcome_person", "tenant_id", "person_id", "occurred_on"),
        Index("ix_outcome_type", "tenant_id", "type_key", "occurred_on"),
        Index("uq_outcome_tenant_id_external_id", "tenant_id", "external_id", unique=True),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID]
    #: The outcome type's key, `<domain>.<outcome>`.
    type_key: Mapped[str] = mapped_column(String(80))
    occurred_on: Mapped[date]
    details: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(8))
    #: The staff member who registered it (None: an import file or an integration).
    recorded_by: Mapped[uuid.UUID | None]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The sending system's own id of the outcome: registering it again changes this one.
    external_id: Mapped[str | None] = mapped_column(String(100))
