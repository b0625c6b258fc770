"""Message templates: saving them only when they are sound, and rendering them for one person.

A template holds a text per channel (e-mail subject and body, SMS, push title and body, in the app) in
one of the tenant's languages. Saving checks every text (`check_template`): it must parse, name only
known variables and profile fields the writer's role may see, and render for a synthetic person whose
every field is filled. Nothing is saved while one problem remains; each problem is "line N: reason",
keyed by the field it belongs to.

Rendering (`render_for`, `preview`) always runs as a staff member: the person's profile holds only the
fields that member's role may see (`aandacht.profiles.service.may`), so a template can never print a
special-category value to someone who may not see it, not even one written by a colleague who may.

Who may change a template: its writer, and roles that see everyone (team leads); anyone with the
caseload right may use and preview every template of the tenant (`may_change`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from flask_babel import force_locale, to_user_timezone
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, select

from aandacht.accounts.models import Person
from aandacht.accounts.permissions import Permission
from aandacht.accounts.principal import Principal
from aandacht.db import session, utcnow
from aandacht.outreach.models import MessageTemplate
from aandacht.outreach.sandbox import (
    LANGUAGE_VARIABLE,
    RenderFailed,
    Words,
    check_source,
    render_email_html,
    render_text,
)
from aandacht.outreach.sms_length import SmsLength, sms_length
from aandacht.profiles.definitions import PREFER_NOT_TO_SAY, ProfileAttribute
from aandacht.profiles.presentation import option_label
from aandacht.profiles.registry import attributes_for
from aandacht.profiles.service import audience_of, may, profile_values
from aandacht.tenancy.context import require_tenant
from aandacht.tenancy.scoping import get_scoped

#: The texts of a template, in the order of the form.
TEXT_FIELDS = ("email_subject", "email_body", "sms_text", "push_title", "push_body", "in_app_text")
#: The longest each field may be (as written, before rendering).
LONGEST = {
    "name": 120,
    "email_subject": 200,
    "email_body": 20_000,
    "sms_text": 1_600,
    "push_title": 100,
    "push_body": 300,
    "in_app_text": 2_000,
}
#: Per channel: the text that makes the template serve it, and the text it then also needs.
CHANNEL_TEXTS: dict[str, tuple[str, str | None]] = {
    "email": ("email_body", "email_subject"),
    "sms": ("sms_text", None),
    "push": ("push_body", "push_title"),
    "in_app": ("in_app_text", None),
}


class TemplateInvalid(ValueError):
    """The template cannot be saved or rendered; `errors` maps each field to its problems. Nothing changed."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        super().__init__("; ".join(f"{key}: {' '.join(found)}" for key, found in errors.items()))
        self.errors = dict(errors)


class ChannelNotServed(LookupError):
    """The template has no text for this channel."""


@dataclass
class TemplateFields:
    """What a template holds, as written (the form, the API and tests build one)."""

    name: str = ""
    language: str = ""
    email_subject: str = ""
    email_body: str = ""
    sms_text: str = ""
    push_title: str = ""
    push_body: str = ""
    in_app_text: str = ""

    @classmethod
    def of(cls, template: MessageTemplate) -> TemplateFields:
        """The fields of a saved template."""
        return cls(**{item.name: getattr(template, item.name) for item in fields(cls)})

    def channels(self) -> list[str]:
        """The channels this template serves: those whose main text is written."""
        return [name for name, (main, _other) in CHANNEL_TEXTS.items() if getattr(self, main).strip()]


@dataclass(frozen=True)
class Rendered:
    """A template rendered for one person on one channel."""

    channel: str
    subject: str
    body: str
    #: The e-mail's HTML part (e-mail only).
    html: Markup | None = None

    def payload(self) -> dict[str, str]:
        """As kept in a message's payload, for its fallback channels."""
        return {"subject": self.subject, "body": self.body, **({"html": str(self.html)} if self.html else {})}


@dataclass
class Preview:
    """Every text of a template rendered for one person, or its problems, per field."""

    texts: dict[str, str] = field(default_factory=dict)
    email_html: Markup | None = None
    sms: SmsLength | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)


# --- Reading --------------------------------------------------------------------------------------------


def message_templates(language: str | None = None) -> list[MessageTemplate]:
    """The tenant's templates, by name (of one language when given)."""
    query = select(MessageTemplate).order_by(func.lower(MessageTemplate.name))
    if language:
        query = query.where(MessageTemplate.language == language)
    return list(session.execute(query).scalars())


def template_by_id(template_id: uuid.UUID) -> MessageTemplate | None:
    """The tenant's template with this id (None also for another tenant's)."""
    return get_scoped(MessageTemplate, template_id)


def may_change(template: MessageTemplate, principal: Principal) -> bool:
    """Whether `principal` may change or delete the template: its writer, or a role that sees everyone."""
    return principal.can(Permission.PEOPLE_VIEW_ALL) or template.created_by == principal.id


# --- Checking and saving ----------------------------------------------------------------------------------


def check_template(
    values: TemplateFields, *, acting_user: Principal, template: MessageTemplate | None = None
) -> dict[str, list[str]]:
    """Every problem of the template, per field; empty when it may be saved."""
    errors: dict[str, list[str]] = {}
    name = values.name.strip()
    if not name:
        errors["name"] = [_("Give the template a name.")]
    elif _name_taken(name, template):
        errors["name"] = [_("Another template has this name already.")]
    if values.language not in require_tenant().locales:
        errors["language"] = [_("Choose one of the organisation's languages.")]
    for key, longest in LONGEST.items():
        if len(getattr(values, key)) > longest:
            errors.setdefault(key, []).append(_("At most %(count)d characters.", count=longest))
    served = values.channels()
    if not served:
        errors["in_app_text"] = [_("Write the text of at least one channel.")]
    for channel in served:
        other = CHANNEL_TEXTS[channel][1]
        if other and not getattr(values, other).strip():
            errors.setdefault(other, []).append(_("Needed when the text below it is written."))
    if errors.get("language"):
        return errors
    visible, known = _fields_for(acting_user)
    for key in TEXT_FIELDS:
        source = getattr(values, key)
        problems = check_source(source, known=known, visible=visible) if source.strip() else []
        if problems:
            errors.setdefault(key, []).extend(str(problem) for problem in problems)
    # The texts that passed the check are rendered once for a made-up person with every field filled.
    sound = TemplateFields(**{**vars(values), **{key: "" for key in TEXT_FIELDS if key in errors}})
    trial = preview_with(sound, synthetic_variables(values.language, acting_user))
    for key, found in trial.errors.items():
        errors.setdefault(key, []).extend(found)
    return errors


def save_template(
    values: TemplateFields, *, acting_user: Principal, template: MessageTemplate | None = None
) -> MessageTemplate:
    """Create (or change) a template when it is sound, and commit; raises TemplateInvalid, saving nothing."""
    values = TemplateFields(**{**vars(values), "name": values.name.strip()})
    errors = check_template(values, acting_user=acting_user, template=template)
    if errors:
        raise TemplateInvalid(errors)
    now = utcnow()
    if template is None:
        template = MessageTemplate(id=uuid.uuid4(), created_by=acting_user.id, created_at=now)
        session.add(template)
    for item in fields(TemplateFields):
        setattr(template, item.name, getattr(values, item.name))
    template.changed_by, template.changed_at = acting_user.id, now
    session.commit()
    return template


def delete_template(template: MessageTemplate) -> None:
    """Remove the template and commit (messages sent with it keep their texts)."""
    session.delete(template)
    session.commit()


def _name_taken(name: str, template: MessageTemplate | None) -> bool:
    query = select(MessageTemplate.id).where(func.lower(MessageTemplate.name) == name.lower())
    if template is not None:
        query = query.where(MessageTemplate.id != template.id)
    return session.execute(query).first() is not None


# --- Variables ----------------------------------------------------------------------------------------------


def _audience(acting_user: Principal) -> str:
    return audience_of(acting_user.kind, acting_user.role)


def visible_attributes(acting_user: Principal) -> dict[str, ProfileAttribute]:
    """The tenant's attributes whose values the staff member's role may see, by key."""
    audience = _audience(acting_user)
    return {
        key: attribute
        for key, attribute in attributes_for(require_tenant()).items()
        if may(audience, attribute.visible_to, attribute.sensitivity)
    }


def _fields_for(acting_user: Principal) -> tuple[dict[str, str], set[str]]:
    """The profile keys the role may see (with their labels), and every key of the tenant."""
    visible = {key: str(attribute.label) for key, attribute in visible_attributes(acting_user).items()}
    return visible, set(attributes_for(require_tenant()))


def template_value(attribute: ProfileAttribute, value: Any) -> Any:
    """A stored value as a template sees it, in the current (forced) language."""
    if value is None or value == PREFER_NOT_TO_SAY:
        return ""
    if attribute.type == "choice":
        return option_label(attribute, value)
    if attribute.type == "multiple_choice":
        return Words(option_label(attribute, item) for item in value)
    if attribute.type == "boolean":
        return _("Yes") if value else _("No")
    if attribute.type == "date":
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            return str(value)
    return value


def variables_for(
    person: Person, language: str, acting_user: Principal, values: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The variables of a template for `person`: only profile fields the staff member may see."""
    stored = profile_values(person.id) if values is None else values
    with force_locale(language):
        profile = {
            key: template_value(attribute, stored.get(key))
            for key, attribute in visible_attributes(acting_user).items()
        }
    return _variables(person.display_name, profile, language, acting_user)


def synthetic_variables(language: str, acting_user: Principal) -> dict[str, Any]:
    """Variables of a made-up person whose every visible field is filled (the trial render)."""
    with force_locale(language):
        profile = {
            key: template_value(attribute, _sample(attribute))
            for key, attribute in visible_attributes(acting_user).items()
        }
    return _variables("Fatima El Amrani", profile, language, acting_user)


def _sample(attribute: ProfileAttribute) -> Any:
    low, _high = attribute.bounds
    return {
        "text": "Voorbeeld",
        "number": low if low is not None else 1,
        "scale": int(low or 1),
        "date": "2026-03-12",
        "boolean": True,
        "choice": attribute.option_values[0] if attribute.options else "",
        "multiple_choice": list(attribute.option_values[:2]),
    }[attribute.type]


def _variables(
    display_name: str, profile: dict[str, Any], language: str, acting_user: Principal
) -> dict[str, Any]:
    first_name = display_name.split()[0] if display_name.split() else ""
    return {
        "person": {"first_name": first_name, "display_name": display_name},
        "profile": profile,
        "tenant": {"name": require_tenant().name},
        "coach": {"name": acting_user.display_name},
        "today": to_user_timezone(utcnow()).date(),
        LANGUAGE_VARIABLE: language,
    }


# --- Rendering --------------------------------------------------------------------------------------------


def preview_with(values: TemplateFields, variables: Mapping[str, Any]) -> Preview:
    """Render every written text of the template with these variables; problems are kept per field."""
    preview = Preview()
    # The variables are in the template's language already and the filters take it from them, so
    # the problems stay in the language of the request.
    for key in TEXT_FIELDS:
        source = getattr(values, key)
        if not source.strip():
            continue
        try:
            preview.texts[key] = render_text(source, variables).strip()
            if key == "email_body":
                preview.email_html = render_email_html(source, variables)
        except RenderFailed as failed:
            preview.errors.setdefault(key, []).append(str(failed.problem))
    if "sms_text" in preview.texts:
        preview.sms = sms_length(preview.texts["sms_text"])
    return preview


def preview(values: TemplateFields, person: Person | None, *, acting_user: Principal) -> Preview:
    """The template (saved or as typed) for a real person (None: a made-up one), as `acting_user` sends it.

    The static problems (unknown fields, fields the role may not see) come first and those texts are
    not rendered, so a preview never shows what the role may not see; the caller checked that the
    person is theirs to see.
    """
    visible, known = _fields_for(acting_user)
    static = {
        key: [str(problem) for problem in check_source(getattr(values, key), known=known, visible=visible)]
        for key in TEXT_FIELDS
        if getattr(values, key).strip()
    }
    static = {key: found for key, found in static.items() if found}
    shown = TemplateFields(**{**vars(values), **{key: "" for key in static}})
    if person is None:
        variables = synthetic_variables(values.language, acting_user)
    else:
        variables = variables_for(person, values.language, acting_user)
    found = preview_with(shown, variables)
    found.errors.update(static)
    return found


def render_for(
    template: MessageTemplate | TemplateFields, person_id: uuid.UUID, *, channel: str, acting_user: Principal
) -> Rendered:
    """The template's texts of `channel` for one person, as `acting_user` sends them.

    Raises ChannelNotServed when the template has no text for the channel, LookupError when the
    person is not in the tenant, and TemplateInvalid (per field, "line N: reason") when a text uses a
    field the staff member may not see or cannot be rendered for this person.
    """
    values = template if isinstance(template, TemplateFields) else TemplateFields.of(template)
    if channel not in values.channels():
        raise ChannelNotServed(channel)
    person = get_scoped(Person, person_id)
    if person is None:
        raise LookupError(str(person_id))
    main, other = CHANNEL_TEXTS[channel]
    keys = [main] + ([other] if other else [])
    if channel == "in_app":
        keys.append("push_title" if values.push_title.strip() else "email_subject")
    only = TemplateFields(
        name=values.name, language=values.language, **{key: getattr(values, key) for key in keys}
    )
    found = preview(only, person, acting_user=acting_user)
    if found.errors:
        raise TemplateInvalid(found.errors)
    subject = found.texts.get(other or "", "") if channel != "in_app" else _in_app_subject(found)
    return Rendered(
        channel, subject, found.texts.get(main, ""), found.email_html if channel == "email" else None
    )


def _in_app_subject(found: Preview) -> str:
    return found.texts.get("push_title") or found.texts.get("email_subject") or ""
