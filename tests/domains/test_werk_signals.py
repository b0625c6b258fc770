"""The werk domain's attention signals: each at its threshold, a tenant's own threshold, other tenants."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import event, update

from aandacht.accounts.models import Person
from aandacht.attention import service
from aandacht.attention.signals import Severity, SignalContext
from aandacht.db import session
from aandacht.personalisation import events
from aandacht.personalisation.catalogue import ItemFields, save_item
from aandacht.profiles.service import set_values
from aandacht.tenancy.context import tenant_context
from aandacht_werk import service as werk
from aandacht_werk.models import SearchActivity
from aandacht_werk.signals import WERK_SIGNALS

#: A Friday late in November: an agreement of 4 a month expects 2 by now (20 of 30 days).
NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture
def world(app, create_tenant, create_person):
    """`world(**attention)`: a werk tenant with those thresholds, and a function that makes people in it."""

    def make(**attention):
        tenant = create_tenant(domains=["werk"], attention=attention or None)

        def person(*, created: timedelta = timedelta(days=400), **answers) -> uuid.UUID:
            person_id = create_person(tenant)
            with app.app_context(), tenant_context(tenant):
                session.execute(
                    update(Person)
                    .where(Person.id == person_id)
                    .values(last_active_at=NOW - timedelta(hours=1), created_at=NOW - created)
                )
                if answers:
                    values = {f"werk.{key}": value for key, value in answers.items()}
                    set_values(person_id, values, source="system", audience="system")
                session.commit()
            return person_id

        person.tenant = tenant
        return person

    return make


def log(app, tenant, person_id, days_ago: int, kind="application", **values):
    """Write one search activity `days_ago` days before NOW."""
    with app.app_context(), tenant_context(tenant):
        session.add(
            SearchActivity(person_id=person_id, kind=kind, done_on=TODAY - timedelta(days=days_ago), **values)
        )
        session.commit()


def werk_signals(app, tenant, person_ids, key, now=NOW):
    """The signals of `key` per person, as (severity, reason) in English."""
    with app.app_context(), tenant_context(tenant), force_locale("en"):
        found = service.signals_of(person_ids, now=now)
    return {
        person_id: [(s.severity, s.reason) for s in found.get(person_id, []) if s.key == key]
        for person_id in person_ids
    }


def test_no_search_activity_from_four_weeks_on(app, world):
    person = world()
    recent, quiet, gone, never, new, working = (
        person(),
        person(),
        person(),
        person(created=timedelta(days=60)),
        person(created=timedelta(days=10)),
        person(search_status="working"),
    )
    log(app, person.tenant, recent, 27, kind="letter")
    log(app, person.tenant, quiet, 28)
    log(app, person.tenant, gone, 56, kind="network")
    log(app, person.tenant, working, 40)
    found = werk_signals(
        app, person.tenant, [recent, quiet, gone, never, new, working], "werk.no_search_activity"
    )
    assert found[quiet] == [(Severity.MEDIUM, "No job-search activity logged for 28 days")]
    assert found[gone] == [(Severity.HIGH, "No job-search activity logged for 56 days")]
    assert found[never] == [(Severity.HIGH, "No job-search activity logged since signing up 60 days ago")]
    assert found[recent] == found[new] == found[working] == []


def test_a_tenant_shortens_the_time_without_search_activity(app, world):
    person = world(**{"werk.no_search_activity": {"days": 10}})
    quiet, recent = person(), person()
    log(app, person.tenant, quiet, 12)
    log(app, person.tenant, recent, 9)
    found = werk_signals(app, person.tenant, [quiet, recent], "werk.no_search_activity")
    assert found[quiet] == [(Severity.MEDIUM, "No job-search activity logged for 12 days")]
    assert found[recent] == []


def test_many_applications_without_an_answer_call_for_help_with_the_strategy(app, world):
    person = world()
    unanswered, fewer, interviewed, long_ago, rejected = (person() for _ in range(5))
    for index in range(8):
        log(app, person.tenant, unanswered, 3 + 6 * index, outcome="waiting" if index < 4 else "no_answer")
        log(app, person.tenant, interviewed, 3 + 6 * index, outcome="waiting")
        log(app, person.tenant, long_ago, 57 + index, outcome="no_answer")
        log(app, person.tenant, rejected, 3 + 6 * index, outcome="rejected")
    for index in range(7):
        log(app, person.tenant, fewer, 3 + index, outcome="waiting")
    log(app, person.tenant, interviewed, 10, kind="interview")
    found = werk_signals(
        app,
        person.tenant,
        [unanswered, fewer, interviewed, long_ago, rejected],
        "werk.applications_unanswered",
    )
    assert found[unanswered] == [
        (Severity.MEDIUM, "8 applications in 8 weeks without an answer: help with the search strategy?")
    ]
    assert found[fewer] == found[interviewed] == found[long_ago] == found[rejected] == []


def test_a_tenant_asks_for_fewer_unanswered_applications(app, world):
    person = world(**{"werk.applications_unanswered": {"applications": 5, "days": 28}})
    five, old = person(), person()
    for index in range(5):
        log(app, person.tenant, five, 2 + index, outcome="waiting")
        log(app, person.tenant, old, 30 + index, outcome="waiting")
    found = werk_signals(app, person.tenant, [five, old], "werk.applications_unanswered")
    assert found[five] == [
        (Severity.MEDIUM, "5 applications in 4 weeks without an answer: help with the search strategy?")
    ]
    assert found[old] == []


#: What a vacancy needs.
JOB = {"employer": "Bol", "place": "Hengelo", "hours": 32, "contract": "temporary", "sector": "logistics"}


def publish(app, tenant, kind="werk.vacancy"):
    with app.test_request_context(), tenant_context(tenant):
        details = JOB if kind == "werk.vacancy" else {"topic": "cv"}
        return save_item(ItemFields(type=kind, title="Orderpicker", details=details)).id


def look(app, tenant, person_id, item_id, days_ago, kind="open"):
    with app.app_context(), tenant_context(tenant):
        at = NOW - timedelta(days=days_ago)
        events.record(person_id, [events.Interaction(kind, item_id, {}, at)])


def test_ready_for_work_but_no_vacancy_viewed(app, world):
    person = world()
    vacancy, tip = publish(app, person.tenant), publish(app, person.tenant, "werk.tip")
    never, stale, looking, saving, not_ready, tips_only = (
        person(readiness=4),
        person(readiness=5),
        person(readiness=4),
        person(readiness=4),
        person(readiness=3),
        person(readiness=4),
    )
    look(app, person.tenant, stale, vacancy, 15)
    look(app, person.tenant, stale, vacancy, 2, kind="impression")  # shown, not looked at
    look(app, person.tenant, looking, vacancy, 13)
    look(app, person.tenant, saving, vacancy, 1, kind="save")
    look(app, person.tenant, tips_only, tip, 1)
    people = [never, stale, looking, saving, not_ready, tips_only]
    found = werk_signals(app, person.tenant, people, "werk.ready_no_vacancies")
    assert (
        found[never]
        == found[tips_only]
        == [(Severity.MEDIUM, "Ready for work, but never looked at a vacancy")]
    )
    assert found[stale] == [(Severity.MEDIUM, "Ready for work, but no vacancy looked at for 15 days")]
    assert found[looking] == found[saving] == found[not_ready] == []


def test_a_tenant_counts_readiness_three_as_ready(app, world):
    person = world(**{"werk.ready_no_vacancies": {"readiness": 3, "days": 7}})
    vacancy = publish(app, person.tenant)
    three, two = person(readiness=3), person(readiness=2)
    look(app, person.tenant, three, vacancy, 8)
    found = werk_signals(app, person.tenant, [three, two], "werk.ready_no_vacancies")
    assert found[three] == [(Severity.MEDIUM, "Ready for work, but no vacancy looked at for 8 days")]
    assert found[two] == []


def agree(app, tenant, person_id, per_month=4):
    with app.app_context(), tenant_context(tenant):
        werk.set_agreement(person_id, per_month=per_month, starts_on=date(2026, 10, 1), set_by=None)


def test_an_agreement_falling_behind_its_pace(app, world):
    person = world()
    on_pace, one_behind, nothing, no_agreement = (person() for _ in range(4))
    for person_id in (on_pace, one_behind, nothing):
        agree(app, person.tenant, person_id)
    log(app, person.tenant, on_pace, 3)
    log(app, person.tenant, on_pace, 10)
    log(app, person.tenant, one_behind, 3)
    log(app, person.tenant, one_behind, 25)  # last month: does not count
    log(app, person.tenant, nothing, 2, kind="letter")  # another kind than agreed
    people = [on_pace, one_behind, nothing, no_agreement]
    found = werk_signals(app, person.tenant, people, "werk.agreement_behind")
    assert found[one_behind] == [(Severity.MEDIUM, "Agreement behind: 1 of 4 done this month, 2 by now")]
    assert found[nothing] == [(Severity.HIGH, "Agreement behind: 0 of 4 done this month, 2 by now")]
    assert found[on_pace] == found[no_agreement] == []


def test_a_tenant_allows_one_behind(app, world):
    person = world(**{"werk.agreement_behind": {"behind_by": 2}})
    one_behind, two_behind = person(), person()
    for person_id in (one_behind, two_behind):
        agree(app, person.tenant, person_id)
    log(app, person.tenant, one_behind, 3)
    found = werk_signals(app, person.tenant, [one_behind, two_behind], "werk.agreement_behind")
    assert found[one_behind] == []
    assert found[two_behind] == [(Severity.MEDIUM, "Agreement behind: 0 of 4 done this month, 2 by now")]


def invite(app, tenant, person_id, days_ago, employer="Bol"):
    log(
        app,
        tenant,
        person_id,
        days_ago + 7,
        outcome="interview",
        employer=employer,
        outcome_at=NOW - timedelta(days=days_ago),
    )


def test_an_invitation_to_a_job_interview_is_a_moment_to_encourage(app, world):
    person = world()
    invited, long_ago, done, waiting = (person() for _ in range(4))
    invite(app, person.tenant, invited, 3)
    invite(app, person.tenant, long_ago, 15)
    invite(app, person.tenant, done, 5)
    log(app, person.tenant, done, 1, kind="interview")
    log(app, person.tenant, waiting, 3, outcome="waiting")
    found = werk_signals(app, person.tenant, [invited, long_ago, done, waiting], "werk.invited_to_interview")
    assert found[invited] == [(Severity.LOW, "Invited to a job interview at Bol: a moment to encourage")]
    assert found[long_ago] == found[done] == found[waiting] == []


def test_a_tenant_keeps_invitations_on_the_list_longer(app, world):
    person = world(**{"werk.invited_to_interview": {"days": 30}})
    invited = person()
    invite(app, person.tenant, invited, 15, employer=None)
    found = werk_signals(app, person.tenant, [invited], "werk.invited_to_interview")
    assert found[invited] == [(Severity.LOW, "Invited to a job interview: a moment to encourage")]


def test_available_for_work_soon(app, world):
    person = world()
    soon, later, past, unknown = (
        person(start_date=(TODAY + timedelta(days=10)).isoformat()),
        person(start_date=(TODAY + timedelta(days=20)).isoformat()),
        person(start_date=(TODAY - timedelta(days=1)).isoformat()),
        person(),
    )
    found = werk_signals(app, person.tenant, [soon, later, past, unknown], "werk.available_soon")
    assert found[soon] == [(Severity.LOW, "Available for work from 30 November: plan the search together")]
    assert found[later] == found[past] == found[unknown] == []


def test_a_tenant_looks_further_ahead_for_availability(app, world):
    person = world(**{"werk.available_soon": {"days": 30}})
    later = person(start_date=(TODAY + timedelta(days=20)).isoformat())
    found = werk_signals(app, person.tenant, [later], "werk.available_soon")
    assert found[later] == [(Severity.LOW, "Available for work from 10 December: plan the search together")]


def test_care_and_health_changes_are_life_events(app, world):
    person = world()
    changed, by_coach = person(), person()
    with app.app_context(), tenant_context(person.tenant):
        set_values(changed, {"werk.family_care": True}, source="person", audience="person")
        set_values(by_coach, {"werk.family_care": True}, source="coach", audience="coach")
    found = werk_signals(app, person.tenant, [changed, by_coach], "life_event", now=datetime.now(UTC))
    assert found[changed] == [
        (Severity.HIGH, "Reported a change: Do you care for a family member who needs help?")
    ]
    assert found[by_coach] == []


def test_a_tenant_without_the_werk_domain_gets_none_of_them(app, world, create_tenant, create_person):
    person = world()
    other = create_tenant(domains=[])
    theirs, ours = create_person(other), person(created=timedelta(days=60))
    with app.app_context(), tenant_context(other):
        session.execute(update(Person).where(Person.id == theirs).values(created_at=NOW - timedelta(days=60)))
        session.add(SearchActivity(person_id=theirs, kind="application", done_on=TODAY - timedelta(days=40)))
        session.commit()
    with app.app_context(), tenant_context(other), force_locale("en"):
        found = service.signals_of([theirs], now=NOW)
    assert not [s for s in found.get(theirs, []) if s.key.startswith("werk.")]
    mine = werk_signals(app, person.tenant, [ours], "werk.no_search_activity")
    assert mine[ours]  # the same situation in a werk tenant does signal


def test_each_rule_reads_a_caseload_with_the_same_queries_however_large(app, world):
    person = world()
    small = [person(readiness=4) for _ in range(2)]
    large = small + [person(readiness=4) for _ in range(10)]
    for person_id in large:
        agree(app, person.tenant, person_id)
        invite(app, person.tenant, person_id, 2)
    statements: list[str] = []

    def count(*_args, **_kwargs):
        statements.append("one")

    def queries(person_ids) -> dict[str, int]:
        used = {}
        with app.test_request_context(), tenant_context(person.tenant), force_locale("en"):
            engine = session.get_bind()
            for rule in WERK_SIGNALS:
                context = SignalContext(
                    person.tenant, person_ids, NOW, rule.defaults, dict.fromkeys(person_ids, (None, NOW))
                )
                event.listen(engine, "before_cursor_execute", count)
                try:
                    statements.clear()
                    rule.evaluate(context)
                finally:
                    event.remove(engine, "before_cursor_execute", count)
                used[rule.key] = len(statements)
        return used

    assert queries(small) == queries(large)
