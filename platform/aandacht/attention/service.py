"""Contact moments: record them and read them back (the only code other engines call here).

Each function runs in the caller's transaction and does not commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select

from aandacht.accounts.principal import Principal
from aandacht.attention.models import CONTACT_KINDS, ContactMoment
from aandacht.db import UTCDateTime, session, utcnow


def record_contact(
    *,
    person_id: uuid.UUID,
    staff_id: uuid.UUID,
    kind: str,
    at: datetime | None = None,
    note: str | None = None,
    source_id: uuid.UUID | None = None,
) -> ContactMoment:
    """Record that `staff_id` was in touch with `person_id`; the same `kind` and `source_id` records once."""
    if kind not in CONTACT_KINDS:
        raise ValueError(f"unknown kind of contact: {kind!r}")
    if source_id is not None:
        existing = session.execute(
            select(ContactMoment).where(ContactMoment.kind == kind, ContactMoment.source_id == source_id)
        ).scalar_one_or_none()
        if existing is not None:
            return existing
    moment = ContactMoment(
        person_id=person_id, staff_id=staff_id, kind=kind, at=at or utcnow(), note=note, source_id=source_id
    )
    session.add(moment)
    session.flush()
    return moment


def record_contact_by(
    principal: Principal, *, person_id: uuid.UUID, kind: str, source_id: uuid.UUID | None = None
) -> ContactMoment | None:
    """Record a contact by the acting principal if it is a staff member (an integration has no contacts)."""
    if principal.kind != "staff" or principal.id is None:
        return None
    return record_contact(person_id=person_id, staff_id=principal.id, kind=kind, source_id=source_id)


def contacts_of(
    person_id: uuid.UUID, *, limit: int = 100, before: datetime | None = None
) -> list[ContactMoment]:
    """The person's contact moments, newest first (those before `before`, when given)."""
    query = select(ContactMoment).where(ContactMoment.person_id == person_id)
    if before is not None:
        query = query.where(ContactMoment.at < before)
    query = query.order_by(ContactMoment.at.desc(), ContactMoment.recorded_at.desc()).limit(limit)
    return list(session.execute(query).scalars())


def last_contact_at(person_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, datetime]:
    """The moment of each person's latest contact; people never contacted are left out."""
    if not person_ids:
        return {}
    query = (
        select(ContactMoment.person_id, func.max(ContactMoment.at, type_=UTCDateTime))
        .where(ContactMoment.person_id.in_(person_ids))
        .group_by(ContactMoment.person_id)
    )
    return {person_id: latest for person_id, latest in session.execute(query)}


def contacts_between(
    since: datetime,
    until: datetime,
    *,
    person_ids: Sequence[uuid.UUID] | None = None,
    staff_id: uuid.UUID | None = None,
) -> list[ContactMoment]:
    """The contact moments in [since, until), optionally of some people or one staff member, oldest first."""
    query = select(ContactMoment).where(ContactMoment.at >= since, ContactMoment.at < until)
    if person_ids is not None:
        query = query.where(ContactMoment.person_id.in_(person_ids))
    if staff_id is not None:
        query = query.where(ContactMoment.staff_id == staff_id)
    return list(session.execute(query.order_by(ContactMoment.at)).scalars())


def contact_times(
    since: datetime,
    until: datetime,
    *,
    person_ids: Sequence[uuid.UUID] | None = None,
    staff_id: uuid.UUID | None = None,
) -> list[tuple[uuid.UUID, datetime]]:
    """(person, moment) of the contact moments in [since, until), as `contacts_between` selects them.

    For counting (the caseload report): no rows are loaded as objects.
    """
    query = select(ContactMoment.person_id, ContactMoment.at).where(
        ContactMoment.at >= since, ContactMoment.at < until
    )
    if person_ids is not None:
        query = query.where(ContactMoment.person_id.in_(person_ids))
    if staff_id is not None:
        query = query.where(ContactMoment.staff_id == staff_id)
    return [(person_id, at) for person_id, at in session.execute(query)]
