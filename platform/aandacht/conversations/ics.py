"""The calendar file (.ics, RFC 5545) of an appointment, made with the `icalendar` library.

The same event keeps its UID through every change, and its SEQUENCE rises with each one, so a
calendar program that got the invitation updates that event (a new time, or a cancellation)
instead of adding a second one.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from icalendar import Alarm, Calendar, Event, vCalAddress, vText

from aandacht.conversations.models import Appointment
from aandacht.db import utcnow

#: The media type of a calendar file.
CONTENT_TYPE = "text/calendar"
_STATUS = {"invited": "TENTATIVE", "proposed": "TENTATIVE", "accepted": "CONFIRMED", "cancelled": "CANCELLED"}


def summary(appointment: Appointment, coach_name: str) -> str:
    """What the appointment is, in the calendar's title."""
    if appointment.kind == "phone":
        return _("Phone call with %(name)s", name=coach_name)
    return _("Appointment with %(name)s", name=coach_name)


def calendar_file(appointment: Appointment, *, coach_name: str, organisation: str) -> bytes:
    """The appointment as a calendar file: a request for it, or its cancellation."""
    cancelled = appointment.status == "cancelled"
    calendar = Calendar()
    calendar.add("prodid", f"-//{organisation}//Aandacht//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", f"{appointment.id}@aandacht")
    event.add("dtstamp", utcnow())
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.starts_at + timedelta(minutes=appointment.minutes))
    event.add("sequence", appointment.sequence)
    event.add("status", _STATUS.get(appointment.status, "CONFIRMED"))
    event.add("summary", summary(appointment, coach_name))
    if appointment.kind == "phone":
        event.add("location", _("By phone: %(number)s", number=appointment.phone or ""))
    elif appointment.place:
        event.add("location", appointment.place)
    if appointment.note:
        event.add("description", appointment.note)
    organiser = vCalAddress("mailto:noreply@aandacht.invalid")
    organiser.params["cn"] = vText(f"{coach_name} ({organisation})")
    event.add("organizer", organiser)
    if not cancelled:
        event.add_component(_reminder())
    calendar.add_component(event)
    return calendar.to_ical()


def _reminder() -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", _("Appointment"))
    alarm.add("trigger", timedelta(hours=-1))
    return alarm


def filename(appointment: Appointment) -> str:
    """The calendar file's name."""
    return f"afspraak-{appointment.starts_at:%Y%m%d-%H%M}.ics"
