"""Gentle reminders for job seekers whose agreement with their coach falls behind (a daily job).

Positive first: the message says what the person did already and how little is left, once a week at
most, and only for agreements where the coach and the person agreed to reminders. It goes through the
outreach engine, so the person's preferred channel and opt-outs decide how it is sent.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale
from sqlalchemy import select

from aandacht.accounts.models import Person
from aandacht.db import session, utcnow
from aandacht.outreach.service import send_to_person
from aandacht.tenancy.context import require_tenant
from aandacht_werk.i18n import translations
from aandacht_werk.models import SearchAgreement
from aandacht_werk.service import AgreementStatus, agreement_status

_ = translations.gettext
#: No reminder in the first days of a month: the person gets a fair start.
FIRST_REMINDER_DAY = 8


def remind_behind(now: datetime | None = None) -> int:
    """Remind each person whose agreement is behind this month, at most once a week; returns how many."""
    now = now or utcnow()
    if now.day < FIRST_REMINDER_DAY:
        return 0
    person_ids = list(
        session.execute(
            select(SearchAgreement.person_id).where(SearchAgreement.reminders.is_(True)).distinct()
        ).scalars()
    )
    behind = {
        person_id: status
        for person_id, status in agreement_status(person_ids, now).items()
        if status.state == "behind" and status.reminders
    }
    people = session.execute(select(Person).where(Person.id.in_(list(behind)), Person.active.is_(True)))
    week = (now.day - 1) // 7
    sent = 0
    for person in people.scalars():
        status = behind[person.id]
        with force_locale(person.locale or require_tenant().locales[0]):
            subject, body = reminder_text(status)
        send_to_person(
            person.id,
            subject=subject,
            body=body,
            actor_id=None,
            idempotency_key=f"werk-reminder:{status.agreement_id}:{status.period_start:%Y-%m}:{week}",
        )
        sent += 1
    session.commit()
    return sent


def reminder_text(status: AgreementStatus) -> tuple[str, str]:
    """The subject and text of a reminder: what is done first, then the small step that is left."""
    subject = _("Job search: you are on your way")
    if status.done:
        start = _(
            "You have done %(done)d of the %(target)d applications this month. Well done!",
            done=status.done,
            target=status.target,
        )
    else:
        start = _("This month you agreed to do %(target)d applications.", target=status.target)
    body = " ".join(
        (
            start,
            _("Can you do one more this week?"),
            _("Open the app and choose Job search. Logging it takes one tap."),
        )
    )
    return subject, body
