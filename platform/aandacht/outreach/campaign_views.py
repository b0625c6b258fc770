"""Campaigns in the coach workspace: the list, a new campaign with a confirm step, its results.

- `/workspace/campaigns/`: the tenant's campaigns, newest first, with their status.
- `/workspace/campaigns/new`: the form (audience, content per channel or a template, moment, broadcast).
  "Check" shows the confirm step: how many people it reaches per channel and how many it cannot reach;
  "Send" there releases it (now or at its moment); "Save as draft" keeps it for later.
- `/workspace/campaigns/<id>`: its results; send a draft, or cancel it before it is sent.
- `/workspace/campaigns/<id>/edit`: change a draft or a planned campaign (the same form and checks as
  a new one); one that is being sent or was sent says why it can no longer be changed.

Permissions: anyone with the caseload right sends to one person of their caseload or to a saved
segment, which reaches only the people they may see (a coach: their caseload); "everyone" is offered
to roles that see everyone (team leads) only. Changing, sending and cancelling is for the campaign's
maker and for team leads. A campaign of another tenant is not found (404).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from aandacht.accounts import service as accounts
from aandacht.accounts.permissions import Permission, requires
from aandacht.db import session
from aandacht.outreach import campaigns, limits
from aandacht.outreach import message_templates as templates
from aandacht.outreach.campaigns import CampaignFields, CampaignInvalid
from aandacht.outreach.models import Campaign
from aandacht.segments import service as segments
from aandacht.segments.language import SelectionInvalid

blueprint = Blueprint("campaigns", __name__, url_prefix="/workspace/campaigns", template_folder="templates")
#: The channels a campaign can have a text of, with icon and name (push needs a template's title).
TEXT_CHANNELS = (
    ("email", "mail", _l("E-mail")),
    ("sms", "message", _l("Text message")),
    ("in_app", "device-mobile", _l("In the app")),
)
STATUS_NAMES = {
    "draft": _l("Draft"),
    "scheduled": _l("Planned"),
    "preparing": _l("Being prepared"),
    "released": _l("Being sent"),
    "done": _l("Sent"),
    "cancelled": _l("Cancelled"),
}
SKIP_NAMES = {"capped": _l("Had enough messages lately"), "unreachable": _l("Cannot be reached")}
CHANNEL_NAMES = {
    "email": _l("E-mail"),
    "sms": _l("Text message"),
    "push": _l("Notification"),
    "in_app": _l("In the app"),
}


@blueprint.context_processor
def _page_values() -> dict[str, Any]:
    return {
        "menu": current_app.extensions["aandacht.domains"].menu_items(g.tenant, "coach"),
        "status_names": STATUS_NAMES,
        "skip_names": SKIP_NAMES,
        "channel_names": CHANNEL_NAMES,
        "text_channels": TEXT_CHANNELS,
    }


def _campaign(campaign_id: uuid.UUID) -> Campaign:
    campaign = campaigns.campaign_by_id(campaign_id)
    if campaign is None:
        abort(404)
    return campaign


def _manageable(campaign_id: uuid.UUID) -> Campaign:
    campaign = _campaign(campaign_id)
    if not campaigns.may_manage(campaign, g.principal):
        abort(403)
    return campaign


@blueprint.get("/")
@requires(Permission.CASELOAD_VIEW)
def index() -> str:
    """The tenant's campaigns, newest first."""
    return render_template("outreach/campaigns/index.html", campaigns=campaigns.campaigns())


def uuid_or_none(value: str | None) -> uuid.UUID | None:
    """The UUID a form field holds, or None when it is empty or not one."""
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _values_from(form: MultiDict) -> tuple[CampaignFields, dict[str, str]]:
    """The form as typed, and problems the form itself has (an unreadable moment)."""
    errors: dict[str, str] = {}
    scheduled_at = None
    if form.get("when") == "later":
        try:
            local = datetime.fromisoformat(form.get("scheduled_at", ""))
            scheduled_at = local.replace(tzinfo=limits.time_zone(g.tenant)).astimezone(UTC)
        except ValueError:
            errors["scheduled_at"] = _("Give a date and a time.")
    texts = {
        key: {"subject": form.get(f"{key}_subject", "").strip(), "body": form.get(f"{key}_body", "").strip()}
        for key, _icon, _label in TEXT_CHANNELS
    }
    values = CampaignFields(
        name=form.get("name", ""),
        audience_kind=form.get("audience_kind", ""),
        person_id=uuid_or_none(form.get("person_id")),
        segment_id=uuid_or_none(form.get("segment_id")),
        template_id=uuid_or_none(form.get("template_id")),
        texts={key: text for key, text in texts.items() if text["body"]},
        link=form.get("link", "").strip() or None,
        scheduled_at=scheduled_at,
        broadcast=form.get("broadcast") == "on",
    )
    return values, errors


def _segment_choices() -> list[tuple[Any, int | None]]:
    """The saved segments with how many people of theirs the staff member reaches now."""
    viewer = segments.viewer_of(g.principal)
    found = []
    for segment in segments.saved_segments():
        try:
            number: int | None = segments.count(segments.as_document(segment), viewer)
        except SelectionInvalid:
            number = None
        found.append((segment, number))
    return found


def _people() -> list[Any]:
    if g.principal.can(Permission.PEOPLE_VIEW_ALL):
        return accounts.all_people()[:500]
    return accounts.caseload(g.principal.id)


def _form(
    values: CampaignFields, errors: dict[str, str], *, status: int = 200, campaign: Campaign | None = None
) -> tuple[str, int]:
    page = render_template(
        "outreach/campaigns/form.html",
        values=values,
        errors=errors,
        campaign=campaign,
        people=_people(),
        segment_choices=_segment_choices(),
        templates=templates.message_templates(),
        everyone=campaigns.may_see_everyone(g.principal),
        local_moment=values.scheduled_at.astimezone(limits.time_zone(g.tenant)).strftime("%Y-%m-%dT%H:%M")
        if values.scheduled_at
        else "",
    )
    return page, status


@blueprint.route("/new", methods=["GET", "POST"])
@requires(Permission.CASELOAD_VIEW)
def new() -> str | tuple[str, int] | Response:
    """A new campaign: the form, then the confirm step, then send (or keep as a draft)."""
    if request.method == "GET":
        return _form(CampaignFields(name="", audience_kind="segment"), {})
    values, errors = _values_from(request.form)
    action = request.form.get("action", "check")
    if action == "edit":
        return _form(values, errors)
    try:
        if errors:
            raise CampaignInvalid(errors)
        if action == "check":
            campaigns.check(values, acting_user=g.principal)
            estimate = campaigns.estimate(values, acting_user=g.principal)
            return render_template(
                "outreach/campaigns/confirm.html", values=values, estimate=estimate, form=request.form
            )
        campaign = campaigns.save_campaign(values, acting_user=g.principal)
        if action == "send":
            campaigns.release(campaign, acting_user=g.principal)
            flash(_("The campaign “%(name)s” is being sent.", name=campaign.name), "info")
        else:
            flash(_("The campaign “%(name)s” is saved as a draft.", name=campaign.name), "info")
    except CampaignInvalid as invalid:
        session.rollback()
        flash(_("The campaign is not sent yet. Look at the red text."), "error")
        return _form(values, invalid.errors, status=400)
    return redirect(url_for("campaigns.show", campaign_id=campaign.id))


@blueprint.route("/<uuid:campaign_id>/edit", methods=["GET", "POST"])
@requires(Permission.CASELOAD_VIEW)
def change(campaign_id: uuid.UUID) -> str | tuple[str, int] | Response:
    """Change a draft or planned campaign: the form of a new one, filled in; it keeps its status."""
    campaign = _manageable(campaign_id)
    if campaign.status not in campaigns.OPEN:
        flash(_("This campaign is being sent or was sent; it can no longer be changed."), "error")
        return redirect(url_for("campaigns.show", campaign_id=campaign_id))
    if request.method == "GET":
        return _form(CampaignFields.of(campaign), {}, campaign=campaign)
    values, errors = _values_from(request.form)
    values.channels = campaign.channels  # not on the form: kept as they are
    session.refresh(campaign, with_for_update=True)  # not released meanwhile: it waits for this commit
    try:
        if errors:
            raise CampaignInvalid(errors)
        campaigns.save_campaign(values, acting_user=g.principal, campaign=campaign)
    except CampaignInvalid as invalid:
        session.rollback()
        flash(_("The changes are not saved. Look at the red text."), "error")
        return _form(values, invalid.errors, status=400, campaign=campaign)
    flash(_("The campaign “%(name)s” is changed.", name=campaign.name), "info")
    return redirect(url_for("campaigns.show", campaign_id=campaign_id))


@blueprint.get("/<uuid:campaign_id>")
@requires(Permission.CASELOAD_VIEW)
def show(campaign_id: uuid.UUID) -> str:
    """A campaign and its results."""
    campaign = _campaign(campaign_id)
    return render_template(
        "outreach/campaigns/show.html",
        campaign=campaign,
        results=campaigns.results(campaign),
        manageable=campaigns.may_manage(campaign, g.principal),
        open=campaign.status in campaigns.OPEN,
        zone=limits.time_zone(g.tenant),
    )


@blueprint.post("/<uuid:campaign_id>/send")
@requires(Permission.CASELOAD_VIEW)
def send(campaign_id: uuid.UUID) -> Response:
    """Send a draft (now or at its moment)."""
    campaign = _manageable(campaign_id)
    try:
        campaigns.release(campaign, acting_user=g.principal)
        flash(_("The campaign “%(name)s” is being sent.", name=campaign.name), "info")
    except CampaignInvalid as invalid:
        session.rollback()
        flash("; ".join(invalid.errors.values()), "error")
    return redirect(url_for("campaigns.show", campaign_id=campaign_id))


@blueprint.post("/<uuid:campaign_id>/cancel")
@requires(Permission.CASELOAD_VIEW)
def cancel(campaign_id: uuid.UUID) -> Response:
    """Cancel a campaign that was not sent yet."""
    campaign = _manageable(campaign_id)
    try:
        campaigns.cancel(campaign)
        flash(_("The campaign “%(name)s” is cancelled.", name=campaign.name), "info")
    except CampaignInvalid as invalid:
        session.rollback()
        flash("; ".join(invalid.errors.values()), "error")
    return redirect(url_for("campaigns.show", campaign_id=campaign_id))
