"""The ask history of progressive profiling: which question was put to whom, when, and what came of it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from aandacht.db import Base, TenantScoped, new_id, tenant_foreign_key, utcnow

#: shown: the question was put on a card; answered, not_now, prefer_not: what the person did with it.
OUTCOMES = ("shown", "answered", "not_now", "prefer_not")


class ProfileAsk(Base, TenantScoped):
    """One moment in a person's ask history; aandacht.profiles.questions reads it to choose the next."""

    __tablename__ = "profile_ask"
    __table_args__ = (
        tenant_foreign_key("person_id", "person", ondelete="CASCADE"),
        Index("ix_profile_ask_person", "tenant_id", "person_id", "asked_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID]
    attribute_key: Mapped[str] = mapped_column(String(120))
    #: When the question was shown, or when the person acted on it.
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: One of OUTCOMES.
    outcome: Mapped[str] = mapped_column(String(16))
