"""Why a job seeker needs their work coach's attention today: the werk domain's attention signals.

Each rule reads a whole caseload at once (one query, or a small second one for the few it found), as
the core's rules do, so a coach's worklist stays quick for 300 people. Thresholds have defaults that a
tenant changes in `[attention."werk.<signal>"]` of its tenant file (docs/werk.md lists them).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_babel import format_date
from sqlalchemy import case, func, select

from aandacht.attention.signals import Severity, Signal, SignalContext, SignalRule
from aandacht.db import one_of, session
from aandacht.personalisation import events
from aandacht.profiles.service import profile_values_of
from aandacht.segments import service as segments
from aandacht.segments.language import Viewer
from aandacht_werk import service
from aandacht_werk.content import VACANCY
from aandacht_werk.i18n import lazy_gettext, translations
from aandacht_werk.models import SearchActivity

_ = translations.gettext
ngettext = translations.ngettext


def _selected(
    document: dict[str, Any], context: SignalContext, person_ids: Iterable[uuid.UUID] | None = None
) -> set[uuid.UUID]:
    """Which people of the caseload (or of `person_ids`) a selection (docs/segments.md) picks."""
    among = context.person_ids if person_ids is None else person_ids
    return segments.among(document, Viewer.system(), among, now=context.now)


#: Older than any invitation: what `InvitedToInterview` compares the first one with.
_NEVER: tuple[datetime, None] = (datetime.min.replace(tzinfo=UTC), None)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


class NoSearchActivity(SignalRule):
    """Nothing logged for the job search in `days` days (twice as long: high).

    Someone who never logged anything counts from signing up; people who answered that they have work
    are left out.
    """

    key = "werk.no_search_activity"
    label = lazy_gettext("No job-search activity")
    defaults = {"days": 28}

    def evaluate(self, context: SignalContext) -> dict[uuid.UUID, list[Signal]]:
        """People whose last logged activity (or sign-up) is at least `days` days ago."""
        limit = context.threshold("days")
        last_done = dict(
            session.execute(
                select(SearchActivity.person_id, func.max(SearchActivity.done_on))
                .where(one_of(SearchActivity.person_id, context.person_ids))
                .group_by(SearchActivity.person_id)
            ).all()
        )
        today = context.now.date()
        waiting = {
            person_id: last_done.get(person_id) or context.activity[person_id][1].date()
            for person_id in context.person_ids
            if person_id in context.activity
        }
        waiting = {pid: since for pid, since in waiting.items() if (today - since).days >= limit}
        if waiting:
            working = {"attribute": {"key": "werk.search_status", "op": "eq", "value": "working"}}
            for person_id in _selected(working, context, waiting):
                waiting.pop(person_id, None)
        found: dict[uuid.UUID, list[Signal]] = {}
        for person_id, since in waiting.items():
            days = (today - since).days
            severity = Severity.HIGH if days >= 2 * limit else Severity.MEDIUM
            if person_id in last_done:
                reason = ngettext(
                    "No job-search activity logged for %(num)d day",
                    "No job-search activity logged for %(num)d days",
                    days,
                )
            else:
                reason = ngettext(
                    "No job-search activity logged since signing up %(num)d day ago",
                    "No job-search activity logged since signing up %(num)d days ago",
                    days,
                )
            found[person_id] = [Signal(self.key, severity, reason, _start_of(since))]
        return found


class ApplicationsUnanswered(SignalRule):
    """At least `applications` applications in `days` days without an answer and no interview since.

    Many letters without a reply suggest the way of applying does not work yet: a moment to look at the
    search strategy together (CV, letter, which vacancies).
    """

    key = "werk.applications_unanswered"
    label = lazy_gettext("Many applications without an answer")
    defaults = {"applications": 8, "days": 56}

    def evaluate(self, context: SignalContext) -> dict[uuid.UUID, list[Signal]]:
        """People with many unanswered applications lately and no job interview in that time."""
        days = int(context.threshold("days"))
        since = context.now.date() - timedelta(days=days)
        is_unanswered = (SearchActivity.kind == "application") & SearchActivity.outcome.in_(
            service.UNANSWERED
        )
        is_answered = SearchActivity.outcome.in_(("interview", "hired")) | (
            SearchActivity.kind == "interview"
        )
        unanswered = func.sum(case((is_unanswered, 1), else_=0))
        query = (
            select(SearchActivity.person_id, unanswered)
            .where(one_of(SearchActivity.person_id, context.person_ids), SearchActivity.done_on >= since)
            .group_by(SearchActivity.person_id)
            .having(
                unanswered >= context.threshold("applications"),
                func.sum(case((is_answered, 1), else_=0)) == 0,
            )
        )
        found: dict[uuid.UUID, list[Signal]] = {}
        for person_id, count in session.execute(query):
            reason = _(
                "%(count)d applications in %(weeks)d weeks without an answer: help with the search strategy?",
                count=count,
                weeks=round(days / 7),
            )
            found[person_id] = [Signal(self.key, Severity.MEDIUM, reason, _start_of(since))]
        return found


class ReadyNoVacancies(SignalRule):
    """Ready for work (readiness at least `readiness` of 5) but no vacancy looked at in `days` days."""

    key = "werk.ready_no_vacancies"
    label = lazy_gettext("Ready for work, no vacancies viewed")
    defaults = {"readiness": 4, "days": 14}

    def evaluate(self, context: SignalContext) -> dict[uuid.UUID, list[Signal]]:
        """People who say they are ready and did not open, save or apply to a vacancy lately."""
        document = {
            "attribute": {"key": "werk.readiness", "op": "gte", "value": int(context.threshold("readiness"))}
        }
        ready = _selected(document, context)
        if not ready:
            return {}
        last_viewed = events.last_engaged(list(ready), item_types=[VACANCY.key])
        limit = context.threshold("days")
        found: dict[uuid.UUID, list[Signal]] = {}
        for person_id in ready:
            last = last_viewed.get(person_id)
            if last is None:
                reason = _("Ready for work, but never looked at a vacancy")
            elif (context.now - last).days >= limit:
                reason = ngettext(
                    "Ready for work, but no vacancy looked at for %(num)d day",
                    "Ready for work, but no vacancy looked at for %(num)d days",
                    (context.now - last).days,
                )
            else:
                continue
            found[person_id] = [Signal(self.key, Severity.MEDIUM, reason, last)]
        return found


class AgreementBehind(SignalRule):
    """The agreement with the coach falls behind its pace this month by at least `behind_by`.

    High when it is behind by twice that. The pace is the month's number spread over the month (rounded
    down), as the person's own progress bar shows it.
    """

    key = "werk.agreement_behind"
    label = lazy_gettext("Agreement falling behind")
    defaults = {"behind_by": 1}

    def evaluate(self, context: SignalContext) -> dict[uuid.UUID, list[Signal]]:
        """People whose agreement in force counts fewer activities than expected by now."""
        limit = context.threshold("behind_by")
        found: dict[uuid.UUID, list[Signal]] = {}
        for person_id, status in service.agreement_status(list(context.person_ids), context.now).items():
            behind = status.expected - status.done
            if status.state != "behind" or behind < limit:
                continue
            reason = _(
                "Agreement behind: %(done)d of %(target)d done this month, %(expected)d by now",
                done=status.done,
                target=status.target,
                expected=status.expected,
            )
            severity = Severity.HIGH if behind >= 2 * limit else Severity.MEDIUM
            found[person_id] = [Signal(self.key, severity, reason, _start_of(status.period_start))]
        return found


class InvitedToInterview(SignalRule):
    """Good news: invited to a job interview in the last `days` days, and the interview is not logged yet.

    A moment for encouragement and, if wanted, to prepare the interview together.
    """

    key = "werk.invited_to_interview"
    label = lazy_gettext("Invited to a job interview")
    defaults = {"days": 14}

    def evaluate(self, context: SignalContext) -> dict[uuid.UUID, list[Signal]]:
        """People with an application answered "interview" lately and no interview logged since."""
        since = context.now - timedelta(days=context.threshold("days"))
        invited: dict[uuid.UUID, tuple[datetime, str | None]] = {}
        interviewed: dict[uuid.UUID, date] = {}
        query = select(
            SearchActivity.person_id,
            SearchActivity.kind,
            SearchActivity.done_on,
            SearchActivity.outcome_at,
            SearchActivity.employer,
        ).where(
            one_of(SearchActivity.person_id, context.person_ids),
            (SearchActivity.kind == "interview") | (SearchActivity.outcome == "interview"),
            SearchActivity.done_on >= since.date() - timedelta(days=92),
        )
        for person_id, kind, done_on, outcome_at, employer in session.execute(query):
            if kind == "interview":
                interviewed[person_id] = max(done_on, interviewed.get(person_id, done_on))
            elif (
                outcome_at is not None
                and outcome_at >= since
                and outcome_at > invited.get(person_id, _NEVER)[0]
            ):
                invited[person_id] = (outcome_at, employer)
        found: dict[uuid.UUID, list[Signal]] = {}
        for person_id, (at, employer) in invited.items():
            if person_id in interviewed and interviewed[person_id] >= at.date():
                continue
            if employer:
                reason = _(
                    "Invited to a job interview at %(employer)s: a moment to encourage", employer=employer
                )
            else:
                reason = _("Invited to a job interview: a moment to encourage")
            found[person_id] = [Signal(self.key, Severity.LOW, reason, at)]
        return found


class AvailableSoon(SignalRule):
    """The person can start working within `days` days (their answer "from when can you start").

    Care at home or a course that ends: a moment to plan the search for the day they are free.
    """

    key = "werk.available_soon"
    label = lazy_gettext("Available for work soon")
    defaults = {"days": 14}

    def evaluate(self, context: SignalContext) -> dict[uuid.UUID, list[Signal]]:
        """People whose start date lies from today up to `days` days ahead."""
        days = int(context.threshold("days"))
        window = [{"days_ago": 0}, {"days_ahead": days}]
        document = {"attribute": {"key": "werk.start_date", "op": "between", "value": window}}
        soon = _selected(document, context)
        found: dict[uuid.UUID, list[Signal]] = {}
        for person_id, values in profile_values_of(sorted(soon)).items():
            starts = date.fromisoformat(values["werk.start_date"])
            reason = _(
                "Available for work from %(day)s: plan the search together", day=format_date(starts, "d MMMM")
            )
            found[person_id] = [Signal(self.key, Severity.LOW, reason, _start_of(starts))]
        return found


#: The werk domain's signals, in the order the worklist's filter lists them.
WERK_SIGNALS: tuple[SignalRule, ...] = (
    AgreementBehind(),
    NoSearchActivity(),
    ApplicationsUnanswered(),
    ReadyNoVacancies(),
    AvailableSoon(),
    InvitedToInterview(),
)
