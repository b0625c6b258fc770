"""Triggered messages in the coach workspace: the rules, a new rule, switching one on or off.

- `/workspace/rules/`: the tenant's rules with their condition, cooldown, last run, and on/off.
- `/workspace/rules/new`: a rule on "no login for N days" or on a saved selection, with its texts.
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
from aandacht.outreach.campaigns import CampaignInvalid
from aandacht.outreach.rules import RuleFields
from aandacht.segments import service as segments

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
        changeable={
            rule.id
            for rule in found
            if rule.created_by == g.principal.id or campaigns.may_see_everyone(g.principal)
        },
    )


def _condition(form: Any) -> Any:
    if form.get("condition_kind") == "segment":
        segment_id = uuid_or_none(form.get("segment_id"))
        return {"segment": {"id": str(segment_id)}} if segment_id else None
    try:
        days = int(form.get("days", ""))
    except ValueError:
        return None
    return {"last_active": {"op": "not_since", "value": {"days_ago": days}}}


@blueprint.route("/new", methods=["GET", "POST"])
@requires(Permission.CASELOAD_VIEW)
def new() -> str | tuple[str, int] | Response:
    """A new rule."""
    form = request.form
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            cooldown = int(form.get("cooldown_days", "") or 0)
        except ValueError:
            cooldown = 0
        values = RuleFields(
            name=form.get("name", ""),
            condition=_condition(form),
            template_id=uuid_or_none(form.get("template_id")),
            texts={
                key: {
                    "subject": form.get(f"{key}_subject", "").strip(),
                    "body": form.get(f"{key}_body", "").strip(),
                }
                for key, _icon, _label in TEXT_CHANNELS
                if form.get(f"{key}_body", "").strip()
            },
            cooldown_days=cooldown,
        )
        try:
            rule = rules.save_rule(values, acting_user=g.principal)
        except CampaignInvalid as invalid:
            session.rollback()
            errors = invalid.errors
            flash(_("The rule is not saved yet. Look at the red text."), "error")
        else:
            flash(_("The rule “%(name)s” is saved and on.", name=rule.name), "info")
            return redirect(url_for("outreach_rules.index"))
    page = render_template(
        "outreach/rules/form.html",
        form=form,
        errors=errors,
        segments=segments.saved_segments(),
        templates=templates.message_templates(),
    )
    return (page, 400) if errors else page


@blueprint.post("/<uuid:rule_id>/toggle")
@requires(Permission.CASELOAD_VIEW)
def toggle(rule_id: uuid.UUID) -> Response:
    """Switch a rule on or off."""
    rule = rules.rule_by_id(rule_id)
    if rule is None:
        abort(404)
    if rule.created_by != g.principal.id and not campaigns.may_see_everyone(g.principal):
        abort(403)
    values = RuleFields.of(rule)
    values.enabled = not rule.enabled
    try:
        rules.save_rule(values, acting_user=g.principal, rule=rule)
    except CampaignInvalid as invalid:
        session.rollback()
        flash("; ".join(invalid.errors.values()), "error")
    return redirect(url_for("outreach_rules.index"))
