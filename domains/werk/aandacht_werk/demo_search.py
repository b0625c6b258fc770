"""Demo job search: a home postcode in the region, agreements, and three months of logged activities.

Deterministic per tenant and person, and idempotent: a person who has logged activities is left alone.
Applications are about vacancies the person applied to or saved in the demo feed, so the coach's view
shows sectors and outcomes.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from aandacht.accounts.models import Person
from aandacht.db import utcnow
from aandacht.personalisation.events import items_done
from aandacht.profiles.service import profile_values, set_values
from aandacht.tenancy.context import CurrentTenant
from aandacht_werk import service
from aandacht_werk.demo import demo_residents, region_of
from aandacht_werk.models import ACTIVITY_KINDS, OUTCOMES
from aandacht_werk.places import place_named

#: How often each kind is logged, in the order of ACTIVITY_KINDS.
_KIND_WEIGHTS = (6, 3, 1, 2, 1, 1)
#: How often an application that was answered had each outcome (waiting stays for recent ones).
_OUTCOME_WEIGHTS = (0, 5, 2, 4, 1)


def load_demo_homes(tenant: CurrentTenant) -> None:
    """Give each demo resident without one a postcode in a town of the region (before the feed is used)."""
    places = [found for name in region_of(tenant).places if (found := place_named(name))]
    if not places:
        return
    for person in demo_residents():
        if "werk.home_postcode" in profile_values(person.id):
            continue
        chance = random.Random(f"{tenant.slug}:{person.display_name}:home")  # noqa: S311 - demo data
        home = chance.choice(places)
        postcode = str(chance.randint(home.postcode_from, home.postcode_to))
        set_values(
            person.id, {"werk.home_postcode": postcode}, source="system", audience="system", detail="demo"
        )


def load_demo_search(tenant: CurrentTenant) -> None:
    """Give most demo residents an agreement and three months of activities, once.

    A resident who has neither is new to the demo; one whose dice gave no activity in ninety days has an
    agreement, so a second load leaves them as they are.
    """
    today = utcnow().date()
    for person in demo_residents():
        if service.activities_of(person.id, limit=1) or service.agreements_set(person.id, limit=1):
            continue
        chance = random.Random(f"{tenant.slug}:{person.display_name}:search")  # noqa: S311 - demo data
        if chance.random() < 0.6:
            start = (today.replace(day=1) - timedelta(days=70)).replace(day=1)
            service.set_agreement(
                person.id, per_month=chance.choice((2, 4, 4, 6)), starts_on=start, set_by=None, commit=False
            )
        _log_activities(person, chance, today)


def _log_activities(person: Person, chance: random.Random, today: date) -> None:
    """About one activity a week over the last ninety days, the more active people more often."""
    vacancies = items_done(person.id, ("apply", "save"), limit=10)
    pace = chance.choice((0.05, 0.15, 0.3))
    for days_ago in range(90):
        if chance.random() >= pace:
            continue
        kind = chance.choices(ACTIVITY_KINDS, weights=_KIND_WEIGHTS)[0]
        item_id = chance.choice(vacancies) if vacancies and kind in ("application", "interview") else None
        activity = service.log_activity(
            person.id, kind, done_on=today - timedelta(days=days_ago), item_id=item_id, commit=False
        )
        if kind == "application" and days_ago > 14:
            activity.outcome = chance.choices(OUTCOMES, weights=_OUTCOME_WEIGHTS)[0]
