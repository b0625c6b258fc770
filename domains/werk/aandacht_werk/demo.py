"""Demo profiles for the werk domain: varied, plausible answers for the demo residents of a tenant.

Deterministic per tenant and person (a seeded random), so `aandacht demo load` gives the same demo
each time, and idempotent: a person who already has werk answers is left alone. About two thirds of
the questions a system may fill are answered, so the demo also shows questions still to ask.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from aandacht.accounts.service import all_people
from aandacht.profiles.definitions import ProfileAttribute
from aandacht.profiles.registry import attributes_for
from aandacht.profiles.service import may, profile_values, set_values
from aandacht.segments.language import Viewer
from aandacht.segments.service import SegmentFields, save_segment, saved_segments
from aandacht.tenancy.context import CurrentTenant

#: Saved selections a work coach would make first, so the demo's selection list is not empty.
DEMO_SEGMENTS = (
    SegmentFields(
        name="Rijbewijs B en graag buiten",
        description="Voor vacatures in groen, bouw en bezorging.",
        predicate={
            "and": [
                {"attribute": {"key": "werk.driving_licence", "op": "contains_any", "value": ["b"]}},
                {"attribute": {"key": "werk.work_environment", "op": "contains_any", "value": ["outdoors"]}},
            ]
        },
    ),
    SegmentFields(
        name="Klaar voor werk, twee weken stil",
        description="Wie klaar is voor werk maar de app 14 dagen niet gebruikte: even bellen.",
        predicate={
            "and": [
                {"attribute": {"key": "werk.readiness", "op": "gte", "value": 4}},
                {"last_active": {"op": "not_since", "value": {"days_ago": 14}}},
            ]
        },
    ),
)


def load_demo_profiles(tenant: CurrentTenant) -> None:
    """Answer part of the werk questions for every resident of `tenant` that has none yet."""
    fillable = [
        attribute
        for key, attribute in attributes_for(tenant).items()
        if key.startswith("werk.") and attribute.type != "text" and may("system", attribute.editable_by)
    ]
    for person in all_people():
        if any(key.startswith("werk.") for key in profile_values(person.id)):
            continue
        chance = random.Random(f"{tenant.slug}:{person.display_name}")  # noqa: S311 - demo data, not secrets
        answers = {a.key: demo_value(a, chance) for a in fillable if chance.random() < 0.65}
        set_values(person.id, answers, source="system", audience="system", detail="demo")


def load_demo_segments() -> None:
    """Save the demo selections that the tenant does not have yet."""
    existing = {segment.name for segment in saved_segments()}
    for fields in DEMO_SEGMENTS:
        if fields.name not in existing:
            save_segment(fields, Viewer.system())


def demo_value(attribute: ProfileAttribute, chance: random.Random) -> Any:
    """A plausible value of `attribute`."""
    if attribute.type == "boolean":
        return chance.random() < 0.5
    if attribute.type == "choice":
        return chance.choice(attribute.option_values)
    if attribute.type == "multiple_choice":
        most = int(attribute.maximum) if attribute.maximum is not None else 3
        return chance.sample(
            attribute.option_values, k=chance.randint(1, min(most, 3, len(attribute.option_values)))
        )
    if attribute.type == "date":
        return (date.today() - timedelta(days=chance.randint(30, 3650))).isoformat()
    low, high = attribute.bounds
    low, high = int(low if low is not None else 0), int(high if high is not None else 40)
    return chance.randint(low, min(high, low + 40))
