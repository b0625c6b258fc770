"""Profile pages: the person's own profile in the app, and a person's profile in the coach's workspace.

- `/app/profile`: what the person's profile holds, by category, with how complete it is; a form per
  category to correct what they may change; downloads of everything (`download.json`, `download.csv`).
- `/workspace/people/<person>/profile`: the profile as the staff member's role may see it, a form per
  value their role may change, and the history of each value (who or what, when, from which source).
  Only people in the coach's caseload, unless the role sees everyone; anyone else is not found (404).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from aandacht.accounts import service as accounts
from aandacht.accounts.models import Person
from aandacht.accounts.permissions import Permission, requires
from aandacht.db import utcnow
from aandacht.privacy.service import record_access
from aandacht.profiles.definitions import PREFER_NOT_TO_SAY, ProfileAttribute
from aandacht.profiles.presentation import (
    SOURCE_NAMES,
    Row,
    actor_names,
    by_category,
    category_name,
    changes_by_key,
    export_csv,
    export_rows,
    profile_rows,
    value_text,
)
from aandacht.profiles.service import ProfileInvalid, audience_of, completeness, set_values
from aandacht.tenancy.scoping import get_scoped
from aandacht.web.assets import icon

blueprint = Blueprint("profiles", __name__, template_folder="templates")


@blueprint.app_template_global()
def profile_icon(name: str) -> Markup:
    """An attribute's icon; a name that Tabler does not have (a typo in a tenant file) shows `user`."""
    try:
        return icon(name)
    except OSError:
        return icon("user")


@blueprint.app_template_global()
def answer_state(row: Row, form: MultiDict | None) -> dict[str, Any]:
    """What a field shows: the submitted answer after an error, else the stored one.

    `chosen`: the values as strings (options, "yes"/"no", numbers), `text`: for a text box,
    `prefer`: whether "prefer not to say" is ticked.
    """
    key = row.attribute.key
    if form is not None:
        chosen = form.getlist(key)
        return {
            "chosen": set(chosen),
            "text": chosen[0] if chosen else "",
            "prefer": bool(form.get(f"{key}.prefer_not_to_say")),
        }
    value = row.value
    if value == PREFER_NOT_TO_SAY or value is None:
        return {"chosen": set(), "text": "", "prefer": value == PREFER_NOT_TO_SAY}
    if isinstance(value, bool):
        text = "yes" if value else "no"
        return {"chosen": {text}, "text": text, "prefer": False}
    chosen = {str(item) for item in value} if isinstance(value, list) else {str(value)}
    return {"chosen": chosen, "text": str(value), "prefer": False}


@blueprint.app_template_global()
def answer_options(attribute: ProfileAttribute) -> list[tuple[str, object, str]]:
    """The answers to choose from, as (value, label, icon): options, yes and no, or a scale's steps."""
    if attribute.type == "boolean":
        return [("yes", _("Yes"), "check"), ("no", _("No"), "x")]
    if attribute.type == "scale":
        low, high = attribute.bounds
        return [(str(step), str(step), "") for step in range(int(low or 1), int(high or 5) + 1)]
    return [(option.value, option.label, option.icon) for option in attribute.options]  # type: ignore[union-attr]


def _menus(face: str) -> dict[str, Any]:
    menu = current_app.extensions["aandacht.domains"].menu_items(g.tenant, face)
    return {"menu": menu, "app_menu": menu}


def raw_from_form(attribute: ProfileAttribute, form: MultiDict) -> Any:
    """What the form holds for `attribute`, as `ProfileAttribute.clean` takes it."""
    name = attribute.key
    if form.get(f"{name}.prefer_not_to_say"):
        return PREFER_NOT_TO_SAY
    if attribute.type == "multiple_choice":
        return form.getlist(name)
    raw = form.get(name, "")
    if attribute.type == "boolean" and raw in ("yes", "no"):
        return raw == "yes"
    return raw


def _submitted(rows: list[Row], form: MultiDict) -> dict[str, Any]:
    """The values of the attributes the form named (`keys`) that the viewer may see."""
    shown = {row.attribute.key: row.attribute for row in rows}
    return {key: raw_from_form(shown[key], form) for key in form.getlist("keys") if key in shown}


# --- The person's own profile ----------------------------------------------------------------------


@blueprint.get("/app/profile")
@requires(Permission.SELF)
def own_profile() -> str:
    """The person's own profile: every value by category, how complete it is, and the downloads."""
    person_id = g.principal.id
    answered, total = completeness(person_id, "person")
    return render_template(
        "profiles/own.html",
        categories=by_category(profile_rows(person_id, "person")),
        answered=answered,
        total=total,
        **_menus("participant"),
    )


@blueprint.route("/app/profile/<category>", methods=["GET", "POST"])
@requires(Permission.SELF)
def edit_own(category: str) -> str | tuple[str, int] | Response:
    """Correct the values of one category: one question each, "prefer not to say" always possible."""
    person_id = g.principal.id
    rows = [row for row in profile_rows(person_id, "person") if row.attribute.category == category]
    if not any(row.editable for row in rows):
        abort(404)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            set_values(
                person_id,
                _submitted(rows, request.form),
                source="person",
                audience="person",
                actor_id=person_id,
            )
        except ProfileInvalid as invalid:
            errors = invalid.errors
            flash(_("Some answers are not right yet. Look at the red text."), "error")
        else:
            flash(_("Your answers are saved."), "info")
            return redirect(url_for("profiles.own_profile", _anchor=f"category-{category}"))
    return (
        render_template(
            "profiles/edit.html",
            category=category,
            category_name=category_name(category),
            rows=[row for row in rows if row.editable],
            errors=errors,
            form=request.form if errors else None,
            **_menus("participant"),
        ),
        400 if errors else 200,
    )


@blueprint.get("/app/profile/download.json")
@requires(Permission.SELF)
def download_json() -> Response:
    """Everything the person's profile holds, as JSON."""
    body = {
        "person": {"id": str(g.principal.id), "name": g.principal.display_name},
        "organisation": g.tenant.name,
        "downloaded_at": utcnow().isoformat(timespec="seconds"),
        "values": export_rows(g.principal.id),
    }
    return _download(json.dumps(body, ensure_ascii=False, indent=2), "application/json", "json")


@blueprint.get("/app/profile/download.csv")
@requires(Permission.SELF)
def download_csv() -> Response:
    """Everything the person's profile holds, as CSV (one line per value)."""
    return _download(export_csv(export_rows(g.principal.id)), "text/csv", "csv")


def _download(body: str, mimetype: str, extension: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="profile.{extension}"'
    response.cache_control.no_store = True
    return response


# --- A person's profile in the coach's workspace -------------------------------------------------


def person_of_caseload(person_id: uuid.UUID, *, what: str | None = None) -> Person:
    """The person, when the staff member may see them (caseload, or everyone); else 404.

    The view is written to the person's access log before the page is made (`what`: the request's
    endpoint unless given), so every page that passes this gate is logged.
    """
    principal = g.principal
    if principal.can(Permission.PEOPLE_VIEW_ALL):
        person = get_scoped(Person, person_id)
    else:
        person = next((p for p in accounts.caseload(principal.id) if p.id == person_id), None)
    if person is None:
        abort(404)
    record_access(person.id, what=what)
    return person


@blueprint.route("/workspace/people/<uuid:person_id>/profile", methods=["GET", "POST"])
@requires(Permission.CASELOAD_VIEW)
def person_profile(person_id: uuid.UUID) -> str | tuple[str, int] | Response:
    """A person's profile as the role may see it, its history per value, and a form per editable value."""
    person = person_of_caseload(person_id)
    audience = audience_of(g.principal.kind, g.principal.role)
    rows = profile_rows(person.id, audience)
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = _submitted([row for row in rows if row.editable], request.form)
        try:
            set_values(person.id, values, source="coach", audience=audience, actor_id=g.principal.id)
        except ProfileInvalid as invalid:
            errors = invalid.errors
            flash(_("The value is not saved: %(reasons)s", reasons="; ".join(errors.values())), "error")
        else:
            flash(_("Saved."), "info")
            key = next(iter(values), "")
            return redirect(url_for("profiles.person_profile", person_id=person.id, _anchor=f"value-{key}"))
    visible = {row.attribute.key for row in rows}
    changes = {key: items for key, items in changes_by_key(person.id).items() if key in visible}
    answered, total = completeness(person.id, "person")
    return (
        render_template(
            "profiles/person.html",
            person=person,
            categories=by_category(rows),
            changes=changes,
            names=actor_names(change for items in changes.values() for change in items),
            sources=SOURCE_NAMES,
            value_text=value_text,
            answered=answered,
            total=total,
            errors=errors,
            person_menu=current_app.extensions["aandacht.domains"].menu_items(g.tenant, "person"),
            **_menus("coach"),
        ),
        400 if errors else 200,
    )
