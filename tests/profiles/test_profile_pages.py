"""The person's own profile page and downloads; the coach's person page with its history."""

import csv
import io
import uuid

import pytest

from aandacht.profiles.models import ProfileChange
from aandacht.profiles.service import history, profile_values, set_values
from aandacht.tenancy.context import tenant_context
from tests.api.helpers import log_in
from tests.helpers import HEALTH_ATTRIBUTES, csrf_token

#: Attributes of the test tenant, as its file would declare them.
ATTRIBUTES = [
    {
        "key": "tenant.coach_note",
        "label": {"nl": "Afspraak met coach", "en": "Agreement with the coach"},
        "type": "text",
        "category": "coaching",
        "visible_to": ["person", "coach"],
        "editable_by": ["coach"],
    },
    *HEALTH_ATTRIBUTES,
]


@pytest.fixture
def tenant(create_tenant):
    return create_tenant(attributes=ATTRIBUTES)


@pytest.fixture
def person(tenant, create_person):
    return create_person(tenant, display_name="Anna de Vries", email=f"{uuid.uuid4().hex[:8]}@example.nl")


def values_of(app, tenant, person):
    with app.app_context(), tenant_context(tenant):
        return profile_values(person)


def store(app, tenant, person, values, source="person", audience="person", actor=None):
    with app.test_request_context(), tenant_context(tenant):
        set_values(person, values, source=source, audience=audience, actor_id=actor or person)


def test_the_person_sees_their_profile_by_category_with_completeness(app, client, tenant, person):
    store(app, tenant, person, {"core.preferred_channel": "sms"})
    log_in(client, tenant, "person", person)
    page = client.get(f"/t/{tenant.slug}/app/profile", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'data-testid="category-contact"' in text and 'data-testid="category-health"' in text
    assert "By text message" in text
    assert "You answered 1 of" in text
    assert "Agreement with the coach" in text and "your coach fills this in" in text


def test_the_person_corrects_a_value_and_its_history_names_them(app, client, tenant, person):
    log_in(client, tenant, "person", person)
    url = f"/t/{tenant.slug}/app/profile/contact"
    form = client.get(url)
    assert 'name="core.preferred_channel"' in form.get_data(as_text=True)
    done = client.post(
        url,
        data={
            "csrf_token": csrf_token(form),
            "keys": "core.preferred_channel",
            "core.preferred_channel": "email",
        },
    )
    assert done.status_code == 302
    assert values_of(app, tenant, person)["core.preferred_channel"] == "email"
    with app.app_context(), tenant_context(tenant):
        [change] = history(person, "core.preferred_channel")
        assert (change.source, change.actor_id, change.new_value) == ("person", person, "email")


def test_prefer_not_to_say_is_always_possible_and_a_bad_value_writes_nothing(app, client, tenant, person):
    log_in(client, tenant, "person", person)
    url = f"/t/{tenant.slug}/app/profile/health"
    token = csrf_token(client.get(url))
    refused = client.post(
        url,
        data={
            "csrf_token": token,
            "keys": ["tenant.energy", "tenant.diagnosis"],
            "tenant.energy": "9",
            "tenant.diagnosis": "iets",
        },
    )
    assert refused.status_code == 400
    assert values_of(app, tenant, person) == {}
    done = client.post(
        url,
        data={
            "csrf_token": token,
            "keys": ["tenant.energy", "tenant.diagnosis"],
            "tenant.energy": "3",
            "tenant.diagnosis.prefer_not_to_say": "1",
        },
    )
    assert done.status_code == 302
    assert values_of(app, tenant, person) == {"tenant.energy": 3, "tenant.diagnosis": "prefer_not_to_say"}


def test_the_person_cannot_change_what_only_the_coach_may(app, client, tenant, person):
    log_in(client, tenant, "person", person)
    assert client.get(f"/t/{tenant.slug}/app/profile/coaching").status_code == 404
    url = f"/t/{tenant.slug}/app/profile/contact"
    forged = client.post(
        url,
        data={
            "csrf_token": csrf_token(client.get(url)),
            "keys": "tenant.coach_note",
            "tenant.coach_note": "x",
        },
    )
    assert forged.status_code == 302
    assert "tenant.coach_note" not in values_of(app, tenant, person)


def test_the_person_downloads_everything_as_json_and_csv(app, client, tenant, person):
    store(app, tenant, person, {"core.preferred_channel": "sms", "tenant.diagnosis": "=HYPERLINK(1)"})
    log_in(client, tenant, "person", person)
    data = client.get(f"/t/{tenant.slug}/app/profile/download.json")
    assert data.status_code == 200 and "attachment" in data.headers["Content-Disposition"]
    values = {row["key"]: row for row in data.get_json()["values"]}
    assert values["core.preferred_channel"]["value"] == "sms"
    assert values["core.preferred_channel"]["source"] == "person"
    assert values["core.preferred_channel"]["last_changed"]
    sheet = client.get(f"/t/{tenant.slug}/app/profile/download.csv")
    assert sheet.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(sheet.get_data(as_text=True))))
    assert set(rows[0]) == {"key", "label", "value", "last_changed", "source"}
    by_key = {row["key"]: row for row in rows}
    assert by_key["tenant.diagnosis"]["value"] == "'=HYPERLINK(1)"  # never run as a formula
    assert by_key["core.preferred_channel"]["source"] == "person"


def test_a_coach_sees_the_profile_and_how_it_grew(app, client, tenant, person, create_staff):
    coach = create_staff(tenant, display_name="Coach Carla", caseload=[person])
    store(app, tenant, person, {"core.preferred_channel": "sms"})
    store(
        app,
        tenant,
        person,
        {"core.preferred_channel": "phone"},
        source="coach",
        audience="coach",
        actor=coach,
    )
    log_in(client, tenant, "staff", coach)
    caseload = client.get(f"/t/{tenant.slug}/workspace/").get_data(as_text=True)
    assert f'href="/t/{tenant.slug}/workspace/people/{person}"' in caseload
    hub = client.get(f"/t/{tenant.slug}/workspace/people/{person}").get_data(as_text=True)
    assert f"/t/{tenant.slug}/workspace/people/{person}/profile" in hub
    page = client.get(
        f"/t/{tenant.slug}/workspace/people/{person}/profile", headers={"Accept-Language": "en"}
    )
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'data-testid="history-core.preferred_channel"' in text
    assert "2 changes" in text
    assert "the person (Anna de Vries)" in text and "a coach (Coach Carla)" in text
    assert "By text message" in text and "By phone" in text
    assert "How much energy do you have?" in text
    assert "Diagnosis" not in text  # special category, for the person alone


def test_a_coach_edits_what_the_role_may_and_nothing_else(app, client, tenant, person, create_staff):
    coach = create_staff(tenant, caseload=[person])
    log_in(client, tenant, "staff", coach)
    url = f"/t/{tenant.slug}/workspace/people/{person}/profile"
    token = csrf_token(client.get(url))
    done = client.post(
        url, data={"csrf_token": token, "keys": "tenant.coach_note", "tenant.coach_note": "Elke week"}
    )
    assert done.status_code == 302
    forged = client.post(url, data={"csrf_token": token, "keys": "tenant.diagnosis", "tenant.diagnosis": "x"})
    assert forged.status_code == 302
    bad = client.post(url, data={"csrf_token": token, "keys": "tenant.energy", "tenant.energy": "12"})
    assert bad.status_code == 400
    assert values_of(app, tenant, person) == {"tenant.coach_note": "Elke week"}
    with app.app_context(), tenant_context(tenant):
        [change] = history(person)
        assert isinstance(change, ProfileChange)
        assert (change.source, change.actor_id) == ("coach", coach)


def test_a_coach_outside_the_caseload_gets_not_found(client, tenant, person, create_staff, create_tenant):
    stranger = create_staff(tenant)
    log_in(client, tenant, "staff", stranger)
    assert client.get(f"/t/{tenant.slug}/workspace/people/{person}/profile").status_code == 404
    assert client.get(f"/t/{tenant.slug}/workspace/people/{uuid.uuid4()}/profile").status_code == 404


def test_a_team_lead_sees_everyone_but_no_special_category_unless_named(
    app, client, tenant, person, create_staff
):
    lead = create_staff(tenant, role="team_lead")
    store(
        app,
        tenant,
        person,
        {"tenant.diagnosis": "geheim", "tenant.energy": 4, "core.preferred_channel": "sms"},
    )
    log_in(client, tenant, "staff", lead)
    page = client.get(f"/t/{tenant.slug}/workspace/people/{person}/profile")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'data-testid="text-core.preferred_channel"' in text
    assert "geheim" not in text and "tenant.diagnosis" not in text and "tenant.energy" not in text


def test_a_person_of_another_tenant_is_not_found(client, tenant, create_tenant, create_person, create_staff):
    other = create_tenant()
    theirs = create_person(other)
    lead = create_staff(tenant, role="team_lead")
    log_in(client, tenant, "staff", lead)
    assert client.get(f"/t/{tenant.slug}/workspace/people/{theirs}/profile").status_code == 404


def test_a_resident_cannot_open_the_workspace_page_nor_staff_the_app_page(
    client, tenant, person, create_staff
):
    log_in(client, tenant, "person", person)
    assert client.get(f"/t/{tenant.slug}/workspace/people/{person}/profile").status_code == 403
    coach = create_staff(tenant, caseload=[person])
    log_in(client, tenant, "staff", coach)
    assert client.get(f"/t/{tenant.slug}/app/profile").status_code == 403
