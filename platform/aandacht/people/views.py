"""The person's page in the workspace: `/workspace/people/<person>`, the hub of everything about a person.

Header (name, the channels that reach them and why not the others, their coaches), the latest changes
of the profile, the timeline of every source (paged with `?before=`), the content shown and engaged
with, and the staff's notes (add; change and delete one's own). Only people in the coach's caseload,
unless the role sees everyone; anyone else is not found (404). Every view is in the access log.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from aandacht.accounts import service as accounts
from aandacht.accounts.models import Person
from aandacht.accounts.permissions import Permission, requires
from aandacht.attention.report import channel_reach
from aandacht.conversations import service as conversations
from aandacht.db import session
from aandacht.outreach.workspace_views import CHANNEL_NAMES
from aandacht.people import service
from aandacht.people import sources as _sources  # noqa: F401 - registers the core's timeline sources
from aandacht.people.sources import staff_name
from aandacht.people.timeline import timeline
from aandacht.personalisation import events
from aandacht.profiles.presentation import SOURCE_NAMES, actor_names, profile_rows, value_text
from aandacht.profiles.service import audience_of, completeness, history
from aandacht.profiles.views import person_of_caseload
from aandacht.segments.choices import INTERACTION_NAMES

blueprint = Blueprint("people", __name__, url_prefix="/workspace/people", template_folder="templates")
#: Entries of the timeline per page, and changes of the profile shown on the page.
TIMELINE_PAGE, LATEST_CHANGES = 30, 8


@blueprint.get("/<uuid:person_id>")
@requires(Permission.CASELOAD_VIEW)
def person_page(person_id: uuid.UUID) -> tuple[str, int]:
    """Everything about the person on one page; the timeline pages back with `?before=<moment>`."""
    person = person_of_caseload(person_id, what="person_page")
    return _page(person)


def _before() -> datetime | None:
    """The `?before=` of the timeline's page; a moment without a zone is UTC."""
    raw = request.args.get("before", "")
    try:
        moment = datetime.fromisoformat(raw) if raw else None
    except ValueError:
        abort(400, _("The moment to page back from is not a moment."))
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _page(person: Person, errors: dict[str, str] | None = None, status: int = 200) -> tuple[str, int]:
    audience = audience_of(g.principal.kind, g.principal.role)
    entries, older = timeline(person.id, audience=audience, limit=TIMELINE_PAGE, before=_before())
    if request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target") == "timeline":
        return render_template("people/_timeline.html", person=person, entries=entries, older=older), 200
    attributes = {row.attribute.key: row.attribute for row in profile_rows(person.id, audience)}
    changes = [change for change in history(person.id) if change.attribute_key in attributes][:LATEST_CHANGES]
    [reach] = channel_reach([person])
    top, totals = events.engagement_of(person.id)
    answered, total = completeness(person.id, "person")
    return render_template(
        "people/person.html",
        person=person,
        reach=reach,
        channels=CHANNEL_NAMES,
        coaches=accounts.coaches_by_person([person.id])[person.id],
        converses=conversations.may_converse(g.principal, person.id),
        changes=changes,
        attributes=attributes,
        names=actor_names(changes),
        sources=SOURCE_NAMES,
        value_text=value_text,
        answered=answered,
        total=total,
        entries=entries,
        older=older,
        top=top,
        totals=totals,
        interaction_names=INTERACTION_NAMES,
        notes=service.notes_of(person.id),
        staff_name=staff_name,
        errors=errors or {},
        menu=current_app.extensions["aandacht.domains"].menu_items(g.tenant, "coach"),
        person_menu=current_app.extensions["aandacht.domains"].menu_items(g.tenant, "person"),
    ), status


def _note_error() -> dict[str, str]:
    return {"body": _("Write a note of at most %(count)d characters.", count=service.LONGEST_NOTE)}


@blueprint.post("/<uuid:person_id>/notes")
@requires(Permission.CASELOAD_VIEW)
def add_note(person_id: uuid.UUID) -> tuple[str, int] | Response:
    """Write a note about the person."""
    person = person_of_caseload(person_id, what="person_page")
    try:
        service.add_note(person_id=person.id, author_id=g.principal.id, body=request.form.get("body", ""))
    except service.NoteInvalid:
        session.rollback()
        return _page(person, _note_error(), 400)
    return _back_to_notes(person, _("The note is saved."))


def _back_to_notes(person: Person, done: str) -> Response:
    """Commit the change of a note, say so, and show the notes again."""
    session.commit()
    flash(done, "info")
    return redirect(url_for("people.person_page", person_id=person.id, _anchor="notes"))


def _note_id(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        abort(404)


@blueprint.post("/<uuid:person_id>/notes/<note_id>")
@requires(Permission.CASELOAD_VIEW)
def change_note(person_id: uuid.UUID, note_id: str) -> tuple[str, int] | Response:
    """Change one's own note; another's note is not found (404)."""
    person = person_of_caseload(person_id, what="person_page")
    try:
        service.change_note(
            _note_id(note_id),
            person_id=person.id,
            acting_user=g.principal.id,
            body=request.form.get("body", ""),
        )
    except service.NotYours:
        abort(404)
    except service.NoteInvalid:
        session.rollback()
        return _page(person, _note_error(), 400)
    return _back_to_notes(person, _("The note is changed."))


@blueprint.post("/<uuid:person_id>/notes/<note_id>/delete")
@requires(Permission.CASELOAD_VIEW)
def delete_note(person_id: uuid.UUID, note_id: str) -> Response:
    """Delete one's own note; another's note is not found (404)."""
    person = person_of_caseload(person_id, what="person_page")
    try:
        service.delete_note(_note_id(note_id), person_id=person.id, acting_user=g.principal.id)
    except service.NotYours:
        abort(404)
    return _back_to_notes(person, _("The note is deleted."))
