"""Triggered messages in the coach workspace: the rules, a new rule, switching one on or off.

- `/workspace/rules/`: the tenant's rules with their condition, cooldown, last run, and on/off.
- `/workspace/rules/new`: a rule on "no login for N days", on a saved selection or on everyone, checked
  on a schedule or sent when an event happens (`aandacht.outreach.event_kinds`), with its texts.
- `/workspace/rules/<id>/edit`: change a rule (its maker, or a team lead).
- `/workspace/rules/<id>/toggle`: switch on or off (its maker, or a team lead).

The condition is checked among the people its maker may see (a coach: their caseload).
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from aandacht.accounts.permissions import Permission, requires
from aandacht.db import session
from aandacht.outreach import campaigns, rules
from aandacht.outreach import message_templates as templates
from aandacht.outreach.campaign_views import TEXT_CHANNELS, uuid_or_none
from aandacht.outreach.campaigns import EVERYONE, CampaignInvalid
from aandacht.outreach.event_kinds import event_kinds
from aandacht.outreach.models import OutreachRule
from aandacht.outreach.rules import RuleFields
from aandacht.personalisation.registry import content_types_for
from aandacht.profiles.registry import attributes_for
from aandacht.segments import service as segments
from aandacht.tenancy.context import require_tenant

#: The event parameters the form has a field for (a domain's event with others is made through the API).
PARAMETERS = ("attribute", "value", "type")
blueprint = Blueprint("outreach_rules", __name__, url_prefix="/workspace/rules", template_folder="templates")


@blueprint.context_processor
def _page_values() -> dict[str, Any]:
    return {
        "menu": current_app.extensions["aandacht.domains"].menu_items(g.tenant, "coach"),
        "text_channels": TEXT_CHANNELS,
    }


@blueprint.get("/")
@requires(Permission.CASELOAD_VIEW)
def index() -> str:
    """The tenant's rules, by name."""
    found = rules.rules()
    return render_template(
        "outreach/rules/index.html",
        rules=found,
        event_names={kind.key: kind.label for kind in event_kinds(require_tenant()).values()},
        changeable={
            rule.id
            for rule in found
            if rule.created_by == g.principal.id or campaigns.may_see_everyone(g.principal)
        },
    )


def _condition(form: Any, rule: OutreachRule | None) -> Any:
    kind = form.get("condition_kind")
    if kind == "kept" and rule is not None:
        return rule.condition
    if kind == "everyone":
        return EVERYONE
    if kind == "segment":
        segment_id = uuid_or_none(form.get("segment_id"))
        return {"segment": {"id": str(segment_id)}} if segment_id else None
    try:
        days = int(form.get("days", ""))
    except ValueError:
        return None
    return {"last_active": {"op": "not_since", "value": {"days_ago": days}}}


def _values_from(form: Any, rule: OutreachRule | None) -> RuleFields:
    try:
        cooldown = int(form.get("cooldown_days", "") or 0)
    except ValueError:
        cooldown = 0
    event = form.get("event", "") if form.get("trigger") == "event" else ""
    return RuleFields(
        name=form.get("name", ""),
        condition=_condition(form, rule),
        template_id=uuid_or_none(form.get("template_id")),
        texts={
            key: {
                "subject": form.get(f"{key}_subject", "").strip(),
                "body": form.get(f"{key}_body", "").strip(),
            }
            for key, _icon, _label in TEXT_CHANNELS
            if form.get(f"{key}_body", "").strip()
        },
        channels=rule.channels if rule is not None else None,
        cooldown_days=cooldown,
        enabled=rule.enabled if rule is not None else True,
        event=event or None,
        event_params={
            name: form.get(f"param_{name}", "").strip()
            for name in PARAMETERS
            if event and form.get(f"param_{name}", "").strip()
        },
    )


def form_of(rule: OutreachRule) -> dict[str, str]:
    """The form's fields of a saved rule (a condition the form cannot show is kept as it is)."""
    found = {"name": rule.name, "cooldown_days": str(rule.cooldown_days)}
    condition = rule.condition or {}
    days = ((condition.get("last_active") or {}).get("value") or {}).get("days_ago")
    if condition == EVERYONE:
        found["condition_kind"] = "everyone"
    elif set(condition) == {"segment"}:
        found.update(condition_kind="segment", segment_id=str(condition["segment"].get("id")))
    elif set(condition) == {"last_active"} and isinstance(days, int):
        found.update(condition_kind="inactive", days=str(days))
    else:
        found["condition_kind"] = "kept"
    found["trigger"] = "event" if rule.event else "schedule"
    found["event"] = rule.event or ""
    found.update({f"param_{name}": str(value) for name, value in (rule.event_params or {}).items()})
    found["template_id"] = str(rule.template_id) if rule.template_id else ""
    for key, text in (rule.texts or {}).items():
        found[f"{key}_subject"], found[f"{key}_body"] = text.get("subject", ""), text.get("body", "")
    return found


def _changeable(rule_id: uuid.UUID) -> OutreachRule:
    rule = rules.rule_by_id(rule_id)
    if rule is None:
        abort(404)
    if rule.created_by != g.principal.id and not campaigns.may_see_everyone(g.principal):
        abort(403)
    return rule


def _edit(rule: OutreachRule | None) -> str | tuple[str, int] | Response:
    """The form of a new rule (None) or of `rule`; saving checks it exactly as the API does."""
    form: Any = request.form if request.method == "POST" else (form_of(rule) if rule else {})
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            saved = rules.save_rule(_values_from(form, rule), acting_user=g.principal, rule=rule)
        except CampaignInvalid as invalid:
            session.rollback()
            errors = invalid.errors
            flash(_("The rule is not saved yet. Look at the red text."), "error")
        else:
            if rule is None:
                flash(_("The rule “%(name)s” is saved and on.", name=saved.name), "info")
            else:
                flash(_("The rule “%(name)s” is changed.", name=saved.name), "info")
            return redirect(url_for("outreach_rules.index"))
    tenant = require_tenant()
    page = render_template(
        "outreach/rules/form.html",
        rule=rule,
        form=form,
        errors=errors,
        segments=segments.saved_segments(),
        templates=templates.message_templates(),
        event_kinds=list(event_kinds(tenant).values()),
        attributes=sorted(attributes_for(tenant).values(), key=lambda found: str(found.label)),
        content_types=list(content_types_for(tenant).values()),
    )
    return (page, 400) if errors else page


@blueprint.route("/new", methods=["GET", "POST"])
@requires(Permission.CASELOAD_VIEW)
def new() -> str | tuple[str, int] | Response:
    """A new rule."""
    return _edit(None)


@blueprint.route("/<uuid:rule_id>/edit", methods=["GET", "POST"])
@requires(Permission.CASELOAD_VIEW)
def change(rule_id: uuid.UUID) -> str | tuple[str, int] | Response:
    """Change a rule (its maker, or a team lead): the same form and checks as a new one."""
    return _edit(_changeable(rule_id))


@blueprint.post("/<uuid:rule_id>/toggle")
@requires(Permission.CASELOAD_VIEW)
def toggle(rule_id: uuid.UUID) -> Response:
    """Switch a rule on or off."""
    rule = _changeable(rule_id)
    values = RuleFields.of(rule)
    values.enabled = not rule.enabled
    try:
        rules.save_rule(values, acting_user=g.principal, rule=rule)
    except CampaignInvalid as invalid:
        session.rollback()
        flash("; ".join(invalid.errors.values()), "error")
    return redirect(url_for("outreach_rules.index"))
