"""The resident's feed in the participant app: cards on the home page, a page per item, saved items.

Every item shows why it is there (the ranker's reasons) and what the person can do with it: read more,
save, "not for me", share, and the type's own action (apply, sign up). Each action is a small POST form
that works without JavaScript (the page comes back) and that htmx answers with the changed card. What
the person sees and does is recorded as interaction events: the cards a page shows as impressions in
one batch, opening an item (once a minute at most), following its link, and every action.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from sqlalchemy import select

from aandacht.accounts.models import Person
from aandacht.accounts.permissions import Permission, requires
from aandacht.db import session, utcnow
from aandacht.personalisation import events, feed
from aandacht.personalisation.markdown import render_markdown
from aandacht.personalisation.models import InteractionEvent
from aandacht.personalisation.types import CardFact, ContentType
from aandacht.profiles import service as profiles
from aandacht.tenancy.scoping import get_scoped

blueprint = Blueprint("feed", __name__, url_prefix="/app/feed", template_folder="templates")

#: How many cards the home page shows, and a page of the feed or of the saved items.
HOME_SIZE, PAGE_SIZE = 5, 20
#: The furthest page of the feed anyone can ask for (the ranker ranks all items before the page).
LAST_PAGE = 50
#: What the person can do with an item by pressing a button (opening, following the link and seeing
#: are recorded by the pages themselves).
ACTIONS = ("save", "dismiss", "share", "apply")
#: The places a card is shown, as recorded in the context of an event.
SURFACES = ("home", "feed", "saved", "item")
#: Opening an item again within this time is not another open (a reload, the back button).
REOPEN_AFTER = timedelta(minutes=1)


@dataclass(frozen=True)
class Card:
    """One item as a card: the feed's entry, its place on the page, and what the person did with it."""

    entry: feed.FeedEntry
    #: 1 for the first card of the whole list (the second page starts at 21).
    position: int
    done: frozenset[str]
    #: The item's short version: a few facts with an icon each (its type's `card_facts`).
    facts: tuple[CardFact, ...] = ()

    @property
    def until(self) -> str | None:
        """The last day of the item in words ("12 December"), or None when it has no end."""
        return last_day(self.entry.item.valid_until)

    @property
    def link(self) -> str | None:
        """The item's own web address, when it has one (http or https: nothing else is followed)."""
        return _outgoing(self.entry.item.link_url)


@dataclass(frozen=True)
class CardList:
    """The cards of one place (home, the feed, the saved items), one page of them."""

    surface: str
    cards: list[Card]
    page: int = 1
    more: bool = False


@blueprint.app_context_processor
def card_menu() -> dict[str, object]:
    """What the tenant's domains offer on a card whose main action is done (home and feed pages alike)."""
    tenant = g.get("tenant")
    entries = current_app.extensions["aandacht.domains"].menu_items(tenant, "card") if tenant else []
    return {"card_menu": entries}


def last_day(moment: datetime | None) -> str | None:
    """A moment as the day people read ("12 December", with the year when it is not this year)."""
    if moment is None:
        return None
    same_year = moment.year == utcnow().year
    return format_date(moment, "d MMMM" if same_year else "d MMMM y")


def _person() -> Person:
    person = get_scoped(Person, g.principal.id)
    if person is None:
        abort(404)
    return person


def _cards(person: Person, entries: Sequence[feed.FeedEntry], *, first: int = 1) -> list[Card]:
    done = events.kinds_done(person.id, [entry.item.id for entry in entries])
    with_facts = any(entry.kind.card_facts is not None for entry in entries)
    values = profiles.profile_values(person.id) if with_facts else {}
    return [
        Card(
            entry,
            first + index,
            frozenset(done.get(entry.item.id, ())),
            entry.kind.facts(entry.item.details, values),
        )
        for index, entry in enumerate(entries)
    ]


def _shown(person: Person, cards: Sequence[Card], surface: str) -> None:
    """Record that the cards were shown: one impression each, in one batch."""
    events.record(
        person.id,
        [
            events.Interaction(
                "impression", card.entry.item.id, {"surface": surface, "position": card.position}
            )
            for card in cards
        ],
    )


def for_home() -> CardList:
    """The first cards of the person's feed for the home page, recorded as shown there."""
    person = _person()
    entries = feed.feed(person, limit=HOME_SIZE + 1)
    cards = _cards(person, entries[:HOME_SIZE])
    _shown(person, cards, "home")
    return CardList("home", cards, more=len(entries) > HOME_SIZE)


@blueprint.get("/")
@requires(Permission.SELF)
def index() -> str:
    """The whole feed, a page at a time (the home page shows its first cards)."""
    person, page = _person(), _page_number(request.args)
    offset = (page - 1) * PAGE_SIZE
    entries = feed.feed(person, limit=PAGE_SIZE + 1, offset=offset)
    cards = _cards(person, entries[:PAGE_SIZE], first=offset + 1)
    _shown(person, cards, "feed")
    more = len(entries) > PAGE_SIZE and page < LAST_PAGE
    return render_template("feed/index.html", feed=CardList("feed", cards, page, more))


@blueprint.get("/saved")
@requires(Permission.SELF)
def saved() -> str:
    """The items the person saved, the latest saved first (those they may no longer see are left out)."""
    person, page = _person(), _page_number(request.args)
    ids = events.items_done(person.id, ("save",), limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    entries = [entry for item_id in ids[:PAGE_SIZE] if (entry := feed.why(person, item_id)) is not None]
    cards = _cards(person, entries, first=(page - 1) * PAGE_SIZE + 1)
    return render_template("feed/saved.html", feed=CardList("saved", cards, page, len(ids) > PAGE_SIZE))


def _visible(person: Person, item_id: uuid.UUID) -> feed.FeedEntry:
    """The item as the person's feed has it; 404 when they may not see it (or it is not there)."""
    entry = feed.why(person, item_id)
    if entry is None:
        abort(404)
    return entry


@blueprint.get("/<uuid:item_id>")
@requires(Permission.SELF)
def item(item_id: uuid.UUID) -> str:
    """One item in full: its text, details, last day, why the person sees it, and the actions."""
    person = _person()
    entry = _visible(person, item_id)
    if not _opened_recently(person.id, item_id):
        events.record(person.id, [events.Interaction("open", item_id, _context(request.args))])
    card = _cards(person, [entry])[0]
    return render_template(
        "feed/item.html",
        card=card,
        body=render_markdown(entry.item.body),
        details=details(entry.kind, entry.item.details),
    )


def _opened_recently(person_id: uuid.UUID, item_id: uuid.UUID) -> bool:
    query = select(InteractionEvent.id).where(
        InteractionEvent.person_id == person_id,
        InteractionEvent.kind == "open",
        InteractionEvent.occurred_at >= utcnow() - REOPEN_AFTER,
        InteractionEvent.item_id == str(item_id),
    )
    return session.execute(query.limit(1)).first() is not None


@dataclass(frozen=True)
class Detail:
    """One detail of an item as people read it: the field's label and the value in words."""

    label: str
    text: str
    #: A web address to link the text to (a detail of the type `url`).
    url: str | None = None


def details(kind: ContentType, values: Mapping[str, Any]) -> list[Detail]:
    """An item's details in the order of its type's fields, in words (choices by their label)."""
    found = []
    for field in kind.fields:
        value = values.get(field.key)
        if value is None or value == "":
            continue
        if field.type == "choice":
            text = field.option_label(value)
        elif field.type == "boolean":
            text = _("Yes") if value else _("No")
        elif field.type == "number":
            text = format_decimal(value)
        elif field.type == "date":
            text = format_date(date.fromisoformat(str(value)), "d MMMM y")
        else:
            text = str(value)
        found.append(Detail(str(field.label), text, _outgoing(value) if field.type == "url" else None))
    return found


def _outgoing(url: Any) -> str | None:
    """`url` when it is a web address (http or https), else None: nothing else is followed."""
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else None


@blueprint.get("/<uuid:item_id>/go")
@requires(Permission.SELF)
def go(item_id: uuid.UUID) -> Response:
    """Follow the item's own link (recorded as a click); only to that web address, never elsewhere."""
    person = _person()
    link = _outgoing(_visible(person, item_id).item.link_url)
    if link is None:
        abort(404)
    events.record(person.id, [events.Interaction("click", item_id, _context(request.args))])
    return redirect(link)


@blueprint.post("/<uuid:item_id>/<kind>")
@requires(Permission.SELF)
def act(item_id: uuid.UUID, kind: str) -> str | Response:
    """Save, dismiss ("not for me"), share or apply to an item; htmx gets the card (or a note) back."""
    if kind not in ACTIONS:
        abort(404)
    person = _person()
    entry = _visible(person, item_id)
    events.record(person.id, [events.Interaction(kind, item_id, _context(request.form))])
    surface = request.form.get("surface", "")
    surface = surface if surface in SURFACES else "home"
    link = _outgoing(entry.item.link_url)
    if kind == "apply" and link is not None:
        return redirect(link)
    if _htmx():
        if kind == "dismiss":
            return render_template("feed/_hidden.html")
        card = _cards(person, [entry], first=_position(request.form) or 1)[0]
        page = _page_number(request.form)
        return render_template("feed/_card.html", card=card, surface=surface, page=page, acted=kind)
    message = {
        "save": _("Saved. You find it under Saved."),
        "dismiss": _("Hidden. You will not see this again."),
        "apply": _("Done. We noted that you want this."),
    }.get(kind)
    if message:
        flash(message, "info")
    return redirect(_back(surface, item_id, kind))


def _back(surface: str, item_id: uuid.UUID, kind: str) -> str:
    """Where a form without JavaScript returns to: the page it was on (never an address it gives)."""
    page = _page_number(request.form)
    if surface == "feed":
        return url_for("feed.index", page=page)
    if surface == "saved":
        return url_for("feed.saved", page=page)
    if surface == "item" and kind != "dismiss":
        return url_for("feed.item", item_id=item_id)
    return url_for("participant.home", _anchor="feed")


def _position(values: Mapping[str, str]) -> int | None:
    position = values.get("position", "")
    return int(position) if position.isdigit() and 0 < int(position) <= PAGE_SIZE * LAST_PAGE else None


def _page_number(values: Mapping[str, str]) -> int:
    """The page a list was on (the first when the number is missing or out of range)."""
    page = values.get("page", "1")
    return int(page) if page.isdigit() and 1 <= int(page) <= LAST_PAGE else 1


def _context(values: Mapping[str, str]) -> dict[str, Any]:
    """Where the person did it: the surface and the card's position, when the page said so."""
    surface = values.get("surface")
    context: dict[str, Any] = {"surface": surface} if surface in SURFACES else {}
    position = _position(values)
    if position is not None:
        context["position"] = position
    return context


@blueprint.post("/personalisation")
@requires(Permission.SELF)
def choose() -> Response:
    """Switch choosing for the person on or off (off: the newest first), from the settings page."""
    choice = request.form.get("personalised")
    if choice not in ("on", "off"):
        abort(400)
    choose_personalisation(_person(), on=choice == "on")
    flash(_("Your choice is saved."), "info")
    return redirect(url_for("participant.settings"))


def choose_personalisation(person: Person, *, on: bool) -> None:
    """Let the app choose for the person (on) or show the newest first (off)."""
    person.personalised = on
    session.commit()


def personalisation_chosen() -> bool:
    """Whether the app chooses for the logged-in resident (the settings page shows the choice)."""
    return _person().personalised


def _htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


@blueprint.after_request
def _vary_on_htmx(response: Response) -> Response:
    """A card for htmx and a whole page otherwise: never cache one as the other."""
    response.vary.add("HX-Request")
    return response


@blueprint.record_once
def _offer_to_templates(state) -> None:
    state.app.jinja_env.globals.update(personalisation_chosen=personalisation_chosen)
