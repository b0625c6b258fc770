"""The question cards of the participant app: one question at a time, answered with a tap.

The home page shows the first of the person's next questions (aandacht.profiles.questions) with their
profile's completeness. A card posts its answer, "not now" or "prefer not to say" here; htmx swaps in
the section with the next card, and without JavaScript a normal POST redirects back home. A bad answer
shows the card again with its error, and nothing is stored.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from aandacht.accounts.permissions import Permission, requires
from aandacht.profiles import questions, service
from aandacht.web.assets import icon

blueprint = Blueprint("profile_cards", __name__, url_prefix="/app/questions", template_folder="templates")

#: The icon of an answer that names none.
_FALLBACK_ICON = "help-circle"


def card_icon(name: str) -> Markup:
    """The icon `name`, or a question mark when the icon set has no such icon (a tenant's own typo)."""
    try:
        return icon(name or _FALLBACK_ICON)
    except OSError:
        return icon(_FALLBACK_ICON)


def cards_state(errors: dict[str, str] | None = None, values: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the question section shows: the next card(s), any error, and the profile's completeness."""
    person_id = g.principal.id
    answered, total = service.completeness(person_id, "person")
    return {
        "questions": questions.next_questions_for(person_id),
        "answered": answered,
        "total": total,
        "errors": errors or {},
        "values": values or {},
    }


def home_cards() -> dict[str, Any] | None:
    """The section's state for the home page (nothing for anyone but a resident)."""
    if g.get("principal") is None or g.principal.kind != "person" or g.get("tenant") is None:
        return None
    return cards_state()


@blueprint.get("/")
@requires(Permission.SELF)
def cards() -> str:
    """The question cards on a page of their own (the home page shows the same section)."""
    return render_template("profiles/cards/page.html", cards=cards_state())


@blueprint.post("/<key>")
@requires(Permission.SELF)
def respond(key: str) -> str | tuple[str, int] | Response:
    """Take the person's answer, "not now" or "prefer not to say" to the question `key`."""
    action = request.form.get("action", "answer")
    raw = _raw_answer(key)
    try:
        if action == "not_now":
            questions.not_now(g.principal.id, key)
        elif action == "prefer_not":
            questions.prefer_not_to_say(g.principal.id, key)
        else:
            questions.answer(g.principal.id, key, raw)
    except service.ProfileInvalid as invalid:
        state = cards_state(invalid.errors, {key: raw})
        state["questions"] = _with_first(key, state["questions"])
        template = "profiles/cards/_section.html" if _htmx() else "profiles/cards/page.html"
        return render_template(template, cards=state), 422
    if _htmx():
        return render_template("profiles/cards/_section.html", cards=cards_state(), thanked=True)
    flash(_("Thank you. Your answer is saved."), "info")
    return redirect(url_for("participant.home"))


def _raw_answer(key: str) -> Any:
    """The posted answer in the form its attribute cleans: a list for multiple choice, else a string."""
    try:
        attribute = questions.question(key).attribute
    except questions.UnknownQuestion:
        return request.form.get("value")
    if attribute.type == "multiple_choice":
        return request.form.getlist("value")
    # A quick answer's button and the field for another number share the name: the one filled in counts.
    return next((value for value in request.form.getlist("value") if value.strip()), "")


def _with_first(key: str, chosen: list[questions.Question]) -> list[questions.Question]:
    """The card with the error first, even when the engine would not choose it now."""
    try:
        asked = questions.question(key)
    except questions.UnknownQuestion:
        return chosen
    return [asked, *(item for item in chosen if item.key != key)]


def _htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


@blueprint.after_request
def _vary_on_htmx(response: Response) -> Response:
    """A fragment for htmx and a whole page otherwise: never cache one as the other."""
    response.vary.add("HX-Request")
    return response


@blueprint.record_once
def _offer_to_templates(state) -> None:
    state.app.jinja_env.globals.update(profile_question_cards=home_cards, card_icon=card_icon)
