"""Attention signals: each rule's reason and severity, the tenant's thresholds, switching one off."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import event, text, update

from aandacht.accounts.models import Person
from aandacht.attention import service
from aandacht.attention.signals import Severity
from aandacht.db import session, utcnow
from aandacht.outreach import service as outreach
from aandacht.outreach.models import Message
from aandacht.personalisation.models import InteractionEvent
from aandacht.profiles.service import set_values
from aandacht.tenancy.context import tenant_context

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
#: A tenant attribute whose change the person reports is a life event.
MOVED = {
    "key": "tenant.moved",
    "label": {"nl": "Verhuisd", "en": "Moved house"},
    "type": "boolean",
    "life_event": True,
}
HOBBY = {"key": "tenant.hobby", "label": {"nl": "Hobby", "en": "Hobby"}, "type": "text"}


@pytest.fixture
def world(app, create_tenant, create_person):
    """A tenant with two attributes, and a function that makes a person as active as asked."""
    tenant = create_tenant(attributes=[MOVED, HOBBY])

    def person(
        *, last_active: timedelta | None = timedelta(hours=1), created: timedelta = timedelta(days=400)
    ):
        person_id = create_person(tenant, display_name=f"Persoon {uuid.uuid4().hex[:4]}")
        with app.app_context(), tenant_context(tenant):
            session.execute(
                update(Person)
                .where(Person.id == person_id)
                .values(
                    last_active_at=NOW - last_active if last_active is not None else None,
                    created_at=NOW - created,
                )
            )
            session.commit()
        return person_id

    person.tenant = tenant
    return person


def signals(app, tenant, person_ids, now=NOW):
    with app.app_context(), tenant_context(tenant), force_locale("en"):
        found = service.signals_of(person_ids, now=now)
    return {
        person_id: [(s.key, s.severity, s.reason) for s in found.get(person_id, [])]
        for person_id in person_ids
    }


def keyed(found, key):
    return {person_id: [s for s in items if s[0] == key] for person_id, items in found.items()}


def test_inactive_from_the_threshold_on_and_high_at_twice_it(app, world):
    fresh, quiet, gone = (
        world(last_active=timedelta(days=13)),
        world(last_active=timedelta(days=19)),
        world(last_active=timedelta(days=30)),
    )
    found = keyed(signals(app, world.tenant, [fresh, quiet, gone]), "inactive")
    assert found[fresh] == []
    assert found[quiet] == [("inactive", Severity.MEDIUM, "Not active for 19 days")]
    assert found[gone] == [("inactive", Severity.HIGH, "Not active for 30 days")]


def test_someone_who_never_used_the_app_counts_from_signing_up(app, world):
    new, waiting = (
        world(last_active=None, created=timedelta(days=2)),
        world(last_active=None, created=timedelta(days=15)),
    )
    found = keyed(signals(app, world.tenant, [new, waiting]), "inactive")
    assert found[new] == []
    assert found[waiting] == [
        ("inactive", Severity.MEDIUM, "Has not used the app since signing up 15 days ago")
    ]


def test_activity_the_caller_read_already_is_not_read_again(app, world):
    """The worklist passes what its caseload rows say; the rules then go by that, not by a second read."""
    person = world(last_active=timedelta(hours=1), created=timedelta(days=400))
    with app.app_context(), tenant_context(world.tenant), force_locale("en"):
        told = {person: (NOW - timedelta(days=30), NOW - timedelta(days=400))}
        found = service.signals_of([person], now=NOW, activity=told)
        read = service.signals_of([person], now=NOW)
    assert [(s.key, s.reason) for s in found[person]] == [
        ("inactive", "Not active for 30 days"),
        ("profile_incomplete", "Profile 0% filled in"),
    ]
    assert [s.key for s in read[person]] == ["profile_incomplete"]


def test_a_tenant_sets_its_own_threshold_and_switches_signals_off(app, create_tenant, create_person):
    tenant = create_tenant(attention={"inactive": {"days": 5}, "off": ["profile_incomplete"]})
    person_id = create_person(tenant)
    with app.app_context(), tenant_context(tenant):
        session.execute(
            update(Person).where(Person.id == person_id).values(last_active_at=NOW - timedelta(days=6))
        )
        session.commit()
    found = signals(app, tenant, [person_id])[person_id]
    assert [key for key, *_ in found] == ["inactive"]  # no "profile incomplete", though nothing is filled in


def write_message(app, tenant, person_id, *, sent_ago, sender=True, opened=False, channel="in_app"):
    with app.app_context(), tenant_context(tenant):
        session.add(
            Message(
                person_id=person_id,
                channel=channel,
                status="sent",
                subject="Hallo",
                body="Hoe gaat het?",
                sender_id=uuid.uuid4() if sender else None,
                sent_at=NOW - sent_ago,
                opened_at=NOW if opened else None,
            )
        )
        session.commit()


def test_unread_messages_from_the_coach_after_the_threshold(app, world):
    waiting, recent, read, campaign = world(), world(), world(), world()
    for _ in range(2):
        write_message(app, world.tenant, waiting, sent_ago=timedelta(days=4))
    write_message(app, world.tenant, recent, sent_ago=timedelta(days=1))
    write_message(app, world.tenant, read, sent_ago=timedelta(days=5), opened=True)
    write_message(app, world.tenant, campaign, sent_ago=timedelta(days=5), sender=False)
    found = keyed(signals(app, world.tenant, [waiting, recent, read, campaign]), "unread_messages")
    assert found[waiting] == [
        ("unread_messages", Severity.MEDIUM, "2 messages from the coach unread for 4 days")
    ]
    assert found[recent] == found[read] == found[campaign] == []


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_unread_messages_are_found_through_their_partial_index(app, world):
    """Not every message of the tenant: only the unopened ones from staff (migration core_0023)."""
    person = world()
    write_message(app, world.tenant, person, sent_ago=timedelta(days=4))
    statements = []

    def capture(_connection, _cursor, statement, parameters, _context, _executemany):
        statements.append((statement, parameters))

    with app.app_context(), tenant_context(world.tenant):
        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", capture)
        try:
            assert outreach.unread_from_staff([person])[person][0] == 1
        finally:
            event.remove(engine, "before_cursor_execute", capture)
        statement, parameters = next(found for found in statements if "FROM message" in found[0])
        session.execute(text("SET LOCAL enable_seqscan = off"))  # a test's table is too small to tell
        plan = session.connection().exec_driver_sql(f"EXPLAIN {statement}", parameters).scalars().all()
        session.rollback()
    assert "ix_message_unread_from_staff" in "\n".join(plan), plan


def act(app, tenant, person_id, days_ago: list[float], kind="open"):
    with app.app_context(), tenant_context(tenant):
        session.add_all(
            InteractionEvent(
                person_id=person_id, kind=kind, item_id=str(uuid.uuid4()), occurred_at=NOW - timedelta(days=d)
            )
            for d in days_ago
        )
        session.commit()


def test_engagement_dropping_against_the_persons_own_past(app, world):
    dropping, steady, stopped, always_quiet = world(), world(), world(), world()
    usual = [20 + i for i in range(40)]  # 40 actions in the 8 weeks before: usually 10 per fortnight
    act(app, world.tenant, dropping, [*usual, 1, 2, 3])
    act(app, world.tenant, steady, [*usual, *range(1, 10)])
    act(app, world.tenant, stopped, usual)
    act(app, world.tenant, always_quiet, [30, 40])
    act(app, world.tenant, always_quiet, [31, 41, 42, 43, 44, 45, 46, 47], kind="impression")
    found = keyed(signals(app, world.tenant, [dropping, steady, stopped, always_quiet]), "engagement_drop")
    assert found[dropping] == [
        ("engagement_drop", Severity.MEDIUM, "Uses the app less: 3 actions in 14 days, usually 10")
    ]
    assert found[stopped][0][1] == Severity.HIGH
    assert found[steady] == found[always_quiet] == []


def test_profile_incomplete_below_the_share(app, world):
    empty, half = world(), world()
    with app.app_context(), tenant_context(world.tenant):
        set_values(
            half, {"tenant.hobby": "Tuinieren", "tenant.moved": False}, source="coach", audience="coach"
        )
    found = signals(app, world.tenant, [empty, half])
    assert [s for s in found[empty] if s[0] == "profile_incomplete"] == [
        ("profile_incomplete", Severity.LOW, "Profile 0% filled in")
    ]
    assert [s for s in found[half] if s[0] == "profile_incomplete"] == []


def test_a_life_event_the_person_reported_lately(app, world):
    reported, by_coach, hobby = world(), world(), world()
    with app.app_context(), tenant_context(world.tenant):
        set_values(reported, {"tenant.moved": True}, source="person", audience="person")
        set_values(by_coach, {"tenant.moved": True}, source="coach", audience="coach")
        set_values(hobby, {"tenant.hobby": "Lezen"}, source="person", audience="person")
    now = utcnow()
    found = keyed(signals(app, world.tenant, [reported, by_coach, hobby], now=now), "life_event")
    assert found[reported] == [("life_event", Severity.HIGH, "Reported a change: Moved house")]
    assert found[by_coach] == found[hobby] == []
    later = keyed(signals(app, world.tenant, [reported], now=now + timedelta(days=8)), "life_event")
    assert later[reported] == []


def test_signals_never_reach_into_another_tenant(app, world, create_tenant, create_person):
    other = create_tenant()
    theirs = create_person(other)
    with app.app_context(), tenant_context(other):
        session.execute(
            update(Person).where(Person.id == theirs).values(last_active_at=NOW - timedelta(days=60))
        )
        session.commit()
    assert signals(app, world.tenant, [theirs]) == {theirs: []}


def test_a_new_person_gets_time_to_fill_in_the_profile(app, world):
    new = world(created=timedelta(days=10))
    assert [s for s in signals(app, world.tenant, [new])[new] if s[0] == "profile_incomplete"] == []
