"""The werk domain's profile: its attributes and questionnaires reach a werk tenant, and only that one."""

from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select

from aandacht.accounts.service import all_people
from aandacht.db import session
from aandacht.profiles.definitions import CORE_ATTRIBUTES, PREFER_NOT_TO_SAY
from aandacht.profiles.models import ProfileChange
from aandacht.profiles.presentation import category_name
from aandacht.profiles.registry import attributes_for
from aandacht.profiles.service import may, profile_values, set_values
from aandacht.segments.language import Viewer
from aandacht.segments.service import as_document, count, saved_segments
from aandacht.tenancy.context import tenant_context

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "node_modules/@tabler/icons/icons/outline"
CORE_KEYS = {attribute.key for attribute in CORE_ATTRIBUTES}
#: One good raw value per type, and what is stored for it.
SAMPLES = {
    "text": (" Orderpicker ", "Orderpicker"),
    "date": ("2026-12-01", "2026-12-01"),
    "boolean": ("ja", True),
}
#: Text answers that must have a form of their own.
KEY_SAMPLES = {"werk.home_postcode": (" 7511 AB ", "7511 AB")}


def werk_of(tenant):
    """The tenant's werk attributes and questionnaires (call inside a request and tenant context)."""
    attributes = {key: a for key, a in attributes_for(tenant).items() if a.source == "werk"}
    questionnaires = [
        questionnaire
        for questionnaire in current_app.extensions["aandacht.domains"].questionnaires(tenant)
        if questionnaire.key.startswith("werk.")
    ]
    return attributes, questionnaires


@pytest.fixture
def werk_tenant(create_tenant):
    return create_tenant(domains=["werk"])


def test_a_werk_tenant_gets_the_werk_profile(app, werk_tenant):
    with app.test_request_context(), tenant_context(werk_tenant):
        attributes, questionnaires = werk_of(werk_tenant)
        everything = attributes_for(werk_tenant)
    assert 60 <= len(attributes) <= 80
    assert 6 <= len(questionnaires) <= 10
    assert all(key.startswith("werk.") for key in attributes)
    assert set(everything) >= CORE_KEYS, "the core's attributes are still there"
    categories = {attribute.category for attribute in attributes.values()}
    assert {"education", "work", "language", "transport", "care", "health", "availability"} <= categories
    assert any(a.hard for a in attributes.values()) and any(not a.hard for a in attributes.values())


def test_a_tenant_without_werk_gets_none_of_it(app, create_tenant):
    tenant = create_tenant(domains=[])
    with app.test_request_context(), tenant_context(tenant):
        attributes, questionnaires = werk_of(tenant)
        keys = set(attributes_for(tenant))
    assert attributes == {} and questionnaires == []
    assert not any(key.startswith("werk.") for key in keys)


def test_the_werk_profile_does_not_repeat_the_core():
    from aandacht_werk.attributes import ATTRIBUTES

    names = {attribute.key.removeprefix("werk.") for attribute in ATTRIBUTES}
    assert not names & {"languages", "preferred_channel"}
    assert len(names) == len(ATTRIBUTES), "no key twice"


def test_questionnaires_ask_only_known_questions_a_few_at_a_time(app, werk_tenant):
    with app.test_request_context(), tenant_context(werk_tenant):
        attributes, questionnaires = werk_of(werk_tenant)
    known = set(attributes) | CORE_KEYS
    asked = [key for questionnaire in questionnaires for key in questionnaire.attribute_keys]
    for questionnaire in questionnaires:
        assert 4 <= len(questionnaire.attribute_keys) <= 10, questionnaire.key
        assert set(questionnaire.attribute_keys) <= known, questionnaire.key
        assert 0 <= questionnaire.priority <= 100
    assert len(asked) == len(set(asked)), "each question in one questionnaire"
    assert set(attributes) <= set(asked), "every werk attribute is asked somewhere"
    by_priority = [q.key for q in sorted(questionnaires, key=lambda q: -q.priority)]
    assert by_priority[:4] == ["werk.readiness", "werk.hours", "werk.sectors", "werk.transport"]


def test_every_icon_exists(app, werk_tenant):
    with app.test_request_context(), tenant_context(werk_tenant):
        attributes, questionnaires = werk_of(werk_tenant)
    icons = {q.icon for q in questionnaires}
    for attribute in attributes.values():
        icons.add(attribute.icon)
        icons.update(option.icon for option in attribute.options if option.icon)
    missing = sorted(icon for icon in icons if not (ICONS / f"{icon}.svg").is_file())
    assert missing == []


def test_health_is_special_and_care_is_personal(app, werk_tenant):
    with app.test_request_context(), tenant_context(werk_tenant):
        attributes, _ = werk_of(werk_tenant)
    health = [a for a in attributes.values() if a.category == "health"]
    care = [a for a in attributes.values() if a.category == "care"]
    assert len(health) >= 4 and len(care) >= 4
    for attribute in health:
        assert attribute.sensitivity == "special", attribute.key
        assert attribute.visible_to == {"person", "coach"}, attribute.key
        assert attribute.editable_by == {"person"}, attribute.key
        assert may("person", attribute.visible_to) and may("coach", attribute.visible_to)
        assert not may("tenant_admin", attribute.visible_to) and not may("system", attribute.visible_to)
        assert not may("coach", attribute.editable_by) and not may("system", attribute.editable_by)
    for attribute in care:
        assert attribute.sensitivity == "personal", attribute.key
        assert not may("tenant_admin", attribute.visible_to), attribute.key
    special = {a.key for a in attributes.values() if a.sensitivity == "special"}
    assert special == {a.key for a in health}, "only health is a special category"


def test_every_werk_text_has_its_dutch(app, werk_tenant):
    def texts():
        attributes, questionnaires = werk_of(werk_tenant)
        found = []
        for attribute in attributes.values():
            found += [attribute.label, *(option.label for option in attribute.options)]
            found += [attribute.help] if attribute.help else []
        return found + [q.title for q in questionnaires]

    with app.test_request_context(headers={"Accept-Language": "en"}), tenant_context(werk_tenant):
        english = [str(text) for text in texts()]
    with app.test_request_context(headers={"Accept-Language": "nl"}), tenant_context(werk_tenant):
        dutch = [str(text) for text in texts()]
    assert all(english) and all(dutch)
    same = [en for en, nl in zip(english, dutch, strict=True) if en == nl]
    assert len(same) <= len(english) // 20, same  # the same in both: "Sport", "D (bus)"...
    assert "Heeft u een rijbewijs?" in dutch
    assert "Do you have a driving licence?" in english


def sample(attribute):
    """A good raw value for the attribute, and the value stored for it."""
    if attribute.key in KEY_SAMPLES:
        return KEY_SAMPLES[attribute.key]
    if attribute.type in ("number", "scale"):
        low, high = attribute.bounds
        middle = int(((low or 0) + (high if high is not None else 10)) // 2)
        return str(middle), middle
    if attribute.type == "choice":
        return attribute.option_values[-1], attribute.option_values[-1]
    if attribute.type == "multiple_choice":
        chosen = list(attribute.option_values[:2])
        return list(reversed(chosen)), chosen
    return SAMPLES[attribute.type]


def test_a_value_of_every_werk_attribute_round_trips(app, werk_tenant, create_person):
    person = create_person(werk_tenant)
    with app.test_request_context(), tenant_context(werk_tenant):
        attributes, _ = werk_of(werk_tenant)
        assert {a.type for a in attributes.values()} == {
            "text",
            "number",
            "date",
            "boolean",
            "choice",
            "multiple_choice",
            "scale",
        }
        raw = {key: sample(attribute)[0] for key, attribute in attributes.items()}
        changes = set_values(person, raw, source="person", audience="person", actor_id=person)
        assert len(changes) == len(attributes)
        stored = profile_values(person)
        for key, attribute in attributes.items():
            assert stored[key] == sample(attribute)[1], key
        set_values(person, dict.fromkeys(attributes, PREFER_NOT_TO_SAY), source="person", audience="person")
        assert all(profile_values(person)[key] == PREFER_NOT_TO_SAY for key in attributes)


def test_bounds_refuse_what_makes_no_sense(app, werk_tenant, create_person):
    from aandacht.profiles.service import ProfileInvalid

    person = create_person(werk_tenant)
    with app.test_request_context(), tenant_context(werk_tenant):
        for key, raw in (
            ("werk.hours_per_week", 41),
            ("werk.years_experience", -1),
            ("werk.readiness", 6),
            ("werk.sectors_wanted", ["care", "retail", "logistics", "cleaning", "ict", "security"]),
            ("werk.education_level", "phd"),
        ):
            with pytest.raises(ProfileInvalid) as refused:
                set_values(person, {key: raw}, source="person", audience="person")
            assert key in refused.value.errors
        with pytest.raises(ProfileInvalid):
            set_values(person, {"werk.health_limits": "no"}, source="import", audience="system")
        assert profile_values(person) == {}


def test_the_demo_gives_werk_residents_varied_profiles_once(app, runner, create_tenant):
    werk, other = create_tenant(domains=["werk"]), create_tenant(domains=[])
    assert runner.invoke(args=["demo", "load", "--tenant", werk.slug, "--tenant", other.slug]).exit_code == 0

    def changes(tenant):
        with app.app_context(), tenant_context(tenant):
            return session.execute(select(func.count()).select_from(ProfileChange)).scalar()

    first = changes(werk)
    assert first > 12 * 20  # twelve residents, most werk questions answered
    assert changes(other) == 0
    with app.test_request_context(), tenant_context(werk):
        profiles = [profile_values(person.id) for person in all_people()]
    assert len({str(sorted(profile.items())) for profile in profiles}) == len(profiles)  # all different
    assert runner.invoke(args=["demo", "load", "--tenant", werk.slug, "--tenant", other.slug]).exit_code == 0
    assert changes(werk) == first


def test_the_demo_gives_a_werk_tenant_two_working_selections_once(app, runner, create_tenant):
    werk = create_tenant(domains=["werk"])
    for _ in range(2):
        assert runner.invoke(args=["demo", "load", "--tenant", werk.slug]).exit_code == 0
    with app.test_request_context(), tenant_context(werk):
        found = {segment.name: count(as_document(segment), Viewer.system()) for segment in saved_segments()}
    assert sorted(found) == ["Klaar voor werk, twee weken stil", "Rijbewijs B en graag buiten"]
    assert all(0 <= number <= 12 for number in found.values())


def test_werk_names_every_category_of_its_attributes_in_dutch(app, create_tenant):
    tenant = create_tenant(domains=["werk"])
    with app.test_request_context(headers={"Accept-Language": "nl"}), tenant_context(tenant):
        categories = {a.category for key, a in attributes_for(tenant).items() if key.startswith("werk.")}
        names = {category: category_name(category) for category in categories}
    assert names["job_search"] == "Werk zoeken"
    assert all(name != category.replace("_", " ").capitalize() for category, name in names.items()), names
