"""A tenant's own attributes (`[[attributes]]` in its file): validated, synced, and shown in its languages."""

import uuid
from pathlib import Path

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from aandacht.db import session
from aandacht.plugins import discover_domains
from aandacht.profiles.registry import TenantText, attributes_for
from aandacht.profiles.service import set_values
from aandacht.tenancy.context import tenant_context
from aandacht.tenancy.files import TenantFilesInvalid, read_tenant_files
from aandacht.tenancy.models import Tenant
from aandacht.tenancy.service import find_tenant

REPO_TENANTS = Path(__file__).resolve().parents[2] / "tenants"
HEAD = 'name = "Gemeente Proef"\nkind = "municipality"\nlocales = ["nl", "en"]\n'
HOBBIES = """
[[attributes]]
key = "tenant.hobbies"
label = { nl = "Wat zijn uw hobby's?", en = "What are your hobbies?" }
help = { nl = "Kies er een paar.", en = "Choose a few." }
type = "multiple_choice"
icon = "palette"
category = "leisure"
maximum = 2
options = [
  { value = "walking", label = { nl = "Wandelen", en = "Walking" }, icon = "walk" },
  { value = "music", label = { nl = "Muziek", en = "Music" } },
  { value = "cooking", label = { nl = "Koken", en = "Cooking" } },
]
"""
HEALTH = """
[[attributes]]
key = "tenant.energy"
label = { nl = "Hoeveel energie heeft u?", en = "How much energy do you have?" }
type = "scale"
maximum = 10
sensitivity = "special"
visible_to = ["person", "coach"]
editable_by = ["person"]
"""

VOLUNTEERING = """
[[attributes]]
key = "tenant.volunteer_hours"
label = { nl = "Hoeveel uur per week bent u vrijwilliger?", en = "Hours a week as a volunteer?" }
type = "number"
maximum = 40
quick_answers = [0, 2, 4, 8]
unit = { nl = "uur", en = "hours" }
"""


def write(folder, text) -> str:
    slug = f"proef-{uuid.uuid4().hex[:8]}"
    (folder / f"{slug}.toml").write_text(HEAD + text, encoding="utf-8")
    return slug


def problems(folder) -> list[str]:
    with pytest.raises(TenantFilesInvalid) as raised:
        read_tenant_files(folder, ["werk"])
    return [str(error) for error in raised.value.errors]


def test_a_valid_attribute_is_read_as_written(tmp_path):
    write(tmp_path, HOBBIES + HEALTH)
    [declaration] = read_tenant_files(tmp_path, ["werk"])
    hobbies, energy = declaration.attributes
    assert hobbies["key"] == "tenant.hobbies" and hobbies["maximum"] == 2
    assert hobbies["options"][0] == {
        "value": "walking",
        "label": {"nl": "Wandelen", "en": "Walking"},
        "icon": "walk",
    }
    assert energy["visible_to"] == ["person", "coach"] and energy["sensitivity"] == "special"


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        (HOBBIES.replace('"tenant.hobbies"', '"werk.hobbies"'), "attributes.0.key", "Must be tenant.<name>"),
        (HOBBIES.replace('"multiple_choice"', '"colour"'), "attributes.0.type", "Must be one of: text"),
        (
            HOBBIES.replace("options = [", "options_ = [").split("options_")[0],
            "attributes.0.options",
            "needs options",
        ),
        (
            HOBBIES.replace('label = { nl = "Muziek", en = "Music" }', 'label = { nl = "Muziek" }'),
            "attributes.0.options.1.label",
            "Missing the words in en",
        ),
        (
            HOBBIES.replace(
                '{ nl = "Wat zijn uw hobby\'s?", en = "What are your hobbies?" }', '{ fr = "Loisirs" }'
            ),
            "attributes.0.label.fr",
            "Must be one of: nl, en.",
        ),
        (
            HOBBIES.replace('value = "music"', 'value = "walking"'),
            "attributes.0.options",
            "a value of its own",
        ),
        (HEALTH.replace('"coach"]', '"neighbours"]'), "attributes.0.visible_to.1", "Must be one of: person"),
        (
            HEALTH.replace('sensitivity = "special"', 'sensitivity = "secret"'),
            "attributes.0.sensitivity",
            "Must be",
        ),
        (HEALTH.replace("maximum = 10", "minimum = 10\nmaximum = 2"), "attributes.0.maximum", "not be below"),
        (HEALTH + 'pattern = "["', "attributes.0.pattern", "regular expression"),
        (HOBBIES + HOBBIES, "attributes.1.key", "Also the key of attributes.0."),
        (HOBBIES.replace('icon = "palette"', 'icon = "Palette!"'), "attributes.0.icon", "Tabler icon"),
        (VOLUNTEERING.replace("[0, 2, 4, 8]", "[0, 80]"), "attributes.0", "within the bounds"),
        (VOLUNTEERING.replace("[0, 2, 4, 8]", "[]"), "attributes.0.quick_answers", "1 to 8 numbers"),
        (VOLUNTEERING.replace('"number"', '"text"'), "attributes.0.quick_answers", "Only number"),
        (VOLUNTEERING.replace(', en = "hours"', ""), "attributes.0.unit", "Missing the words in en"),
    ],
)
def test_every_problem_names_file_key_path_and_reason(tmp_path, text, key, problem):
    slug = write(tmp_path, text)
    found = problems(tmp_path)
    line = next((line for line in found if line.startswith(f"{slug}.toml: {key}: ")), None)
    assert line is not None, found
    assert problem in line


def test_sync_stores_the_attributes_and_the_tenant_carries_them(app, runner, tmp_path):
    slug = write(tmp_path, HOBBIES)
    result = runner.invoke(args=["tenants", "sync", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        tenant = find_tenant(slug=slug)
        assert [spec["key"] for spec in tenant.attributes] == ["tenant.hobbies"]
    (tmp_path / f"{slug}.toml").write_text(HEAD + HOBBIES + HEALTH, encoding="utf-8")
    result = runner.invoke(args=["tenants", "sync", "--dir", str(tmp_path)])
    assert f"{slug}: updated" in result.output and "attributes:" in result.output
    with app.app_context():
        stored = session.execute(select(Tenant).where(Tenant.slug == slug)).scalar_one()
        assert [spec["key"] for spec in stored.attributes] == ["tenant.hobbies", "tenant.energy"]


def test_labels_follow_the_language_and_fall_back_to_the_tenants_own(app, create_tenant, create_person):
    tenant = create_tenant(locales=["nl", "en"], attributes=read_specs(HOBBIES))
    with app.test_request_context(), tenant_context(tenant):
        hobbies = attributes_for(tenant)["tenant.hobbies"]
        assert hobbies.source == "tenant"
        with force_locale("en"):
            assert str(hobbies.label) == "What are your hobbies?"
            assert str(hobbies.options[0].label) == "Walking"
        with force_locale("nl"):
            assert str(hobbies.label) == "Wat zijn uw hobby's?"
            assert str(hobbies.help) == "Kies er een paar."
    only_dutch = TenantText({"nl": "Fietsen"}, "nl")
    with app.test_request_context(), force_locale("en"):
        assert str(only_dutch) == "Fietsen"


def test_a_tenant_attribute_stores_values_with_its_rules(app, create_tenant, create_person):
    tenant = create_tenant(attributes=read_specs(HOBBIES))
    person = create_person(tenant)
    with app.test_request_context(), tenant_context(tenant):
        changes = set_values(
            person, {"tenant.hobbies": ["music", "walking"]}, source="person", audience="person"
        )
        assert changes[0].new == ["walking", "music"]


def test_a_number_of_the_tenant_is_answered_with_a_tap_in_the_readers_language(app, create_tenant):
    tenant = create_tenant(locales=["nl", "en"], attributes=read_specs(VOLUNTEERING))
    with app.test_request_context(), tenant_context(tenant):
        hours = attributes_for(tenant)["tenant.volunteer_hours"]
        assert hours.quick_answers == (0, 2, 4, 8)
        with force_locale("nl"):
            assert str(hours.unit) == "uur"
        with force_locale("en"):
            assert str(hours.unit) == "hours"


def test_the_alifa_example_is_valid_and_in_both_languages():
    declarations = read_tenant_files(REPO_TENANTS, discover_domains().domains.keys())
    alifa = next(declaration for declaration in declarations if declaration.slug == "alifa")
    [activities] = alifa.attributes
    assert activities["key"] == "tenant.favourite_activities"
    assert set(activities["label"]) == {"nl", "en"}


def read_specs(text: str) -> list[dict]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        write(Path(folder), text)
        return read_tenant_files(Path(folder), ["werk"])[0].attributes
