"""The platform's library: content any tenant can adopt, kept by platform administrators.

A tenant adopts a library item into its catalogue (`adopt`); the adoption reads the library's text,
tags and details live, so a change in the library reaches every tenant at once, except where the tenant
wrote its own text or validity. Withdrawing a library item retires it in every tenant's feed.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from aandacht.db import session
from aandacht.i18n import SUPPORTED_LOCALES
from aandacht.personalisation.catalogue import ContentInvalid, ItemFields, clean
from aandacht.personalisation.models import LIBRARY_STATUSES, ContentItem, LibraryItem
from aandacht.personalisation.registry import content_types_for, every_content_type
from aandacht.personalisation.signals import item_published
from aandacht.tenancy.context import require_tenant

KEY_PATTERN = re.compile(r"[a-z0-9][a-z0-9\-]{1,99}")


@dataclass(frozen=True)
class LibraryFields:
    """What a platform administrator (or a library import) fills in for a library item."""

    key: str
    type: str
    title: str
    summary: str = ""
    body: str = ""
    image_url: str | None = None
    link_url: str | None = None
    tags: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    language: str = "nl"
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    status: str = "published"


def library_items(*, types: set[str] | None = None, include_withdrawn: bool = False) -> list[LibraryItem]:
    """The library's items (of `types` only, when given), by title."""
    query = select(LibraryItem).order_by(LibraryItem.title, LibraryItem.key)
    if types is not None:
        query = query.where(LibraryItem.type.in_(sorted(types)))
    if not include_withdrawn:
        query = query.where(LibraryItem.status == "published")
    return list(session.execute(query).scalars())


def library_item(item_id: uuid.UUID) -> LibraryItem | None:
    """One library item by id."""
    return session.get(LibraryItem, item_id)


def save_library_item(values: LibraryFields, *, item: LibraryItem | None = None) -> LibraryItem:
    """Create (or change) a library item; raises ContentInvalid. Adoptions follow at once."""
    errors: dict[str, str] = {}
    if not KEY_PATTERN.fullmatch(values.key):
        errors["key"] = _("Write the key in small letters, digits and dashes, for example tip-cv.")
    else:
        taken = session.execute(select(LibraryItem.id).where(LibraryItem.key == values.key)).scalar()
        if taken is not None and (item is None or taken != item.id):
            errors["key"] = _("Another library item already has this key.")
    if item is not None and values.type != item.type:
        errors["type"] = _("The type of an item cannot change.")
    if values.status not in LIBRARY_STATUSES:
        errors["status"] = _("Choose offered or withdrawn.")
    try:
        cleaned = clean(
            _as_item_fields(values),
            item=None,
            library=None,
            kinds=every_content_type(),
            locales=SUPPORTED_LOCALES,
        )
    except ContentInvalid as invalid:
        errors = {**invalid.errors, **errors}
        cleaned = {}
    if errors:
        raise ContentInvalid(errors)
    if item is None:
        item = LibraryItem()
        session.add(item)
    item.key, item.status = values.key, values.status
    for name in ("type", "title", "summary", "body", "image_url", "link_url", "tags", "details", "language"):
        setattr(item, name, cleaned.get(name) if cleaned.get(name) is not None else _EMPTY.get(name))
    item.valid_from, item.valid_until = values.valid_from, values.valid_until
    session.commit()
    return item


_EMPTY: dict[str, Any] = {"summary": "", "body": "", "tags": [], "details": {}}


def _as_item_fields(values: LibraryFields) -> ItemFields:
    return ItemFields(
        type=values.type,
        title=values.title,
        summary=values.summary,
        body=values.body,
        image_url=values.image_url,
        link_url=values.link_url,
        tags=values.tags,
        details=values.details,
        language=values.language,
        valid_from=values.valid_from,
        valid_until=values.valid_until,
    )


def offered_to_tenant() -> list[tuple[LibraryItem, ContentItem | None]]:
    """The library items of the types the tenant in context holds, each with its adoption (or None)."""
    items = library_items(types=set(content_types_for(require_tenant())))
    adopted = {
        row.library_item_id: row
        for row in session.execute(
            select(ContentItem).where(ContentItem.library_item_id.is_not(None))
        ).scalars()
    }
    return [(item, adopted.get(item.id)) for item in items]


def adopt(item: LibraryItem, *, owner_id: uuid.UUID | None = None) -> ContentItem:
    """Take a library item into the tenant's catalogue (published); adopting it twice returns the first."""
    existing = session.execute(select(ContentItem).where(ContentItem.library_item_id == item.id)).scalar()
    if existing is not None:
        return existing
    if item.type not in content_types_for(require_tenant()) or item.status != "published":
        raise ContentInvalid(
            {"library_item_id": _("This library item is not available to your organisation.")}
        )
    adopted = ContentItem(library_item_id=item.id, type=item.type, owner_id=owner_id, status="published")
    session.add(adopted)
    session.flush()
    item_published.send(
        item_id=adopted.id, item_type=item.type, eligibility_segment_id=None, link_url=item.link_url
    )
    session.commit()
    return adopted
