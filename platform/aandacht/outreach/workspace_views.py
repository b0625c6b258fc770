"""A person's messages in the coach's workspace: every message with its channel and state, and why one failed.

The coach can also write a message here, or send one of the tenant's templates (rendered for the person
as the coach's role may see them); the person's preference and opt-outs choose its channel.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from aandacht.accounts.permissions import Permission, requires
from aandacht.attention import service as attention
from aandacht.db import session
from aandacht.outreach import message_templates, service
from aandacht.outreach.message_templates import TemplateInvalid
from aandacht.outreach.models import Message
from aandacht.profiles.views import person_of_caseload

blueprint = Blueprint("outreach_workspace", __name__, template_folder="templates")

#: Each channel and each state of a message in words, with its icon.
CHANNEL_NAMES = {
    "in_app": ("device-mobile", _l("In the app")),
    "email": ("mail", _l("E-mail")),
    "sms": ("message", _l("Text message")),
    "push": ("bell", _l("Notification")),
}
STATUS_NAMES = {
    "queued": ("clock", _l("Waiting")),
    "sending": ("send", _l("Being sent")),
    "sent": ("check", _l("Sent")),
    "delivered": ("checks", _l("Delivered")),
    "failed": ("alert-triangle", _l("Failed")),
}
LONGEST_SUBJECT, LONGEST_BODY = 200, 2000


@blueprint.route("/workspace/people/<uuid:person_id>/messages", methods=["GET", "POST"])
@requires(Permission.CASELOAD_VIEW)
def person_messages(person_id: uuid.UUID) -> str | tuple[str, int] | Response:
    """The person's messages, newest first, and a form to write one."""
    person = person_of_caseload(person_id)
    errors: dict[str, str] = {}
    if request.method == "POST" and "template_id" in request.form:
        sent = _send_template(person.id, request.form["template_id"], errors)
        if sent is not None:
            return sent
    elif request.method == "POST":
        subject = request.form.get("subject", "").strip()
        body = request.form.get("body", "").strip()
        if not subject or len(subject) > LONGEST_SUBJECT:
            errors["subject"] = _("Write a subject of at most %(count)d characters.", count=LONGEST_SUBJECT)
        if not body or len(body) > LONGEST_BODY:
            errors["body"] = _("Write a message of at most %(count)d characters.", count=LONGEST_BODY)
        if not errors:
            message = service.send_to_person(person.id, subject=subject, body=body, actor_id=g.principal.id)
            _record_contact(message)
            session.commit()
            flash(
                _("The message is on its way: %(channel)s.", channel=CHANNEL_NAMES[message.channel][1]),
                "info",
            )
            return redirect(url_for("outreach_workspace.person_messages", person_id=person.id))
    menu = current_app.extensions["aandacht.domains"].menu_items(g.tenant, "coach")
    return (
        render_template(
            "outreach/person_messages.html",
            person=person,
            messages=service.messages_of(person.id),
            channels=CHANNEL_NAMES,
            statuses=STATUS_NAMES,
            templates=message_templates.message_templates(),
            errors=errors,
            menu=menu,
        ),
        400 if errors else 200,
    )


def _send_template(person_id: uuid.UUID, template_id: str, errors: dict[str, str]) -> Response | None:
    """Send a template to the person as the signed-in staff member; None (and `errors`) when refused."""
    try:
        template = message_templates.template_by_id(uuid.UUID(template_id))
    except ValueError:
        template = None
    if template is None:
        errors["template_id"] = _("Choose one of the templates.")
        return None
    try:
        message = service.send_to_person(
            person_id, template=template, acting_user=g.principal, actor_id=g.principal.id
        )
    except TemplateInvalid as invalid:
        session.rollback()
        errors["template_id"] = " ".join(problem for found in invalid.errors.values() for problem in found)
        return None
    _record_contact(message)
    session.commit()
    flash(_("The message is on its way: %(channel)s.", channel=CHANNEL_NAMES[message.channel][1]), "info")
    return redirect(url_for("outreach_workspace.person_messages", person_id=person_id))


def _record_contact(message: Message) -> None:
    """A personal message that some channel takes is a contact moment of the coach with the person."""
    if message.status != "failed":
        attention.record_contact_by(
            g.principal, person_id=message.person_id, kind="message", source_id=message.id
        )
