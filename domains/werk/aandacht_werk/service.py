"""Job search: what a job seeker logs, what they agreed with their coach, and how they are doing.

The only module other engines call. The batched functions (`search_activity_summary`,
`agreement_status`) take many people at once, for lists and attention signals ("no search activity in
four weeks", "agreement falling behind", "many applications without an answer").
"""

from __future__ import annotations

import calendar
import math
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TypeVar

from sqlalchemy import Row, select

from aandacht.db import session, utcnow
from aandacht.personalisation import catalogue
from aandacht.tenancy.scoping import get_scoped
from aandacht_werk.i18n import translations
from aandacht_werk.models import ACTIVITY_KINDS, OUTCOMES, SearchActivity, SearchAgreement

_ = translations.gettext
#: The outcomes that mean an application is still without an answer.
UNANSWERED = ("waiting", "no_answer")
#: The most activities a month an agreement can ask for.
MOST_PER_MONTH = 40


class SearchInvalid(ValueError):
    """A logged activity or an agreement is not right; `errors` says why per field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


# --- Logging ----------------------------------------------------------------------------------------


def log_activity(
    person_id: uuid.UUID,
    kind: str,
    *,
    done_on: date | None = None,
    item_id: uuid.UUID | None = None,
    logged_by: str = "person",
    today: date | None = None,
    commit: bool = True,
) -> SearchActivity:
    """Log what the person did (today unless `done_on`), about a vacancy of the feed if `item_id`."""
    today = today or utcnow().date()
    errors: dict[str, str] = {}
    if kind not in ACTIVITY_KINDS:
        errors["kind"] = _("Choose what you did.")
    done_on = done_on or today
    if done_on > today or done_on < today - timedelta(days=92):
        errors["done_on"] = _("Choose a day in the last three months.")
    item = catalogue.item_by_id(item_id) if item_id else None
    if item_id and item is None:
        errors["item_id"] = _("This vacancy is not there.")
    if errors:
        raise SearchInvalid(errors)
    activity = SearchActivity(
        person_id=person_id,
        kind=kind,
        done_on=done_on,
        outcome="waiting" if kind == "application" else None,
        logged_by=logged_by,
    )
    if item is not None:
        activity.item_id, activity.title = item.id, item.title[:200]
        activity.employer = str(item.details.get("employer") or "")[:200] or None
        activity.sector = item.details.get("sector")
    session.add(activity)
    if commit:
        session.commit()
    return activity


def set_outcome(person_id: uuid.UUID, activity_id: uuid.UUID, outcome: str) -> SearchActivity | None:
    """Note what came of an application (None when it is not this person's application)."""
    activity = get_scoped(SearchActivity, activity_id)
    if activity is None or activity.person_id != person_id or activity.kind != "application":
        return None
    if outcome not in OUTCOMES:
        raise SearchInvalid({"outcome": _("Choose what came of it.")})
    activity.outcome, activity.outcome_at = outcome, utcnow()
    session.commit()
    return activity


def move_activity(
    person_id: uuid.UUID, activity_id: uuid.UUID, done_on: date, *, today: date | None = None
) -> SearchActivity | None:
    """Put an activity on the day it was really done (None when it is not this person's activity)."""
    activity = get_scoped(SearchActivity, activity_id)
    if activity is None or activity.person_id != person_id:
        return None
    today = today or utcnow().date()
    if done_on > today or done_on < today - timedelta(days=92):
        raise SearchInvalid({"done_on": _("Choose a day in the last three months.")})
    activity.done_on = done_on
    session.commit()
    return activity


def remove_activity(person_id: uuid.UUID, activity_id: uuid.UUID) -> bool:
    """Take back an activity logged by mistake; False when it is not this person's."""
    activity = get_scoped(SearchActivity, activity_id)
    if activity is None or activity.person_id != person_id:
        return False
    session.delete(activity)
    session.commit()
    return True


def activities_of(person_id: uuid.UUID, *, limit: int = 50) -> list[SearchActivity]:
    """The person's activities, the latest first."""
    query = (
        select(SearchActivity)
        .where(SearchActivity.person_id == person_id)
        .order_by(SearchActivity.done_on.desc(), SearchActivity.created_at.desc())
        .limit(limit)
    )
    return list(session.execute(query).scalars())


def activities_logged(
    person_id: uuid.UUID, *, limit: int = 50, before: datetime | None = None
) -> list[SearchActivity]:
    """The person's activities by when they were logged, the latest first, all logged before `before`."""
    return _newest(SearchActivity, person_id, limit, before)


_Made = TypeVar("_Made", SearchActivity, SearchAgreement)


def _newest(model: type[_Made], person_id: uuid.UUID, limit: int, before: datetime | None) -> list[_Made]:
    """The person's rows of `model` by when they were made, the latest first (for the timeline)."""
    query = select(model).where(model.person_id == person_id)
    if before is not None:
        query = query.where(model.created_at < before)
    return list(session.execute(query.order_by(model.created_at.desc()).limit(limit)).scalars())


# --- Agreements --------------------------------------------------------------------------------------


def set_agreement(
    person_id: uuid.UUID,
    *,
    per_month: int,
    starts_on: date,
    kind: str = "application",
    reminders: bool = True,
    set_by: uuid.UUID | None,
    commit: bool = True,
) -> SearchAgreement:
    """Agree `per_month` activities of `kind` a month from `starts_on`; it replaces the agreement before."""
    errors: dict[str, str] = {}
    if not 1 <= per_month <= MOST_PER_MONTH:
        errors["per_month"] = _("Fill in a number from 1 to %(most)d.", most=MOST_PER_MONTH)
    if kind not in ACTIVITY_KINDS:
        errors["kind"] = _("Choose what the agreement is about.")
    if errors:
        raise SearchInvalid(errors)
    for earlier in _agreements([person_id]):
        if earlier.ends_on is None or earlier.ends_on >= starts_on:
            earlier.ends_on = max(earlier.starts_on, starts_on - timedelta(days=1))
    agreement = SearchAgreement(
        person_id=person_id,
        kind=kind,
        per_month=per_month,
        starts_on=starts_on,
        reminders=reminders,
        set_by=set_by,
    )
    session.add(agreement)
    if commit:
        session.commit()
    return agreement


def end_agreement(person_id: uuid.UUID, *, on: date) -> bool:
    """End the person's current agreement on `on`; False when there is none."""
    current = _current(_agreements([person_id]), on)
    if current is None:
        return False
    current.ends_on = max(current.starts_on, on)
    session.commit()
    return True


def agreements_set(
    person_id: uuid.UUID, *, limit: int = 50, before: datetime | None = None
) -> list[SearchAgreement]:
    """The person's agreements by when they were set, the latest first, all set before `before`."""
    return _newest(SearchAgreement, person_id, limit, before)


def _agreements(person_ids: list[uuid.UUID]) -> list[SearchAgreement]:
    query = select(SearchAgreement).where(SearchAgreement.person_id.in_(person_ids))
    return list(session.execute(query.order_by(SearchAgreement.created_at)).scalars())


def _current(agreements: list[SearchAgreement], on: date) -> SearchAgreement | None:
    """The newest agreement in force on `on` (started, not ended)."""
    running = [a for a in agreements if a.starts_on <= on and (a.ends_on is None or on <= a.ends_on)]
    return running[-1] if running else None


@dataclass(frozen=True)
class AgreementStatus:
    """How a person is doing with their agreement in the current month."""

    agreement_id: uuid.UUID
    kind: str
    target: int
    done: int
    #: How many should be done by now to stay on schedule (rounded down: no pressure on day one).
    expected: int
    period_start: date
    period_end: date
    #: "done" (the month's target is reached), "on_track" or "behind".
    state: str
    reminders: bool

    @property
    def to_go(self) -> int:
        """How many are still to do this month."""
        return max(self.target - self.done, 0)


def agreement_status(
    person_ids: list[uuid.UUID], now: datetime | None = None
) -> dict[uuid.UUID, AgreementStatus]:
    """Per person with an agreement in force: the month's target, what is done and whether that is enough."""
    today = (now or utcnow()).date()
    by_person: dict[uuid.UUID, list[SearchAgreement]] = {}
    for agreement in _agreements(list(person_ids)):
        by_person.setdefault(agreement.person_id, []).append(agreement)
    current = {pid: found for pid, items in by_person.items() if (found := _current(items, today))}
    if not current:
        return {}
    month_start = today.replace(day=1)
    month_end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    days: dict[tuple[uuid.UUID, str], list[date]] = {}
    for person_id, kind, day in session.execute(
        select(SearchActivity.person_id, SearchActivity.kind, SearchActivity.done_on).where(
            SearchActivity.person_id.in_(list(current)),
            SearchActivity.done_on >= month_start,
            SearchActivity.done_on <= today,
        )
    ):
        days.setdefault((person_id, kind), []).append(day)
    result = {}
    for person_id, agreement in current.items():
        start = max(month_start, agreement.starts_on)
        done = sum(1 for day in days.get((person_id, agreement.kind), ()) if day >= start)
        length = (month_end - start).days + 1
        elapsed = (today - start).days + 1
        expected = math.floor(agreement.per_month * elapsed / length)
        state = "done" if done >= agreement.per_month else "on_track" if done >= expected else "behind"
        result[person_id] = AgreementStatus(
            agreement.id,
            agreement.kind,
            agreement.per_month,
            done,
            expected,
            start,
            month_end,
            state,
            agreement.reminders,
        )
    return result


# --- What the search looks like -------------------------------------------------------------------------


@dataclass
class ActivitySummary:
    """A person's search since a day: how much, what kind, which sectors, and what came of it."""

    total: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    #: Applications by outcome (waiting, no_answer, interview, rejected, hired).
    outcomes: Counter[str] = field(default_factory=Counter)
    #: Applications and interviews by the vacancy's sector (only those logged from a vacancy).
    sectors: Counter[str] = field(default_factory=Counter)
    last_done_on: date | None = None

    @property
    def applications(self) -> int:
        """How many applications."""
        return self.by_kind["application"]

    @property
    def unanswered(self) -> int:
        """Applications without an answer yet (waiting or no answer)."""
        return sum(self.outcomes[outcome] for outcome in UNANSWERED)

    def add(self, activity: SearchActivity | Row) -> None:
        """Count one activity in (an activity, or a row with its kind, outcome, sector and day)."""
        self.total += 1
        self.by_kind[activity.kind] += 1
        if activity.kind == "application" and activity.outcome:
            self.outcomes[activity.outcome] += 1
        if activity.sector and activity.kind in ("application", "interview"):
            self.sectors[activity.sector] += 1
        if self.last_done_on is None or activity.done_on > self.last_done_on:
            self.last_done_on = activity.done_on


def search_activity_summary(person_ids: list[uuid.UUID], since: date) -> dict[uuid.UUID, ActivitySummary]:
    """Per person, their activities from `since` on (everyone asked for is in the answer, maybe empty)."""
    summaries = {person_id: ActivitySummary() for person_id in person_ids}
    query = select(*_SUMMED).where(
        SearchActivity.person_id.in_(list(person_ids)), SearchActivity.done_on >= since
    )
    for row in session.execute(query):
        summaries[row.person_id].add(row)
    return summaries


#: The columns a summary reads: rows of these are counted without loading whole activities.
_SUMMED = (
    SearchActivity.person_id,
    SearchActivity.kind,
    SearchActivity.outcome,
    SearchActivity.sector,
    SearchActivity.done_on,
)


@dataclass(frozen=True)
class Month:
    """One month of a person's search, for the coach's view of their strategy."""

    first_day: date
    summary: ActivitySummary
    #: The agreed number that month (None without an agreement).
    target: int | None


def months_of_search(person_id: uuid.UUID, *, months: int = 6, today: date | None = None) -> list[Month]:
    """The person's last `months` months, the oldest first, each with its activities and its target."""
    today = today or utcnow().date()
    firsts = [_months_back(today.replace(day=1), back) for back in range(months - 1, -1, -1)]
    by_month = {first: ActivitySummary() for first in firsts}
    query = select(SearchActivity).where(
        SearchActivity.person_id == person_id, SearchActivity.done_on >= firsts[0]
    )
    for activity in session.execute(query).scalars():
        by_month[activity.done_on.replace(day=1)].add(activity)
    agreements = _agreements([person_id])
    result = []
    for first in firsts:
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        agreement = _current(agreements, min(last, today))
        result.append(Month(first, by_month[first], agreement.per_month if agreement else None))
    return result


def _months_back(first: date, back: int) -> date:
    index = first.year * 12 + first.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)
