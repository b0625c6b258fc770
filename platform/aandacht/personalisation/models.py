"""The content catalogue, the platform's library, interaction events and what the ranker learned."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from aandacht.db import Base, JSONDocument, TenantScoped, new_id, tenant_foreign_key, utcnow

#: What a person can do with an item: see it, open it, follow its link, keep it, wave it away
#: ("not for me"), pass it on, and apply or sign up.
INTERACTION_KINDS = ("impression", "open", "click", "save", "dismiss", "share", "apply")
#: A tenant's item is a draft (only staff see it), published, or retired (expired or taken down).
STATUSES = ("draft", "published", "retired")
#: How strongly a coach puts an item forward.
PRIORITIES = ("low", "normal", "high")
#: A library item is offered to tenants, or withdrawn (then no tenant shows it any more).
LIBRARY_STATUSES = ("published", "withdrawn")


class InteractionEvent(Base, TenantScoped):
    """One interaction of one person with one item (an item is named by its type and id)."""

    __tablename__ = "interaction_event"
    __table_args__ = (
        tenant_foreign_key("person_id", "person", ondelete="CASCADE"),
        CheckConstraint(f"kind IN {INTERACTION_KINDS}", name="kind"),
        # What selections ("3 clicks in 30 days") and the ranker ("the last 1,000") read: one person's events
        # by time, with their kind and item in the index, so neither visits the table.
        Index(
            "ix_interaction_event_person",
            "tenant_id",
            "person_id",
            "occurred_at",
            postgresql_include=["kind", "item_id"],
        ),
        # What learning and the coach's "not opened" list read: one item's events by kind and time.
        Index("ix_interaction_event_item", "tenant_id", "item_id", "kind", "occurred_at"),
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


class LibraryItem(Base):
    """An item of the platform-wide library, which any tenant can adopt (not owned by a tenant)."""

    __tablename__ = "library_item"
    __table_args__ = (
        CheckConstraint(f"status IN {LIBRARY_STATUSES}", name="status"),
        UniqueConstraint("key"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    #: Stable name of the item for imports and people (`werk-tip-cv-schrijven`).
    key: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    #: The short version: one plain sentence beside the icon.
    summary: Mapped[str] = mapped_column(String(300), default="")
    #: Markdown, rendered safely (no HTML of its own).
    body: Mapped[str] = mapped_column(Text, default="")
    image_url: Mapped[str | None] = mapped_column(String(500))
    link_url: Mapped[str | None] = mapped_column(String(500))
    tags: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    details: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    language: Mapped[str] = mapped_column(String(8), default="nl")
    valid_from: Mapped[datetime | None]
    valid_until: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(12), default="published")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ContentItem(Base, TenantScoped):
    """An item of a tenant's catalogue: its own, or adopted from the library.

    An adopted item leaves the library's words, tags and details empty (None) and takes them from the
    library when read, so it stays in step when the library item changes; a tenant overrides text and
    validity by filling them in, and sets eligibility, priority and pinning itself.
    """

    __tablename__ = "content_item"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUSES}", name="status"),
        CheckConstraint(f"priority IN {PRIORITIES}", name="priority"),
        tenant_foreign_key("eligibility_segment_id", "segment"),
        Index("uq_content_item_tenant_id_external_id", "tenant_id", "external_id", unique=True),
        Index("uq_content_item_tenant_id_library_item_id", "tenant_id", "library_item_id", unique=True),
        Index("ix_content_item_changed", "tenant_id", "changed_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    library_item_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("library_item.id"))
    #: The integration's own id of the item (a vacancy feed's number); unique within the tenant.
    external_id: Mapped[str | None] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(60))
    title: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text)
    image_url: Mapped[str | None] = mapped_column(String(500))
    link_url: Mapped[str | None] = mapped_column(String(500))
    tags: Mapped[list[str] | None] = mapped_column(JSONDocument)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    language: Mapped[str | None] = mapped_column(String(8))
    valid_from: Mapped[datetime | None]
    valid_until: Mapped[datetime | None]
    #: Who may see the item: the people of this saved segment (None: everyone).
    eligibility_segment_id: Mapped[uuid.UUID | None]
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[str] = mapped_column(String(8), default="normal")
    status: Mapped[str] = mapped_column(String(12), default="published")
    #: Why it was retired: `expired`, or `withdrawn` by staff or the library.
    retired_reason: Mapped[str | None] = mapped_column(String(20))
    #: The staff member who looks after the item (its coach); None for feeds and the library.
    owner_id: Mapped[uuid.UUID | None]
    #: Learned by `aandacht.personalisation.learning`: how many people saw it, and engaged with it.
    shown: Mapped[int] = mapped_column(Integer, default=0)
    engaged: Mapped[int] = mapped_column(Integer, default=0)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ContentNeighbour(Base, TenantScoped):
    """Two items that the same people engaged with, and how strongly (cosine, 0-1); learned."""

    __tablename__ = "content_neighbour"
    __table_args__ = (
        tenant_foreign_key("item_id", "content_item", ondelete="CASCADE"),
        tenant_foreign_key("neighbour_id", "content_item", ondelete="CASCADE"),
    )

    item_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    neighbour_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    similarity: Mapped[float] = mapped_column(Float)
