"""Staff notes about a person: write, change and delete one's own, read them (the only code others call).

Each function runs in the caller's transaction and does not commit. Notes are read only here and only
by the workspace; the person's app, downloads and API never call `notes_of`.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select

from aandacht.db import session, utcnow
from aandacht.people.models import StaffNote
from aandacht.tenancy.scoping import get_scoped

#: The longest note; a longer text belongs in the organisation's case file system.
LONGEST_NOTE = 4000


class NoteInvalid(ValueError):
    """The note is empty or too long."""


class NotYours(LookupError):
    """There is no such note of this person, or it is another staff member's."""


def _clean(body: str) -> str:
    body = body.strip()
    if not body or len(body) > LONGEST_NOTE:
        raise NoteInvalid(body)
    return body


def add_note(*, person_id: uuid.UUID, author_id: uuid.UUID, body: str) -> StaffNote:
    """Write a note about the person; raises NoteInvalid."""
    note = StaffNote(person_id=person_id, author_id=author_id, body=_clean(body))
    session.add(note)
    session.flush()
    return note


def own_note(note_id: uuid.UUID, *, person_id: uuid.UUID, acting_user: uuid.UUID) -> StaffNote:
    """The note, when it is about this person and `acting_user` wrote it; raises NotYours."""
    note = get_scoped(StaffNote, note_id)
    if note is None or note.person_id != person_id or note.author_id != acting_user:
        raise NotYours(str(note_id))
    return note


def change_note(note_id: uuid.UUID, *, person_id: uuid.UUID, acting_user: uuid.UUID, body: str) -> StaffNote:
    """Change one's own note; raises NotYours or NoteInvalid."""
    note = own_note(note_id, person_id=person_id, acting_user=acting_user)
    note.body = _clean(body)
    note.updated_at = utcnow()
    session.flush()
    return note


def delete_note(note_id: uuid.UUID, *, person_id: uuid.UUID, acting_user: uuid.UUID) -> None:
    """Delete one's own note; raises NotYours."""
    session.delete(own_note(note_id, person_id=person_id, acting_user=acting_user))
    session.flush()


def notes_of(person_id: uuid.UUID, *, limit: int = 100, before: datetime | None = None) -> list[StaffNote]:
    """The staff's notes about the person, newest first (those written before `before`, when given)."""
    query = select(StaffNote).where(StaffNote.person_id == person_id)
    if before is not None:
        query = query.where(StaffNote.created_at < before)
    return list(session.execute(query.order_by(StaffNote.created_at.desc()).limit(limit)).scalars())
