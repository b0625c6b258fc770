"""The platform's library, kept by platform administrators on the platform's own address.

- `/platform/library/`: every library item, withdrawn ones too.
- `/platform/library/new` (choose a type) and `/new/<type>`: write an item; `/<id>/edit` changes it.
- `/<id>/withdraw` (asks first) takes an item out of every tenant's feed; `/<id>/republish` offers it again.

A change reaches every tenant that adopted the item at once, except for the words and dates a tenant
wrote over it (`aandacht.personalisation.library`). On a tenant's address these pages do not exist.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from aandacht.accounts.permissions import Permission, Rule, requires_any
from aandacht.db import session
from aandacht.i18n import SUPPORTED_LOCALES
from aandacht.personalisation import library
from aandacht.personalisation.catalogue import ContentInvalid
from aandacht.personalisation.markdown import render_markdown
from aandacht.personalisation.models import LibraryItem
from aandacht.personalisation.registry import every_content_type
from aandacht.personalisation.types import ContentType
from aandacht.personalisation.views import (
    Draft,
    draft_from_form,
    draft_of,
    tag_list,
    template_helpers,
    validity_moments,
)
from aandacht.web.faces import LANGUAGE_NAMES

blueprint = Blueprint("library", __name__, url_prefix="/platform/library", template_folder="templates")
#: Platform administrators in a login session.
MANAGE_LIBRARY = requires_any(Rule.of(Permission.PLATFORM), tokens=False)


@blueprint.before_request
def _platform_address_only() -> None:
    if g.get("tenant") is not None:
        abort(404)


@blueprint.context_processor
def _page_values() -> dict[str, Any]:
    return {
        **template_helpers(),
        "library_status_labels": {"published": _("Offered"), "withdrawn": _("Withdrawn")},
    }


def _library_item(item_id: uuid.UUID) -> LibraryItem:
    item = library.library_item(item_id)
    if item is None:
        abort(404)
    return item


@blueprint.get("/")
@MANAGE_LIBRARY
def index() -> str:
    """Every item of the library, offered or withdrawn, by title."""
    return render_template(
        "library/index.html",
        items=library.library_items(include_withdrawn=True),
        kinds=every_content_type(),
    )


@blueprint.get("/new")
@MANAGE_LIBRARY
def choose_type() -> str | Response:
    """First step of a new library item: its type, among those of the core and every installed domain."""
    kinds = every_content_type()
    if len(kinds) == 1:
        return redirect(url_for("library.new", type_key=next(iter(kinds))))
    return render_template("library/choose_type.html", kinds=kinds)


@blueprint.route("/new/<type_key>", methods=["GET", "POST"])
@MANAGE_LIBRARY
def new(type_key: str) -> str | tuple[str, int] | Response:
    """Write a new library item of a type; it is offered to tenants at once unless saved as withdrawn."""
    kind = every_content_type().get(type_key)
    if kind is None:
        abort(404)
    return _form(kind, None)


@blueprint.route("/<uuid:item_id>/edit", methods=["GET", "POST"])
@MANAGE_LIBRARY
def edit(item_id: uuid.UUID) -> str | tuple[str, int] | Response:
    """Change a library item; adopting tenants see the change at once."""
    item = _library_item(item_id)
    return _form(every_content_type().get(item.type), item)


def _form(kind: ContentType | None, item: LibraryItem | None) -> str | tuple[str, int] | Response:
    if request.method == "GET":
        draft = draft_of(item, kind) if item else Draft(language=SUPPORTED_LOCALES[0], status="published")
        return _form_page(draft, kind, item)
    draft = draft_from_form(request.form, kind)
    if request.form.get("action") == "preview":
        return _form_page(draft, kind, item, preview=True)
    try:
        values = _library_fields(draft, kind, item)
        if draft.errors:
            raise ContentInvalid({})
        saved = library.save_library_item(values, item=item)
    except ContentInvalid as invalid:
        session.rollback()
        draft.errors.update(invalid.errors)
        flash(_("The item is not saved yet. Look at the red text."), "error")
        return _form_page(draft, kind, item), 400
    flash(_("“%(title)s” is saved in the library.", title=saved.title), "info")
    return redirect(url_for("library.index"))


def _library_fields(
    draft: Draft, kind: ContentType | None, item: LibraryItem | None
) -> library.LibraryFields:
    valid_from, valid_until = validity_moments(draft)
    return library.LibraryFields(
        key=draft.key,
        type=kind.key if kind else item.type if item else "",
        title=draft.title,
        summary=draft.summary,
        body=draft.body,
        image_url=draft.image_url or None,
        link_url=draft.link_url or None,
        tags=tag_list(draft.tags),
        details={field.key: draft.details.get(field.key, "") for field in (kind.fields if kind else ())},
        language=draft.language,
        valid_from=valid_from,
        valid_until=valid_until,
        status=draft.status,
    )


def _form_page(
    draft: Draft, kind: ContentType | None, item: LibraryItem | None, *, preview: bool = False
) -> str:
    return render_template(
        "library/form.html",
        draft=draft,
        kind=kind,
        item=item,
        preview=render_markdown(draft.body) if preview else None,
        languages=[(code, LANGUAGE_NAMES.get(code, code)) for code in SUPPORTED_LOCALES],
        status_options=[
            ("published", _("Offered to organisations")),
            ("withdrawn", _("Withdrawn: not offered, and taken down where adopted")),
        ],
        general_errors=[
            message
            for key, message in draft.errors.items()
            if key not in _FORM_KEYS and not key.startswith("details.")
        ],
    )


_FORM_KEYS = {
    "key",
    "title",
    "summary",
    "body",
    "image_url",
    "link_url",
    "tags",
    "language",
    "valid_from",
    "valid_until",
    "status",
}


@blueprint.route("/<uuid:item_id>/withdraw", methods=["GET", "POST"])
@MANAGE_LIBRARY
def withdraw(item_id: uuid.UUID) -> str | Response:
    """Ask first, then take the item out of the library and out of every adopting tenant's feed."""
    item = _library_item(item_id)
    if request.method == "GET":
        return render_template("library/withdraw.html", item=item)
    return _set_status(
        item, "withdrawn", _("“%(title)s” is withdrawn from every organisation.", title=item.title)
    )


@blueprint.post("/<uuid:item_id>/republish")
@MANAGE_LIBRARY
def republish(item_id: uuid.UUID) -> Response:
    """Offer a withdrawn item again; where it was adopted, it is shown again (unless a tenant retired it)."""
    item = _library_item(item_id)
    return _set_status(item, "published", _("“%(title)s” is offered again.", title=item.title))


def _set_status(item: LibraryItem, status: str, message: str) -> Response:
    values = library.LibraryFields(
        key=item.key,
        type=item.type,
        title=item.title,
        summary=item.summary,
        body=item.body,
        image_url=item.image_url,
        link_url=item.link_url,
        tags=list(item.tags),
        details=dict(item.details),
        language=item.language,
        valid_from=item.valid_from,
        valid_until=item.valid_until,
        status=status,
    )
    try:
        library.save_library_item(values, item=item)
    except ContentInvalid as invalid:
        session.rollback()
        flash(" ".join(invalid.errors.values()), "error")
    else:
        flash(message, "info")
    return redirect(url_for("library.index"))
