"""Interaction events: what a person did with what they were shown, with its moment and context."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from aandacht.db import Base, JSONDocument, TenantScoped, new_id, tenant_foreign_key, utcnow

#: What a person can do with an item: see it, open it, follow its link, keep it, wave it away
#: ("not for me"), pass it on, and apply or sign up.
INTERACTION_KINDS = ("impression", "open", "click", "save", "dismiss", "share", "apply")


class InteractionEvent(Base, TenantScoped):
    """One interaction of one person with one item (an item is named by its type and id)."""

    __tablename__ = "interaction_event"
    __table_args__ = (
        tenant_foreign_key("person_id", "person", ondelete="CASCADE"),
        CheckConstraint(f"kind IN {INTERACTION_KINDS}", name="kind"),
        # What selections ("3 clicks in 30 days") and the ranker read: one person's events by kind and time.
        Index("ix_interaction_event_person", "tenant_id", "person_id", "kind", "occurred_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID]
    kind: Mapped[str] = mapped_column(String(16))
    #: The item's type (a content type such as `werk.vacancy`) and its id within that type.
    item_type: Mapped[str | None] = mapped_column(String(60))
    item_id: Mapped[str | None] = mapped_column(String(100))
    #: Where it happened (page, position, channel), as the recording face gave it.
    context: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
