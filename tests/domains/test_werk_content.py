"""The werk domain's content types, its demo content and its share of the platform library."""

import json
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from aandacht.accounts.service import all_people
from aandacht.db import session, utcnow
from aandacht.personalisation.catalogue import ContentInvalid, ItemFields, ItemFilter, list_items, save_item
from aandacht.personalisation.feed import TagLabels, feed, profile_tags
from aandacht.personalisation.library import library_items
from aandacht.personalisation.models import ContentItem, InteractionEvent
from aandacht.personalisation.registry import content_types_for
from aandacht.profiles.definitions import CORE_ATTRIBUTES
from aandacht.profiles.registry import attributes_for
from aandacht.profiles.service import set_values
from aandacht.tenancy.context import tenant_context
from aandacht_werk import library_seed
from aandacht_werk.content import CONTENT_TYPES, VACANCY
from aandacht_werk.demo import DEMO_ITEMS, load_demo_interactions

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "node_modules/@tabler/icons/icons/outline"
WERK_TYPES = {"werk.vacancy", "werk.tip", "werk.workshop", "werk.job_fair", "werk.work_abroad"}
ENGLISH = {"Accept-Language": "en"}
A_VACANCY = {
    "employer": "Logistiek Centrum Twente",
    "place": "Koog aan de Zaan",
    "hours": "24",
    "contract": "agency",
    "sector": "logistics",
    "driving_licence": "b",
    "certificate": "forklift",
    "shifts": "ja",
    "dutch_level": "a2",
    "environment": "factory",
}


@pytest.fixture
def werk_tenant(create_tenant):
    return create_tenant(domains=["werk"])


def test_a_werk_tenant_gets_the_werk_types_and_no_other_tenant_does(app, werk_tenant, create_tenant):
    other = create_tenant(domains=[])
    with app.test_request_context(), tenant_context(werk_tenant):
        werk = content_types_for(werk_tenant)
    with app.test_request_context(), tenant_context(other):
        plain = content_types_for(other)
    assert set(werk) == WERK_TYPES | {"core.news"}
    assert set(plain) == {"core.news"}


def test_every_type_has_words_an_action_and_icons_that_exist(app, werk_tenant):
    with app.test_request_context(headers=ENGLISH), tenant_context(werk_tenant):
        actions = {kind.key: str(kind.action) for kind in CONTENT_TYPES}
        done = {kind.key: str(kind.action_done) for kind in CONTENT_TYPES if kind.action}
        for kind in CONTENT_TYPES:
            assert str(kind.label) and str(kind.plural), kind.key
            assert all(str(field.label) for field in kind.fields), kind.key
            assert all(str(label) for label in kind.tag_prefixes.values()), kind.key
        icons = {kind.icon for kind in CONTENT_TYPES}
        icons |= {
            option.icon for kind in CONTENT_TYPES for f in kind.fields for option in f.options if option.icon
        }
    assert actions == {
        "werk.vacancy": "Apply",
        "werk.tip": "",
        "werk.workshop": "Sign up",
        "werk.job_fair": "Sign up",
        "werk.work_abroad": "I am interested",
    }
    # What the person reads after the action is a sentence of its own, never "Done: I am interested".
    assert done == {
        "werk.vacancy": "You applied.",
        "werk.workshop": "You signed up.",
        "werk.job_fair": "You signed up.",
        "werk.work_abroad": "You said you are interested.",
    }
    assert sorted(icon for icon in icons if not (ICONS / f"{icon}.svg").is_file()) == []


def test_a_vacancy_derives_its_tags_from_its_details():
    details = {**A_VACANCY, "hours": 24, "shifts": True}
    assert VACANCY.features(["talent:strength"], details) == {
        "type:werk.vacancy",
        "talent:strength",
        "sector:logistics",
        "hours:part_time",
        "contract:agency",
        "place:koog-aan-de-zaan",
        "needs:driving_licence",
        "licence:b",
        "needs:forklift",
        "times:shifts",
        "dutch:a2",
        "environment:factory",
    }
    assert "hours:full_time" in VACANCY.features([], {**details, "hours": 36})


def test_every_tag_a_werk_item_can_carry_has_words_for_why(app, werk_tenant):
    details = {**A_VACANCY, "hours": 24, "shifts": True, "own_transport": True}
    tags = VACANCY.features(["talent:strength"], details) | {"event:job_fair", "abroad", "housing"}
    with app.test_request_context(headers={"Accept-Language": "nl"}), tenant_context(werk_tenant):
        labels = TagLabels()
        words = {tag: labels[tag] for tag in tags}
    assert words["hours:part_time"] == "parttime werk"
    assert words["needs:own_transport"] == "eigen vervoer"
    assert words["needs:forklift"] == "heftruckcertificaat"
    assert words["times:shifts"] == "werken in ploegen"
    assert words["event:job_fair"] == "banenmarkt"
    assert words["housing"] == "woonruimte"
    # No tag falls back to its raw value with underscores or English words.
    assert not [word for word in words.values() if "_" in word or word in tags]


def test_fit_rules_read_only_attributes_that_exist_and_never_health(app, werk_tenant):
    with app.test_request_context(), tenant_context(werk_tenant):
        attributes = attributes_for(werk_tenant)
    read = {key for kind in CONTENT_TYPES for rule in kind.fit_rules for key in rule.reads}
    assert read <= set(attributes), read - set(attributes)
    assert {key for key in read if attributes[key].sensitivity == "special"} == set()
    assert read & {attribute.key for attribute in CORE_ATTRIBUTES} == {"core.languages"}


def test_the_profile_gives_tags_with_plain_reasons(app, werk_tenant, create_person):
    person = create_person(werk_tenant)
    with app.test_request_context(headers=ENGLISH), tenant_context(werk_tenant):
        set_values(
            person,
            {
                "werk.sectors_wanted": ["care"],
                "werk.driving_licence": ["none"],
                "werk.hours_type": "part_time",
                "werk.evenings_ok": False,
                "werk.help_wanted": ["cv"],
                "werk.dutch_level": "a2",
                "werk.willing_to_move": "no",
            },
            source="person",
            audience="person",
        )
        tags = profile_tags(person)
    assert tags["sector:care"] == (1.0, "You want to work in this sector: Care and welfare.")
    assert tags["needs:driving_licence"] == (-3.0, "You have no driving licence.")
    assert tags["licence:b"][0] < 0
    assert tags["hours:part_time"] == (1.0, "You want to work part-time.")
    assert tags["hours:full_time"][0] < 0
    assert tags["times:evenings"][0] < 0
    assert tags["topic:cv"] == (1.0, "You want help with this: Making a CV.")
    assert tags["dutch:a2"][0] > 0 and tags["dutch:b1"][0] < 0 > tags["dutch:c1"][0]
    assert tags["abroad"][0] < 0
    fit = sum(tags.get(tag, (0.0, ""))[0] for tag in VACANCY.features([], A_VACANCY))
    assert fit < 0, "a vacancy on wheels does not fit someone without a licence"


def test_a_licence_counts_with_what_it_includes(app, werk_tenant, create_person):
    person = create_person(werk_tenant)
    with app.test_request_context(headers=ENGLISH), tenant_context(werk_tenant):
        set_values(person, {"werk.driving_licence": ["ce"]}, source="person", audience="person")
        tags = profile_tags(person)
    assert {licence: tags[f"licence:{licence}"][0] > 0 for licence in ("b", "be", "c", "ce", "d")} == {
        "b": True,
        "be": True,
        "c": True,
        "ce": True,
        "d": False,
    }
    assert "needs:driving_licence" not in tags


def test_a_vacancy_with_bad_hours_is_refused_with_the_reason_under_its_detail(app, werk_tenant):
    with app.test_request_context(headers=ENGLISH), tenant_context(werk_tenant):
        for hours, reason in (("veertig", "Fill in a number."), ("90", "Fill in a number from 1 to 60.")):
            values = ItemFields(
                type="werk.vacancy", title="Orderpicker", details={**A_VACANCY, "hours": hours}
            )
            with pytest.raises(ContentInvalid) as refused:
                save_item(values)
            assert refused.value.errors == {"details.hours": reason}
        with pytest.raises(ContentInvalid) as refused:
            save_item(ItemFields(type="werk.vacancy", title="Zonder details"))
        assert set(refused.value.errors) == {
            f"details.{key}" for key in ("employer", "place", "hours", "contract", "sector")
        }
        assert list_items()[0] == 0
        saved = save_item(ItemFields(type="werk.vacancy", title="Orderpicker", details=A_VACANCY))
        assert saved.details["hours"] == 24 and saved.details["shifts"] is True


def test_the_library_file_is_seeded_once_and_follows_changes(app, werk_tenant, tmp_path, monkeypatch):
    entries = json.loads(library_seed.LIBRARY_FILE.read_text(encoding="utf-8"))
    assert len(entries) >= 15 and len({entry["key"] for entry in entries}) == len(entries)
    with app.test_request_context(), tenant_context(werk_tenant):
        first = library_seed.seed_library()
        stamps = {key: item.updated_at for key, item in first.items()}
        again = library_seed.seed_library()
        assert {key: item.id for key, item in again.items()} == {key: item.id for key, item in first.items()}
        assert {key: item.updated_at for key, item in again.items()} == stamps
        assert {item.type for item in first.values()} == {"werk.tip", "werk.work_abroad"}

        changed = tmp_path / "library.json"
        entries[0]["title"] = "Je cv in vijf korte stappen"
        changed.write_text(json.dumps(entries), encoding="utf-8")
        monkeypatch.setattr(library_seed, "LIBRARY_FILE", changed)
        updated = library_seed.seed_library()
        assert updated[entries[0]["key"]].id == first[entries[0]["key"]].id
        assert updated[entries[0]["key"]].title == "Je cv in vijf korte stappen"
        monkeypatch.undo()
        library_seed.seed_library()
        werk_keys = [item.key for item in library_items() if item.key in first]
        assert len(werk_keys) == len(entries)


def counts(app, tenant):
    with app.app_context(), tenant_context(tenant):
        items = session.execute(select(func.count()).select_from(InteractionEvent)).scalar()
        return list_items(limit=1_000)[0], items


def test_the_demo_gives_a_werk_tenant_content_and_interactions_once(app, runner, create_tenant):
    werk, other = create_tenant(domains=["werk"]), create_tenant()
    assert runner.invoke(args=["demo", "load", "--tenant", werk.slug, "--tenant", other.slug]).exit_code == 0
    first = counts(app, werk)
    assert counts(app, other) == (0, 0)
    with app.test_request_context(headers=ENGLISH), tenant_context(werk):
        _total, items = list_items(limit=1_000)
        events = list(session.execute(select(InteractionEvent)).scalars())
        people = all_people()
        learned = set(session.execute(select(ContentItem.id).where(ContentItem.shown > 0)).scalars())
    own = [item for item in items if item.library_item_id is None]
    assert len(own) == len(DEMO_ITEMS) >= 60
    assert len(items) - len(own) == 5, "five items adopted from the library"
    assert {item.type for item in items} == WERK_TYPES
    assert Counter(item.status for item in own)["published"] >= 59
    soon = utcnow() + timedelta(days=7)
    assert sum(1 for item in own if item.valid_until and item.valid_until < soon) >= 4
    assert any(item.pinned for item in own) and any(item.priority == "high" for item in own)
    assert sum(1 for item in own if item.eligibility_segment_id) == 1
    assert len({item.details["place"] for item in own if item.type == "werk.vacancy"}) >= 5

    by_id = {str(item.id): item for item in items}
    kinds = Counter(event.kind for event in events)
    assert {"impression", "open", "save", "apply", "dismiss"} <= set(kinds)
    assert kinds["impression"] > kinds["open"] > kinds["apply"] > 0
    assert all(by_id[event.item_id].type == event.item_type for event in events)
    assert all(utcnow() - timedelta(days=61) < event.occurred_at < utcnow() for event in events)
    assert len({event.person_id for event in events}) >= len(people) // 2
    assert sum(item.id in learned for item in items) > 20, "the demo learned from the interactions"

    assert runner.invoke(args=["demo", "load", "--tenant", werk.slug]).exit_code == 0
    assert counts(app, werk) == first


def test_demo_interactions_follow_the_profiles(app, runner, werk_tenant):
    assert runner.invoke(args=["demo", "load", "--tenant", werk_tenant.slug]).exit_code == 0
    with app.test_request_context(headers=ENGLISH), tenant_context(werk_tenant):
        kinds = content_types_for(werk_tenant)
        items = {str(item.id): item for item in list_items(ItemFilter(status="published"), limit=1_000)[1]}
        events = list(session.execute(select(InteractionEvent)).scalars())
        fits = {}
        for event in events:
            if event.kind in ("dismiss", "apply"):
                tags = profile_tags(event.person_id)
                item = items[event.item_id]
                features = kinds[item.type].features(item.tags, item.details)
                fits.setdefault(event.kind, []).append(sum(tags.get(t, (0.0, ""))[0] for t in features))
        assert load_demo_interactions(werk_tenant) == 0, "everyone has interactions already"
        person = next(person for person in all_people() if person.personalised and profile_tags(person.id))
        entries = feed(person, limit=10)
        own_reasons = {reason for _weight, reason in profile_tags(person.id).values()}
    assert fits["dismiss"] and all(fit < 0 for fit in fits["dismiss"])
    assert fits["apply"] and all(fit > 0 for fit in fits["apply"])
    assert entries and any(set(entry.reasons) & own_reasons for entry in entries), "the why names the profile"
