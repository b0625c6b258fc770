"""The tenant's catalogue: items as people see them, and how staff and integrations change them.

An item is read as an `Item`: an adopted item's empty fields are filled from its library item, so it
stays in step with the library; the tenant's own text and validity override. Every change is checked
against the item's content type first; one bad field refuses the whole change (`ContentInvalid`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, and_, func, or_, select, update

from aandacht.db import session, utcnow
from aandacht.personalisation.models import (
    PRIORITIES,
    STATUSES,
    ContentItem,
    InteractionEvent,
    LibraryItem,
)
from aandacht.personalisation.registry import content_types_for
from aandacht.personalisation.signals import item_published
from aandacht.personalisation.types import ContentType, InvalidDetail
from aandacht.segments.models import Segment
from aandacht.segments.signals import segment_users
from aandacht.tenancy.context import require_tenant
from aandacht.tenancy.scoping import get_scoped

#: Fields an adopted item takes from the library unless the tenant fills them in itself.
OVERRIDABLE = ("title", "summary", "body", "valid_from", "valid_until")
#: Fields that only the library sets for an adopted item.
FROM_LIBRARY = ("type", "image_url", "link_url", "tags", "details", "language")
#: Kinds of interaction that show someone took an interest (used by learning and reports).
ENGAGING = ("open", "click", "save", "share", "apply")
TAG_PATTERN = re.compile(r"[a-z0-9_\-]+(:[\w\-. ]+)?", re.UNICODE)
MOST_TAGS, LONGEST_BODY = 40, 20_000


class ContentInvalid(ValueError):
    """An item cannot be saved; `errors` maps each field (`details.hours` for a detail) to the reason."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = dict(errors)


@dataclass(frozen=True)
class Item:
    """An item as people see it: the tenant's values, else the library's."""

    id: uuid.UUID
    type: str
    title: str
    summary: str
    body: str
    image_url: str | None
    link_url: str | None
    tags: tuple[str, ...]
    details: Mapping[str, Any]
    language: str
    valid_from: datetime | None
    valid_until: datetime | None
    eligibility_segment_id: uuid.UUID | None
    pinned: bool
    priority: str
    #: draft, published or retired (a withdrawn library item retires its adoptions).
    status: str
    retired_reason: str | None
    owner_id: uuid.UUID | None
    external_id: str | None
    library_item_id: uuid.UUID | None
    published_at: datetime
    changed_at: datetime
    #: How many people saw it and engaged with it (learned, see `aandacht.personalisation.learning`).
    shown: int = 0
    engaged: int = 0
    #: The fields this tenant filled in over the library's (empty for its own items).
    overridden: frozenset[str] = frozenset()

    def visible_at(self, moment: datetime) -> bool:
        """Published and within its validity at `moment`."""
        return (
            self.status == "published"
            and (self.valid_from is None or self.valid_from <= moment)
            and (self.valid_until is None or moment < self.valid_until)
        )


def as_item(own: ContentItem, library: LibraryItem | None) -> Item:
    """The effective item of a row and its library item (None for the tenant's own)."""
    values: dict[str, Any] = {
        name: getattr(own, name)
        for name in ("id", "type", "eligibility_segment_id", "pinned", "priority", "status", "retired_reason")
    }
    values |= {
        name: getattr(own, name)
        for name in (
            "owner_id",
            "external_id",
            "library_item_id",
            "published_at",
            "changed_at",
            "shown",
            "engaged",
        )
    }
    overridden = set()
    for name in (*OVERRIDABLE, *FROM_LIBRARY[1:]):
        mine = getattr(own, name)
        if library is not None and mine is None:
            values[name] = getattr(library, name)
        else:
            values[name] = mine
            if library is not None:
                overridden.add(name)
    if library is not None and library.status == "withdrawn" and own.status != "retired":
        values["status"], values["retired_reason"] = "retired", "withdrawn"
    values["summary"] = values["summary"] or ""
    values["body"] = values["body"] or ""
    values["tags"] = tuple(values["tags"] or ())
    values["details"] = dict(values["details"] or {})
    values["language"] = values["language"] or require_tenant().default_locale
    return Item(**values, overridden=frozenset(overridden))


def items_query() -> Select[tuple[ContentItem, LibraryItem]]:
    """The tenant's items with their library items (outer join), for `as_item`."""
    return select(ContentItem, LibraryItem).outerjoin(
        LibraryItem, ContentItem.library_item_id == LibraryItem.id
    )


def effective(column: str) -> ColumnElement[Any]:
    """The SQL of an overridable or library field as `Item` reads it."""
    return func.coalesce(getattr(ContentItem, column), getattr(LibraryItem, column))


def visible_clause(moment: datetime) -> ColumnElement[bool]:
    """SQL for items that people may see at `moment`: published, valid, not withdrawn by the library."""
    valid_from, valid_until = effective("valid_from"), effective("valid_until")
    return and_(
        ContentItem.status == "published",
        or_(LibraryItem.id.is_(None), LibraryItem.status == "published"),
        or_(valid_from.is_(None), valid_from <= moment),
        or_(valid_until.is_(None), valid_until > moment),
    )


def item_by_id(item_id: uuid.UUID | str) -> Item | None:
    """One item of the tenant in context, as people see it (None when absent or another tenant's)."""
    try:
        key = uuid.UUID(str(item_id))
    except ValueError:
        return None
    row = session.execute(items_query().where(ContentItem.id == key)).first()
    return as_item(*row) if row else None


@dataclass(frozen=True)
class ItemFilter:
    """What a list of items is narrowed to (the workspace and the API)."""

    type: str | None = None
    status: str | None = None
    owner_id: uuid.UUID | None = None
    search: str = ""
    library: bool | None = None


def list_items(
    item_filter: ItemFilter = ItemFilter(), *, limit: int = 50, offset: int = 0
) -> tuple[int, list[Item]]:
    """How many items match and one page of them, newest first."""
    query = items_query()
    conditions = []
    if item_filter.type:
        conditions.append(ContentItem.type == item_filter.type)
    if item_filter.status:
        conditions.append(ContentItem.status == item_filter.status)
    if item_filter.owner_id:
        conditions.append(ContentItem.owner_id == item_filter.owner_id)
    if item_filter.library is not None:
        conditions.append(ContentItem.library_item_id.is_not(None) == item_filter.library)
    if item_filter.search.strip():
        pattern = f"%{_escape_like(item_filter.search.strip())}%"
        conditions.append(effective("title").ilike(pattern, escape="\\"))
    query = query.where(*conditions)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    page = query.order_by(ContentItem.published_at.desc(), ContentItem.id).limit(limit).offset(offset)
    return total, [as_item(own, library) for own, library in session.execute(page)]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --- Changing items -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemFields:
    """What staff or an integration fill in; a field left as `None` is not changed (or stays empty)."""

    type: str | None = None
    title: str | None = None
    summary: str | None = None
    body: str | None = None
    image_url: str | None = None
    link_url: str | None = None
    tags: list[str] | None = None
    details: dict[str, Any] | None = None
    language: str | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    eligibility_segment_id: uuid.UUID | None = None
    pinned: bool | None = None
    priority: str | None = None
    status: str | None = None
    external_id: str | None = None
    #: Fields to empty (a date or a segment set before), since `None` means "leave as it is".
    cleared: frozenset[str] = field(default_factory=frozenset)

    def given(self) -> dict[str, Any]:
        """The fields filled in, by name."""
        return {
            item.name: getattr(self, item.name)
            for item in fields(self)
            if item.name != "cleared" and getattr(self, item.name) is not None
        }


def save_item(
    values: ItemFields,
    *,
    item: ContentItem | None = None,
    owner_id: uuid.UUID | None = None,
    commit: bool = True,
) -> ContentItem:
    """Create an item (or change `item`) after checking every field; raises ContentInvalid."""
    library = session.get(LibraryItem, item.library_item_id) if item and item.library_item_id else None
    cleaned = clean(values, item=item, library=library)
    was_published = item is not None and item.status == "published"
    if item is None:
        item = ContentItem(owner_id=owner_id)
        session.add(item)
    for name, value in cleaned.items():
        setattr(item, name, value)
    if "status" in cleaned and cleaned["status"] == "published" and item.retired_reason:
        item.retired_reason = None
    if "status" in cleaned and cleaned["status"] == "retired" and not item.retired_reason:
        item.retired_reason = "withdrawn"
    session.flush()
    if item.status == "published" and not was_published:
        item_published.send(
            item_id=item.id,
            item_type=item.type,
            eligibility_segment_id=item.eligibility_segment_id,
            link_url=item.link_url,
        )
    if commit:
        session.commit()
    return item


def clean(
    values: ItemFields,
    *,
    item: ContentItem | None,
    library: LibraryItem | None,
    kinds: Mapping[str, ContentType] | None = None,
    locales: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The columns to write for `values`; raises ContentInvalid with every problem.

    `kinds` and `locales` default to the tenant's; the library passes every type and language.
    """
    errors: dict[str, str] = {}
    given = values.given()
    cleaned: dict[str, Any] = {name: None for name in values.cleared if name in _CLEARABLE}
    if library is not None:
        for name in FROM_LIBRARY:
            if name in given and given[name] != getattr(library, name):
                errors[name] = _("This comes from the library and cannot be changed here.")
    kind_key = given.get("type") or (item.type if item else None)
    kinds = kinds if kinds is not None else content_types_for(require_tenant())
    kind = kinds.get(kind_key or "")
    if item is not None and "type" in given and given["type"] != item.type:
        errors["type"] = _("The type of an item cannot change.")
    elif kind is None:
        errors["type"] = _("Choose one of the types of content.")
    for name in ("title", "summary", "body"):
        if name in given:
            cleaned[name] = _clean_text(name, given[name], errors)
    needs_title = library is None and not (cleaned.get("title") or (item is not None and item.title))
    if needs_title and "title" not in errors:
        errors["title"] = _("Give a title.")
    for name in ("image_url", "link_url"):
        if name in given:
            cleaned[name] = _clean_url(name, given[name], errors)
    if "tags" in given:
        cleaned["tags"] = _clean_tags(given["tags"], errors)
    if kind is not None and (library is None or "details" in given):
        cleaned["details"] = _clean_details(kind, given.get("details"), item, errors)
    if "language" in given:
        if given["language"] not in (locales if locales is not None else require_tenant().locales):
            errors["language"] = _("Choose one of the organisation's languages.")
        cleaned["language"] = given["language"]
    for name in ("valid_from", "valid_until", "pinned", "eligibility_segment_id", "external_id"):
        if name in given:
            cleaned[name] = given[name]
    _check_validity(cleaned, item, library, errors)
    segment_id = cleaned.get("eligibility_segment_id")
    if segment_id is not None and get_scoped(Segment, segment_id) is None:
        errors["eligibility_segment_id"] = _("Choose one of the saved selections.")
    if "priority" in given:
        if given["priority"] not in PRIORITIES:
            errors["priority"] = _("Choose low, normal or high.")
        cleaned["priority"] = given["priority"]
    if "status" in given:
        if given["status"] not in STATUSES:
            errors["status"] = _("Choose draft, published or retired.")
        cleaned["status"] = given["status"]
    if "external_id" in given:
        if not isinstance(given["external_id"], str) or not 0 < len(given["external_id"]) <= 100:
            errors["external_id"] = _("Give an external id of 1 to 100 characters.")
        elif _external_id_taken(given["external_id"], item):
            errors["external_id"] = _("Another item already has this external id.")
    if item is None and kind is not None:
        cleaned["type"] = kind.key
    if errors:
        raise ContentInvalid(errors)
    return cleaned


_CLEARABLE = ("summary", "image_url", "link_url", "valid_from", "valid_until", "eligibility_segment_id")
_TEXT_LIMITS = {"title": 200, "summary": 300, "body": LONGEST_BODY}


def _clean_text(name: str, raw: Any, errors: dict[str, str]) -> str | None:
    text = str(raw).strip()
    if len(text) > _TEXT_LIMITS[name]:
        errors[name] = _("This is too long: at most %(count)d characters.", count=_TEXT_LIMITS[name])
    return text or None


def _clean_url(name: str, raw: Any, errors: dict[str, str]) -> str | None:
    url = str(raw).strip()
    if url and (not url.startswith(("https://", "http://", "/")) or url.startswith("//") or len(url) > 500):
        errors[name] = _("Give a web address that starts with https://.")
    return url or None


def _clean_tags(raw: Any, errors: dict[str, str]) -> list[str]:
    tags = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list | tuple) else None
    if tags is None or not all(isinstance(tag, str) for tag in tags):
        errors["tags"] = _("Give the tags as a list of words.")
        return []
    cleaned = sorted({tag.strip().lower() for tag in tags if tag.strip()})
    if len(cleaned) > MOST_TAGS:
        errors["tags"] = _("At most %(count)d tags.", count=MOST_TAGS)
    wrong = [tag for tag in cleaned if len(tag) > 60 or not TAG_PATTERN.fullmatch(tag)]
    if wrong:
        errors["tags"] = _(
            "Write each tag as a word or as kind:value, for example sector:care. Not right: %(tags)s",
            tags=", ".join(wrong),
        )
    return cleaned


def _clean_details(
    kind: ContentType, raw: Any, item: ContentItem | None, errors: dict[str, str]
) -> dict[str, Any]:
    current = dict(item.details or {}) if item is not None else {}
    if raw is not None and not isinstance(raw, Mapping):
        errors["details"] = _("Give the details as named values.")
        return current
    merged = {**current, **(raw or {})}
    unknown = sorted(set(merged) - {item_.key for item_ in kind.fields})
    for key in unknown:
        errors[f"details.{key}"] = _("This type of item has no such detail.")
    cleaned: dict[str, Any] = {}
    for detail in kind.fields:
        try:
            value = detail.clean(merged.get(detail.key))
        except InvalidDetail as invalid:
            errors[f"details.{detail.key}"] = str(invalid)
            continue
        if value is not None:
            cleaned[detail.key] = value
    return cleaned


def _check_validity(
    cleaned: dict[str, Any], item: ContentItem | None, library: LibraryItem | None, errors: dict[str, str]
) -> None:
    def current(name: str) -> datetime | None:
        own = cleaned[name] if name in cleaned else getattr(item, name) if item is not None else None
        return own if own is not None else getattr(library, name, None)

    start, end = current("valid_from"), current("valid_until")
    if start is not None and end is not None and end <= start:
        errors["valid_until"] = _("The last day must come after the first day.")


def _external_id_taken(external_id: str, item: ContentItem | None) -> bool:
    query = select(ContentItem.id).where(ContentItem.external_id == external_id)
    if item is not None:
        query = query.where(ContentItem.id != item.id)
    return session.execute(query).first() is not None


@dataclass(frozen=True)
class RowResult:
    """What an upsert did with one row: created, updated, unchanged or refused (with the reasons)."""

    index: int
    external_id: str | None
    outcome: str
    item_id: uuid.UUID | None = None
    errors: Mapping[str, str] = field(default_factory=dict)


def upsert_items(rows: list[ItemFields]) -> list[RowResult]:
    """Create or change items by their external id (a vacancy feed); one result per row, in order.

    A bad row is refused with its reasons and changes nothing; the others are written in one transaction.
    """
    wanted = [row.external_id for row in rows if row.external_id]
    existing = {
        item.external_id: item
        for item in session.execute(select(ContentItem).where(ContentItem.external_id.in_(wanted))).scalars()
    }
    results, seen = [], set()
    for index, row in enumerate(rows):
        if not row.external_id:
            errors = {"external_id": _("Give an external id.")}
            results.append(RowResult(index, None, "refused", errors=errors))
            continue
        if row.external_id in seen:
            errors = {"external_id": _("This external id came earlier in the same request.")}
            results.append(RowResult(index, row.external_id, "refused", errors=errors))
            continue
        seen.add(row.external_id)
        item = existing.get(row.external_id)
        before = _snapshot(item)
        try:
            with session.begin_nested():
                saved = save_item(replace(row, external_id=None) if item else row, item=item, commit=False)
        except ContentInvalid as invalid:
            results.append(RowResult(index, row.external_id, "refused", errors=invalid.errors))
            continue
        outcome = "created" if item is None else "unchanged" if _snapshot(saved) == before else "updated"
        results.append(RowResult(index, row.external_id, outcome, saved.id))
    session.commit()
    return results


def _snapshot(item: ContentItem | None) -> tuple[Any, ...] | None:
    if item is None:
        return None
    names = ("title", "summary", "body", "image_url", "link_url", "tags", "details", "language", "valid_from")
    return tuple(getattr(item, name) for name in (*names, "valid_until", "status", "priority", "pinned"))


def retire(item: ContentItem, reason: str = "withdrawn") -> None:
    """Take an item out of every feed (it stays in the history of what people saw)."""
    item.status, item.retired_reason = "retired", reason
    session.commit()


def retire_absent(kind: str, prefix: str, present: Collection[str]) -> list[str]:
    """Retire what a full feed no longer lists; returns the external ids retired (not committed).

    Those are the published items of type `kind` whose external id starts with `prefix` and is not in
    `present`; they are retired as `withdrawn`.
    """
    query = select(ContentItem).where(
        ContentItem.type == kind,
        ContentItem.status == "published",
        ContentItem.external_id.startswith(prefix, autoescape=True),
    )
    gone = [item for item in session.execute(query).scalars() if item.external_id not in present]
    for item in gone:
        item.status, item.retired_reason = "retired", "withdrawn"
    session.flush()
    return sorted(str(item.external_id) for item in gone)


def retire_expired(now: datetime | None = None) -> int:
    """Retire the published items whose validity ended; returns how many (the expiry job's work)."""
    moment = now or utcnow()
    ended = (
        select(ContentItem.id)
        .outerjoin(LibraryItem, ContentItem.library_item_id == LibraryItem.id)
        .where(ContentItem.status == "published", effective("valid_until") <= moment)
    )
    ids = list(session.execute(ended).scalars())
    if ids:
        session.execute(
            update(ContentItem)
            .where(ContentItem.id.in_(ids))
            .values(status="retired", retired_reason="expired")
            .execution_options(synchronize_session=False)
        )
    session.commit()
    return len(ids)


def unopened_items(owner_id: uuid.UUID, *, days: int = 30, now: datetime | None = None) -> list[Item]:
    """The coach's published items, online for `days` days at least, that no one engaged with in those days.

    Engaging is opening, following the link, keeping, sharing or applying.
    """
    since = (now or utcnow()) - timedelta(days=days)
    query = items_query().where(
        ContentItem.owner_id == owner_id, ContentItem.status == "published", ContentItem.published_at <= since
    )
    rows = session.execute(query.order_by(ContentItem.published_at))
    mine = [as_item(own, library) for own, library in rows]
    opened = set(
        session.execute(
            select(InteractionEvent.item_id).where(
                InteractionEvent.item_id.in_([str(item.id) for item in mine]),
                InteractionEvent.kind.in_(ENGAGING),
                InteractionEvent.occurred_at >= since,
            )
        ).scalars()
    )
    return [item for item in mine if str(item.id) not in opened]


@segment_users.connect
def _items_for(_sender: Any, *, segment: Segment, **_kwargs: Any) -> list[str]:
    """The items only this segment's people may see: the segment cannot go while they need it."""
    query = items_query().where(ContentItem.eligibility_segment_id == segment.id)
    return [as_item(own, library).title for own, library in session.execute(query)]
