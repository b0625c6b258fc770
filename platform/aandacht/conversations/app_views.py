"""The conversation in the participant app: `/app/conversation/`, the person's side.

The person reads what their coaches wrote (which marks it read, so the coach sees it was), writes,
taps a quick reply or sends a photo or PDF, and answers invitations: yes, another time, or cancel.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from aandacht.accounts import service as accounts
from aandacht.accounts.permissions import Permission, requires
from aandacht.conversations import appointments, service
from aandacht.conversations.attachments import AttachmentRefused
from aandacht.conversations.forms import calendar_download, download, local_input, moment_from, uploaded_file
from aandacht.conversations.quick_replies import QUICK_REPLIES, quick_reply
from aandacht.db import session

blueprint = Blueprint("conversations", __name__, url_prefix="/app/conversation", template_folder="templates")


@blueprint.app_template_global()
def unread_conversation() -> int:
    """How many coach's messages the logged-in resident has not read (0 for anyone else)."""
    principal = g.get("principal")
    if g.get("tenant") is None or principal is None or principal.kind != "person":
        return 0
    return service.unread_for_person(principal.id)


@blueprint.app_template_global()
def quick_reply_icon(key: str) -> str:
    """The icon of a quick reply (a message icon for a key no longer offered)."""
    found = quick_reply(key)
    return found.icon if found else "message"


@blueprint.get("/")
@requires(Permission.SELF)
def app_conversation() -> str:
    """The conversation with the coaches; what they wrote is marked read now."""
    return _page()


def _page(errors: dict[str, str] | None = None, status: int = 200) -> tuple[str, int] | str:
    person_id = g.principal.id
    service.mark_read(person_id, reader=g.principal)
    session.commit()
    messages = service.messages_of(person_id)
    page = render_template(
        "conversations/app.html",
        messages=messages,
        files=service.attachments_of([message.id for message in messages]),
        coaches=accounts.coaches_by_person([person_id])[person_id],
        appointments=[a for a in appointments.appointments_of(person_id) if a.status in appointments.OPEN],
        quick_replies=QUICK_REPLIES.values(),
        staff_names=service.author_names(messages),
        when=appointments.when,
        local_input=local_input,
        errors=errors or {},
    )
    return (page, status) if status != 200 else page


@blueprint.post("/")
@requires(Permission.SELF)
def write() -> tuple[str, int] | str | Response:
    """Send a message, a quick reply or a file to the coaches."""
    try:
        service.write(
            g.principal.id,
            author=g.principal,
            body=request.form.get("body", ""),
            quick_reply_key=request.form.get("quick_reply") or None,
            file=uploaded_file(),
        )
    except AttachmentRefused as refused:
        session.rollback()
        return _page({"file": str(refused)}, 400)
    except service.MessageInvalid as invalid:
        session.rollback()
        return _page(invalid.errors, 400)
    session.commit()
    flash(_("Sent to your coach."), "info")
    return redirect(url_for("conversations.app_conversation", _anchor="write"))


@blueprint.get("/files/<uuid:attachment_id>")
@requires(Permission.SELF)
def attachment(attachment_id: uuid.UUID) -> Response:
    """A file of the person's own conversation."""
    try:
        return download(service.attachment_for(g.principal, attachment_id))
    except service.NotFound:
        abort(404)


def _appointment(appointment_id: uuid.UUID):
    try:
        return appointments.appointment_for(g.principal, appointment_id)
    except service.NotFound:
        abort(404)


@blueprint.get("/appointments/<uuid:appointment_id>.ics")
@requires(Permission.SELF)
def calendar(appointment_id: uuid.UUID) -> Response:
    """The appointment's calendar file, to put it in the phone's calendar."""
    found = _appointment(appointment_id)
    return calendar_download(found, appointments.calendar_file(found))


@blueprint.post("/appointments/<uuid:appointment_id>")
@requires(Permission.SELF)
def answer(appointment_id: uuid.UUID) -> tuple[str, int] | str | Response:
    """Answer an invitation: `action` accept, propose (`starts_at`, `note`) or cancel (`reason`)."""
    found = _appointment(appointment_id)
    action = request.form.get("action")
    try:
        if action == "accept":
            appointments.accept(found, by=g.principal)
            done = _("You said yes. See you then!")
        elif action == "propose":
            appointments.propose(
                found,
                by=g.principal,
                starts_at=moment_from(request.form.get("starts_at")),
                note=request.form.get("note", ""),
            )
            done = _("Your coach sees the time you want.")
        elif action == "cancel":
            appointments.cancel(found, by=g.principal, reason=request.form.get("reason", ""))
            done = _("The appointment is cancelled. Your coach sees why.")
        else:
            abort(400, _("Choose what you want to do."))
    except appointments.AppointmentInvalid as invalid:
        session.rollback()
        return _page({f"{appointment_id}-{key}": text for key, text in invalid.errors.items()}, 400)
    except appointments.WrongState:
        session.rollback()
        flash(_("This appointment cannot be changed any more."), "error")
        return redirect(url_for("conversations.app_conversation"))
    session.commit()
    flash(done, "info")
    return redirect(url_for("conversations.app_conversation", _anchor=f"appointment-{appointment_id}"))
