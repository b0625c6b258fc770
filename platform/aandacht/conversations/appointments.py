"""Appointments: a coach invites, the person accepts or proposes another time, either side cancels.

The flow: `invite` (status invited) → the person `accept`s (accepted) or `propose`s another time
(proposed) → the coach `accept`s the proposal or `reschedule`s (invited again). Before the time,
`send_reminders` (a periodic job) reminds the person once; after it, the coach records whether the
person came (`record_outcome`: attended, or no_show, which becomes an attention signal). Either side
may `cancel` with a reason until then. Every change the person must know of is sent to them with the
calendar file; each function runs in the caller's transaction (the job commits its own).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from aandacht.accounts.models import StaffMember
from aandacht.accounts.principal import Principal
from aandacht.attention import service as attention
from aandacht.conversations import ics
from aandacht.conversations.models import APPOINTMENT_KINDS, Appointment
from aandacht.conversations.notify import notify
from aandacht.conversations.service import NotFound, may_converse
from aandacht.db import one_of, session, utcnow
from aandacht.tenancy.context import require_tenant
from aandacht.tenancy.scoping import get_scoped

#: How long before the time the person is reminded.
REMINDER_BEFORE = timedelta(hours=24)
#: An appointment lasts 5 minutes to 4 hours, and is planned at most a year ahead.
SHORTEST, LONGEST, FURTHEST = 5, 240, timedelta(days=366)
LONGEST_TEXT = 500
#: The states in which the appointment is still to come and can change.
OPEN = ("invited", "proposed", "accepted")
#: Each state of an appointment in words, with its icon.
STATUS_NAMES = {
    "invited": ("mail-forward", _l("Invited")),
    "proposed": ("calendar-question", _l("Other time proposed")),
    "accepted": ("calendar-check", _l("Accepted")),
    "cancelled": ("calendar-x", _l("Called off")),
    "attended": ("user-check", _l("Came")),
    "no_show": ("user-x", _l("Did not come")),
}
KIND_NAMES = {"meeting": ("users", _l("Meeting")), "phone": ("phone", _l("Phone call"))}


class AppointmentInvalid(ValueError):
    """The appointment cannot be made as asked; `errors` says why per field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


class WrongState(ValueError):
    """The appointment's state does not allow this (accepting a cancelled one, a no-show in advance)."""


@dataclass(frozen=True)
class Invitation:
    """What a coach fills in to invite."""

    kind: str
    starts_at: datetime | None
    minutes: int = 30
    place: str = ""
    phone: str = ""
    note: str = ""


def check_invitation(invitation: Invitation, now: datetime) -> dict[str, str]:
    """Why the invitation cannot be sent, per field (empty: it can)."""
    errors: dict[str, str] = {}
    if invitation.kind not in APPOINTMENT_KINDS:
        errors["kind"] = _("Choose a meeting or a phone call.")
    errors.update(_time_errors("starts_at", invitation.starts_at, now))
    if not SHORTEST <= invitation.minutes <= LONGEST:
        errors["minutes"] = _("An appointment lasts %(low)d to %(high)d minutes.", low=SHORTEST, high=LONGEST)
    if invitation.kind == "meeting" and not 0 < len(invitation.place.strip()) <= 300:
        errors["place"] = _("Say where you meet (at most 300 characters).")
    if invitation.kind == "phone" and not 0 < len(invitation.phone.strip()) <= 40:
        errors["phone"] = _("Give the phone number you call (at most 40 characters).")
    if len(invitation.note) > 2000:
        errors["note"] = _("Write a note of at most %(count)d characters.", count=2000)
    return errors


def _time_errors(field: str, moment: datetime | None, now: datetime) -> dict[str, str]:
    if moment is None:
        return {field: _("Choose a day and time.")}
    if moment <= now:
        return {field: _("Choose a moment in the future.")}
    if moment > now + FURTHEST:
        return {field: _("Choose a moment within a year.")}
    return {}


def _reason(text: str) -> str:
    text = text.strip()
    if not 0 < len(text) <= LONGEST_TEXT:
        raise AppointmentInvalid(
            {"reason": _("Say why, in at most %(count)d characters.", count=LONGEST_TEXT)}
        )
    return text


def appointments_of(person_id: uuid.UUID, *, limit: int = 50) -> list[Appointment]:
    """The person's appointments, the latest time first."""
    query = (
        select(Appointment)
        .where(Appointment.person_id == person_id)
        .order_by(Appointment.starts_at.desc())
        .limit(limit)
    )
    return list(session.execute(query).scalars())


def appointment_for(principal: Principal, appointment_id: uuid.UUID) -> Appointment:
    """The appointment, when `principal` takes part in its conversation; raises NotFound."""
    found = get_scoped(Appointment, appointment_id)
    if found is None or not may_converse(principal, found.person_id):
        raise NotFound(str(appointment_id))
    return found


def invite(person_id: uuid.UUID, *, by: Principal, invitation: Invitation) -> Appointment:
    """A coach invites the person, who gets it with its calendar file; raises NotFound, AppointmentInvalid."""
    if by.kind != "staff" or not may_converse(by, person_id):
        raise NotFound(str(person_id))
    now = utcnow()
    errors = check_invitation(invitation, now)
    if errors:
        raise AppointmentInvalid(errors)
    assert invitation.starts_at is not None  # noqa: S101 - checked above
    appointment = Appointment(
        person_id=person_id,
        staff_id=by.id,
        kind=invitation.kind,
        status="invited",
        starts_at=invitation.starts_at,
        minutes=invitation.minutes,
        place=invitation.place.strip() or None if invitation.kind == "meeting" else None,
        phone=invitation.phone.strip() or None if invitation.kind == "phone" else None,
        note=invitation.note.strip() or None,
        sequence=0,
        created_at=now,
        updated_at=now,
    )
    session.add(appointment)
    session.flush()
    _tell(appointment, "invited")
    return appointment


def _require(appointment: Appointment, allowed: Sequence[str]) -> None:
    if appointment.status not in allowed:
        raise WrongState(appointment.status)


def _changed(appointment: Appointment, status: str, *, new_time: bool = False) -> None:
    appointment.status = status
    appointment.updated_at = utcnow()
    appointment.sequence += 1
    if new_time:
        appointment.reminder_sent_at = None  # a new time gets its own reminder


def accept(appointment: Appointment, *, by: Principal) -> Appointment:
    """The person accepts the invitation; or a coach accepts the person's proposed time."""
    if by.kind == "person":
        _require(appointment, ("invited",))
        _changed(appointment, "accepted")
        return appointment
    _require(appointment, ("proposed",))
    assert appointment.proposed_starts_at is not None  # noqa: S101 - a proposal has its time
    if appointment.proposed_starts_at <= utcnow():
        raise AppointmentInvalid({"starts_at": _("The proposed moment has passed; choose another.")})
    appointment.starts_at = appointment.proposed_starts_at
    appointment.proposed_starts_at = None
    _changed(appointment, "accepted", new_time=True)
    session.flush()
    _tell(appointment, "accepted")
    return appointment


def propose(
    appointment: Appointment, *, by: Principal, starts_at: datetime | None, note: str = ""
) -> Appointment:
    """The person asks for another time (with a few words, if they like)."""
    if by.kind != "person":
        raise WrongState(appointment.status)
    _require(appointment, ("invited", "accepted"))
    errors = _time_errors("starts_at", starts_at, utcnow())
    if len(note) > LONGEST_TEXT:
        errors["note"] = _("Write at most %(count)d characters.", count=LONGEST_TEXT)
    if errors:
        raise AppointmentInvalid(errors)
    appointment.proposed_starts_at = starts_at
    appointment.proposal_note = note.strip() or None
    appointment.status = "proposed"
    appointment.updated_at = utcnow()
    return appointment


def reschedule(appointment: Appointment, *, by: Principal, starts_at: datetime | None) -> Appointment:
    """A coach picks another time (instead of the person's proposal, or of their own): invited again."""
    if by.kind != "staff":
        raise WrongState(appointment.status)
    _require(appointment, OPEN)
    errors = _time_errors("starts_at", starts_at, utcnow())
    if errors:
        raise AppointmentInvalid(errors)
    assert starts_at is not None  # noqa: S101 - checked above
    appointment.starts_at = starts_at
    appointment.proposed_starts_at = None
    _changed(appointment, "invited", new_time=True)
    session.flush()
    _tell(appointment, "rescheduled")
    return appointment


def cancel(appointment: Appointment, *, by: Principal, reason: str) -> Appointment:
    """Either side calls the appointment off, saying why; the person gets the cancellation from a coach."""
    _require(appointment, OPEN)
    appointment.cancel_reason = _reason(reason)
    appointment.cancelled_by = "person" if by.kind == "person" else "staff"
    _changed(appointment, "cancelled")
    session.flush()
    if by.kind != "person":
        _tell(appointment, "cancelled")
    return appointment


def record_outcome(appointment: Appointment, *, by: Principal, attended: bool) -> Appointment:
    """After its time, a coach records whether the person came; a visit counts as a contact moment."""
    if by.kind != "staff":
        raise WrongState(appointment.status)
    _require(appointment, ("accepted", "invited", "attended", "no_show"))
    if appointment.starts_at > utcnow():
        raise WrongState(appointment.status)
    appointment.status = "attended" if attended else "no_show"
    appointment.updated_at = utcnow()
    if attended:
        attention.record_contact(
            person_id=appointment.person_id,
            staff_id=by.id or appointment.staff_id,
            kind="appointment",
            at=appointment.starts_at,
            source_id=appointment.id,
        )
    return appointment


def coach_name(appointment: Appointment) -> str:
    """The name of the coach the person meets."""
    staff = get_scoped(StaffMember, appointment.staff_id)
    return staff.display_name if staff else ""


def calendar_file(appointment: Appointment) -> bytes:
    """The appointment's calendar file as it stands."""
    return ics.calendar_file(
        appointment, coach_name=coach_name(appointment), organisation=require_tenant().name
    )


def when(appointment: Appointment, moment: datetime | None = None) -> str:
    """The moment in words, in the current language and time zone ("Tuesday 8 December, 10:00")."""
    return format_datetime(moment or appointment.starts_at, "EEEE d MMMM, HH:mm")


def _tell(appointment: Appointment, what: str) -> None:
    """Send the person the news of the appointment, with the calendar file as it now stands."""
    name = coach_name(appointment)

    def texts() -> tuple[str, str]:
        moment = when(appointment)
        where = (
            _("%(name)s calls you at %(number)s.", name=name, number=appointment.phone)
            if appointment.kind == "phone"
            else _("Place: %(place)s.", place=appointment.place)
        )
        subjects = {
            "invited": _("Invitation: %(when)s", when=moment),
            "rescheduled": _("New time for your appointment: %(when)s", when=moment),
            "accepted": _("Your appointment is set: %(when)s", when=moment),
            "cancelled": _("Appointment cancelled: %(when)s", when=moment),
            "reminder": _("Reminder: appointment %(when)s", when=moment),
        }
        bodies = {
            "invited": _("%(name)s invites you for an appointment on %(when)s.", name=name, when=moment),
            "rescheduled": _("%(name)s proposes a new time: %(when)s.", name=name, when=moment),
            "accepted": _("%(name)s agrees to your time: %(when)s.", name=name, when=moment),
            "cancelled": _(
                "%(name)s cancelled the appointment. Reason: %(reason)s",
                name=name,
                reason=appointment.cancel_reason or "",
            ),
            "reminder": _(
                "Do not forget: your appointment with %(name)s is %(when)s.", name=name, when=moment
            ),
        }
        body = bodies[what] if what == "cancelled" else f"{bodies[what]} {where}"
        if what == "invited":
            body += " " + _("Open the app to say yes or to choose another time.")
        return subjects[what], body

    method = "CANCEL" if what == "cancelled" else "REQUEST"
    notify(
        appointment.person_id,
        texts=texts,
        actor_id=None if what == "reminder" else appointment.staff_id,
        key=f"appointment:{appointment.id}:{appointment.sequence}:{what}",
        attachments=[
            {
                "filename": ics.filename(appointment),
                "content_type": f"{ics.CONTENT_TYPE}; method={method}",
                "text": calendar_file(appointment).decode(),
            }
        ],
    )


def send_reminders(*, now: datetime | None = None) -> int:
    """The periodic job: remind each person of an appointment within `REMINDER_BEFORE`, once; how many.

    Each reminder is claimed by setting `reminder_sent_at` where it is still empty, in the transaction
    that decides the message: two runs at once, or a run repeated, send one reminder.
    """
    now = now or utcnow()
    due = session.execute(
        select(Appointment.id).where(
            one_of(Appointment.status, ["invited", "accepted"]),
            Appointment.reminder_sent_at.is_(None),
            Appointment.starts_at > now,
            Appointment.starts_at <= now + REMINDER_BEFORE,
        )
    ).scalars()
    sent = 0
    for appointment_id in list(due):
        claimed = session.execute(
            update(Appointment)
            .where(Appointment.id == appointment_id, Appointment.reminder_sent_at.is_(None))
            .values(reminder_sent_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed:
            appointment = get_scoped(Appointment, appointment_id)
            session.refresh(appointment)
            _tell(appointment, "reminder")
            sent += 1
        session.commit()
    return sent


def between(person_ids: Sequence[uuid.UUID], start: datetime, end: datetime) -> list[Appointment]:
    """The appointments of these people from `start` until `end`, cancelled ones left out; earliest first."""
    if not person_ids:
        return []
    query = select(Appointment).where(
        one_of(Appointment.person_id, list(person_ids)),
        Appointment.status != "cancelled",
        Appointment.starts_at >= start,
        Appointment.starts_at < end,
    )
    return list(session.execute(query.order_by(Appointment.starts_at)).scalars())


def upcoming_and_missed(
    person_ids: Sequence[uuid.UUID], *, now: datetime, upcoming_until: datetime, missed_since: datetime
) -> dict[uuid.UUID, list[Appointment]]:
    """Per person: open appointments before `upcoming_until` and no-shows since `missed_since`.

    One query for a whole caseload; soonest and latest first.
    """
    if not person_ids:
        return {}
    query = (
        select(Appointment)
        .where(
            one_of(Appointment.person_id, list(person_ids)),
            (one_of(Appointment.status, list(OPEN)) & (Appointment.starts_at > now))
            & (Appointment.starts_at <= upcoming_until)
            | ((Appointment.status == "no_show") & (Appointment.starts_at >= missed_since)),
        )
        .order_by(Appointment.starts_at)
    )
    found: dict[uuid.UUID, list[Appointment]] = {}
    for appointment in session.execute(query).scalars():
        found.setdefault(appointment.person_id, []).append(appointment)
    return found
