"""The conversation in the coach's workspace: `/workspace/people/<person>/conversation`.

Only a coach whose caseload holds the person sees it (anyone else: 404, the same as a person who does
not exist), and every view is written to the person's access log. Opening it marks the person's
messages read; the coach's own show whether the person read them. Here the coach also invites to an
appointment, answers a proposed time, cancels, and records whether the person came. With htmx,
"Look for new messages" refreshes only the thread (a view like any other: it is logged too).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from aandacht.accounts.models import Person
from aandacht.accounts.permissions import Permission, requires
from aandacht.accounts.principal import Principal
from aandacht.conversations import appointments, service
from aandacht.conversations.attachments import AttachmentRefused
from aandacht.conversations.forms import calendar_download, download, local_input, moment_from, uploaded_file
from aandacht.conversations.models import Appointment
from aandacht.db import session, utcnow
from aandacht.privacy.service import describe, record_access
from aandacht.tenancy.scoping import get_scoped

T = TypeVar("T")
blueprint = Blueprint("conversations_workspace", __name__, template_folder="templates")
describe("conversation", _l("Your conversation with your coaches and your appointments"))


def person_in_conversation(person_id: uuid.UUID) -> Person:
    """The person, when the signed-in staff member is one of their coaches; else 404. Logs the view."""
    person = get_scoped(Person, person_id)
    if person is None or not service.may_converse(g.principal, person_id):
        abort(404)
    record_access(person.id, what="conversation")
    return person


def _page(person: Person, errors: dict[str, str] | None = None, status: int = 200) -> tuple[str, int]:
    service.mark_read(person.id, reader=g.principal)
    session.commit()
    messages = service.messages_of(person.id)
    values = {
        "person": person,
        "messages": messages,
        "files": service.attachments_of([message.id for message in messages]),
        "staff_names": service.author_names(messages),
    }
    if request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target") == "thread":
        return render_template("conversations/_thread.html", viewer="staff", **values), 200
    return render_template(
        "conversations/workspace.html",
        viewer="staff",
        appointments=appointments.appointments_of(person.id),
        statuses=appointments.STATUS_NAMES,
        kinds=appointments.KIND_NAMES,
        when=appointments.when,
        local_input=local_input,
        now=utcnow(),
        errors=errors or {},
        menu=current_app.extensions["aandacht.domains"].menu_items(g.tenant, "coach"),
        **values,
    ), status


@blueprint.get("/workspace/people/<uuid:person_id>/conversation")
@requires(Permission.CASELOAD_VIEW)
def person_conversation(person_id: uuid.UUID) -> tuple[str, int]:
    """The conversation with the person, their appointments, and forms to write and to invite."""
    return _page(person_in_conversation(person_id))


@blueprint.post("/workspace/people/<uuid:person_id>/conversation")
@requires(Permission.CASELOAD_VIEW)
def write(person_id: uuid.UUID) -> tuple[str, int] | Response:
    """Write to the person (with a file, if one is chosen); they are notified over their channel."""
    person = person_in_conversation(person_id)
    try:
        service.write(person.id, author=g.principal, body=request.form.get("body", ""), file=uploaded_file())
    except AttachmentRefused as refused:
        session.rollback()
        return _page(person, {"file": str(refused)}, 400)
    except service.MessageInvalid as invalid:
        session.rollback()
        return _page(person, invalid.errors, 400)
    session.commit()
    flash(_("The message is sent; the person gets a notice."), "info")
    return redirect(
        url_for("conversations_workspace.person_conversation", person_id=person.id, _anchor="write")
    )


@blueprint.get("/workspace/people/<uuid:person_id>/conversation/files/<uuid:attachment_id>")
@requires(Permission.CASELOAD_VIEW)
def attachment(person_id: uuid.UUID, attachment_id: uuid.UUID) -> Response:
    """A file of the conversation."""
    person = person_in_conversation(person_id)
    return download(_of_person(person, service.attachment_for, attachment_id))


@blueprint.post("/workspace/people/<uuid:person_id>/appointments")
@requires(Permission.CASELOAD_VIEW)
def invite(person_id: uuid.UUID) -> tuple[str, int] | Response:
    """Invite the person to a meeting or a phone call; they get it with the calendar file."""
    person = person_in_conversation(person_id)
    form = request.form
    try:
        minutes = int(form.get("minutes") or 30)
    except ValueError:
        minutes = 0
    invitation = appointments.Invitation(
        kind=form.get("kind", ""),
        starts_at=moment_from(form.get("starts_at")),
        minutes=minutes,
        place=form.get("place", ""),
        phone=form.get("phone", ""),
        note=form.get("note", ""),
    )
    try:
        appointments.invite(person.id, by=g.principal, invitation=invitation)
    except appointments.AppointmentInvalid as invalid:
        session.rollback()
        return _page(person, {f"invite-{key}": text for key, text in invalid.errors.items()}, 400)
    session.commit()
    flash(_("The invitation is sent."), "info")
    return _back(person.id, "appointments")


def _back(person_id: uuid.UUID, anchor: str) -> Response:
    return redirect(
        url_for("conversations_workspace.person_conversation", person_id=person_id, _anchor=anchor)
    )


def _of_person(person: Person, lookup: Callable[[Principal, uuid.UUID], T], item_id: uuid.UUID) -> T:
    """The item `lookup` finds for the signed-in staff member, when it belongs to `person`; else 404."""
    try:
        found = lookup(g.principal, item_id)
    except service.NotFound:
        abort(404)
    if found.person_id != person.id:  # type: ignore[attr-defined]
        abort(404)
    return found


def _appointment_of(person: Person, appointment_id: uuid.UUID) -> Appointment:
    return _of_person(person, appointments.appointment_for, appointment_id)


@blueprint.get("/workspace/people/<uuid:person_id>/appointments/<uuid:appointment_id>.ics")
@requires(Permission.CASELOAD_VIEW)
def calendar(person_id: uuid.UUID, appointment_id: uuid.UUID) -> Response:
    """The appointment's calendar file, for the coach's own calendar."""
    found = _appointment_of(person_in_conversation(person_id), appointment_id)
    return calendar_download(found, appointments.calendar_file(found))


@blueprint.post("/workspace/people/<uuid:person_id>/appointments/<uuid:appointment_id>")
@requires(Permission.CASELOAD_VIEW)
def change(person_id: uuid.UUID, appointment_id: uuid.UUID) -> tuple[str, int] | Response:
    """`action`: accept (the proposal), reschedule (`starts_at`), cancel (`reason`), attended, no_show."""
    person = person_in_conversation(person_id)
    found = _appointment_of(person, appointment_id)
    action, form = request.form.get("action"), request.form
    steps = {
        "accept": lambda: appointments.accept(found, by=g.principal),
        "reschedule": lambda: appointments.reschedule(
            found, by=g.principal, starts_at=moment_from(form.get("starts_at"))
        ),
        "cancel": lambda: appointments.cancel(found, by=g.principal, reason=form.get("reason", "")),
        "attended": lambda: appointments.record_outcome(found, by=g.principal, attended=True),
        "no_show": lambda: appointments.record_outcome(found, by=g.principal, attended=False),
    }
    if action not in steps:
        abort(400, _("Choose what to do with the appointment."))
    try:
        steps[action]()
    except appointments.AppointmentInvalid as invalid:
        session.rollback()
        return _page(person, {f"{appointment_id}-{key}": text for key, text in invalid.errors.items()}, 400)
    except appointments.WrongState:
        session.rollback()
        flash(_("The appointment cannot be changed like that in its present state."), "error")
        return _back(person.id, f"appointment-{appointment_id}")
    session.commit()
    flash(_("The appointment is updated."), "info")
    return _back(person.id, f"appointment-{appointment_id}")
