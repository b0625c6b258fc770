"""Signals of conversations (an unanswered question, an appointment soon or missed) and the timeline."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale
from sqlalchemy import update

from aandacht.accounts.principal import Principal
from aandacht.attention import service as attention
from aandacht.attention.signals import Severity
from aandacht.conversations import appointments, service
from aandacht.conversations.models import Appointment, ConversationMessage
from aandacht.db import session, utcnow
from aandacht.tenancy.context import tenant_context
from tests.conversations.conftest import EN


def coach_of(cast) -> Principal:
    return Principal(kind="staff", id=cast.coach, role="coach", display_name="Carla Coach")


def person_of(cast) -> Principal:
    return Principal(kind="person", id=cast.person, role="resident")


def written(app, cast, author, body, hours_ago):
    with app.test_request_context(), tenant_context(cast.tenant):
        message = service.write(cast.person, author=author, body=body)
        message.created_at = utcnow() - timedelta(hours=hours_ago)
        session.commit()


def signals(app, cast, key, tenant=None):
    with app.test_request_context(), tenant_context(tenant or cast.tenant), force_locale("en"):
        found = attention.signals_of([cast.person], now=utcnow())
    return [(s.severity, s.reason) for s in found.get(cast.person, []) if s.key == key]


def test_a_question_waits_for_an_answer_from_the_threshold_on(app, cast):
    written(app, cast, person_of(cast), "Kunt u mij bellen?", hours_ago=30)
    assert signals(app, cast, "unanswered_question") == []
    with app.app_context(), tenant_context(cast.tenant):
        session.execute(update(ConversationMessage).values(created_at=utcnow() - timedelta(hours=50)))
        session.commit()
    assert signals(app, cast, "unanswered_question") == [
        (Severity.MEDIUM, "Waiting 2 days for an answer from the coach")
    ]
    with app.app_context(), tenant_context(cast.tenant):
        session.execute(update(ConversationMessage).values(created_at=utcnow() - timedelta(hours=100)))
        session.commit()
    assert signals(app, cast, "unanswered_question")[0][0] == Severity.HIGH


def test_a_coachs_answer_ends_the_wait_and_a_later_question_starts_a_new_one(app, cast):
    written(app, cast, person_of(cast), "Vraag 1", hours_ago=80)
    written(app, cast, coach_of(cast), "Antwoord", hours_ago=70)
    assert signals(app, cast, "unanswered_question") == []
    written(app, cast, person_of(cast), "Vraag 2", hours_ago=60)
    assert signals(app, cast, "unanswered_question") == [
        (Severity.MEDIUM, "Waiting 2 days for an answer from the coach")
    ]


def test_the_tenants_threshold_counts_in_hours(app, cast, create_tenant, create_person, create_staff):
    tenant = create_tenant(attention={"unanswered_question": {"hours": 4}})
    person = create_person(tenant)
    coach = create_staff(tenant, caseload=[person])
    quick = type(cast)(tenant, person, coach, cast.other_coach)
    written(app, quick, person_of(quick), "Snel graag", hours_ago=5)
    assert signals(app, quick, "unanswered_question") == [
        (Severity.MEDIUM, "Waiting 5 hours for an answer from the coach")
    ]


def make_appointment(app, cast, *, hours_from_now, status):
    with app.test_request_context(), tenant_context(cast.tenant):
        invitation = appointments.Invitation("meeting", utcnow() + timedelta(days=2), place="Stadhuis")
        appointment = appointments.invite(cast.person, by=coach_of(cast), invitation=invitation)
        appointment.starts_at = utcnow() + timedelta(hours=hours_from_now)
        appointment.status = status
        session.commit()


def test_an_appointment_soon_is_low_when_agreed_and_medium_when_not(app, cast):
    make_appointment(app, cast, hours_from_now=30, status="accepted")
    assert signals(app, cast, "appointment") == []
    with app.app_context(), tenant_context(cast.tenant):
        session.execute(update(Appointment).values(starts_at=utcnow() + timedelta(hours=20)))
        session.commit()
    [(severity, reason)] = signals(app, cast, "appointment")
    assert severity == Severity.LOW and reason.startswith("Appointment ")
    with app.app_context(), tenant_context(cast.tenant):
        session.execute(update(Appointment).values(status="invited"))
        session.commit()
    [(severity, reason)] = signals(app, cast, "appointment")
    assert severity == Severity.MEDIUM and reason.endswith(", not yet agreed")


def test_a_no_show_is_a_high_signal_for_two_weeks(app, cast):
    make_appointment(app, cast, hours_from_now=-24 * 3, status="no_show")
    [(severity, reason)] = signals(app, cast, "appointment")
    assert severity == Severity.HIGH and reason.startswith("Did not come to the appointment of ")
    with app.app_context(), tenant_context(cast.tenant):
        session.execute(update(Appointment).values(starts_at=utcnow() - timedelta(days=15)))
        session.commit()
    assert signals(app, cast, "appointment") == []


def test_the_no_show_puts_the_person_on_top_of_the_worklist(app, cast, as_coach, create_person):
    make_appointment(app, cast, hours_from_now=-5, status="no_show")
    page = as_coach.get(cast.url("/workspace/"), headers=EN).text
    assert "Did not come to the appointment of" in page


def test_the_timeline_shows_messages_and_appointments(app, cast, as_coach):
    written(app, cast, person_of(cast), "Mag ik iets vragen?", hours_ago=3)
    written(app, cast, coach_of(cast), "Natuurlijk!", hours_ago=2)
    make_appointment(app, cast, hours_from_now=-1, status="attended")
    page = as_coach.get(cast.url(f"/workspace/people/{cast.person}"), headers=EN).text
    timeline = page.split('data-testid="timeline-entries"')[1].split("</ol>")[0]
    assert "Conversation: the person wrote" in timeline and "Mag ik iets vragen?" in timeline
    assert "Conversation: the coach wrote" in timeline and "Natuurlijk!" in timeline
    assert "Meeting on " in timeline and "Came" in timeline
    assert timeline.index("Meeting on ") < timeline.index("Natuurlijk!") < timeline.index("Mag ik iets")
