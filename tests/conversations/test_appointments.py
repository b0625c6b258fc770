"""Appointments: invite, accept or propose another time, reminders once, no-shows, cancelling, the .ics."""

from __future__ import annotations

from datetime import timedelta

import icalendar
from sqlalchemy import update

from aandacht.conversations import appointments
from aandacht.conversations.models import Appointment
from aandacht.db import session, utcnow
from aandacht.outreach import service as outreach
from aandacht.outreach.limits import time_zone
from aandacht.tenancy.context import tenant_context
from aandacht.tenancy.scoping import get_scoped
from tests.api.helpers import log_in
from tests.conversations.conftest import EN
from tests.helpers import csrf_token


def local(cast, moment) -> str:
    return moment.astimezone(time_zone(cast.tenant)).strftime("%Y-%m-%dT%H:%M")


def in_days(days: float):
    return (utcnow() + timedelta(days=days)).replace(second=0, microsecond=0)


def invite(client, cast, starts_at, **fields):
    token = csrf_token(client.get(cast.conversation(), headers=EN))
    data = {
        "kind": "meeting",
        "starts_at": local(cast, starts_at),
        "minutes": "45",
        "place": "Stadhuis, balie 3",
    }
    data.update(fields, csrf_token=token)
    return client.post(cast.url(f"/workspace/people/{cast.person}/appointments"), data=data, headers=EN)


def the_appointment(app, cast) -> Appointment:
    with app.app_context(), tenant_context(cast.tenant):
        [found] = appointments.appointments_of(cast.person)
        session.expunge_all()
        return found


def person_answers(client, cast, appointment_id, **data):
    token = csrf_token(client.get(cast.url("/app/conversation/"), headers=EN))
    url = cast.url(f"/app/conversation/appointments/{appointment_id}")
    return client.post(url, data={**data, "csrf_token": token}, headers=EN)


def coach_changes(client, cast, appointment_id, **data):
    token = csrf_token(client.get(cast.conversation(), headers=EN))
    url = cast.url(f"/workspace/people/{cast.person}/appointments/{appointment_id}")
    return client.post(url, data={**data, "csrf_token": token}, headers=EN)


def notices(app, cast):
    with app.app_context(), tenant_context(cast.tenant):
        found = list(reversed(outreach.messages_of(cast.person)))
        session.expunge_all()
        return found


def test_the_invitation_reaches_the_person_with_its_calendar_file(app, cast, as_coach, as_person):
    starts = in_days(3)
    assert invite(as_coach, cast, starts, note="Neem je cv mee").status_code == 302
    appointment = the_appointment(app, cast)
    assert (appointment.status, appointment.starts_at, appointment.minutes) == ("invited", starts, 45)
    [notice] = notices(app, cast)
    assert notice.subject.startswith("Invitation: ") and "Stadhuis, balie 3" in notice.body
    [attached] = notice.payload["attachments"]
    assert attached["content_type"] == "text/calendar; method=REQUEST"
    event = icalendar.Calendar.from_ical(attached["text"]).walk("VEVENT")[0]
    assert event.decoded("dtstart") == starts and str(event["location"]) == "Stadhuis, balie 3"
    page = as_person.get(cast.url("/app/conversation/"), headers=EN).text
    assert 'data-testid="app-appointment"' in page and "Neem je cv mee" in page


def test_an_invitation_needs_a_future_time_and_a_place_or_a_number(app, cast, as_coach):
    past = invite(as_coach, cast, in_days(-1))
    assert past.status_code == 400 and "Choose a moment in the future." in past.text
    nowhere = invite(as_coach, cast, in_days(2), place="")
    assert nowhere.status_code == 400 and "Say where you meet" in nowhere.text
    no_number = invite(as_coach, cast, in_days(2), kind="phone", phone="")
    assert no_number.status_code == 400 and "Give the phone number you call" in no_number.text
    with app.app_context(), tenant_context(cast.tenant):
        assert appointments.appointments_of(cast.person) == []


def test_accept_propose_and_the_coach_accepts_the_proposal(app, cast, as_coach, as_person):
    invite(as_coach, cast, in_days(3))
    appointment = the_appointment(app, cast)
    assert person_answers(as_person, cast, appointment.id, action="accept").status_code == 302
    assert the_appointment(app, cast).status == "accepted"
    later = in_days(5)
    proposed = person_answers(
        as_person, cast, appointment.id, action="propose", starts_at=local(cast, later), note="Dan kan ik"
    )
    assert proposed.status_code == 302
    found = the_appointment(app, cast)
    assert (found.status, found.proposed_starts_at, found.proposal_note) == ("proposed", later, "Dan kan ik")
    assert (
        "Dan kan ik" in as_coach.get(cast.conversation(), headers=EN).text.split('data-testid="proposal"')[1]
    )
    assert coach_changes(as_coach, cast, appointment.id, action="accept").status_code == 302
    found = the_appointment(app, cast)
    assert (found.status, found.starts_at, found.proposed_starts_at) == ("accepted", later, None)
    assert found.sequence == 2
    assert notices(app, cast)[-1].subject.startswith("Your appointment is set: ")


def test_the_coach_picks_another_time_instead_and_the_person_is_invited_again(app, cast, as_coach, as_person):
    invite(as_coach, cast, in_days(3))
    appointment = the_appointment(app, cast)
    person_answers(as_person, cast, appointment.id, action="propose", starts_at=local(cast, in_days(4)))
    other = in_days(6)
    assert (
        coach_changes(
            as_coach, cast, appointment.id, action="reschedule", starts_at=local(cast, other)
        ).status_code
        == 302
    )
    found = the_appointment(app, cast)
    assert (found.status, found.starts_at) == ("invited", other)
    assert notices(app, cast)[-1].subject.startswith("New time for your appointment: ")


def test_either_side_cancels_with_a_reason(app, cast, as_coach, as_person):
    invite(as_coach, cast, in_days(3))
    appointment = the_appointment(app, cast)
    no_reason = person_answers(as_person, cast, appointment.id, action="cancel", reason=" ")
    assert no_reason.status_code == 400 and the_appointment(app, cast).status == "invited"
    assert (
        person_answers(as_person, cast, appointment.id, action="cancel", reason="Ik ben ziek").status_code
        == 302
    )
    found = the_appointment(app, cast)
    assert (found.status, found.cancelled_by, found.cancel_reason) == ("cancelled", "person", "Ik ben ziek")
    assert "Ik ben ziek" in as_coach.get(cast.conversation(), headers=EN).text
    # A cancelled appointment cannot be accepted any more.
    person_answers(as_person, cast, appointment.id, action="accept")
    assert the_appointment(app, cast).status == "cancelled"


def test_the_coach_cancels_and_the_person_gets_the_cancellation_for_the_calendar(app, cast, as_coach):
    invite(as_coach, cast, in_days(3))
    appointment = the_appointment(app, cast)
    assert (
        coach_changes(as_coach, cast, appointment.id, action="cancel", reason="Ik ben op cursus").status_code
        == 302
    )
    notice = notices(app, cast)[-1]
    assert notice.subject.startswith("Appointment cancelled") and "Ik ben op cursus" in notice.body
    [attached] = notice.payload["attachments"]
    calendar = icalendar.Calendar.from_ical(attached["text"])
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["method"]) == "CANCEL" and str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == f"{appointment.id}@aandacht" and int(event["sequence"]) == 1


def test_a_reminder_goes_out_once_however_often_the_job_runs(app, cast, as_coach):
    invite(as_coach, cast, in_days(3))
    soon = in_days(0.5)
    invite(as_coach, cast, soon, kind="phone", phone="+31 6 1234 5678")
    with app.app_context(), tenant_context(cast.tenant):
        assert appointments.send_reminders() == 1
        assert appointments.send_reminders() == 0
        assert appointments.send_reminders(now=utcnow() + timedelta(hours=1)) == 0
    reminders = [n for n in notices(app, cast) if n.subject.startswith("Reminder")]
    assert len(reminders) == 1 and "+31 6 1234 5678" in reminders[0].body
    assert reminders[0].sender_id is None  # a system message, not a coach's personal one


def test_a_new_time_gets_its_own_reminder(app, cast, as_coach):
    invite(as_coach, cast, in_days(0.5))
    appointment = the_appointment(app, cast)
    with app.app_context(), tenant_context(cast.tenant):
        assert appointments.send_reminders() == 1
    coach_changes(as_coach, cast, appointment.id, action="reschedule", starts_at=local(cast, in_days(0.7)))
    with app.app_context(), tenant_context(cast.tenant):
        assert appointments.send_reminders() == 1


def test_after_the_time_the_coach_records_a_visit_or_a_no_show(app, cast, as_coach):
    from aandacht.attention import service as attention

    invite(as_coach, cast, in_days(1))
    appointment = the_appointment(app, cast)
    early = coach_changes(as_coach, cast, appointment.id, action="no_show")
    assert early.status_code == 302 and the_appointment(app, cast).status == "invited"  # not before the time
    with app.app_context(), tenant_context(cast.tenant):
        session.execute(update(Appointment).values(starts_at=utcnow() - timedelta(hours=2)))
        session.commit()
    assert 'data-testid="no-show"' in as_coach.get(cast.conversation(), headers=EN).text
    assert coach_changes(as_coach, cast, appointment.id, action="attended").status_code == 302
    assert the_appointment(app, cast).status == "attended"
    with app.app_context(), tenant_context(cast.tenant):
        assert [moment.kind for moment in attention.contacts_of(cast.person)] == ["appointment"]


def test_only_the_conversation_sees_an_appointment_and_its_calendar_file(
    app, cast, as_coach, as_person, create_person
):
    invite(as_coach, cast, in_days(2))
    appointment = the_appointment(app, cast)
    own = as_person.get(cast.url(f"/app/conversation/appointments/{appointment.id}.ics"))
    assert own.status_code == 200 and own.mimetype == "text/calendar" and b"BEGIN:VEVENT" in own.data
    stranger = app.test_client()
    log_in(stranger, cast.tenant, "person", create_person(cast.tenant))
    assert stranger.get(cast.url(f"/app/conversation/appointments/{appointment.id}.ics")).status_code == 404
    outsider = app.test_client()
    log_in(outsider, cast.tenant, "staff", cast.other_coach)
    url = cast.url(f"/workspace/people/{cast.person}/appointments/{appointment.id}")
    assert outsider.get(url + ".ics").status_code == 404
    assert outsider.post(url, data={"action": "cancel", "reason": "x"}).status_code in (400, 404)
    assert the_appointment(app, cast).status == "invited"


def test_the_calendar_file_describes_the_appointment(app, cast, as_coach):
    starts = in_days(2)
    invite(as_coach, cast, starts, kind="phone", phone="020 123 4567", note="Over je sollicitatie")
    appointment = the_appointment(app, cast)
    with app.test_request_context(headers=EN), tenant_context(cast.tenant):
        found = get_scoped(Appointment, appointment.id)
        calendar = icalendar.Calendar.from_ical(appointments.calendar_file(found))
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["method"]) == "REQUEST" and str(event["status"]) == "TENTATIVE"
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=45)
    assert str(event["summary"]) == "Phone call with Carla Coach"
    assert str(event["location"]) == "By phone: 020 123 4567"
    assert str(event["description"]) == "Over je sollicitatie"
    assert event.walk("VALARM")[0].decoded("trigger") == timedelta(hours=-1)


def test_the_invitation_mail_carries_the_calendar_file(outreach_app, cast, mailbox):
    client = outreach_app.test_client()
    log_in(client, cast.tenant, "staff", cast.coach)
    starts = in_days(2)
    assert invite(client, cast, starts).status_code == 302
    [mail] = mailbox.to("anna@example.nl")
    assert mail["Subject"].startswith("Invitation: ")
    [attached] = [part for part in mail.iter_attachments() if part.get_content_type() == "text/calendar"]
    assert attached.get_param("method") == "REQUEST" and attached.get_filename().endswith(".ics")
    event = icalendar.Calendar.from_ical(attached.get_content()).walk("VEVENT")[0]
    assert event.decoded("dtstart") == starts
