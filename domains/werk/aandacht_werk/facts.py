"""The short version of each werk card: a few facts with an icon, for people who read little.

A vacancy card shows "32 hours", "8 km" (from the person's home, when they gave their postcode) and
"Driving licence needed"; a workshop its day and place; a tip how long it takes. The facts are read
aloud with the card. `with_card_facts` gives the content types of `aandacht_werk.content` their facts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from flask_babel import format_date

from aandacht.personalisation.types import CardFact, ContentType
from aandacht_werk.content import COUNTRIES, JOB_FAIR, TIP, VACANCY, WORK_ABROAD, WORKSHOP
from aandacht_werk.i18n import translations
from aandacht_werk.places import distance_km, place_named, place_of_postcode

_ = translations.gettext
ngettext = translations.ngettext


def _whole(value: Any) -> int | None:
    """A detail that is a number, as a whole number (None when it is not one)."""
    return round(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _place_fact(details: Mapping[str, Any], values: Mapping[str, Any]) -> CardFact | None:
    """How far the work is from the person's home ("8 km"), or else the town's name."""
    work = place_of_postcode(str(details.get("postcode") or "")) or place_named(
        str(details.get("place") or "")
    )
    home = place_of_postcode(str(values.get("werk.home_postcode") or ""))
    if work is not None and home is not None:
        return CardFact("map-pin", _("%(km)d km", km=max(round(distance_km(home, work)), 1)))
    if details.get("place"):
        return CardFact("map-pin", str(details["place"]))
    return None


def vacancy_facts(details: Mapping[str, Any], values: Mapping[str, Any]) -> Iterator[CardFact]:
    """Hours a week, distance from home, and a driving licence or own transport when the job needs one."""
    hours = _whole(details.get("hours"))
    if hours is not None:
        yield CardFact("clock", ngettext("%(num)d hour", "%(num)d hours", hours))
    if (place := _place_fact(details, values)) is not None:
        yield place
    if details.get("driving_licence"):
        yield CardFact("car", _("Driving licence needed"))
    elif details.get("own_transport"):
        yield CardFact("bike", _("Own transport needed"))


def tip_facts(details: Mapping[str, Any], values: Mapping[str, Any]) -> Iterator[CardFact]:
    """A video says so; and how many minutes it takes to read or watch."""
    if details.get("format") == "video":
        yield CardFact("video", _("Video"))
    minutes = _whole(details.get("minutes"))
    if minutes is not None:
        yield CardFact("clock", _("%(num)d min", num=minutes))


def event_facts(details: Mapping[str, Any], values: Mapping[str, Any]) -> Iterator[CardFact]:
    """The day of a workshop or job fair, and where: online, or how far from home."""
    try:
        day = date.fromisoformat(str(details.get("date") or ""))
    except ValueError:
        day = None
    if day is not None:
        yield CardFact("calendar", format_date(day, "EEEE d MMMM"))
    if details.get("online"):
        yield CardFact("world", _("Online"))
    elif (place := _place_fact(details, values)) is not None:
        yield place


def abroad_facts(details: Mapping[str, Any], values: Mapping[str, Any]) -> Iterator[CardFact]:
    """The country, and whether housing is arranged."""
    country = next((option.label for option in COUNTRIES if option.value == details.get("country")), None)
    if country is not None:
        yield CardFact("plane", str(country))
    if details.get("housing"):
        yield CardFact("home-check", _("Housing arranged"))


_FACTS: dict[str, Callable[[Mapping[str, Any], Mapping[str, Any]], Iterable[CardFact]]] = {
    VACANCY.key: vacancy_facts,
    TIP.key: tip_facts,
    WORKSHOP.key: event_facts,
    JOB_FAIR.key: event_facts,
    WORK_ABROAD.key: abroad_facts,
}


def with_card_facts(kinds: Iterable[ContentType]) -> list[ContentType]:
    """The content types, each with its short facts."""
    return [replace(kind, card_facts=_FACTS[kind.key]) if kind.key in _FACTS else kind for kind in kinds]
