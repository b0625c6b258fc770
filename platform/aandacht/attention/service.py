"""Contact moments, attention signals and the coach's worklist (the only code other engines call here).

Contact functions run in the caller's transaction and do not commit; the worklist's marks (done for
today, snooze, undo) are each one transaction of their own.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from aandacht.accounts import service as accounts
from aandacht.accounts.models import Person
from aandacht.accounts.principal import Principal
from aandacht.attention.models import CONTACT_KINDS, ContactMoment, DigestPreference, WorklistMark
from aandacht.attention.rules import CORE_RULES
from aandacht.attention.signals import Severity, Signal, SignalContext, SignalRule
from aandacht.db import UTCDateTime, session, utcnow
from aandacht.outreach.limits import time_zone
from aandacht.tenancy.context import CurrentTenant, require_tenant
from aandacht.tenancy.scoping import get_scoped

if TYPE_CHECKING:
    from aandacht.plugins import DomainRegistry

log = logging.getLogger(__name__)
#: The kinds of contact a coach chooses from when marking a person done for today.
DONE_KINDS = ("phone", "meeting", "message", "other")
#: The furthest a person can be snoozed.
LONGEST_SNOOZE = timedelta(days=90)


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


# --- Signals and the worklist ---------------------------------------------------------------------------


def signal_rules(tenant: CurrentTenant) -> list[SignalRule]:
    """The rules the tenant's worklist uses: the core's and its domains', minus those it switched off."""
    registry = current_app.extensions["aandacht.domains"]
    return [rule for rule in (*CORE_RULES, *registry.attention_signals(tenant)) if rule.enabled_for(tenant)]


def signals_of(
    person_ids: Sequence[uuid.UUID],
    *,
    now: datetime | None = None,
    activity: Mapping[uuid.UUID, tuple[datetime | None, datetime]] | None = None,
) -> dict[uuid.UUID, list[Signal]]:
    """Every signal of these people, highest severity first: one evaluation per rule for all of them.

    `activity` is `accounts.activity_of(person_ids)` when the caller has read the people already (the
    worklist has their rows); without it, it is read here. A domain's rule that fails is logged and left
    out, so one broken plugin never empties a worklist.
    """
    tenant, now = require_tenant(), now or utcnow()
    found: dict[uuid.UUID, list[Signal]] = {}
    if activity is None:
        activity = accounts.activity_of(list(person_ids))  # and only the tenant's own people from here on
    if not activity:
        return found
    for rule in signal_rules(tenant):
        context = SignalContext(tenant, list(activity), now, rule.thresholds_for(tenant), activity)
        try:
            signals = rule.evaluate(context)
        except Exception:  # a plugin's rule must never take the worklist down
            if rule in CORE_RULES:
                raise
            log.exception("attention signal %s failed", rule.key, extra={"tenant": tenant.slug})
            continue
        for person_id, person_signals in signals.items():
            found.setdefault(person_id, []).extend(person_signals)
    for person_signals in found.values():
        person_signals.sort(key=lambda signal: -signal.severity)
    return found


def known_signals(registry: DomainRegistry) -> dict[str, tuple[str, ...]]:
    """Every signal of the core and of the loaded domains, with its threshold names (to check files)."""
    found = [
        *CORE_RULES,
        *(rule for domain in registry.domains.values() for rule in domain.attention_signals()),
    ]
    return {rule.key: tuple(rule.defaults) for rule in found}


@dataclass(frozen=True)
class Entry:
    """One person on a worklist, with every reason why they need attention (highest first)."""

    person: Person
    signals: list[Signal]

    @property
    def severity(self) -> Severity:
        """The highest severity of the person's signals."""
        return self.signals[0].severity

    def order(self) -> tuple[int, int, datetime, str]:
        """Highest severity first, then the most weight of reasons, the longest waiting, by name."""
        oldest = min((signal.since for signal in self.signals if signal.since), default=_LATEST)
        weight = sum(signal.severity for signal in self.signals)
        return -self.severity, -weight, oldest, self.person.display_name.casefold()


_LATEST = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Worklist:
    """A coach's worklist of one day: who needs attention, and whom they took off it today."""

    entries: list[Entry]
    #: The people off the list (done today, snoozed), with their marks, newest first.
    marked: list[tuple[WorklistMark, Person]]
    #: How many people the caseload holds.
    caseload: int


def local_today(tenant: CurrentTenant, now: datetime | None = None) -> date:
    """The tenant's date now, in its time zone (`[outreach] time_zone`, Amsterdam unless said otherwise)."""
    return (now or utcnow()).astimezone(time_zone(tenant)).date()


def worklist(staff_id: uuid.UUID, *, now: datetime | None = None) -> Worklist:
    """The staff member's caseload ordered by need, without the people they marked done or snoozed.

    Deactivated people are left out: they no longer use the app, so no signal of theirs means anything.
    """
    now = now or utcnow()
    people = accounts.caseload(staff_id)
    marks = _active_marks(staff_id, local_today(require_tenant(), now))
    hidden = {mark.person_id for mark in marks}
    shown = {person.id: person for person in people if person.id not in hidden and person.active}
    activity = {person.id: (person.last_active_at, person.created_at) for person in shown.values()}
    signals = signals_of(list(shown), now=now, activity=activity)
    entries = sorted((Entry(shown[pid], found) for pid, found in signals.items()), key=Entry.order)
    by_id = {person.id: person for person in people}
    marked = [(mark, by_id[mark.person_id]) for mark in marks if mark.person_id in by_id]
    return Worklist(entries=entries, marked=marked, caseload=len(people))


def _active_marks(staff_id: uuid.UUID, today: date) -> list[WorklistMark]:
    query = (
        select(WorklistMark)
        .where(WorklistMark.staff_id == staff_id, WorklistMark.hidden_until > today)
        .order_by(WorklistMark.created_at.desc())
    )
    return list(session.execute(query).scalars())


class MarkRefused(ValueError):
    """A worklist mark cannot be made or undone; the message says why, in the request's language."""


def mark_done(
    *, staff_id: uuid.UUID, person_id: uuid.UUID, kind: str, note: str | None = None
) -> WorklistMark:
    """The coach attended to the person today: record the contact, and hide them until tomorrow. Commits."""
    if kind not in DONE_KINDS:
        raise MarkRefused(_("Choose how you were in touch."))
    today = local_today(require_tenant())
    moment = record_contact(person_id=person_id, staff_id=staff_id, kind=kind, note=note or None)
    mark = WorklistMark(
        person_id=person_id,
        staff_id=staff_id,
        kind="done",
        day=today,
        hidden_until=today + timedelta(days=1),
        contact_id=moment.id,
        note=note or None,
    )
    session.add(mark)
    session.commit()
    return mark


def snooze(
    *, staff_id: uuid.UUID, person_id: uuid.UUID, until: date, note: str | None = None
) -> WorklistMark:
    """Hide the person from the coach's worklist until `until` (no contact). Commits."""
    today = local_today(require_tenant())
    if not today < until <= today + LONGEST_SNOOZE:
        raise MarkRefused(
            _("Choose a day after today, at most %(days)d days ahead.", days=LONGEST_SNOOZE.days)
        )
    mark = WorklistMark(
        person_id=person_id,
        staff_id=staff_id,
        kind="snooze",
        day=today,
        hidden_until=until,
        note=note or None,
    )
    session.add(mark)
    session.commit()
    return mark


def undo_mark(*, staff_id: uuid.UUID, mark_id: uuid.UUID) -> WorklistMark:
    """Put the person back on the worklist; "done" also loses its contact moment. Same day only. Commits.

    Raises LookupError for another coach's mark or an unknown one, MarkRefused after its day.
    """
    mark = get_scoped(WorklistMark, mark_id)
    if mark is None or mark.staff_id != staff_id:
        raise LookupError(mark_id)
    if mark.day != local_today(require_tenant()):
        raise MarkRefused(_("This can only be undone on the day it was done."))
    contact_id = mark.contact_id
    session.delete(mark)
    session.flush()
    if contact_id is not None:
        session.execute(delete(ContactMoment).where(ContactMoment.id == contact_id))
    session.commit()
    return mark


# --- The daily digest ------------------------------------------------------------------------------------


def digest_wanted(staff_id: uuid.UUID) -> bool:
    """Whether the staff member gets the daily digest e-mail (on unless they switched it off)."""
    return get_scoped(DigestPreference, staff_id) is None


def want_digest(staff_id: uuid.UUID, wanted: bool) -> None:
    """Switch the staff member's daily digest on or off. Commits."""
    preference = get_scoped(DigestPreference, staff_id)
    if wanted and preference is not None:
        session.delete(preference)
    elif not wanted and preference is None:
        session.add(DigestPreference(staff_id=staff_id))
    session.commit()


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
