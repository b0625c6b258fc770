"""The core's timeline sources: answers, content, messages, conversation, appointments, contacts, notes.

Each reads through its engine's service and returns at most `query.limit` entries before `query.before`.
Use of content is summed per day: a person shown 500 items gets one line a day, not 500.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time

from flask import g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from aandacht.accounts.models import StaffMember
from aandacht.attention import service as attention
from aandacht.conversations import appointments
from aandacht.conversations import service as conversations
from aandacht.db import utcnow
from aandacht.outreach import service as outreach
from aandacht.outreach.workspace_views import CHANNEL_NAMES, STATUS_NAMES
from aandacht.people import service as notes
from aandacht.people.timeline import Entry, TimelineQuery, timeline_source
from aandacht.personalisation import events
from aandacht.profiles import service as profiles
from aandacht.profiles.presentation import SOURCE_NAMES, actor_names, profile_rows, value_text
from aandacht.research import service as research
from aandacht.segments.choices import INTERACTION_NAMES
from aandacht.tenancy.scoping import get_scoped

#: Each kind of contact moment in words, with its icon.
CONTACT_NAMES = {
    "message": ("mail", _l("Personal message")),
    "conversation": ("messages", _l("Conversation")),
    "phone": ("phone", _l("Phone call")),
    "meeting": ("users", _l("Meeting")),
    "appointment": ("calendar", _l("Appointment")),
    "other": ("dots", _l("Other contact")),
}


def staff_name(staff_id: uuid.UUID | None) -> str:
    """A staff member's name, or "" when there is none (an integration, a rule)."""
    return _names_in_request()[staff_id] if staff_id else ""


def _names_in_request() -> dict[uuid.UUID, str]:
    if "aandacht_staff_names" not in g:
        g.aandacht_staff_names = _StaffNames()
    return g.aandacht_staff_names


class _StaffNames(dict):
    """Staff names read once each in a request."""

    def __missing__(self, staff_id: uuid.UUID) -> str:
        staff = get_scoped(StaffMember, staff_id)
        self[staff_id] = staff.display_name if staff else ""
        return self[staff_id]


@timeline_source("answers")
def answers(query: TimelineQuery) -> list[Entry]:
    """Changes of the profile values the viewer may see: what changed, from what to what, by whom."""
    attributes = {row.attribute.key: row.attribute for row in profile_rows(query.person_id, query.audience)}
    changes = [
        change
        for change in profiles.history(query.person_id)
        if change.attribute_key in attributes and (query.before is None or change.changed_at < query.before)
    ][: query.limit]
    names = actor_names(changes)
    entries = []
    for change in changes:
        attribute = attributes[change.attribute_key]
        entries.append(
            Entry(
                at=change.changed_at,
                source="answers",
                icon="forms",
                title=str(attribute.label),
                detail=f"{value_text(attribute, change.old_value) or '—'} → "
                f"{value_text(attribute, change.new_value) or '—'}",
                actor=names.get(change.actor_id) or str(SOURCE_NAMES.get(change.source, change.source)),
            )
        )
    return entries


@timeline_source("content")
def content(query: TimelineQuery) -> list[Entry]:
    """The person's use of content, summed per day."""
    return [
        Entry(
            at=day.last_at,
            source="content",
            icon="news",
            title=_("Used the content of the app"),
            detail=", ".join(
                f"{INTERACTION_NAMES.get(kind, kind)} {count}" for kind, count in sorted(day.counts.items())
            ),
        )
        for day in events.activity_by_day(query.person_id, before=query.before, limit=query.limit)
    ]


@timeline_source("messages")
def messages(query: TimelineQuery) -> list[Entry]:
    """Messages to the person on every channel, with their state."""
    entries = []
    for message in outreach.messages_of(query.person_id, limit=query.limit, before=query.before):
        channel_icon, channel = CHANNEL_NAMES.get(message.channel, ("mail", message.channel))
        entries.append(
            Entry(
                at=message.created_at,
                source="messages",
                icon=channel_icon,
                title=_("Message (%(channel)s): %(subject)s", channel=channel, subject=message.subject),
                detail=str(STATUS_NAMES.get(message.status, ("", message.status))[1]),
                actor=staff_name(message.sender_id),
            )
        )
    return entries


@timeline_source("conversation")
def conversation(query: TimelineQuery) -> list[Entry]:
    """The messages of the person's conversation with their coaches, both ways."""
    found = conversations.messages_of(query.person_id, limit=query.limit, before=query.before)
    entries = []
    for message in found:
        staff = message.author == "staff"
        entries.append(
            Entry(
                at=message.created_at,
                source="conversation",
                icon="message-circle" if staff else "message-circle-user",
                title=_("Conversation: the coach wrote") if staff else _("Conversation: the person wrote"),
                detail=message.body[:300] or _("(a file)"),
                actor=staff_name(message.staff_id),
            )
        )
    return entries


@timeline_source("appointments")
def appointments_made(query: TimelineQuery) -> list[Entry]:
    """Appointments: at their time once it has come, before that on the day of the invitation."""
    now, entries = utcnow(), []
    for appointment in appointments.appointments_of(query.person_id, limit=200):
        at = appointment.starts_at if appointment.starts_at <= now else appointment.created_at
        if query.before is not None and at >= query.before:
            continue
        kind_icon, kind = appointments.KIND_NAMES[appointment.kind]
        entries.append(
            Entry(
                at=at,
                source="appointments",
                icon=kind_icon,
                title=_("%(kind)s on %(when)s", kind=kind, when=appointments.when(appointment)),
                detail=str(appointments.STATUS_NAMES[appointment.status][1]),
                actor=staff_name(appointment.staff_id),
            )
        )
    return sorted(entries, key=lambda entry: entry.at, reverse=True)[: query.limit]


@timeline_source("contacts")
def contacts(query: TimelineQuery) -> list[Entry]:
    """Contact moments of staff with the person."""
    entries = []
    for moment in attention.contacts_of(query.person_id, limit=query.limit, before=query.before):
        contact_icon, kind = CONTACT_NAMES.get(moment.kind, ("dots", moment.kind))
        entries.append(
            Entry(
                at=moment.at,
                source="contacts",
                icon=contact_icon,
                title=str(kind),
                detail=moment.note or "",
                actor=staff_name(moment.staff_id),
            )
        )
    return entries


@timeline_source("notes")
def staff_notes(query: TimelineQuery) -> list[Entry]:
    """The staff's notes (the timeline is a staff page; the person never sees it)."""
    return [
        Entry(
            at=note.created_at,
            source="notes",
            icon="note",
            title=_("Note"),
            detail=note.body,
            actor=staff_name(note.author_id),
        )
        for note in notes.notes_of(query.person_id, limit=query.limit, before=query.before)
    ]


@timeline_source("outcomes")
def outcomes(query: TimelineQuery) -> list[Entry]:
    """Outcomes of the person (work, study, an ended benefit), on the day they happened."""
    kinds = research.outcome_types()
    entries = []
    for outcome in research.outcomes_of(query.person_id):
        at = datetime.combine(outcome.occurred_on, time(12), tzinfo=UTC)
        if query.before is not None and at >= query.before:
            continue
        kind = kinds.get(outcome.type_key)
        words = kind.details_in_words(outcome.details) if kind else []
        entries.append(
            Entry(
                at=at,
                source="outcomes",
                icon=kind.icon if kind else "flag",
                title=_("Outcome: %(outcome)s", outcome=kind.label if kind else outcome.type_key),
                detail="\n".join(
                    [*(f"{label}: {value}" for label, value in words), outcome.note or ""]
                ).strip(),
                actor=staff_name(outcome.recorded_by),
            )
        )
    return entries[: query.limit]
