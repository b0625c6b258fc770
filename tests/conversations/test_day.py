"""The coach's start page: whose question waits for an answer, and the appointments of today."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import update

from aandacht.accounts.principal import Principal
from aandacht.conversations import appointments, service
from aandacht.conversations.models import Appointment
from aandacht.db import session, utcnow
from aandacht.tenancy.context import tenant_context
from tests.api.helpers import log_in
from tests.conversations.conftest import EN


def panel(client, cast, test_id):
    """The words of the start page's list `test_id`, or None when the page has no such list."""
    page = client.get(cast.url("/workspace/"), headers=EN).get_data(as_text=True)
    found = re.search(rf'<ul [^>]*data-testid="{test_id}">(.*?)</ul>', page, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else None


def person(cast) -> Principal:
    return Principal(kind="person", id=cast.person, role="resident")


def invited(app, cast, *, moved_to):
    """An appointment invited for tomorrow, then moved to `moved_to` (so it can lie earlier today)."""
    coach = Principal(kind="staff", id=cast.coach, role="coach", display_name="Carla Coach")
    tomorrow = utcnow() + timedelta(days=1)
    invitation = appointments.Invitation(kind="phone", starts_at=tomorrow, phone="0612345678")
    with app.test_request_context(), tenant_context(cast.tenant):
        appointment = appointments.invite(cast.person, by=coach, invitation=invitation)
        moved = update(Appointment).where(Appointment.id == appointment.id).values(starts_at=moved_to)
        session.execute(moved)
        session.commit()


def test_a_waiting_question_shows_until_the_coach_answers(app, cast, as_coach):
    assert panel(as_coach, cast, "waiting-messages") is None
    with app.test_request_context(), tenant_context(cast.tenant):
        service.write(cast.person, author=person(cast), body="Hulp?")
        session.commit()
    assert "Anna de Vries" in panel(as_coach, cast, "waiting-messages")
    assert "1 message waits since" in panel(as_coach, cast, "waiting-messages")
    with app.test_request_context(), tenant_context(cast.tenant):
        coach = Principal(kind="staff", id=cast.coach, role="coach", display_name="Carla Coach")
        service.write(cast.person, author=coach, body="Ik bel je.")
        session.commit()
    assert panel(as_coach, cast, "waiting-messages") is None


def test_todays_appointments_show_and_tomorrows_do_not(app, cast, as_coach):
    invited(app, cast, moved_to=utcnow() + timedelta(days=1, hours=1))
    assert panel(as_coach, cast, "appointments-today") is None
    invited(app, cast, moved_to=utcnow())
    assert "Anna de Vries" in panel(as_coach, cast, "appointments-today")
    assert "Invited" in panel(as_coach, cast, "appointments-today")


def test_another_coachs_start_page_shows_none_of_it(app, cast):
    invited(app, cast, moved_to=utcnow())
    with app.test_request_context(), tenant_context(cast.tenant):
        service.write(cast.person, author=person(cast), body="Hulp?")
        session.commit()
    outsider = app.test_client()
    log_in(outsider, cast.tenant, "staff", cast.other_coach)
    assert panel(outsider, cast, "waiting-messages") is None
    assert panel(outsider, cast, "appointments-today") is None
