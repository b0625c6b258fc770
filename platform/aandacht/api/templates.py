"""`/api/v1/message-templates`: the tenant's message templates, and a preview of one for a person.

Coaches and team leads (by token: `templates:read`, `templates:write`) read every template of the
tenant and preview it for a person they may see; they create templates, and change or delete their
own (a team lead any). A template that names an unknown field, a field the caller's role may not see,
or fails to render is refused with 422 and "line N: reason" per field, exactly as the workspace
shows it (`aandacht.outreach.message_templates`). Rendering happens as the caller: the preview holds
only the profile fields the caller's role may see. docs/api.md ("Message templates") has examples.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, NoReturn

import marshmallow as ma
from flask import g

from aandacht.accounts.permissions import Permission, requires
from aandacht.api.errors import fail
from aandacht.api.schemas import List, Schema, String, length, path_id
from aandacht.api.smorest import Blueprint, Resource
from aandacht.db import session
from aandacht.outreach import message_templates as templates
from aandacht.outreach.message_templates import LONGEST, TemplateFields, TemplateInvalid
from aandacht.outreach.models import MessageTemplate
from aandacht.profiles.views import person_of_caseload

blp = Blueprint(
    "api_message_templates",
    __name__,
    tag="Message templates",
    description="Messages written once per channel and language, rendered for each person.",
)

READ = ("templates:read",)
WRITE = ("templates:write",)
_TEMPLATE_PATH = [{"in": "path", "name": "template_id", "schema": {"type": "string", "format": "uuid"}}]
_TEXT_HELP = {
    "email_subject": "The e-mail's subject (needed with email_body).",
    "email_body": "The e-mail's text: Markdown, its HTML part made from it.",
    "sms_text": "The text message.",
    "push_title": "The notification's title (needed with push_body).",
    "push_body": "The notification's text.",
    "in_app_text": "The text in the app's list of messages.",
}


class TemplateInputSchema(Schema):
    """A template's fields; a field left out stays as it is (creating: empty). Texts are Jinja2."""

    name = String(validate=length(1, LONGEST["name"]), metadata={"description": "Unique in the tenant."})
    language = String(metadata={"description": "One of the organisation's languages (nl, en, …)."})
    email_subject = String(metadata={"description": _TEXT_HELP["email_subject"]})
    email_body = String(metadata={"description": _TEXT_HELP["email_body"]})
    sms_text = String(metadata={"description": _TEXT_HELP["sms_text"]})
    push_title = String(metadata={"description": _TEXT_HELP["push_title"]})
    push_body = String(metadata={"description": _TEXT_HELP["push_body"]})
    in_app_text = String(metadata={"description": _TEXT_HELP["in_app_text"]})


class TemplateSchema(Schema):
    """A message template."""

    id = ma.fields.UUID(dump_only=True)
    name = String(dump_only=True)
    language = String(dump_only=True)
    email_subject = String(dump_only=True)
    email_body = String(dump_only=True)
    sms_text = String(dump_only=True)
    push_title = String(dump_only=True)
    push_body = String(dump_only=True)
    in_app_text = String(dump_only=True)
    channels = List(String(), dump_only=True, metadata={"description": "The channels it has a text for."})
    created_by = ma.fields.UUID(dump_only=True, allow_none=True)
    created_at = ma.fields.DateTime(dump_only=True)
    changed_by = ma.fields.UUID(dump_only=True, allow_none=True)
    changed_at = ma.fields.DateTime(dump_only=True)


class PreviewArgsSchema(Schema):
    """Whom to preview the template for."""

    person_id = ma.fields.UUID(required=True, metadata={"description": "A person the caller may see."})


class SmsLengthSchema(Schema):
    """The SMS text's length for the phone network."""

    encoding = String(dump_only=True, metadata={"description": "GSM-7 or UCS-2."})
    length = ma.fields.Integer(dump_only=True)
    parts = ma.fields.Integer(dump_only=True, metadata={"description": "Text messages it takes."})
    per_part = ma.fields.Integer(dump_only=True)


class PreviewSchema(Schema):
    """Each written text rendered for the person; `email_html` is the e-mail's HTML part."""

    texts = ma.fields.Dict(keys=String(), values=String(), dump_only=True)
    email_html = String(dump_only=True, allow_none=True)
    sms = ma.fields.Nested(SmsLengthSchema, dump_only=True, allow_none=True)


def _refused(invalid: TemplateInvalid) -> NoReturn:
    fail(422, "validation_failed", errors=invalid.errors)


def _template(template_id: str) -> MessageTemplate:
    """The tenant's template of the path, or 404 (also for another organisation's)."""
    template = templates.template_by_id(path_id(template_id, "template_id"))
    if template is None:
        fail(404, "not_found")
    return template


def _dumped(template: MessageTemplate) -> dict[str, Any]:
    values = TemplateFields.of(template)
    return {
        **vars(values),
        "id": template.id,
        "channels": values.channels(),
        "created_by": template.created_by,
        "created_at": template.created_at,
        "changed_by": template.changed_by,
        "changed_at": template.changed_at,
    }


def _save(body: dict[str, Any], template: MessageTemplate | None) -> dict[str, Any]:
    values = TemplateFields.of(template) if template else TemplateFields(language=g.tenant.default_locale)
    for item in fields(TemplateFields):
        if item.name in body:
            setattr(values, item.name, body[item.name])
    try:
        saved = templates.save_template(values, acting_user=g.principal, template=template)
    except TemplateInvalid as invalid:
        session.rollback()
        _refused(invalid)
    return _dumped(saved)


@blp.route("/message-templates")
class Templates(Resource):
    """The tenant's message templates."""

    @requires(Permission.CASELOAD_VIEW, scopes=READ)
    @blp.response(200, TemplateSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """List the templates, by name."""
        return [_dumped(template) for template in templates.message_templates()]

    @requires(Permission.CASELOAD_VIEW, scopes=WRITE)
    @blp.arguments(TemplateInputSchema)
    @blp.response(201, TemplateSchema)
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create a template.

        `name` and at least one channel's text are needed; `language` defaults to the organisation's
        own. Every text is checked: a problem is refused with 422 and "line N: reason" under
        `errors.<field>`, and nothing is saved.
        """
        return _save(body, None)


@blp.route("/message-templates/<template_id>", parameters=_TEMPLATE_PATH)
class TemplateResource(Resource):
    """One template of the tenant."""

    @requires(Permission.CASELOAD_VIEW, scopes=READ)
    @blp.response(200, TemplateSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def get(self, template_id: str) -> dict[str, Any]:
        """Get a template."""
        return _dumped(_template(template_id))

    @requires(Permission.CASELOAD_VIEW, scopes=WRITE)
    @blp.arguments(TemplateInputSchema)
    @blp.response(200, TemplateSchema)
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def patch(self, body: dict[str, Any], template_id: str) -> dict[str, Any]:
        """Change a template (its writer, or a team lead).

        Only the fields given change; the whole template is checked again.
        """
        template = _template(template_id)
        if not templates.may_change(template, g.principal):
            fail(403, "forbidden")
        return _save(body, template)

    @requires(Permission.CASELOAD_VIEW, scopes=WRITE)
    @blp.response(204)
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def delete(self, template_id: str) -> None:
        """Delete a template (its writer, or a team lead); messages sent with it keep their texts."""
        template = _template(template_id)
        if not templates.may_change(template, g.principal):
            fail(403, "forbidden")
        templates.delete_template(template)


@blp.route("/message-templates/<template_id>/preview", parameters=_TEMPLATE_PATH)
class TemplatePreview(Resource):
    """A template rendered for one person."""

    @requires(Permission.CASELOAD_VIEW, scopes=READ)
    @blp.arguments(PreviewArgsSchema)
    @blp.response(200, PreviewSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, body: dict[str, Any], template_id: str) -> dict[str, Any]:
        """Preview a template for a person.

        The person must be one the caller may see (a coach: their caseload), else 404. The texts
        hold only the profile fields the caller's role may see; a text that uses another, or cannot
        be rendered for this person, is refused with 422 and "line N: reason" per field.
        """
        template = _template(template_id)
        person = person_of_caseload(body["person_id"])  # 404 when not the caller's to see
        found = templates.preview(TemplateFields.of(template), person, acting_user=g.principal)
        if found.errors:
            _refused(TemplateInvalid(found.errors))
        return {
            "texts": found.texts,
            "email_html": str(found.email_html) if found.email_html is not None else None,
            "sms": found.sms,
        }
