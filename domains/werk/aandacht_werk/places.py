"""Where places are: Dutch towns with their four-digit postcode areas and a point, for travel distances.

The shipped table (`places.csv`) holds the towns of the demo regions and the large cities; a
municipality that needs more puts its own file with the same columns (place, postcode_from,
postcode_to, latitude, longitude) at the path in `AANDACHT_WERK_PLACES`, for example one row per
postcode area from CBS's PC4 file. Distances are straight lines between the points (haversine), which
is what a job seeker's "how far do you want to travel" means in practice within a region.
"""

from __future__ import annotations

import csv
import math
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SHIPPED = Path(__file__).with_name("places.csv")
_POSTCODE = re.compile(r"^\s*(\d{4})\s*([A-Za-z]{2})?\s*$")
_EARTH_KM = 6371.0


def slug(text: str) -> str:
    """A place as a tag value: lower case, no accents, dashes (`Koog aan de Zaan`: `koog-aan-de-zaan`)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


@dataclass(frozen=True)
class Place:
    """A town: its name, the postcode areas it covers and a point in it."""

    name: str
    postcode_from: int
    postcode_to: int
    latitude: float
    longitude: float

    @property
    def key(self) -> str:
        """The town as a tag value, the same as a vacancy's `place:<slug>` tag."""
        return slug(self.name)


def postcode_area(text: str) -> int | None:
    """The four digits of a Dutch postcode (`7511 AB`, `7511ab`, `7511`), or None when it is not one."""
    match = _POSTCODE.match(text or "")
    return int(match.group(1)) if match and int(match.group(1)) >= 1000 else None


@cache
def _table(path: str) -> tuple[Place, ...]:
    with open(path, newline="", encoding="utf-8") as handle:
        return tuple(
            Place(
                row["place"].strip(),
                int(row["postcode_from"]),
                int(row["postcode_to"]),
                float(row["latitude"]),
                float(row["longitude"]),
            )
            for row in csv.DictReader(handle)
        )


def places() -> tuple[Place, ...]:
    """Every known place (the file of `AANDACHT_WERK_PLACES`, else the shipped table)."""
    return _table(os.environ.get("AANDACHT_WERK_PLACES") or str(SHIPPED))


def place_of_postcode(text: str) -> Place | None:
    """The town whose postcode areas hold `text`, if known."""
    area = postcode_area(text)
    if area is None:
        return None
    return next((place for place in places() if place.postcode_from <= area <= place.postcode_to), None)


def place_named(name: str) -> Place | None:
    """The town called `name` (accents, case and dashes do not matter), if known."""
    key = slug(name)
    return next((place for place in places() if place.key == key), None)


def distance_km(a: Place, b: Place) -> float:
    """The straight-line distance between two places, in kilometres."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat, dlon = lat2 - lat1, math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * _EARTH_KM * math.asin(math.sqrt(h))
