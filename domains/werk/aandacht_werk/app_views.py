"""The "Job search" area of the participant app: log what you did in two taps, see how you are doing.

No typing: every activity is a big button; an application or interview can be about a vacancy the
person saved or applied to in the feed (one more tap), and a vacancy card whose "Apply" was pressed
offers to log it here. Progress against the agreement with the coach is told positively.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from aandacht.accounts.models import Person
from aandacht.accounts.permissions import Permission, requires
from aandacht.db import utcnow
from aandacht.personalisation import catalogue, events, feed
from aandacht.personalisation.catalogue import Item
from aandacht.profiles import service as profiles
from aandacht.tenancy.scoping import get_scoped
from aandacht_werk import service
from aandacht_werk.content import VACANCY
from aandacht_werk.facts import vacancy_facts
from aandacht_werk.i18n import lazy_gettext, translations
from aandacht_werk.models import ACTIVITY_KINDS, OUTCOMES
from aandacht_werk.words import ABOUT_A_VACANCY, ACTIVITY_WORDS, OUTCOME_WORDS

_ = translations.gettext
blueprint = Blueprint("werk_search", __name__, url_prefix="/app/search", template_folder="templates")
#: How many of the person's saved or applied vacancies the picker offers.
PICKABLE = 8
#: The other days an activity can be put on with one tap: days ago -> the words of the button.
EARLIER_DAYS = {
    "1": lazy_gettext("Yesterday"),
    "2": lazy_gettext("The day before yesterday"),
    "7": lazy_gettext("A week ago"),
}


@blueprint.context_processor
def domain_words() -> dict[str, object]:
    """The app's menu, and the words of activities and outcomes (templates' `_` finds the domain's too)."""
    return {
        "app_menu": current_app.extensions["aandacht.domains"].menu_items(g.tenant, "participant"),
        "activity_words": ACTIVITY_WORDS,
        "outcome_words": OUTCOME_WORDS,
        "earlier_days": EARLIER_DAYS,
    }


def _person() -> Person:
    person = get_scoped(Person, g.principal.id)
    if person is None:
        abort(404)
    return person


def pickable_vacancies(person: Person) -> list[Item]:
    """The vacancies the person saved or applied to in the feed, the latest first."""
    ids = events.items_done(person.id, ("apply", "save"), limit=PICKABLE * 2)
    found = (catalogue.item_by_id(item_id) for item_id in ids)
    return [item for item in found if item is not None and item.type == VACANCY.key][:PICKABLE]


@blueprint.get("/")
@requires(Permission.SELF)
def index() -> str:
    """What the person agreed, how far they are, the buttons to log, and what they logged lately."""
    person = _person()
    status = service.agreement_status([person.id]).get(person.id)
    return render_template(
        "werk/search.html",
        status=status,
        kinds=ACTIVITY_KINDS,
        about_a_vacancy=ABOUT_A_VACANCY,
        activities=service.activities_of(person.id, limit=20),
        outcomes=OUTCOMES,
    )


@blueprint.get("/log/<kind>")
@requires(Permission.SELF)
def pick(kind: str) -> str:
    """Second tap for an application or interview: which vacancy it was about (or none)."""
    if kind not in ABOUT_A_VACANCY:
        abort(404)
    return render_template("werk/pick.html", kind=kind, vacancies=pickable_vacancies(_person()))


@blueprint.post("/log")
@requires(Permission.SELF)
def log() -> Response:
    """Log an activity for today, about a vacancy the person may see if one is chosen."""
    person = _person()
    kind = request.form.get("kind", "")
    item_id = _item_id(request.form.get("item_id", ""))
    if item_id is not None and not _may_pick(person, item_id):
        abort(404)
    try:
        service.log_activity(person.id, kind, item_id=item_id)
    except service.SearchInvalid as invalid:
        flash("; ".join(invalid.errors.values()), "error")
        return redirect(url_for("werk_search.index"))
    status = service.agreement_status([person.id]).get(person.id)
    flash(praise(status), "info")
    return redirect(url_for("werk_search.index"))


@blueprint.get("/from-vacancy/<uuid:item_id>")
@requires(Permission.SELF)
def from_item(item_id: uuid.UUID) -> str:
    """Offered on a vacancy card after "Apply": log it as an application with one more tap."""
    person = _person()
    if not _may_pick(person, item_id):
        abort(404)
    item = catalogue.item_by_id(item_id)
    short = vacancy_facts(item.details, profiles.profile_values(person.id))
    return render_template("werk/from_item.html", item=item, facts=list(short))


@blueprint.post("/<uuid:activity_id>/outcome")
@requires(Permission.SELF)
def outcome(activity_id: uuid.UUID) -> Response:
    """Note what came of an application."""
    person = _person()
    try:
        changed = service.set_outcome(person.id, activity_id, request.form.get("outcome", ""))
    except service.SearchInvalid as invalid:
        flash("; ".join(invalid.errors.values()), "error")
        return redirect(url_for("werk_search.index"))
    if changed is None:
        abort(404)
    flash(_("Thank you. We noted it."), "info")
    return redirect(url_for("werk_search.index", _anchor=f"activity-{activity_id}"))


@blueprint.post("/<uuid:activity_id>/day")
@requires(Permission.SELF)
def day(activity_id: uuid.UUID) -> Response:
    """Another day than today, with one tap: yesterday, the day before, or a week ago."""
    days_ago = request.form.get("days_ago", "")
    if days_ago not in EARLIER_DAYS:
        abort(400)
    person = _person()
    done_on = utcnow().date() - timedelta(days=int(days_ago))
    if service.move_activity(person.id, activity_id, done_on) is None:
        abort(404)
    flash(_("Thank you. We noted the day."), "info")
    return redirect(url_for("werk_search.index", _anchor=f"activity-{activity_id}"))


@blueprint.post("/<uuid:activity_id>/remove")
@requires(Permission.SELF)
def remove(activity_id: uuid.UUID) -> Response:
    """Take back something logged by mistake."""
    if not service.remove_activity(_person().id, activity_id):
        abort(404)
    flash(_("Removed."), "info")
    return redirect(url_for("werk_search.index"))


def praise(status: service.AgreementStatus | None) -> str:
    """What the person reads after logging: positive first, and how much is left of the agreement."""
    if status is None or status.kind != "application":
        return _("Saved. Good job!")
    if status.state == "done":
        return _(
            "You have done %(done)d of the %(target)d applications. You did it this month. Great!",
            done=status.done,
            target=status.target,
        )
    return _(
        "You have done %(done)d of the %(target)d applications. Well done!",
        done=status.done,
        target=status.target,
    )


def _item_id(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        abort(404)


def _may_pick(person: Person, item_id: uuid.UUID) -> bool:
    """A vacancy the person saved, applied to, or may see in their feed now."""
    if item_id in events.items_done(person.id, ("apply", "save"), limit=200):
        return True
    entry = feed.why(person, item_id)
    return entry is not None and entry.item.type == VACANCY.key
