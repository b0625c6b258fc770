"""Message templates in the coach workspace: the list, writing one with a live preview, deleting one.

- `/workspace/templates/`: the tenant's templates by name, filtered by language.
- `/workspace/templates/new` and `/<id>/edit`: the form; htmx posts it to `preview` on every change and
  shows the texts rendered for the chosen person (or a made-up one): the e-mail's subject, HTML and
  text, the SMS with its length in parts, the push message and the text in the app. Without
  JavaScript the "Preview" button draws the page again with the same preview.
- `/workspace/templates/<id>/delete`: ask first, then delete.

Anyone with the caseload right uses and previews every template of the tenant; changing and deleting
one is for its writer and for roles that see everyone (`message_templates.may_change`). The person of
a preview must be one the staff member may see (their caseload; a team lead everyone), else 404; the
texts show only the profile fields their role may see. A template of another tenant is not found (404).
"""

from __future__ import annotations

import uuid
from dataclasses import fields
from typing import Any

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from aandacht.accounts import service as accounts
from aandacht.accounts.models import Person
from aandacht.accounts.permissions import Permission, requires
from aandacht.db import session
from aandacht.outreach import message_templates as templates
from aandacht.outreach.message_templates import LONGEST, Preview, TemplateFields, TemplateInvalid
from aandacht.outreach.models import MessageTemplate
from aandacht.profiles.views import person_of_caseload
from aandacht.web.faces import LANGUAGE_NAMES

blueprint = Blueprint(
    "message_templates", __name__, url_prefix="/workspace/templates", template_folder="templates"
)
#: The most people the preview's list offers (a team lead's tenant may have thousands).
PREVIEW_PEOPLE = 500
#: Each channel's texts on the form, with its icon and name.
CHANNEL_SECTIONS = (
    ("email", "mail", _l("E-mail"), ("email_subject", "email_body")),
    ("sms", "message", _l("Text message"), ("sms_text",)),
    ("push", "bell", _l("Notification"), ("push_title", "push_body")),
    ("in_app", "device-mobile", _l("In the app"), ("in_app_text",)),
)
FIELD_LABELS = {
    "email_subject": _l("Subject"),
    "email_body": _l("Text of the e-mail"),
    "sms_text": _l("Text of the text message"),
    "push_title": _l("Title"),
    "push_body": _l("Text of the notification"),
    "in_app_text": _l("Text in the app"),
}


@blueprint.context_processor
def _page_values() -> dict[str, Any]:
    return {
        "menu": current_app.extensions["aandacht.domains"].menu_items(g.tenant, "coach"),
        "language_names": LANGUAGE_NAMES,
        "channel_sections": CHANNEL_SECTIONS,
        "field_labels": FIELD_LABELS,
        "longest": LONGEST,
    }


def _template(template_id: uuid.UUID) -> MessageTemplate:
    template = templates.template_by_id(template_id)
    if template is None:
        abort(404)
    return template


def _changeable(template_id: uuid.UUID) -> MessageTemplate:
    template = _template(template_id)
    if not templates.may_change(template, g.principal):
        abort(403)
    return template


def _values_from(form: MultiDict) -> TemplateFields:
    """The form as typed (line ends as the browser sends them made plain)."""
    return TemplateFields(
        **{item.name: form.get(item.name, "").replace("\r\n", "\n") for item in fields(TemplateFields)}
    )


def _people() -> list[Person]:
    """The people the staff member may preview a template for."""
    if g.principal.can(Permission.PEOPLE_VIEW_ALL):
        return accounts.all_people()[:PREVIEW_PEOPLE]
    return accounts.caseload(g.principal.id)[:PREVIEW_PEOPLE]


def _preview_of(values: TemplateFields, person_id: str) -> Preview:
    """The texts for the chosen person (404 when not theirs to see), or for a made-up one."""
    if values.language not in g.tenant.locales:
        values.language = g.tenant.default_locale
    person = None
    if person_id:
        try:
            person = person_of_caseload(uuid.UUID(person_id))
        except ValueError:
            abort(404)
    return templates.preview(values, person, acting_user=g.principal)


# --- The list --------------------------------------------------------------------------------------------


@blueprint.get("/")
@requires(Permission.CASELOAD_VIEW)
def index() -> str:
    """The tenant's templates by name, of one language when chosen."""
    language = request.args.get("language", "")
    language = language if language in g.tenant.locales else ""
    found = templates.message_templates(language or None)
    return render_template(
        "outreach/templates/index.html",
        templates=found,
        language=language,
        staff_names={staff.id: staff.display_name for staff in accounts.all_staff()},
        changeable={template.id for template in found if templates.may_change(template, g.principal)},
        channels_of={template.id: TemplateFields.of(template).channels() for template in found},
    )


# --- Writing --------------------------------------------------------------------------------------------


@blueprint.route("/new", methods=["GET", "POST"])
@requires(Permission.CASELOAD_VIEW)
def new() -> str | tuple[str, int] | Response:
    """Write a new template; its preview follows every change."""
    if request.method == "GET":
        return _form(TemplateFields(language=g.tenant.default_locale), None, {})
    return _submitted(None)


@blueprint.route("/<uuid:template_id>/edit", methods=["GET", "POST"])
@requires(Permission.CASELOAD_VIEW)
def edit(template_id: uuid.UUID) -> str | tuple[str, int] | Response:
    """Change a template (its writer, or a team lead)."""
    template = _changeable(template_id)
    if request.method == "GET":
        return _form(TemplateFields.of(template), template, {})
    return _submitted(template)


def _submitted(template: MessageTemplate | None) -> str | tuple[str, int] | Response:
    values = _values_from(request.form)
    if request.form.get("action") == "preview":
        return _form(values, template, {}, preview=_preview_of(values, request.form.get("person_id", "")))
    try:
        saved = templates.save_template(values, acting_user=g.principal, template=template)
    except TemplateInvalid as invalid:
        session.rollback()
        flash(_("The template is not saved yet. Look at the red text."), "error")
        return _form(values, template, invalid.errors), 400
    flash(_("The template “%(name)s” is saved.", name=saved.name), "info")
    return redirect(url_for("message_templates.index"))


@blueprint.post("/preview")
@requires(Permission.CASELOAD_VIEW)
def preview() -> str:
    """For htmx: the texts rendered for the chosen person, or their problems per field."""
    values = _values_from(request.form)
    return render_template(
        "outreach/templates/_preview.html", preview=_preview_of(values, request.form.get("person_id", ""))
    )


def _form(
    values: TemplateFields,
    template: MessageTemplate | None,
    errors: dict[str, list[str]],
    *,
    preview: Preview | None = None,
) -> str:
    person_id = request.form.get("person_id", "") if request.method == "POST" else ""
    if preview is None:
        preview = _preview_of(values, person_id)
    return render_template(
        "outreach/templates/form.html",
        values=values,
        template=template,
        errors=errors,
        preview=preview,
        people=_people(),
        person_id=person_id,
        languages=[(code, LANGUAGE_NAMES.get(code, code)) for code in g.tenant.locales],
        save_url=url_for("message_templates.edit", template_id=template.id)
        if template
        else url_for("message_templates.new"),
    )


# --- Deleting -------------------------------------------------------------------------------------------


@blueprint.route("/<uuid:template_id>/delete", methods=["GET", "POST"])
@requires(Permission.CASELOAD_VIEW)
def delete(template_id: uuid.UUID) -> str | Response:
    """Ask first, then delete the template (messages sent with it keep their texts)."""
    template = _changeable(template_id)
    if request.method == "POST":
        name = template.name
        templates.delete_template(template)
        flash(_("The template “%(name)s” is deleted.", name=name), "info")
        return redirect(url_for("message_templates.index"))
    return render_template("outreach/templates/delete.html", template=template)
