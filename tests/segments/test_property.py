"""Random documents select in SQL exactly whom a plain-Python reading of them selects, on both databases.

One seeded population per test (every attribute type, missing answers, "prefer not to say", people
without a profile row, inactive people, activity, interactions, messages, caseloads, a dynamic and a
static saved segment); hypothesis then draws many documents, nested and/or/not up to depth 3 over
every core predicate and every operator, and `tests/segments/oracle.py` says what each must select.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from aandacht.accounts.models import Person
from aandacht.db import session
from aandacht.outreach.models import Message
from aandacht.personalisation.models import InteractionEvent
from aandacht.profiles.models import ProfileChange
from aandacht.profiles.registry import attributes_for
from aandacht.profiles.service import set_values
from aandacht.segments.language import Viewer
from aandacht.segments.models import SegmentMember
from aandacht.segments.registry import predicates_for
from aandacht.segments.schema import document_schema
from aandacht.segments.service import SegmentFields, count, people, person_ids, save_segment
from aandacht.tenancy.scoping import get_scoped
from tests.segments.oracle import (
    PREFER_NOT_TO_SAY,
    Interaction,
    Resident,
    SavedSegment,
    SentMessage,
    World,
    as_date,
    selected,
)

#: The 31st of a month after a leap year's February: relative months land on shorter months.
NOW = datetime(2026, 3, 31, 14, 30, tzinfo=UTC)
SYSTEM = Viewer.system()
SEED = 20260331
PEOPLE = 40
#: Reproducible everywhere (no example database, the same draws on every run); 2 to 6 s per test.
PROPERTY_SETTINGS = settings(
    max_examples=200,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- What the population holds, and what documents compare with -------------------------------------

CITIES = ["Enschede", "Hengelo", "Almelo", "enschede", "Den Haag", "Ünye", "O'Brien"]
HOURS = [0, 0.25, 7.3, 12, 12.5, 20, 24, 32, 39.75, 40]
DATES = [
    "2024-02-29",
    "2025-02-28",
    "2025-03-31",
    "2026-02-28",
    "2026-03-01",
    "2026-03-24",
    "2026-03-30",
    "2026-03-31",
    "2026-04-01",
    "2026-04-30",
    "2026-05-31",
    "2026-12-31",
    "2027-03-31",
]
SECTORS = ["zorg", "bouw", "horeca"]
LANGUAGES = ["nl", "en", "ar", "tr"]
CHANNELS = ["in_app", "email", "sms", "push"]
INTERACTION_KINDS = ["impression", "open", "click", "save", "dismiss", "share", "apply"]
ITEM_TYPES = ["vacancy", "article", "course"]
PERIODS = [1, 2, 7, 30, 31, 90, 365]
CORE_CHANNELS = ["app", "email", "sms", "phone"]
CORE_LANGUAGES = ["nl", "en", "ar", "tr", "pl", "uk", "ti", "other"]

#: The operators of each attribute type (docs: the attribute predicate).
ON_EVERY_TYPE = ["is_empty", "is_set", "declined"]
COMPARISONS = ["lt", "lte", "gt", "gte", "between"]
OPERATORS = {
    "text": ["eq", "ne", "in", *ON_EVERY_TYPE],
    "choice": ["eq", "ne", "in", *ON_EVERY_TYPE],
    "boolean": ["eq", *ON_EVERY_TYPE],
    "number": ["eq", "ne", "in", *COMPARISONS, *ON_EVERY_TYPE],
    "scale": ["eq", "ne", "in", *COMPARISONS, *ON_EVERY_TYPE],
    "date": ["eq", "ne", *COMPARISONS, *ON_EVERY_TYPE],
    "multiple_choice": ["contains_any", "contains_all", *ON_EVERY_TYPE],
}


def _pick(rng: random.Random, pool: list[Any], *, missing: float = 0.25, declined: float = 0.1) -> Any:
    """A stored answer: None (no answer), "prefer not to say", or one of `pool`."""
    roll = rng.random()
    if roll < missing:
        return None
    if roll < missing + declined:
        return PREFER_NOT_TO_SAY
    return rng.choice(pool)


def _random_profile(rng: random.Random) -> dict[str, dict[str, Any]]:
    """Answers by the audience that may write them: system, coach (energy) and person (diagnosis)."""
    languages = [option for option in LANGUAGES if rng.random() < 0.4] or ["nl"]
    system = {
        "tenant.city": _pick(rng, CITIES),
        "tenant.hours": _pick(rng, HOURS),
        "tenant.mood": _pick(rng, [1, 2, 3, 4, 5]),
        "tenant.available_from": _pick(rng, DATES),
        "tenant.licence": _pick(rng, [True, False]),
        "tenant.sector": _pick(rng, SECTORS),
        "tenant.languages": _pick(rng, [languages]),
        "core.preferred_channel": _pick(rng, CORE_CHANNELS, missing=0.4),
        "core.languages": _pick(rng, [rng.sample(CORE_LANGUAGES, 2)], missing=0.3),
    }
    return {
        "system": system,
        "coach": {"tenant.energy": _pick(rng, [1, 2, 3, 4, 5])},
        "person": {"tenant.diagnosis": _pick(rng, ["astma", "rsi"])},
    }


def _moment(rng: random.Random) -> datetime:
    """A moment for an event: often exactly on, or a second beside, the edge of a period."""
    days = rng.choice(PERIODS)
    return rng.choice(
        [
            NOW - timedelta(days=days),
            NOW - timedelta(days=days, seconds=1),
            NOW - timedelta(days=days, seconds=-1),
            NOW - timedelta(seconds=rng.randrange(400 * 24 * 3600)),
            NOW + timedelta(hours=6),
        ]
    )


LAST_ACTIVE = [
    None,
    NOW - timedelta(hours=1),
    datetime(2026, 3, 31, tzinfo=UTC),
    datetime(2026, 3, 31, tzinfo=UTC) - timedelta(microseconds=1),
    datetime(2026, 3, 24, tzinfo=UTC),
    NOW - timedelta(days=7),
    datetime(2026, 2, 28, 8, 15, tzinfo=UTC),
    NOW - timedelta(days=100),
    datetime(2025, 3, 31, 23, 59, tzinfo=UTC),
]
CHANGED_AT = [
    NOW - timedelta(hours=2),
    NOW - timedelta(days=7),
    NOW - timedelta(days=30),
    NOW - timedelta(days=200),
]


# --- The population ------------------------------------------------------------------------------------


@dataclass(repr=False)
class Population:
    """The tenant, its in-memory copy for the oracle, and the staff and segments documents refer to."""

    tenant: Any
    world: World
    coaches: list[uuid.UUID]
    dynamic_segment: str
    static_segment: str
    #: Validates documents against `aandacht.segments.schema.document_schema` of the tenant.
    validator: Any

    def __repr__(self) -> str:
        return f"<Population of {len(self.world.residents)} in {self.tenant.slug}>"

    def _repr_pretty_(self, printer: Any, _cycle: bool) -> None:
        """Hypothesis prints the failing example with this, not field by field."""
        printer.text(repr(self))

    def disagreement(self, found: list[uuid.UUID], expected: set[uuid.UUID]) -> str:
        """Who SQL and the oracle disagree on, with what the oracle knows of them."""
        lines = []
        for label, ids in (("SQL only", set(found) - expected), ("oracle only", expected - set(found))):
            for person_id in sorted(ids, key=lambda id_: self.world.residents[id_].name):
                resident = self.world.residents[person_id]
                lines.append(
                    f"{label}: {resident.name} active={resident.active} values={resident.values} "
                    f"last_active_at={resident.last_active_at} caseloads={len(resident.caseloads)} "
                    f"interactions={resident.interactions} messages={resident.messages} "
                    f"changes={resident.changes}"
                )
        return "\n".join(lines) or "duplicates: " + repr(found)


def _write(person_id: uuid.UUID, values: dict[str, Any], audience: str, resident: Resident) -> None:
    """Store answers through the profile service, and in the copy."""
    set_values(person_id, values, source="system" if audience == "system" else audience, audience=audience)
    resident.values = resident.values if resident.values is not None else {}
    for key, value in values.items():
        if value is None:
            resident.values.pop(key, None)
        else:
            resident.values[key] = value


@pytest.fixture
def population(selection_tenant, create_person, create_staff, in_tenant) -> Population:
    """Forty seeded people of every kind, two coaches with caseloads (and one without), two segments."""
    rng = random.Random(SEED)  # noqa: S311 - seeded test data, not secrets
    tenant = selection_tenant
    ids = [create_person(tenant, display_name=f"Persoon {index:02d}") for index in range(PEOPLE)]
    residents = {
        person_id: Resident(person_id, f"Persoon {index:02d}") for index, person_id in enumerate(ids)
    }
    # ids[:3] never get a profile row; ids[3] gets one that ends up empty.
    empty_profile, inactive = ids[3], {ids[4], ids[5], ids[17], ids[29]}
    with in_tenant(tenant):
        for person_id in ids[3:]:
            resident = residents[person_id]
            if person_id == empty_profile:  # a profile row whose one answer was taken back
                _write(person_id, {"tenant.city": "Almelo"}, "system", resident)
                _write(person_id, {"tenant.city": None}, "system", resident)
                continue
            for audience, values in _random_profile(rng).items():
                _write(person_id, {k: v for k, v in values.items() if v is not None}, audience, resident)
        # When the questionnaire's answers changed, at moments of our choosing.
        for person_id in ids:
            for key in ("core.preferred_channel", "core.languages"):
                if key in (residents[person_id].values or {}):
                    moment = rng.choice(CHANGED_AT)
                    session.execute(
                        update(ProfileChange)
                        .where(ProfileChange.person_id == person_id, ProfileChange.attribute_key == key)
                        .values(changed_at=moment)
                    )
                    residents[person_id].changes[key] = [moment]
        for person_id in ids:
            resident = residents[person_id]
            person = get_scoped(Person, person_id)
            person.last_active_at = resident.last_active_at = rng.choice(LAST_ACTIVE)
            person.active = resident.active = person_id not in inactive
            for _ in range(rng.randrange(7)):
                event = Interaction(
                    rng.choice(INTERACTION_KINDS[1:5])
                    if rng.random() < 0.8
                    else rng.choice(INTERACTION_KINDS),
                    rng.choice([*ITEM_TYPES[:2], None]),
                    _moment(rng),
                )
                resident.interactions.append(event)
                session.add(
                    InteractionEvent(
                        person_id=person_id,
                        kind=event.kind,
                        item_type=event.item_type,
                        item_id=None if event.item_type is None else "1",
                        occurred_at=event.occurred_at,
                    )
                )
            for _ in range(rng.randrange(5)):
                sent_at = None if rng.random() < 0.2 else _moment(rng)
                opened_at = None
                if sent_at is not None and rng.random() < 0.5:
                    opened_at = sent_at + timedelta(hours=rng.randrange(1, 72))
                message = SentMessage(rng.choice(CHANNELS), sent_at, opened_at)
                resident.messages.append(message)
                session.add(
                    Message(
                        person_id=person_id,
                        channel=message.channel,
                        status="queued" if sent_at is None else "sent",
                        sent_at=message.sent_at,
                        opened_at=message.opened_at,
                    )
                )
        session.commit()
        attributes = attributes_for(tenant)
    # Two coaches whose caseloads overlap (and hold inactive people and people without a profile),
    # and one with an empty caseload.
    shuffled = ids[:]
    rng.shuffle(shuffled)
    caseloads = [[*shuffled[:14], ids[0], ids[4]], [*shuffled[11:22], ids[1], ids[17]], []]
    coaches = [create_staff(tenant, caseload=caseload) for caseload in caseloads]
    for coach, caseload in zip(coaches, caseloads, strict=True):
        for person_id in caseload:
            residents[person_id].caseloads.add(coach)
    world = World(
        residents=residents,
        types={key: attribute.type for key, attribute in attributes.items()},
        questionnaires={"core.contact": ("core.preferred_channel", "core.languages")},
    )
    with in_tenant(tenant):
        # A static segment, frozen now; then its document's answer changes for someone outside it and
        # someone inside it leaves, so the list and the document differ.
        frozen_document = {
            "or": [
                {"attribute": {"key": "tenant.licence", "op": "eq", "value": True}},
                {"attribute": {"key": "tenant.sector", "op": "declined"}},
            ]
        }
        static = save_segment(
            SegmentFields(name="Bevroren", predicate=frozen_document, kind="static"), SYSTEM
        )
        members = frozenset(selected(frozen_document, world, NOW))
        stored = set(
            session.execute(
                select(SegmentMember.person_id).where(SegmentMember.segment_id == static.id)
            ).scalars()
        )
        assert stored == members, "the static segment froze other people than its document selects"
        outside = next(
            person_id
            for person_id in ids
            if person_id not in members and residents[person_id].active and residents[person_id].values
        )
        _write(outside, {"tenant.licence": True}, "system", residents[outside])
        leaving = next(person_id for person_id in ids if person_id in members)
        get_scoped(Person, leaving).active = residents[leaving].active = False
        session.commit()
        world.segments[str(static.id)] = SavedSegment(frozen_document, members)
        live_document = {
            "and": [
                {
                    "or": [
                        {"segment": {"id": str(static.id)}},
                        {"interactions": {"kind": "click", "min": 2, "within_days": 30}},
                    ]
                },
                {"not": {"last_active": {"op": "never"}}},
            ]
        }
        dynamic = save_segment(SegmentFields(name="Levend", predicate=live_document), SYSTEM)
        world.segments[str(dynamic.id)] = SavedSegment(live_document)
        validator = schema_validator(tenant)
    return Population(tenant, world, coaches, str(dynamic.id), str(static.id), validator)


# --- Documents -----------------------------------------------------------------------------------------


def _relative_dates() -> st.SearchStrategy[dict[str, int]]:
    amounts = {
        "days": st.sampled_from([0, 1, 7, 31, 365]) | st.integers(0, 800),
        "weeks": st.integers(0, 120),
        "months": st.sampled_from([0, 1, 2, 12, 13, 25]) | st.integers(0, 40),
        "years": st.integers(0, 4),
    }
    return st.one_of(
        *(
            st.builds(lambda amount, key=f"{unit}_{way}": {key: amount}, strategy)
            for unit, strategy in amounts.items()
            for way in ("ago", "ahead")
        )
    )


def _dates() -> st.SearchStrategy[Any]:
    return st.sampled_from([*DATES, "2026-03-02", "2023-01-01"]) | _relative_dates()


def _numbers(low: int, high: int, pool: list[Any]) -> st.SearchStrategy[Any]:
    edges = [value for value in [0.1, 12.49, 12.51, 39.9] if low <= value <= high]
    return st.sampled_from(pool) | st.integers(low, high) | st.sampled_from(edges or pool)


#: Values a document compares with, per attribute key (beside the stored ones, some no one has).
VALUES: dict[str, st.SearchStrategy[Any]] = {
    "tenant.city": st.sampled_from([*CITIES, "Zwolle", "ENSCHEDE"]),
    "tenant.hours": _numbers(0, 40, HOURS),
    "tenant.mood": st.integers(1, 5),
    "tenant.energy": st.integers(1, 5),
    "tenant.available_from": _dates(),
    "tenant.licence": st.booleans(),
    "tenant.sector": st.sampled_from(SECTORS),
    "tenant.diagnosis": st.sampled_from(["astma", "rsi", "migraine"]),
    "core.preferred_channel": st.sampled_from(CORE_CHANNELS),
}
OPTIONS = {"tenant.languages": LANGUAGES, "core.languages": CORE_LANGUAGES}
TYPES = {
    "tenant.city": "text",
    "tenant.hours": "number",
    "tenant.mood": "scale",
    "tenant.energy": "scale",
    "tenant.available_from": "date",
    "tenant.licence": "boolean",
    "tenant.sector": "choice",
    "tenant.languages": "multiple_choice",
    "tenant.diagnosis": "text",
    "core.preferred_channel": "choice",
    "core.languages": "multiple_choice",
}
#: What a coach may not select on (visible to the person only).
HIDDEN_FROM_COACHES = {"tenant.diagnosis"}


@st.composite
def _attribute(draw: st.DrawFn, keys: list[str]) -> dict[str, Any]:
    """An attribute condition: every type as likely as every other, then a key and an operator."""
    type_ = draw(st.sampled_from(sorted({TYPES[key] for key in keys})))
    key = draw(st.sampled_from([key for key in keys if TYPES[key] == type_]))
    op = draw(st.sampled_from(OPERATORS[TYPES[key]]))
    arguments: dict[str, Any] = {"key": key, "op": op}
    if op in ("contains_any", "contains_all"):
        arguments["value"] = draw(
            st.lists(st.sampled_from(OPTIONS[key]), min_size=1, max_size=3, unique=True)
        )
    elif op == "in":
        arguments["value"] = draw(st.lists(VALUES[key], min_size=1, max_size=4))
    elif op == "between":
        order = (lambda value: as_date(value, NOW.date())) if TYPES[key] == "date" else None
        arguments["value"] = sorted([draw(VALUES[key]), draw(VALUES[key])], key=order)
    elif op not in ON_EVERY_TYPE:
        arguments["value"] = draw(VALUES[key])
    return {"attribute": arguments}


@st.composite
def _counts(draw: st.DrawFn) -> dict[str, int]:
    """`min`, `max` and `within_days`, each optional, with max never below the (default) min."""
    counts: dict[str, int] = {}
    if draw(st.booleans()):
        counts["min"] = draw(st.integers(0, 4))
    if draw(st.booleans()):
        least = counts.get("min", 0)
        counts["max"] = draw(st.integers(least, least + 3))
    if draw(st.booleans()):
        counts["within_days"] = draw(st.sampled_from(PERIODS) | st.integers(1, 500))
    return counts


def _optional(key: str, strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.just({}) | strategy.map(lambda value: {key: value})


def _leaves(population: Population, *, coach: bool) -> st.SearchStrategy[dict[str, Any]]:
    keys = [key for key in TYPES if not (coach and key in HIDDEN_FROM_COACHES)]
    caseloads = ["none", *(str(staff_id) for staff_id in population.coaches), *(["me"] if coach else [])]
    interactions = st.builds(
        lambda kind, item_type, counts: {"interactions": {"kind": kind, **item_type, **counts}},
        st.sampled_from(INTERACTION_KINDS),
        _optional("item_type", st.sampled_from(ITEM_TYPES)),
        _counts(),
    )
    messages = st.builds(
        lambda event, channel, counts: {"messages": {"event": event, **channel, **counts}},
        st.sampled_from(["received", "opened"]),
        _optional("channel", st.sampled_from(CHANNELS)),
        _counts(),
    )
    last_active = st.just({"last_active": {"op": "never"}}) | st.builds(
        lambda op, value: {"last_active": {"op": op, "value": value}},
        st.sampled_from(["since", "not_since"]),
        _dates(),
    )
    answered = _optional("within_days", st.sampled_from([1, 3, 7, 30, 100, 365])).map(
        lambda extra: {"answered": {"questionnaire": "core.contact", **extra}}
    )
    return st.one_of(
        _attribute(keys),
        _attribute(keys),
        _attribute(keys),
        interactions,
        messages,
        last_active,
        answered,
        st.sampled_from(caseloads).map(lambda of: {"caseload": {"of": of}}),
        st.sampled_from([population.dynamic_segment, population.static_segment]).map(
            lambda id_: {"segment": {"id": id_}}
        ),
    )


def documents(population: Population, *, coach: bool = False, depth: int = 3) -> st.SearchStrategy[Any]:
    """Documents nested up to `depth` levels of and/or/not over every kind of leaf."""
    leaves = _leaves(population, coach=coach)
    if depth == 1:  # one condition, or its negation: nothing masks what it selects
        return leaves | leaves.map(lambda leaf: {"not": leaf})
    nodes = leaves
    for _ in range(depth):
        inner = nodes
        nodes = st.one_of(
            leaves,
            st.lists(inner, max_size=4).map(lambda items: {"and": items}),
            st.lists(inner, max_size=4).map(lambda items: {"or": items}),
            inner.map(lambda item: {"not": item}),
        )
    return nodes


#: Few attributes of the types whose conditions merge into one containment: the same key meets itself.
MERGING_KEYS = ["tenant.sector", "tenant.languages", "tenant.licence"]


def merging_documents() -> st.SearchStrategy[Any]:
    """And/or trees over `MERGING_KEYS` only, where the compiler merges conditions into one lookup."""
    return st.recursive(
        _attribute(MERGING_KEYS),
        lambda inner: (
            st.lists(inner, min_size=2, max_size=4).map(lambda items: {"and": items})
            | st.lists(inner, min_size=2, max_size=3).map(lambda items: {"or": items})
        ),
        max_leaves=8,
    )


# --- The schema ----------------------------------------------------------------------------------------


def schema_validator(tenant: Any) -> Any:
    """A validator of documents against the JSON Schema of the tenant's language (checked itself)."""
    schema = document_schema(predicates_for(tenant))
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    return validator(schema, format_checker=validator.FORMAT_CHECKER)


# --- The properties ------------------------------------------------------------------------------------


def assert_selects_as_documented(population: Population, document: Any) -> None:
    """SQL selects (and counts) exactly whom the plain-Python evaluation selects, for the platform."""
    expected = selected(document, population.world, NOW)
    found = person_ids(document, SYSTEM, now=NOW)
    assert sorted(found) == sorted(expected), population.disagreement(found, expected)
    assert count(document, SYSTEM, now=NOW) == len(expected)


@PROPERTY_SETTINGS
@given(data=st.data())
def test_sql_selects_whom_the_documented_semantics_select(population, in_tenant, data):
    with in_tenant(population.tenant):
        document = data.draw(documents(population), label="document")
        population.validator.validate(document)
        assert_selects_as_documented(population, document)


@PROPERTY_SETTINGS
@given(data=st.data())
def test_each_condition_alone_and_negated_selects_whom_the_semantics_select(population, in_tenant, data):
    with in_tenant(population.tenant):
        document = data.draw(documents(population, depth=1), label="document")
        population.validator.validate(document)
        assert_selects_as_documented(population, document)


@PROPERTY_SETTINGS
@given(data=st.data())
def test_conditions_merged_into_one_lookup_select_as_each_alone(population, in_tenant, data):
    with in_tenant(population.tenant):
        document = data.draw(merging_documents(), label="document")
        assert_selects_as_documented(population, document)


@PROPERTY_SETTINGS
@given(data=st.data())
def test_a_coach_selects_only_within_their_caseload(population, in_tenant, data):
    staff_id = data.draw(st.sampled_from(population.coaches), label="coach")
    viewer = Viewer(audience="coach", staff_id=staff_id, sees_everyone=False)
    with in_tenant(population.tenant):
        document = data.draw(documents(population, coach=True), label="document")
        population.validator.validate(document)
        expected = selected(document, population.world, NOW, staff_id=staff_id, sees_everyone=False)
        assert all(staff_id in population.world.residents[id_].caseloads for id_ in expected)
        found = [person.id for person in people(document, viewer, now=NOW)]
        assert sorted(found) == sorted(expected), population.disagreement(found, expected)
        assert count(document, viewer, now=NOW) == len(expected)
