"""Outcomes: check, register, change and read them (the only code other engines call here).

The workspace, the import and the API register outcomes through `record_outcome`, so they refuse the
same things with the same reasons. Each function runs in the caller's transaction and does not commit.

An outcome with the sending system's own id (`external_id`) is registered once: registering it again
changes that outcome. One without is registered once per person, type and date, so sending the same
file or call twice changes nothing the second time.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from aandacht.db import session, utcnow
from aandacht.research.models import Outcome
from aandacht.research.types import OutcomeType
from aandacht.tenancy.context import CurrentTenant, require_tenant

#: How far ahead an outcome may lie (a job that starts next month), and the earliest date accepted.
LATEST_AHEAD = timedelta(days=366)
EARLIEST = date(1990, 1, 1)
LONGEST_NOTE = 2000
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")


class OutcomeInvalid(ValueError):
    """An outcome is refused; `errors` says why per field (`type`, `date`, `note`, a detail's name)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {reason}" for key, reason in errors.items()))
        self.errors = dict(errors)


@dataclass
class OutcomeInput:
    """An outcome as a coach, a file row or an API call gives it (not yet checked)."""

    type_key: str
    occurred_on: date | str | None
    details: Mapping[str, Any] = field(default_factory=dict)
    note: str | None = None
    external_id: str | None = None


def outcome_types(tenant: CurrentTenant | None = None) -> dict[str, OutcomeType]:
    """The outcome types of the tenant's enabled domains, by key."""
    registry = current_app.extensions["aandacht.domains"]
    return {kind.key: kind for kind in registry.outcome_types(tenant or require_tenant())}


def parse_date(raw: date | str | None) -> date | None:
    """A date from a date or from text as 2026-03-01, 01-03-2026 or 01/03/2026; None when not one."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(str(raw or "").strip(), pattern).date()
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class CheckedOutcome:
    """An outcome that passed every check, ready to store."""

    kind: OutcomeType
    occurred_on: date
    details: dict[str, Any]
    note: str | None
    external_id: str | None


def check(values: OutcomeInput, *, today: date | None = None) -> CheckedOutcome:
    """The checked outcome; raises OutcomeInvalid with every reason at once."""
    errors: dict[str, str] = {}
    kind = outcome_types().get(values.type_key)
    if kind is None:
        errors["type"] = _("Choose one of the outcomes this organisation registers.")
    occurred_on = parse_date(values.occurred_on)
    today = today or utcnow().date()
    if occurred_on is None:
        errors["date"] = _("Give the date as 2026-03-01 or 01-03-2026.")
    elif occurred_on < EARLIEST or occurred_on > today + LATEST_AHEAD:
        errors["date"] = _("The date must lie between 1990 and one year from today.")
    note = (values.note or "").strip() or None
    if note is not None and len(note) > LONGEST_NOTE:
        errors["note"] = _("Write a note of at most %(count)d characters.", count=LONGEST_NOTE)
    external_id = (values.external_id or "").strip() or None
    if external_id is not None and len(external_id) > 100:
        errors["external_id"] = _("An outcome's own id has at most 100 characters.")
    details: dict[str, Any] = {}
    if kind is not None:
        details, problems = kind.clean_details(values.details)
        errors.update(problems)
    if errors or kind is None or occurred_on is None:
        raise OutcomeInvalid(errors)
    return CheckedOutcome(kind, occurred_on, details, note, external_id)


def _same_outcome(person_id: uuid.UUID, checked: CheckedOutcome) -> Outcome | None:
    if checked.external_id is not None:
        query = select(Outcome).where(Outcome.external_id == checked.external_id)
    else:
        query = select(Outcome).where(
            Outcome.person_id == person_id,
            Outcome.type_key == checked.kind.key,
            Outcome.occurred_on == checked.occurred_on,
            Outcome.external_id.is_(None),
        )
    return session.execute(query).scalars().first()


@dataclass(frozen=True)
class Recorded:
    """What registering did: "added", "changed" or "unchanged", and the outcome."""

    action: str
    outcome: Outcome


def record_outcome(
    person_id: uuid.UUID, checked: CheckedOutcome, *, source: str, recorded_by: uuid.UUID | None
) -> Recorded:
    """Register a checked outcome of a person, or change the same one registered before."""
    existing = _same_outcome(person_id, checked)
    if existing is not None and existing.person_id != person_id:
        raise OutcomeInvalid({"external_id": _("This outcome id belongs to another person.")})
    fields = {
        "type_key": checked.kind.key,
        "occurred_on": checked.occurred_on,
        "details": checked.details or None,
        "note": checked.note,
    }
    if existing is None:
        outcome = Outcome(
            person_id=person_id,
            source=source,
            recorded_by=recorded_by,
            external_id=checked.external_id,
            **fields,
        )
        session.add(outcome)
        session.flush()
        return Recorded("added", outcome)
    if all(getattr(existing, name) == value for name, value in fields.items()):
        return Recorded("unchanged", existing)
    for name, value in fields.items():
        setattr(existing, name, value)
    existing.changed_at = utcnow()
    session.flush()
    return Recorded("changed", existing)


def outcome_by_id(outcome_id: uuid.UUID) -> Outcome | None:
    """The tenant's outcome with this id."""
    return session.execute(select(Outcome).where(Outcome.id == outcome_id)).scalar_one_or_none()


def outcomes_of(person_id: uuid.UUID) -> list[Outcome]:
    """The person's outcomes, newest first."""
    query = (
        select(Outcome)
        .where(Outcome.person_id == person_id)
        .order_by(Outcome.occurred_on.desc(), Outcome.recorded_at.desc())
    )
    return list(session.execute(query).scalars())


def find_outcomes(
    *,
    since: date | None = None,
    until: date | None = None,
    type_keys: Sequence[str] | None = None,
    person_ids: Sequence[uuid.UUID] | None = None,
) -> list[Outcome]:
    """The outcomes dated in [since, until), optionally of some types or people, oldest first."""
    query = select(Outcome)
    if since is not None:
        query = query.where(Outcome.occurred_on >= since)
    if until is not None:
        query = query.where(Outcome.occurred_on < until)
    if type_keys is not None:
        query = query.where(Outcome.type_key.in_(type_keys))
    if person_ids is not None:
        query = query.where(Outcome.person_id.in_(person_ids))
    return list(session.execute(query.order_by(Outcome.occurred_on, Outcome.recorded_at)).scalars())


def remove_outcome(outcome: Outcome) -> None:
    """Remove an outcome registered in error."""
    session.delete(outcome)
    session.flush()
