"""The person's page for staff: who may see it, the timeline's contents and order, and the staff's notes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from aandacht.attention import service as attention
from aandacht.db import session
from aandacht.people import service as notes
from aandacht.personalisation.catalogue import ItemFields, save_item
from aandacht.personalisation.events import Interaction, record
from aandacht.profiles.models import ProfileChange
from aandacht.profiles.service import set_values
from aandacht.tenancy.context import tenant_context
from tests.api.helpers import log_in
from tests.helpers import csrf_token

EN = {"Accept-Language": "en"}


def page_of(client, tenant, person, **args):
    return client.get(f"/t/{tenant.slug}/workspace/people/{person}", query_string=args, headers=EN)


def test_the_coach_sees_the_persons_page_with_coaches_and_channels(client, tenant, person, coach):
    log_in(client, tenant, "staff", coach)
    page = page_of(client, tenant, person)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Anna de Vries" in text
    assert "Carla Coach" in text.split('data-testid="coaches"')[1].split("</dd>")[0]
    channels = text.split('data-testid="channels"')[1].split("</dd>")[0]
    assert "E-mail" in channels and "Text message: no address for this channel" in channels
    assert "In the app: has never used the app" in channels


def test_a_coach_without_the_person_in_the_caseload_gets_404(client, tenant, person, create_staff):
    other_coach = create_staff(tenant)
    log_in(client, tenant, "staff", other_coach)
    assert page_of(client, tenant, person).status_code == 404
    posted = client.post(f"/t/{tenant.slug}/workspace/people/{person}/notes", data={"body": "x"})
    assert posted.status_code in (400, 404)  # no page, and nothing written


def test_another_tenants_staff_gets_404_and_a_resident_403(
    client, tenant, person, create_tenant, create_staff
):
    other = create_tenant()
    lead = create_staff(other, role="team_lead")
    log_in(client, other, "staff", lead)
    assert client.get(f"/t/{other.slug}/workspace/people/{person}").status_code == 404
    log_in(client, tenant, "person", person)
    assert page_of(client, tenant, person).status_code == 403


def test_the_timeline_merges_every_source_newest_first(app, client, tenant, person, coach):
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    with app.test_request_context(), tenant_context(tenant):
        set_values(
            person, {"core.preferred_channel": "sms"}, source="person", audience="person", actor_id=person
        )
        change = session.query(ProfileChange).one()
        change.changed_at = start
        attention.record_contact(
            person_id=person,
            staff_id=coach,
            kind="phone",
            at=start + timedelta(days=2),
            note="Belde over de cursus.",
        )
        item = save_item(ItemFields(type="core.news", title="Sollicitatietips", body="Lees dit."))
        session.commit()
        record(
            person,
            [
                Interaction("impression", item.id, occurred_at=start + timedelta(days=1, hours=h))
                for h in range(5)
            ],
        )
        record(person, [Interaction("open", item.id, occurred_at=start + timedelta(days=1, hours=6))])
        note = notes.add_note(person_id=person, author_id=coach, body="Wil graag in de zorg werken.")
        note.created_at = start + timedelta(days=3)
        session.commit()
    log_in(client, tenant, "staff", coach)
    text = page_of(client, tenant, person).get_data(as_text=True)
    timeline = text.split('data-testid="timeline-entries"')[1].split("</ol>")[0]
    order = [part.split('"')[0] for part in timeline.split('data-testid="entry-')[1:]]
    assert order == ["notes", "contacts", "content", "answers"]
    assert "saw 5" in timeline and "opened 1" in timeline  # one line for the day, not six
    assert "Belde over de cursus." in timeline and "Carla Coach" in timeline
    assert "How do you want to hear from us?" in timeline and "By text message" in timeline
    content = text.split('data-testid="content"')[1].split("</section>")[0]
    assert "Sollicitatietips" in content


def test_the_timeline_pages_back_without_gaps_or_repeats(app, client, tenant, person, coach):
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    with app.app_context(), tenant_context(tenant):
        for day in range(45):
            attention.record_contact(
                person_id=person,
                staff_id=coach,
                kind="phone",
                at=start + timedelta(days=day),
                note=f"contact {day}",
            )
        session.commit()
    log_in(client, tenant, "staff", coach)
    seen, before = [], None
    while True:
        args = {"before": before} if before else {}
        text = page_of(client, tenant, person, **args).get_data(as_text=True)
        timeline = text.split('data-testid="timeline-entries"')[1].split("</ol>")[0]
        seen += [int(part.split("<")[0]) for part in timeline.split("contact ")[1:]]
        if 'data-testid="older"' not in text:
            break
        before = text.split('data-testid="older" href="')[1].split("before=")[1].split('"')[0].split("#")[0]
        before = before.replace("%3A", ":").replace("%2B", "+")
    assert seen == list(range(44, -1, -1))


def test_notes_are_added_changed_and_deleted_by_their_author_only(
    app, client, tenant, person, coach, create_staff
):
    colleague = create_staff(tenant, caseload=[person], display_name="Dirk Collega")
    log_in(client, tenant, "staff", coach)
    form = page_of(client, tenant, person)
    base = f"/t/{tenant.slug}/workspace/people/{person}/notes"
    token = csrf_token(form)
    assert client.post(base, data={"csrf_token": token, "body": "  "}).status_code == 400
    assert client.post(base, data={"csrf_token": token, "body": "Eerste gesprek goed."}).status_code == 302
    with app.app_context(), tenant_context(tenant):
        [note] = notes.notes_of(person)
    assert (
        client.post(f"{base}/{note.id}", data={"csrf_token": token, "body": "Gesprek goed."}).status_code
        == 302
    )
    text = page_of(client, tenant, person).get_data(as_text=True)
    assert "Gesprek goed." in text and "Carla Coach" in text and "changed" in text

    log_in(client, tenant, "staff", colleague)
    other_token = csrf_token(page_of(client, tenant, person))
    assert (
        client.post(f"{base}/{note.id}", data={"csrf_token": other_token, "body": "Weg"}).status_code == 404
    )
    assert client.post(f"{base}/{note.id}/delete", data={"csrf_token": other_token}).status_code == 404
    assert "Gesprek goed." in page_of(client, tenant, person).get_data(as_text=True)

    log_in(client, tenant, "staff", coach)
    assert client.post(f"{base}/{note.id}/delete", data={"csrf_token": token}).status_code == 302
    with app.app_context(), tenant_context(tenant):
        assert notes.notes_of(person) == []


def test_notes_are_never_shown_to_the_person(app, client, tenant, person, coach, create_staff):
    secret = f"Vertrouwelijk {uuid.uuid4().hex}"
    with app.app_context(), tenant_context(tenant):
        notes.add_note(person_id=person, author_id=coach, body=secret)
        session.commit()
    log_in(client, tenant, "person", person)
    for path in (
        "/app/",
        "/app/profile",
        "/app/profile/download.json",
        "/app/profile/download.csv",
        "/app/messages/",
        "/app/privacy",
        "/api/v1/me",
    ):
        response = client.get(f"/t/{tenant.slug}{path}")
        assert response.status_code == 200, path
        assert secret not in response.get_data(as_text=True), path


def test_a_bad_moment_to_page_back_from_is_a_clear_400(client, tenant, person, coach):
    log_in(client, tenant, "staff", coach)
    assert page_of(client, tenant, person, before="gisteren").status_code == 400
    assert page_of(client, tenant, person, before="2026-03-01T10:00:00").status_code == 200
