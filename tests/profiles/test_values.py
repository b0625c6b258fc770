"""Profile values: every type is checked, every change has its history, and bad input writes nothing."""

import pytest

from aandacht.profiles.definitions import PREFER_NOT_TO_SAY, InvalidValue, Option, ProfileAttribute
from aandacht.profiles.service import (
    ProfileInvalid,
    history,
    profile_value_of,
    profile_values,
    set_values,
    visible_profile,
)
from aandacht.tenancy.context import tenant_context


def attribute(type_, **extra):
    return ProfileAttribute(key=f"test.{type_}", label=type_, type=type_, **extra)


@pytest.mark.parametrize(
    ("definition", "raw", "stored"),
    [
        (attribute("text"), "  fietsen  ", "fietsen"),
        (attribute("number", minimum=0, maximum=40), "12,5", 12.5),
        (attribute("number"), 38, 38),
        (attribute("scale"), "4", 4),
        (attribute("date"), "2026-03-31", "2026-03-31"),
        (attribute("boolean"), "ja", True),
        (attribute("boolean"), False, False),
        (attribute("choice", options=("a", "b")), "b", "b"),
        (attribute("multiple_choice", options=("a", "b", "c")), ["c", "a", "c"], ["a", "c"]),
        (attribute("choice", options=("a",)), PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY),
        (attribute("text"), "", None),
    ],
)
def test_each_type_stores_a_clean_value(definition, raw, stored):
    assert definition.clean(raw) == stored


@pytest.mark.parametrize(
    ("definition", "raw"),
    [
        (attribute("text", max_length=3), "lang"),
        (attribute("text", pattern=r"\d{4}[A-Z]{2}"), "1234 ab"),
        (attribute("number", minimum=0, maximum=40), "41"),
        (attribute("number"), "veel"),
        (attribute("number"), True),
        (attribute("scale"), "6"),
        (attribute("scale"), "2.5"),
        (attribute("date"), "31-03-2026"),
        (attribute("boolean"), "misschien"),
        (attribute("choice", options=("a", "b")), "c"),
        (attribute("multiple_choice", options=("a", "b"), maximum=1), ["a", "b"]),
        (attribute("multiple_choice", options=("a", "b")), ["x"]),
    ],
)
def test_a_value_that_does_not_fit_is_refused(app, definition, raw):
    with app.test_request_context(headers={"Accept-Language": "nl"}), pytest.raises(InvalidValue) as refused:
        definition.clean(raw)
    assert str(refused.value)


def test_a_definition_that_makes_no_sense_is_refused():
    for wrong in (
        {"type": "colour"},
        {"type": "choice"},
        {"type": "text", "sensitivity": "secret"},
        {"type": "text", "visible_to": frozenset({"neighbours"})},
    ):
        with pytest.raises(ValueError):
            ProfileAttribute(key="test.x", label="x", **wrong)
    assert ProfileAttribute(key="t.c", label="c", type="choice", options=("a",)).options == (
        Option("a", "a"),
    )


def test_values_are_stored_with_their_history(app, create_tenant, create_person, create_staff):
    tenant = create_tenant()
    person = create_person(tenant)
    coach = create_staff(tenant, caseload=[person])
    with app.test_request_context(), tenant_context(tenant):
        first = set_values(
            person, {"core.preferred_channel": "sms"}, source="person", audience="person", actor_id=person
        )
        assert [(c.key, c.old, c.new) for c in first] == [("core.preferred_channel", None, "sms")]
        assert set_values(person, {"core.preferred_channel": "sms"}, source="person", audience="person") == []
        set_values(
            person,
            {"core.preferred_channel": "email", "core.languages": ["ar", "nl"]},
            source="coach",
            audience="coach",
            actor_id=coach,
        )
        assert profile_values(person) == {"core.preferred_channel": "email", "core.languages": ["nl", "ar"]}
        changes = history(person, "core.preferred_channel")
        assert [(c.old_value, c.new_value, c.source, c.actor_id) for c in changes] == [
            ("sms", "email", "coach", coach),
            (None, "sms", "person", person),
        ]


def test_one_bad_value_refuses_the_whole_change(app, create_tenant, create_person):
    tenant = create_tenant()
    person = create_person(tenant)
    with app.test_request_context(headers={"Accept-Language": "nl"}), tenant_context(tenant):
        with pytest.raises(ProfileInvalid) as refused:
            set_values(
                person,
                {"core.preferred_channel": "sms", "core.languages": ["klingon"], "nope": 1},
                source="person",
                audience="person",
            )
        assert set(refused.value.errors) == {"core.languages", "nope"}
        assert profile_values(person) == {} and history(person) == []


def test_profiles_are_per_tenant(app, create_tenant, create_person):
    a, b = create_tenant(), create_tenant()
    person = create_person(a)
    with app.test_request_context(), tenant_context(a):
        set_values(person, {"core.preferred_channel": "app"}, source="person", audience="person")
    with app.test_request_context(), tenant_context(b):
        assert profile_values(person) == {} and history(person) == []


def test_one_value_of_many_people_at_once_is_read_per_person_and_per_tenant(
    app, create_tenant, create_person
):
    tenant, other = create_tenant(), create_tenant()
    sms, email, silent = (create_person(tenant) for _ in range(3))
    elsewhere = create_person(other)
    with app.test_request_context(), tenant_context(tenant):
        set_values(sms, {"core.preferred_channel": "sms"}, source="person", audience="person")
        set_values(
            email,
            {"core.preferred_channel": "email", "core.languages": ["nl"]},
            source="person",
            audience="person",
        )
        set_values(silent, {"core.languages": ["ar"]}, source="person", audience="person")
    with app.test_request_context(), tenant_context(other):
        set_values(elsewhere, {"core.preferred_channel": "app"}, source="person", audience="person")
    with app.test_request_context(), tenant_context(tenant):
        found = profile_value_of([sms, email, silent, elsewhere], "core.preferred_channel", chunk=2)
    assert found == {sms: "sms", email: "email"}


def test_who_sees_and_edits_what(app, create_tenant, create_person, monkeypatch):
    from aandacht.profiles import registry

    tenant = create_tenant()
    person = create_person(tenant)
    health = ProfileAttribute(
        key="core.health",
        label="health",
        type="text",
        sensitivity="special",
        visible_to=frozenset({"person", "coach"}),
        editable_by=frozenset({"person"}),
    )
    original = registry.attributes_for
    monkeypatch.setattr(
        "aandacht.profiles.service.attributes_for", lambda t: {**original(t), health.key: health}
    )
    with app.test_request_context(), tenant_context(tenant):
        with pytest.raises(ProfileInvalid):
            set_values(person, {"core.health": "moe"}, source="coach", audience="coach")
        set_values(person, {"core.health": "moe"}, source="person", audience="person")
        assert "core.health" in [a.key for a, _ in visible_profile(person, "coach")]
        assert "core.health" not in [a.key for a, _ in visible_profile(person, "team_lead")]
        assert "core.health" not in [a.key for a, _ in visible_profile(person, "tenant_admin")]
