"""Demo caseloads: generated job seekers (Faker, Dutch) and the work coaches who have 20 to 40 each.

Only the demo tenants (`DEMO_TENANTS`) get them. Everything is drawn from a random seeded with the
tenant's slug, so each load makes the same people; and a tenant that has generated people already is
left alone, so loading twice adds nothing. Every person gets a *story* (`STORIES`): the situation that
puts them on their coach's worklist today, or keeps them off it. Each coach's caseload holds every story
at least once, so each demo coach sees every reason. Rows are written in bulk (one INSERT per table),
then `demo_history` adds what they did over the past months.
"""

from __future__ import annotations

import random
import re
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from faker import Faker
from sqlalchemy import func, insert, select

from aandacht.accounts.demo import demo_addresses, demo_staff
from aandacht.accounts.models import Person
from aandacht.accounts.service import assign_to_caseload, caseload
from aandacht.db import session, utcnow
from aandacht.personalisation.learning import learn
from aandacht.profiles.definitions import InvalidValue, ProfileAttribute
from aandacht.profiles.models import Profile, ProfileChange
from aandacht.profiles.registry import attributes_for
from aandacht.tenancy.context import CurrentTenant
from aandacht_werk.attributes import SECTORS
from aandacht_werk.demo import GENERATED, demo_value, region_of
from aandacht_werk.demo_history import LIFE_EVENT, write_histories
from aandacht_werk.demo_vacancies import JOBS, load_demo_vacancies
from aandacht_werk.places import place_named

#: The tenants whose demo has generated caseloads (the werk demo tenants of the README).
DEMO_TENANTS = ("enschede", "zaanstad", "deventer")
#: Coaches generated beside the platform's two demo coaches.
EXTRA_COACHES = 2
#: How many people a coach's caseload holds, at least and at most.
CASELOAD = (20, 40)
#: The situations a person can be in; each caseload has every one, and more of the first.
STORIES = (
    "steady",
    "agreement_behind",
    "stalled",
    "unanswered",
    "ready_idle",
    "invited",
    "available_soon",
    "life_event",
    "inactive",
    "never_active",
    "unread",
    "dropping",
    "incomplete",
    "outcome",
)


@dataclass
class Seeker:
    """One generated job seeker and what the generators need to know of them."""

    id: uuid.UUID
    name: str
    story: str
    coach_id: uuid.UUID
    created_at: datetime
    last_active_at: datetime | None
    readiness: int
    sectors: list[str]
    values: dict[str, Any] = field(default_factory=dict)


def load_demo_caseloads(tenant: CurrentTenant, *, now: datetime | None = None) -> int:
    """Give a demo tenant (in context) its coaches and generated job seekers; returns how many people.

    Nothing happens for another tenant, or when the tenant has its generated people already.
    """
    if tenant.slug not in DEMO_TENANTS or _generated_count() > 0:
        return 0
    fake = Faker("nl_NL")
    fake.seed_instance(f"werk-demo:{tenant.slug}")
    chance = random.Random(f"werk-demo:{tenant.slug}")  # noqa: S311 - demo data, not secrets
    sizes = {
        coach_id: chance.randint(*CASELOAD) - len(caseload(coach_id)) for coach_id in _coaches(tenant, fake)
    }
    return add_caseloads(tenant, sizes, fake=fake, chance=chance, now=now)


def add_caseloads(
    tenant: CurrentTenant,
    sizes: Mapping[uuid.UUID, int],
    *,
    fake: Faker,
    chance: random.Random,
    now: datetime | None = None,
) -> int:
    """Add `size` generated job seekers, with their histories, to each coach's caseload. Commits.

    The demo's caseloads, and larger ones for benchmarks (`bench.werk_signals`).
    """
    now = now or utcnow()
    items = load_demo_vacancies(tenant, fake, chance, now)
    seekers = [
        _seeker(tenant, fake, chance, coach_id, story, now)
        for coach_id, size in sizes.items()
        for story in _stories(chance, size)
    ]
    _write_people(tenant, seekers, first=_generated_count() + 1)
    write_histories(tenant, seekers, items, chance, now)
    for coach_id in sizes:  # the first of these commits the people with their histories, all at once
        assign_to_caseload(staff_id=coach_id, person_ids=[s.id for s in seekers if s.coach_id == coach_id])
    learn(now)
    session.commit()
    return len(seekers)


def _generated_count() -> int:
    query = select(func.count()).select_from(Person).where(Person.external_id.startswith(GENERATED))
    return session.execute(query).scalar_one()


def _coaches(tenant: CurrentTenant, fake: Faker) -> list[uuid.UUID]:
    """The platform's two demo coaches and `EXTRA_COACHES` more with a generated name."""
    addresses = demo_addresses(tenant)
    found = [
        demo_staff(addresses["coach"], "Coach Demo", "coach").id,
        demo_staff(addresses["coach_2"], "Tweede Coach Demo", "coach").id,
    ]
    for number in range(1, EXTRA_COACHES + 1):
        name = fake.name()
        found.append(demo_staff(f"werkcoach{number}@{tenant.slug}.demo", name, "coach").id)
    return found


def _stories(chance: random.Random, size: int) -> list[str]:
    """One caseload's `size` stories: each once, the rest mostly steady people, shuffled."""
    rest = chance.choices(STORIES, weights=[12, *[1] * (len(STORIES) - 1)], k=max(size - len(STORIES), 0))
    stories = [*STORIES, *rest]
    chance.shuffle(stories)
    return stories


def _seeker(
    tenant: CurrentTenant, fake: Faker, chance: random.Random, coach_id: uuid.UUID, story: str, now: datetime
) -> Seeker:
    days_ago = chance.randint(30, 50) if story == "incomplete" else chance.randint(70, 420)
    if story == "never_active":
        days_ago = chance.randint(30, 60)
    created = now - timedelta(days=days_ago, hours=chance.randint(0, 10))
    last_active = {
        "never_active": None,
        "inactive": now - timedelta(days=chance.randint(16, 45), hours=2),
        "stalled": now - timedelta(days=chance.randint(5, 12), hours=3),
        "unread": now - timedelta(days=chance.randint(10, 13), hours=1),
        "dropping": now - timedelta(days=chance.randint(2, 6), hours=4),
    }.get(story, now - timedelta(days=chance.randint(0, 4), hours=chance.randint(1, 8)))
    readiness = 5 if story == "ready_idle" else chance.choice((2, 3, 3, 4, 4, 5))
    if story in ("available_soon", "incomplete"):
        readiness = chance.choice((2, 3))
    sectors = chance.sample([option.value for option in SECTORS[:-1]], k=chance.randint(1, 3))
    seeker = Seeker(
        id=uuid.UUID(int=chance.getrandbits(128), version=4),
        name=fake.name(),
        story=story,
        coach_id=coach_id,
        created_at=created,
        last_active_at=last_active,
        readiness=readiness,
        sectors=sectors,
    )
    seeker.values = _profile(tenant, seeker, fake, chance, now)
    return seeker


def _profile(
    tenant: CurrentTenant, seeker: Seeker, fake: Faker, chance: random.Random, now: datetime
) -> dict[str, Any]:
    """A coherent profile: the story's answers, sectors and a home in the region, the rest drawn."""
    attributes = attributes_for(tenant)
    share = 0.12 if seeker.story == "incomplete" else 0.8
    values = {
        key: demo_value(attribute, chance)
        for key, attribute in attributes.items()
        if attribute.type != "text" and not attribute.key.startswith("tenant.") and chance.random() < share
    }
    today = now.date()
    home = chance.choice([found for name in region_of(tenant).places if (found := place_named(name))])
    job = chance.choice(JOBS[seeker.sectors[0]])
    start = today + timedelta(days=chance.randint(3, 12)) if seeker.story == "available_soon" else None
    values.update(
        {
            "werk.readiness": seeker.readiness,
            "werk.sectors_wanted": seeker.sectors,
            "werk.home_postcode": str(chance.randint(home.postcode_from, home.postcode_to)),
            "werk.search_status": "working"
            if seeker.story == "outcome"
            else chance.choice(("active", "orienting")),
            "werk.start_date": (start or today - timedelta(days=chance.randint(20, 400))).isoformat(),
        }
    )
    if seeker.story != "incomplete":
        values.update(
            {
                "werk.last_job": job,
                "werk.job_wish": chance.choice(JOBS[seeker.sectors[-1]]),
                "werk.education_field": chance.choice(
                    ("Zorg en welzijn", "Techniek", "Handel", "Horeca", "Geen")
                ),
            }
        )
    if seeker.story == "available_soon":
        values.update({"werk.family_care": True, "werk.care_limits_work": "a_lot"})
    if seeker.story == "life_event":
        values[LIFE_EVENT] = True
    return {
        key: cleaned
        for key, raw in values.items()
        if (cleaned := _clean(attributes.get(key), raw)) is not None
    }


def _clean(attribute: ProfileAttribute | None, raw: Any) -> Any:
    if attribute is None:
        return None
    try:
        return attribute.clean(raw)
    except InvalidValue:
        return None


def _email(name: str, number: int, slug: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return f"{re.sub(r'[^a-z0-9]+', '.', plain).strip('.')}.{number}@{slug}.demo"


def _write_people(tenant: CurrentTenant, seekers: list[Seeker], *, first: int) -> None:
    """The people, their profiles and the history of their answers: one INSERT per table."""
    session.execute(
        insert(Person),
        [
            {
                "tenant_id": tenant.id,
                "id": seeker.id,
                "display_name": seeker.name,
                "email": _email(seeker.name, number, tenant.slug),
                "locale": "nl",
                "created_at": seeker.created_at,
                "last_active_at": seeker.last_active_at,
                "external_id": f"{GENERATED}{tenant.slug}:{number}",
            }
            for number, seeker in enumerate(seekers, start=first)
        ],
    )
    session.execute(
        insert(Profile),
        [
            {"tenant_id": tenant.id, "person_id": s.id, "values": s.values, "updated_at": s.created_at}
            for s in seekers
        ],
    )
    session.execute(insert(ProfileChange), [row for seeker in seekers for row in _answers(tenant, seeker)])


def _answers(tenant: CurrentTenant, seeker: Seeker) -> list[dict[str, Any]]:
    """Each answer dated: given by the person a few at a time in their first weeks."""
    chance = random.Random(seeker.id.int)  # noqa: S311 - demo data
    rows = []
    for key, value in seeker.values.items():
        if seeker.story == "life_event" and key == LIFE_EVENT:
            value = False  # the change to True comes with the history, this week
        moment = seeker.created_at + timedelta(
            days=chance.choice((0, 0, 2, 7, 14, 21)), minutes=chance.randint(1, 50)
        )
        rows.append(
            {
                "tenant_id": tenant.id,
                "id": uuid.UUID(int=chance.getrandbits(128), version=4),
                "person_id": seeker.id,
                "attribute_key": key,
                "old_value": None,
                "new_value": value,
                "source": "person",
                "actor_id": None,
                "detail": None,
                "changed_at": moment,
            }
        )
    return rows
