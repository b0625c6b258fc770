"""The coach's worklist: ordered by need, filtered, done for today, snoozed, undone; only one's own people."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from aandacht.accounts.models import Person
from aandacht.accounts.principal import Principal
from aandacht.attention import service
from aandacht.attention.models import ContactMoment, WorklistMark
from aandacht.db import session, utcnow
from aandacht.outreach.models import Message
from aandacht.profiles.service import set_values
from aandacht.segments.service import SegmentFields, save_segment, viewer_of
from aandacht.tenancy.context import tenant_context
from tests.api.helpers import log_in
from tests.helpers import csrf_token

EN = {"Accept-Language": "en"}
MOVED = {
    "key": "tenant.moved",
    "label": {"nl": "Verhuisd", "en": "Moved house"},
    "type": "boolean",
    "life_event": True,
}


@pytest.fixture
def day(app, create_tenant, create_person, create_staff):
    """A coach with five people: urgent, two medium ones (one waiting longer), one low, one fine."""
    tenant = create_tenant(attributes=[MOVED])
    now = utcnow()
    names = ["Anna Actief", "Bram Buiten", "Cor Contact", "Dirk Druk", "Eva Eerder"]
    ids = {name.split()[0]: create_person(tenant, display_name=name) for name in names}
    coach = create_staff(tenant, caseload=list(ids.values()))
    other_coach = create_staff(tenant)
    with app.app_context(), tenant_context(tenant):
        activity = {"Anna": 1, "Bram": 40, "Cor": 16, "Dirk": 20, "Eva": 2}
        for first, days in activity.items():
            session.execute(
                update(Person)
                .where(Person.id == ids[first])
                .values(last_active_at=now - timedelta(days=days), created_at=now - timedelta(days=10))
            )
        session.commit()
        set_values(ids["Eva"], {"tenant.moved": True}, source="person", audience="person")
    return tenant, coach, other_coach, ids


def names_in(page: str) -> list[str]:
    rows = re.findall(r'data-testid="entry-[^"]+" data-person="([^"]+)"', page)
    return rows


def client_of(app, tenant, staff_id):
    client = app.test_client()
    log_in(client, tenant, "staff", staff_id)
    return client


def test_the_worklist_puts_the_most_urgent_first_with_reasons(app, day):
    tenant, coach, _other, _ids = day
    page = client_of(app, tenant, coach).get(f"/t/{tenant.slug}/workspace/", headers=EN).text
    # High first (a life event, then 40 days away), then medium, the longest quiet first; Anna is fine.
    assert names_in(page) == ["Bram Buiten", "Eva Eerder", "Dirk Druk", "Cor Contact"]
    assert "Not active for 40 days" in page and "Reported a change: Moved house" in page
    assert "4 people need attention" in page


def test_filters_narrow_the_worklist_by_signal_severity_and_name(app, day):
    tenant, coach, _other, _ids = day
    client = client_of(app, tenant, coach)
    htmx = {**EN, "HX-Request": "true"}
    only_life = client.get(f"/t/{tenant.slug}/workspace/worklist/?signal=life_event", headers=htmx).text
    assert names_in(only_life) == ["Eva Eerder"] and "<html" not in only_life
    assert "1 of 4 people" in only_life
    high = client.get(f"/t/{tenant.slug}/workspace/worklist/?severity=3", headers=htmx).text
    assert names_in(high) == ["Bram Buiten", "Eva Eerder"]
    by_name = client.get(f"/t/{tenant.slug}/workspace/worklist/?name=dirk", headers=htmx).text
    assert names_in(by_name) == ["Dirk Druk"]
    # Without htmx the address leads to the start page with the same filters.
    browser = client.get(f"/t/{tenant.slug}/workspace/worklist/?severity=3", headers=EN)
    assert browser.status_code == 302 and browser.headers["Location"].endswith("/workspace/?severity=3")
    page = client.get(f"/t/{tenant.slug}/workspace/?severity=3", headers=EN).text
    assert names_in(page) == ["Bram Buiten", "Eva Eerder"]


def test_a_saved_segment_narrows_the_worklist(app, day):
    tenant, coach, _other, _ids = day
    with app.app_context(), tenant_context(tenant):
        principal = Principal(kind="staff", id=coach, role="coach")
        document = {"attribute": {"key": "tenant.moved", "op": "eq", "value": True}}
        segment = save_segment(SegmentFields(name="Verhuisd", predicate=document), viewer_of(principal))
        segment_id = segment.id
    htmx = {**EN, "HX-Request": "true"}
    client = client_of(app, tenant, coach)
    page = client.get(f"/t/{tenant.slug}/workspace/worklist/?segment={segment_id}", headers=htmx).text
    assert names_in(page) == ["Eva Eerder"]
    unknown = client.get(f"/t/{tenant.slug}/workspace/worklist/?segment={uuid.uuid4()}", headers=htmx).text
    assert "That selection does not exist" in unknown and len(names_in(unknown)) == 4


def post(client, tenant, path, data):
    token = csrf_token(client.get(f"/t/{tenant.slug}/workspace/", headers=EN))
    return client.post(f"/t/{tenant.slug}{path}", data={**data, "csrf_token": token}, headers=EN)


def test_done_for_today_records_the_contact_hides_the_person_and_can_be_undone(app, day):
    tenant, coach, _other, ids = day
    client = client_of(app, tenant, coach)
    answer = post(
        client, tenant, f"/workspace/worklist/{ids['Bram']}/done", {"kind": "phone", "note": "Gebeld"}
    )
    assert answer.status_code == 302
    page = client.get(f"/t/{tenant.slug}/workspace/", headers=EN).text
    assert "Bram Buiten" not in names_in(page) and "Bram Buiten: done today" in page
    with app.app_context(), tenant_context(tenant):
        moment = service.contacts_of(ids["Bram"])[0]
        mark_id = session.execute(select(WorklistMark.id)).scalar_one()
    assert (moment.kind, moment.note, moment.staff_id) == ("phone", "Gebeld", coach)

    post(client, tenant, f"/workspace/worklist/marks/{mark_id}/undo", {})
    page = client.get(f"/t/{tenant.slug}/workspace/", headers=EN).text
    assert names_in(page)[0] == "Bram Buiten"
    with app.app_context(), tenant_context(tenant):
        assert service.contacts_of(ids["Bram"]) == []


def test_snooze_hides_until_the_chosen_day_without_a_contact(app, day):
    tenant, coach, _other, ids = day
    client = client_of(app, tenant, coach)
    with app.app_context(), tenant_context(tenant):
        today = service.local_today(tenant)
    until = today + timedelta(days=3)
    post(
        client,
        tenant,
        f"/workspace/worklist/{ids['Dirk']}/snooze",
        {"until": until.isoformat(), "note": "Op vakantie"},
    )
    page = client.get(f"/t/{tenant.slug}/workspace/", headers=EN).text
    assert "Dirk Druk" not in names_in(page) and "Dirk Druk: snoozed until" in page and "Op vakantie" in page
    with app.app_context(), tenant_context(tenant):
        assert session.execute(select(ContactMoment)).first() is None
        # On the chosen day the person is back.
        later = service.worklist(coach, now=utcnow() + timedelta(days=3))
    assert "Dirk Druk" in [entry.person.display_name for entry in later.entries]


def test_a_snooze_in_the_past_or_too_far_ahead_is_refused(app, day):
    tenant, coach, _other, ids = day
    client = client_of(app, tenant, coach)
    with app.app_context(), tenant_context(tenant):
        today = service.local_today(tenant)
    for until in (today, today + timedelta(days=91)):
        answer = post(
            client, tenant, f"/workspace/worklist/{ids['Dirk']}/snooze", {"until": until.isoformat()}
        )
        page = client.get(answer.headers["Location"], headers=EN).text
        assert "Choose a day after today, at most 90 days ahead." in page
        assert "Dirk Druk" in names_in(page)


def test_a_mark_is_undone_on_its_own_day_only(app, day):
    tenant, coach, _other, ids = day
    with app.app_context(), tenant_context(tenant):
        mark = service.mark_done(staff_id=coach, person_id=ids["Cor"], kind="meeting")
        session.execute(update(WorklistMark).values(day=service.local_today(tenant) - timedelta(days=1)))
        session.commit()
        with pytest.raises(service.MarkRefused):
            service.undo_mark(staff_id=coach, mark_id=mark.id)


def test_another_coachs_person_or_mark_is_not_found(app, day, create_tenant, create_person, create_staff):
    tenant, coach, other_coach, ids = day
    with app.app_context(), tenant_context(tenant):
        mark_id = service.mark_done(staff_id=coach, person_id=ids["Bram"], kind="phone").id
    other = client_of(app, tenant, other_coach)
    assert post(other, tenant, f"/workspace/worklist/{ids['Cor']}/done", {"kind": "phone"}).status_code == 404
    assert (
        post(other, tenant, f"/workspace/worklist/{ids['Cor']}/snooze", {"until": "2099-01-01"}).status_code
        == 404
    )
    assert post(other, tenant, f"/workspace/worklist/marks/{mark_id}/undo", {}).status_code == 404
    assert "Cor Contact" not in other.get(f"/t/{tenant.slug}/workspace/", headers=EN).text
    # A coach of another tenant, with the same ids in hand.
    elsewhere = create_tenant()
    stranger = create_staff(elsewhere, caseload=[create_person(elsewhere)])
    theirs = client_of(app, elsewhere, stranger)
    token = csrf_token(theirs.get(f"/t/{elsewhere.slug}/workspace/", headers=EN))
    for path in (f"worklist/{ids['Cor']}/done", f"worklist/marks/{mark_id}/undo"):
        answer = theirs.post(
            f"/t/{elsewhere.slug}/workspace/{path}", data={"kind": "phone", "csrf_token": token}
        )
        assert answer.status_code == 404
    with app.app_context(), tenant_context(tenant):
        assert session.get(WorklistMark, (tenant.id, mark_id)) is not None


def test_a_resident_cannot_open_the_worklist(app, day, create_person):
    tenant, _coach, _other, ids = day
    client = app.test_client()
    log_in(client, tenant, "person", ids["Anna"])
    assert (
        client.get(f"/t/{tenant.slug}/workspace/worklist/", headers={"HX-Request": "true"}).status_code == 403
    )


def test_unread_messages_put_a_person_on_the_list(app, day):
    tenant, coach, _other, ids = day
    with app.app_context(), tenant_context(tenant):
        session.add(
            Message(
                person_id=ids["Anna"],
                channel="in_app",
                status="sent",
                sender_id=coach,
                sent_at=utcnow() - timedelta(days=5),
            )
        )
        session.commit()
        entries = service.worklist(coach).entries
    anna = next(entry for entry in entries if entry.person.display_name == "Anna Actief")
    assert [signal.key for signal in anna.signals] == ["unread_messages"]


def test_a_deactivated_person_is_not_on_the_worklist(app, day):
    tenant, coach, _other, ids = day
    with app.app_context(), tenant_context(tenant):
        session.execute(update(Person).where(Person.id == ids["Bram"]).values(active=False))
        session.commit()
        names = [entry.person.display_name for entry in service.worklist(coach).entries]
    assert "Bram Buiten" not in names and "Dirk Druk" in names
