"""Selections: each predicate selects the right people, as the viewer may, live."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from aandacht.db import session
from aandacht.outreach.models import Message
from aandacht.personalisation.models import InteractionEvent
from aandacht.profiles.definitions import PREFER_NOT_TO_SAY
from aandacht.profiles.service import set_values
from aandacht.segments.language import SelectionInvalid, Viewer
from aandacht.segments.service import count, people

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SYSTEM = Viewer.system()


@pytest.fixture
def population(selection_tenant, create_person, in_tenant):
    """Five people with varied profiles; returns (tenant, {name: id})."""
    profiles = {
        "Ada": {
            "tenant.city": "Enschede",
            "tenant.hours": 32,
            "tenant.mood": 4,
            "tenant.licence": True,
            "tenant.sector": "zorg",
            "tenant.languages": ["nl", "ar"],
            "tenant.available_from": "2026-12-01",
        },
        "Bram": {
            "tenant.city": "Hengelo",
            "tenant.hours": 12.5,
            "tenant.mood": 2,
            "tenant.licence": False,
            "tenant.sector": "bouw",
            "tenant.languages": ["nl"],
            "tenant.available_from": "2026-10-01",
        },
        "Cem": {
            "tenant.hours": PREFER_NOT_TO_SAY,
            "tenant.sector": PREFER_NOT_TO_SAY,
            "tenant.languages": ["ar", "tr"],
            "tenant.licence": True,
        },
        "Dina": {"tenant.city": "Enschede"},
        "Eef": {},
    }
    ids = {}
    for name, values in profiles.items():
        ids[name] = create_person(selection_tenant, display_name=name)
        if values:
            with in_tenant(selection_tenant):
                set_values(ids[name], values, source="system", audience="system")
    return selection_tenant, ids


def names(tenant, in_tenant, document, viewer=SYSTEM):
    with in_tenant(tenant):
        found = [person.display_name for person in people(document, viewer, now=NOW)]
        assert count(document, viewer, now=NOW) == len(found)
        return found


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"and": []}, ["Ada", "Bram", "Cem", "Dina", "Eef"]),
        ({"or": []}, []),
        ({"attribute": {"key": "tenant.city", "op": "eq", "value": "Enschede"}}, ["Ada", "Dina"]),
        ({"attribute": {"key": "tenant.city", "op": "ne", "value": "Enschede"}}, ["Bram"]),
        ({"attribute": {"key": "tenant.city", "op": "in", "value": ["Hengelo", "Almelo"]}}, ["Bram"]),
        ({"attribute": {"key": "tenant.hours", "op": "gte", "value": 20}}, ["Ada"]),
        ({"attribute": {"key": "tenant.hours", "op": "lt", "value": 20}}, ["Bram"]),
        ({"attribute": {"key": "tenant.hours", "op": "eq", "value": 12.5}}, ["Bram"]),
        ({"attribute": {"key": "tenant.hours", "op": "between", "value": [10, 32]}}, ["Ada", "Bram"]),
        ({"attribute": {"key": "tenant.hours", "op": "declined"}}, ["Cem"]),
        ({"attribute": {"key": "tenant.hours", "op": "is_empty"}}, ["Dina", "Eef"]),
        ({"attribute": {"key": "tenant.hours", "op": "is_set"}}, ["Ada", "Bram", "Cem"]),
        ({"attribute": {"key": "tenant.mood", "op": "in", "value": [1, 2, 3]}}, ["Bram"]),
        ({"attribute": {"key": "tenant.licence", "op": "eq", "value": True}}, ["Ada", "Cem"]),
        ({"attribute": {"key": "tenant.licence", "op": "eq", "value": False}}, ["Bram"]),
        ({"attribute": {"key": "tenant.sector", "op": "ne", "value": "zorg"}}, ["Bram"]),
        (
            {"attribute": {"key": "tenant.languages", "op": "contains_any", "value": ["ar", "en"]}},
            ["Ada", "Cem"],
        ),
        ({"attribute": {"key": "tenant.languages", "op": "contains_all", "value": ["nl", "ar"]}}, ["Ada"]),
        ({"attribute": {"key": "tenant.available_from", "op": "lte", "value": "2026-11-01"}}, ["Bram"]),
        ({"attribute": {"key": "tenant.available_from", "op": "gt", "value": {"days_ago": 7}}}, ["Ada"]),
        ({"attribute": {"key": "tenant.available_from", "op": "lt", "value": {"months_ago": 1}}}, ["Bram"]),
        (
            {"not": {"attribute": {"key": "tenant.city", "op": "eq", "value": "Enschede"}}},
            ["Bram", "Cem", "Eef"],
        ),
        (
            {
                "and": [
                    {"attribute": {"key": "tenant.licence", "op": "eq", "value": True}},
                    {
                        "not": {
                            "attribute": {"key": "tenant.languages", "op": "contains_any", "value": ["tr"]}
                        }
                    },
                ]
            },
            ["Ada"],
        ),
        (
            {
                "or": [
                    {"attribute": {"key": "tenant.sector", "op": "eq", "value": "bouw"}},
                    {"attribute": {"key": "tenant.city", "op": "is_empty"}},
                ]
            },
            ["Bram", "Cem", "Eef"],
        ),
    ],
)
def test_attribute_conditions_select_the_right_people(population, in_tenant, document, expected):
    tenant, _ids = population
    assert names(tenant, in_tenant, document) == expected


def test_behaviour_counts_within_a_period(population, in_tenant):
    tenant, ids = population
    with in_tenant(tenant):
        for days_ago in (1, 2, 40):
            session.add(
                InteractionEvent(
                    person_id=ids["Ada"], kind="click", occurred_at=NOW - timedelta(days=days_ago)
                )
            )
        session.add(
            InteractionEvent(person_id=ids["Bram"], kind="apply", occurred_at=NOW - timedelta(days=3))
        )
        session.add(
            Message(person_id=ids["Cem"], channel="email", status="sent", sent_at=NOW - timedelta(days=2))
        )
        session.add(
            Message(
                person_id=ids["Dina"],
                channel="sms",
                status="sent",
                sent_at=NOW - timedelta(days=5),
                opened_at=NOW - timedelta(days=4),
            )
        )
        session.commit()
    clicks = {"interactions": {"kind": "click", "min": 2, "within_days": 30}}
    assert names(tenant, in_tenant, clicks) == ["Ada"]
    assert names(tenant, in_tenant, {"interactions": {"kind": "click", "min": 3, "within_days": 30}}) == []
    assert names(tenant, in_tenant, {"interactions": {"kind": "click", "min": 3}}) == ["Ada"]
    no_applications = {"interactions": {"kind": "apply", "max": 0, "within_days": 30}}
    assert names(tenant, in_tenant, no_applications) == ["Ada", "Cem", "Dina", "Eef"]
    assert names(tenant, in_tenant, {"messages": {"event": "received", "within_days": 7}}) == ["Cem", "Dina"]
    assert names(tenant, in_tenant, {"messages": {"event": "opened"}}) == ["Dina"]
    assert names(tenant, in_tenant, {"messages": {"event": "received", "channel": "sms"}}) == ["Dina"]


def test_a_new_answer_counts_in_the_next_evaluation(population, in_tenant):
    tenant, ids = population
    document = {"attribute": {"key": "tenant.sector", "op": "eq", "value": "horeca"}}
    assert names(tenant, in_tenant, document) == []
    with in_tenant(tenant):
        set_values(ids["Eef"], {"tenant.sector": "horeca"}, source="person", audience="person")
    assert names(tenant, in_tenant, document) == ["Eef"]


def test_a_bad_document_names_every_problem_by_its_path(population, in_tenant):
    tenant, _ids = population
    document = {
        "and": [
            {"attribute": {"key": "tenant.hours", "op": "contains_any", "value": [1]}},
            {"attribute": {"key": "tenant.nope", "op": "eq", "value": 1}},
            {"attribute": {"key": "tenant.hours", "op": "gte", "value": "veel"}},
            {"attribute": {"key": "tenant.languages", "op": "contains_all", "value": ["nl", "xx"]}},
            {"colour": "blue"},
            {"or": {"attribute": {}}},
            {"interactions": {"kind": "click", "min": 5, "max": 2}},
        ]
    }
    with in_tenant(tenant), pytest.raises(SelectionInvalid) as refused:
        count(document, SYSTEM, now=NOW)
    paths = [problem.path for problem in refused.value.problems]
    assert paths == [
        "/and/0/attribute/op",
        "/and/1/attribute/key",
        "/and/2/attribute/value",
        "/and/3/attribute/value/1",
        "/and/4",
        "/and/5/or",
        "/and/6/interactions/max",
    ]
    assert all(problem.message for problem in refused.value.problems)
