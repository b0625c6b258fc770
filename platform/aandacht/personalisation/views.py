"""Content in the coach workspace: the tenant's items, writing and retiring them, and the library.

- `/workspace/content/`: the tenant's items, filtered by type, status, "mine" and title, fifty a page,
  each with how many people saw it and how many opened it.
- `/workspace/content/new`: choose a type, then fill in the item (`/new/<type>`); `/<id>/edit` changes it.
  The form's "Preview" shows the text as residents will see it, without saving.
- `/workspace/content/<id>`: the item as residents see it, and what can be done with it: retire,
  publish again, delete (a draft that nobody saw).
- `/workspace/content/library`: the platform's library; adopting an item adds it to the catalogue, where
  it follows the library except for the text and dates the tenant writes over it.
- `/workspace/content/unopened`: the signed-in coach's published items that nobody opened in 30 days.

Content belongs to the organisation: anyone with CONTENT_MANAGE changes any of its items; "mine" are
the items one wrote or adopted. An item of another tenant is not found (404). Residents' Markdown is
rendered by the `markdown` filter registered here (`aandacht.personalisation.markdown`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import format_date, to_user_timezone, to_utc
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from aandacht.accounts import service as accounts
from aandacht.accounts.models import StaffMember
from aandacht.accounts.permissions import Permission, Rule, requires_any
from aandacht.db import session, utcnow
from aandacht.personalisation import catalogue, library
from aandacht.personalisation.catalogue import OVERRIDABLE, ContentInvalid, Item, ItemFields, ItemFilter
from aandacht.personalisation.markdown import render_markdown
from aandacht.personalisation.models import STATUSES, ContentItem, InteractionEvent, LibraryItem
from aandacht.personalisation.overrides import reset_overrides, save_adopted
from aandacht.personalisation.registry import content_types_for
from aandacht.personalisation.types import ContentField, ContentType
from aandacht.segments.service import saved_segments, segment_by_id
from aandacht.tenancy.scoping import get_scoped
from aandacht.web.faces import LANGUAGE_NAMES

blueprint = Blueprint("content", __name__, url_prefix="/workspace/content", template_folder="templates")
blueprint.add_app_template_filter(render_markdown, "markdown")
#: Staff who manage content, in a login session; integrations change content through the API.
MANAGE_CONTENT = requires_any(Rule.of(Permission.CONTENT_MANAGE), tokens=False)
#: Items per page of the list.
PAGE_SIZE = 50
#: The icon of an item whose type the tenant no longer holds (its domain was switched off).
UNKNOWN_TYPE_ICON = "file-text"

STATUS_LABELS = {"draft": _l("Draft"), "published": _l("Published"), "retired": _l("Retired")}
PRIORITY_LABELS = {"low": _l("Low"), "normal": _l("Normal"), "high": _l("High")}
RETIRED_REASONS = {"expired": _l("its end date passed"), "withdrawn": _l("taken down")}
#: The fields an adopted item may have in words of its own, as the item page names them.
OVERRIDE_LABELS = {
    "title": _l("title"),
    "summary": _l("short version"),
    "body": _l("text"),
    "valid_from": _l("first day"),
    "valid_until": _l("last day"),
}


# --- The form, as typed -----------------------------------------------------------------------------------


@dataclass
class Draft:
    """An item form as filled in, every field as typed, so that a refused save loses nothing."""

    title: str = ""
    summary: str = ""
    body: str = ""
    image_url: str = ""
    link_url: str = ""
    tags: str = ""
    details: dict[str, str] = field(default_factory=dict)
    language: str = ""
    valid_from: str = ""
    valid_until: str = ""
    segment: str = ""
    priority: str = "normal"
    pinned: bool = False
    status: str = "draft"
    #: The library's key of an item (the library's own form only).
    key: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def draft_from_form(form: MultiDict, kind: ContentType | None) -> Draft:
    """The form as the browser sent it."""
    text = {name: form.get(name, "").strip() for name in ("title", "summary", "link_url", "image_url")}
    return Draft(
        **text,
        body=form.get("body", "").replace("\r\n", "\n"),
        tags=form.get("tags", ""),
        details={item.key: form.get(f"details.{item.key}", "").strip() for item in _fields(kind)},
        language=form.get("language", ""),
        valid_from=form.get("valid_from", "").strip(),
        valid_until=form.get("valid_until", "").strip(),
        segment=form.get("eligibility_segment_id", ""),
        priority=form.get("priority", "normal"),
        pinned=form.get("pinned") == "1",
        status=form.get("status", "draft"),
        key=form.get("key", "").strip(),
    )


def draft_of(values: ContentItem | LibraryItem, kind: ContentType | None) -> Draft:
    """The form of a saved item (an adopted item's library fields stay empty: the library fills them)."""
    first, last = validity_days(values.valid_from, values.valid_until)
    details = values.details or {}
    return Draft(
        title=values.title or "",
        summary=values.summary or "",
        body=values.body or "",
        image_url=values.image_url or "",
        link_url=values.link_url or "",
        tags=", ".join(values.tags or ()),
        details={item.key: _typed_detail(details.get(item.key)) for item in _fields(kind)},
        language=values.language or "",
        valid_from=first.isoformat() if first else "",
        valid_until=last.isoformat() if last else "",
        segment=str(getattr(values, "eligibility_segment_id", None) or ""),
        priority=getattr(values, "priority", "normal"),
        pinned=getattr(values, "pinned", False),
        status=values.status,
        key=getattr(values, "key", ""),
    )


def _fields(kind: ContentType | None) -> tuple[ContentField, ...]:
    return kind.fields if kind is not None else ()


def _typed_detail(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def tag_list(typed: str) -> list[str]:
    """The tags of the comma separated field."""
    return [tag.strip() for tag in typed.split(",") if tag.strip()]


def _typed_day(draft: Draft, name: str) -> date | None:
    """The day typed into a date field (None when empty); a wrong date goes into `draft.errors`."""
    typed = getattr(draft, name)
    if not typed:
        return None
    try:
        return date.fromisoformat(typed)
    except ValueError:
        draft.errors[name] = _("Fill in a date like 2026-03-31.")
        return None


def _day_start(day: date) -> datetime:
    """The moment a day begins where the organisation is (Europe/Amsterdam)."""
    return to_utc(datetime.combine(day, time())).replace(tzinfo=UTC)


def validity_days(start: datetime | None, end: datetime | None) -> tuple[date | None, date | None]:
    """The first and last day an item is shown; `end` is the moment it stops, the day after the last."""
    first = to_user_timezone(start).date() if start is not None else None
    last = (to_user_timezone(end) - timedelta(microseconds=1)).date() if end is not None else None
    return first, last


def validity_moments(draft: Draft) -> tuple[datetime | None, datetime | None]:
    """The moments the typed first and last day stand for (errors go into `draft.errors`)."""
    first, last = _typed_day(draft, "valid_from"), _typed_day(draft, "valid_until")
    return (
        _day_start(first) if first else None,
        _day_start(last + timedelta(days=1)) if last else None,
    )


def _reach(ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[int, int]]:
    """How many people each item was shown to, and how many opened it (what learning counted)."""
    if not ids:
        return {}
    rows = session.execute(
        select(ContentItem.id, ContentItem.shown, ContentItem.engaged).where(ContentItem.id.in_(ids))
    )
    return {item_id: (shown, engaged) for item_id, shown, engaged in rows}


# --- Shared by the pages ------------------------------------------------------------------------------


def _kinds() -> dict[str, ContentType]:
    return content_types_for(g.tenant)


def _row(item_id: uuid.UUID) -> ContentItem:
    row = get_scoped(ContentItem, item_id)
    if row is None:
        abort(404)
    return row


def _item(item_id: uuid.UUID) -> Item:
    item = catalogue.item_by_id(item_id)
    if item is None:
        abort(404)
    return item


def template_helpers() -> dict[str, Any]:
    """What the item pages of the workspace and of the library use in their templates."""
    return {
        "status_labels": STATUS_LABELS,
        "priority_labels": PRIORITY_LABELS,
        "retired_reasons": RETIRED_REASONS,
        "validity_days": validity_days,
        "unknown_type_icon": UNKNOWN_TYPE_ICON,
        "detail_text": detail_text,
        "choice_pairs": choice_pairs,
        "language_names": LANGUAGE_NAMES,
    }


@blueprint.context_processor
def _page_values() -> dict[str, Any]:
    return {
        "menu": current_app.extensions["aandacht.domains"].menu_items(g.tenant, "coach"),
        **template_helpers(),
    }


def detail_text(kind_field: ContentField, value: Any) -> str:
    """A detail's value in words: a choice's label, yes or no, else the value itself."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if kind_field.type == "choice":
        return kind_field.option_label(value)
    if kind_field.type == "date":
        return format_date(date.fromisoformat(value))
    return str(value)


def choice_pairs(kind_field: ContentField) -> list[tuple[str, object]]:
    """The (value, words) of a choice detail's options, for its select."""
    return [(option.value, option.label) for option in kind_field.options]  # type: ignore[union-attr]


def _failed(draft: Draft, errors: Mapping[str, str]) -> None:
    draft.errors.update(errors)
    flash(_("The item is not saved yet. Look at the red text."), "error")


# --- The list -----------------------------------------------------------------------------------------


@blueprint.get("/")
@MANAGE_CONTENT
def index() -> str:
    """The tenant's items, newest first, with filters and the count of the viewer's unopened items."""
    kinds = _kinds()
    chosen_type = request.args.get("type", "")
    status = request.args.get("status", "")
    filters = {
        "type": chosen_type if chosen_type in kinds else "",
        "status": status if status in STATUSES else "",
        "mine": "1" if request.args.get("mine") == "1" else "",
        "q": request.args.get("q", "").strip()[:100],
    }
    page = max(1, request.args.get("page", 1, type=int))
    total, items = catalogue.list_items(
        ItemFilter(
            type=filters["type"] or None,
            status=filters["status"] or None,
            owner_id=g.principal.id if filters["mine"] else None,
            search=filters["q"],
        ),
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    return render_template(
        "content/index.html",
        items=items,
        total=total,
        kinds=kinds,
        filters=filters,
        active_filters={name: value for name, value in filters.items() if value},
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        reach=_reach([item.id for item in items]),
        owners={staff.id: staff.display_name for staff in accounts.all_staff()},
        unopened=len(catalogue.unopened_items(owner_id=g.principal.id)),
    )


@blueprint.get("/unopened")
@MANAGE_CONTENT
def unopened() -> str:
    """The viewer's published items that nobody opened, followed, kept or applied to in 30 days."""
    items = catalogue.unopened_items(owner_id=g.principal.id)
    return render_template(
        "content/unopened.html", items=items, kinds=_kinds(), reach=_reach([item.id for item in items])
    )


# --- Writing an item ------------------------------------------------------------------------------------


@blueprint.get("/new")
@MANAGE_CONTENT
def choose_type() -> str | Response:
    """First step of a new item: what kind of item it is (straight on when there is one kind)."""
    kinds = _kinds()
    if len(kinds) == 1:
        return redirect(url_for("content.new", type_key=next(iter(kinds))))
    return render_template("content/choose_type.html", kinds=kinds)


@blueprint.route("/new/<type_key>", methods=["GET", "POST"])
@MANAGE_CONTENT
def new(type_key: str) -> str | tuple[str, int] | Response:
    """Write a new item of a type: the form, and saving it (as a draft or published at once)."""
    kind = _kinds().get(type_key)
    if kind is None:
        abort(404)
    if request.method == "GET":
        return _form_page(Draft(language=g.tenant.default_locale), kind, None)
    draft = draft_from_form(request.form, kind)
    if request.form.get("action") == "preview":
        return _form_page(draft, kind, None, preview=True)
    try:
        fields = replace(_item_fields(draft, kind), type=kind.key)
        if draft.errors:
            raise ContentInvalid({})
        saved = catalogue.save_item(fields, owner_id=g.principal.id)
    except ContentInvalid as invalid:
        _failed(draft, invalid.errors)
        return _form_page(draft, kind, None), 400
    flash(_("“%(title)s” is saved.", title=saved.title), "info")
    return redirect(url_for("content.show", item_id=saved.id))


@blueprint.route("/<uuid:item_id>/edit", methods=["GET", "POST"])
@MANAGE_CONTENT
def edit(item_id: uuid.UUID) -> str | tuple[str, int] | Response:
    """Change an item; for an adopted one only the text and dates over the library's, and how it is shown."""
    row = _row(item_id)
    kind = _kinds().get(row.type)
    source = library.library_item(row.library_item_id) if row.library_item_id else None
    if request.method == "GET":
        return _form_page(draft_of(row, kind), kind, row, source=source)
    draft = draft_from_form(request.form, kind)
    if request.form.get("action") == "preview":
        return _form_page(draft, kind, row, source=source, preview=True)
    try:
        if source is None:
            fields = _item_fields(draft, kind)
            if draft.errors:
                raise ContentInvalid({})
            catalogue.save_item(fields, item=row)
        else:
            fields, follow = _adopted_fields(draft, source)
            if draft.errors:
                raise ContentInvalid({})
            save_adopted(row, fields, use_library=follow)
    except ContentInvalid as invalid:
        session.rollback()
        _failed(draft, invalid.errors)
        return _form_page(draft, kind, row, source=source), 400
    flash(_("Your changes are saved."), "info")
    return redirect(url_for("content.show", item_id=row.id))


def _item_fields(draft: Draft, kind: ContentType | None) -> ItemFields:
    """What the form of the tenant's own item saves (typed mistakes of dates and selections: in errors)."""
    valid_from, valid_until = validity_moments(draft)
    cleared = {name for name in ("valid_from", "valid_until") if not getattr(draft, name)}
    return ItemFields(
        title=draft.title,
        summary=draft.summary,
        body=draft.body,
        image_url=draft.image_url,
        link_url=draft.link_url,
        tags=tag_list(draft.tags),
        details={item.key: draft.details.get(item.key, "") for item in _fields(kind)},
        language=draft.language,
        valid_from=valid_from,
        valid_until=valid_until,
        **_showing(draft),
        cleared=frozenset(cleared) | _everyone(draft),
    )


def _adopted_fields(draft: Draft, source: LibraryItem) -> tuple[ItemFields, set[str]]:
    """What the form of an adopted item saves, and the fields that follow the library.

    A field left empty, or the same as the library's, follows the library: when the library changes
    it later, the tenant gets the change.
    """
    valid_from, valid_until = validity_moments(draft)
    library_first, library_last = validity_days(source.valid_from, source.valid_until)
    typed: dict[str, Any] = {
        "title": draft.title or None,
        "summary": draft.summary or None,
        "body": draft.body.strip() or None,
        "valid_from": valid_from,
        "valid_until": valid_until,
    }
    same = {
        "title": draft.title == source.title,
        "summary": draft.summary == source.summary,
        "body": draft.body.strip() == source.body.strip(),
        "valid_from": draft.valid_from == (library_first.isoformat() if library_first else ""),
        "valid_until": draft.valid_until == (library_last.isoformat() if library_last else ""),
    }
    follow = {name for name in OVERRIDABLE if typed[name] is None or same[name]}
    own = {name: typed[name] for name in OVERRIDABLE if name not in follow}
    return ItemFields(**own, **_showing(draft), cleared=_everyone(draft)), follow


def _showing(draft: Draft) -> dict[str, Any]:
    """Who sees the item and how strongly it is put forward (own and adopted items alike)."""
    segment_id = None
    if draft.segment:
        try:
            segment_id = uuid.UUID(draft.segment)
        except ValueError:
            draft.errors["eligibility_segment_id"] = _("Choose one of the saved selections.")
    return {
        "eligibility_segment_id": segment_id,
        "priority": draft.priority,
        "pinned": draft.pinned,
        "status": draft.status,
    }


def _everyone(draft: Draft) -> frozenset[str]:
    return frozenset() if draft.segment else frozenset({"eligibility_segment_id"})


def _form_page(
    draft: Draft,
    kind: ContentType | None,
    row: ContentItem | None,
    *,
    source: LibraryItem | None = None,
    preview: bool = False,
) -> str:
    statuses = ["draft", "published"] + (["retired"] if draft.status == "retired" else [])
    body = draft.body if draft.body.strip() or source is None else source.body
    return render_template(
        "content/form.html",
        draft=draft,
        kind=kind,
        row=row,
        source=source,
        preview=render_markdown(body) if preview else None,
        status_options=[(status, STATUS_LABELS[status]) for status in statuses],
        overridden={name for name in OVERRIDABLE if row is not None and getattr(row, name) is not None},
        segment_options=[(str(segment.id), segment.name) for segment in saved_segments()],
        languages=[(code, LANGUAGE_NAMES.get(code, code)) for code in g.tenant.locales],
        general_errors=_general_errors(draft.errors, kind),
    )


_FORM_KEYS = {
    "title",
    "summary",
    "body",
    "image_url",
    "link_url",
    "tags",
    "language",
    "valid_from",
    "valid_until",
    "eligibility_segment_id",
    "priority",
    "status",
    "key",
}


def _general_errors(errors: Mapping[str, str], kind: ContentType | None) -> list[str]:
    """The problems that no field of the form shows beside itself."""
    beside = _FORM_KEYS | {f"details.{item.key}" for item in _fields(kind)}
    return [message for key, message in errors.items() if key not in beside]


# --- One item ---------------------------------------------------------------------------------------------


@blueprint.get("/<uuid:item_id>")
@MANAGE_CONTENT
def show(item_id: uuid.UUID) -> str:
    """The item as residents see it, its settings, how many people saw and opened it, and its actions."""
    item = _item(item_id)
    row = _row(item_id)
    segment = segment_by_id(item.eligibility_segment_id) if item.eligibility_segment_id else None
    owner = get_scoped(StaffMember, item.owner_id) if item.owner_id else None
    return render_template(
        "content/show.html",
        item=item,
        kind=_kinds().get(item.type),
        segment=segment,
        owner=owner,
        shown=row.shown,
        engaged=row.engaged,
        deletable=_deletable(row),
        may_publish=_why_not_published(item) is None,
        own_words=[str(words) for name, words in OVERRIDE_LABELS.items() if name in item.overridden],
    )


@blueprint.route("/<uuid:item_id>/retire", methods=["GET", "POST"])
@MANAGE_CONTENT
def retire(item_id: uuid.UUID) -> str | Response:
    """Ask first, then take the item out of every resident's list (it stays here, as retired)."""
    item = _item(item_id)
    if item.status == "retired":
        flash(_("This item is retired already."), "info")
        return redirect(url_for("content.show", item_id=item.id))
    if request.method == "POST":
        catalogue.retire(_row(item_id))
        flash(_("“%(title)s” is retired: residents no longer see it.", title=item.title), "info")
        return redirect(url_for("content.show", item_id=item.id))
    return render_template("content/confirm.html", item=item, action="retire")


@blueprint.post("/<uuid:item_id>/publish")
@MANAGE_CONTENT
def publish(item_id: uuid.UUID) -> Response:
    """Publish a draft, or a retired item again (refused while its end date is past)."""
    item = _item(item_id)
    problem = _why_not_published(item)
    if problem is not None:
        flash(problem, "error")
        return redirect(url_for("content.show", item_id=item.id))
    try:
        catalogue.save_item(ItemFields(status="published"), item=_row(item_id))
    except ContentInvalid as invalid:
        session.rollback()
        flash(" ".join(invalid.errors.values()), "error")
    else:
        flash(_("“%(title)s” is published.", title=item.title), "info")
    return redirect(url_for("content.show", item_id=item.id))


def _why_not_published(item: Item) -> str | None:
    """Why the item cannot be published now; None when it can."""
    if item.status == "published":
        return _("This item is published already.")
    if item.retired_reason == "withdrawn" and item.library_item_id is not None:
        source = library.library_item(item.library_item_id)
        if source is not None and source.status == "withdrawn":
            return _("The library took this item down; it cannot be published again.")
    if item.valid_until is not None and item.valid_until <= utcnow():
        return _("The last day of this item has passed. Change the dates first, then publish it.")
    return None


@blueprint.route("/<uuid:item_id>/delete", methods=["GET", "POST"])
@MANAGE_CONTENT
def delete(item_id: uuid.UUID) -> str | tuple[str, int] | Response:
    """Ask first, then delete a draft that nobody saw; anything else is retired instead, for its history."""
    item = _item(item_id)
    row = _row(item_id)
    if not _deletable(row):
        flash(_("Only a draft that nobody saw can be deleted. Retire this item instead."), "error")
        return redirect(url_for("content.show", item_id=item.id))
    if request.method == "POST":
        session.delete(row)
        session.commit()
        flash(_("“%(title)s” is deleted.", title=item.title), "info")
        return redirect(url_for("content.index"))
    return render_template("content/confirm.html", item=item, action="delete")


def _deletable(row: ContentItem) -> bool:
    """A draft that no one was ever shown or touched (its history would lose it otherwise)."""
    if row.status != "draft" or row.shown:
        return False
    touched = select(InteractionEvent.id).where(InteractionEvent.item_id == str(row.id)).limit(1)
    return session.execute(touched).first() is None


@blueprint.post("/<uuid:item_id>/use-library")
@MANAGE_CONTENT
def use_library(item_id: uuid.UUID) -> Response:
    """Drop the tenant's own text or dates of an adopted item: the library's are used again."""
    row = _row(item_id)
    names = set(request.form.getlist("field")) & set(OVERRIDABLE)
    if row.library_item_id is None or not names:
        abort(400)
    try:
        reset_overrides(row, names)
    except ContentInvalid as invalid:
        session.rollback()
        flash(" ".join(invalid.errors.values()), "error")
    else:
        flash(_("The library's text is used again."), "info")
    return redirect(url_for("content.edit", item_id=row.id))


# --- The library ----------------------------------------------------------------------------------------


@blueprint.get("/library")
@MANAGE_CONTENT
def library_index() -> str:
    """What the platform's library offers for the tenant's types, and which of it the tenant adopted."""
    return render_template("content/library.html", offered=library.offered_to_tenant(), kinds=_kinds())


@blueprint.post("/library/<uuid:library_item_id>/adopt")
@MANAGE_CONTENT
def adopt(library_item_id: uuid.UUID) -> Response:
    """Add a library item to the tenant's catalogue, published; the coach who adopts it looks after it."""
    source = library.library_item(library_item_id)
    if source is None:
        abort(404)
    try:
        adopted = library.adopt(source, owner_id=g.principal.id)
    except ContentInvalid as invalid:
        flash(" ".join(invalid.errors.values()), "error")
        return redirect(url_for("content.library_index"))
    flash(_("“%(title)s” is added to your content and published.", title=source.title), "info")
    return redirect(url_for("content.show", item_id=adopted.id))
