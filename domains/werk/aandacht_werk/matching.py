"""Fit rules that need more than one answer: travel distance, and schooling against what a job asks.

`TravelDistance` gives every known town (`aandacht_werk.places`) a weight by its distance from the
person's home postcode, bounded by how far they want to travel (`werk.travel_km`, or
`werk.travel_minutes` at the speed of their fastest way of travelling). Vacancies carry `place:<town>`
tags, so the ranker meets the two without knowing about distances. `EducationFit` compares the
schooling a vacancy asks (`education:<level>`) with the person's highest diploma.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from typing_extensions import override

from aandacht.personalisation.types import FitRule, ProfileTag, answers
from aandacht.profiles.definitions import ProfileAttribute
from aandacht_werk.i18n import lazy_gettext
from aandacht_werk.places import distance_km, place_of_postcode, places

#: Kilometres a minute by each way of travelling, door to door, to turn a travel time into a distance.
SPEED_KM_PER_MINUTE = {
    "car": 0.8,
    "motorbike": 0.8,
    "scooter": 0.5,
    "public_transport": 0.5,
    "ebike": 0.35,
    "bike": 0.25,
    "walking": 0.08,
}
#: When the person did not say how they travel.
_DEFAULT_SPEED = 0.4
#: The rank of each school level; a job asking a rank above the person's is harder to get.
EDUCATION_RANK = {
    "none": 0,
    "primary": 1,
    "vmbo": 2,
    "mbo1": 2,
    "mbo2": 3,
    "mbo3": 4,
    "mbo4": 5,
    "havo": 5,
    "vwo": 6,
    "hbo": 7,
    "wo": 8,
}


def reach_km(values: Mapping[str, Any]) -> float | None:
    """How far the person wants to travel one way, in km (from km, or else from minutes), if they said."""
    km = _number(values, "werk.travel_km")
    if km is not None:
        return km
    minutes = _number(values, "werk.travel_minutes")
    if minutes is None:
        return None
    ways = answers(values, "werk.transport")
    speeds = [SPEED_KM_PER_MINUTE[way] for way in ways if way in SPEED_KM_PER_MINUTE]
    return minutes * max(speeds, default=_DEFAULT_SPEED)


def _number(values: Mapping[str, Any], key: str) -> float | None:
    value = values.get(key)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


class TravelDistance(FitRule):
    """Jobs in towns within the person's reach fit; further ones less, the more so the further they are."""

    reads = ("werk.home_postcode", "werk.travel_km", "werk.travel_minutes", "werk.transport")

    @override
    def tags(
        self, values: Mapping[str, Any], attributes: Mapping[str, ProfileAttribute]
    ) -> Iterator[ProfileTag]:
        postcode = next(iter(answers(values, "werk.home_postcode")), None)
        home = place_of_postcode(str(postcode)) if postcode else None
        reach = reach_km(values)
        if home is None or reach is None:
            return
        reach = max(reach, 1.0)
        for place in places():
            km = distance_km(home, place)
            words = {"place": place.name, "km": max(round(km), 1), "reach": round(reach)}
            if km <= reach / 2:
                reason = lazy_gettext("%(place)s is close to your home: about %(km)s km.")
                yield ProfileTag(f"place:{place.key}", 1.0, str(reason) % words)
            elif km <= reach:
                reason = lazy_gettext(
                    "%(place)s is about %(km)s km from your home. You want to travel up to %(reach)s km."
                )
                yield ProfileTag(f"place:{place.key}", 0.5, str(reason) % words)
            else:
                reason = lazy_gettext(
                    "%(place)s is about %(km)s km from your home. That is further than you want to travel."
                )
                weight = -1.0 if km <= 1.5 * reach else -2.0
                yield ProfileTag(f"place:{place.key}", weight, str(reason) % words)


class EducationFit(FitRule):
    """Vacancies that ask for a school level (`education:mbo2`) fit people who have it, not others."""

    reads = ("werk.education_level",)

    @override
    def tags(
        self, values: Mapping[str, Any], attributes: Mapping[str, ProfileAttribute]
    ) -> Iterator[ProfileTag]:
        level = next(iter(answers(values, "werk.education_level")), None)
        if level not in EDUCATION_RANK:
            return
        has = EDUCATION_RANK[level]
        for asked, rank in EDUCATION_RANK.items():
            if asked == "none":
                continue
            if rank <= has:
                reason = lazy_gettext("You have the schooling this job asks for.")
                yield ProfileTag(f"education:{asked}", 0.5, str(reason))
            else:
                reason = lazy_gettext("This job asks for more schooling than you have now.")
                yield ProfileTag(f"education:{asked}", -0.5 if rank - has == 1 else -1.5, str(reason))
