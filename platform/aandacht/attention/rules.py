"""The core's attention signals, each one query for a whole caseload (docs/attention.md lists them).

Each rule reads another engine through its service: activity from accounts, unread messages from
outreach, interactions from personalisation, answers and reported changes from profiles, messages in a
conversation and appointments from conversations.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from aandacht.attention.signals import Severity, Signal, SignalContext, SignalRule
from aandacht.conversations import appointments
from aandacht.conversations import service as conversations
from aandacht.outreach import service as outreach
from aandacht.personalisation import events
from aandacht.profiles import service as profiles
from aandacht.profiles.registry import attributes_for


def _days(since: datetime, now: datetime) -> int:
    return max(0, (now - since).days)


class Inactive(SignalRule):
    """No use of the app for `days` days (twice as long: high); someone who never used it, from sign-up."""

    key = "inactive"
    label = _l("Not active")
    defaults = {"days": 14}

    def evaluate(self, context: SignalContext) -> dict[uuid.UUID, list[Signal]]:
        """People whose last activity (or sign-up, when never active) is at least `days` days ago."""
        limit = context.threshold("days")
        found: dict[uuid.UUID, list[Signal]] = {}
        reasons: dict[tuple[int, bool], str] = {}  # many people share a number of days: translate it once
        for person_id, (last, created) in context.activity.items():
            days = _days(last or created, context.now)
            if days < limit:
                continue
            severity = Severity.HIGH if days >= 2 * limit else Severity.MEDIUM
            key = (days, last is None)
            if key not in reasons:
                reasons[key] = _inactive_reason(*key)
            found[person_id] = [Signal(self.key, severity, reasons[key], last or created)]
        return found


def _inactive_reason(days: int, never: bool) -> str:
    if never:
        return ngettext(
            "Has not used the app since signing up %(num)d day ago",
            "Has not used the app since signing up %(num)d days ago",
            days,
        )
    return ngettext("Not active for %(num)d day", "Not active for %(num)d days", days)


class UnreadMessages(SignalRule):
    """Personal messages from staff in the app that the person has not read for `days` days."""

    key = "unread_messages"
    label = _l("Unread messages from the coach")
    defaults = {"days": 3}

    def evaluate(self, context: SignalContext) -> dict[uuid.UUID, list[Signal]]:
        """People whose oldest unread message from staff was sent at least `days` days ago."""
        limit = timedelta(days=context.threshold("days"))
        found: dict[uuid.UUID, list[Signal]] = {}
        for person_id, (number, oldest) in outreach.unread_from_staff(list(context.person_ids)).items():
            if oldest is None or context.now - oldest < limit:
                continue
            reason = ngettext(
                "%(num)d message from the coach unread for %(days)d days",
                "%(num)d messages from the coach unread for %(days)d days",
                number,
                days=_days(oldest, context.now),
            )
            found[person_id] = [Signal(self.key, Severity.MEDIUM, reason, oldest)]
        return found


class EngagementDrop(SignalRule):
    """The person does much less than they used to: their own past is the measure, not others.

    Compares what they did in the last `recent_days` with their usual pace over the `baseline_days`
    before; people who were hardly active before (under `min_baseline` actions per period) are left to
    the inactivity signal.
    """

    key = "engagement_drop"
    label = _l("Uses the app less than before")
    defaults = {"recent_days": 14, "baseline_days": 56, "drop_percent": 50, "min_baseline": 4}

    def evaluate(self, context: SignalContext) -> dict[uuid.UUID, list[Signal]]:
        """People whose recent actions fell by at least `drop_percent` against their usual pace."""
        recent_days, baseline_days = context.threshold("recent_days"), context.threshold("baseline_days")
        split = context.now - timedelta(days=recent_days)
        since = split - timedelta(days=baseline_days)
        counts = events.activity_counts(list(context.person_ids), since=since, split=split)
        keep = 1 - context.threshold("drop_percent") / 100
        found: dict[uuid.UUID, list[Signal]] = {}
        for person_id, (before, recent) in counts.items():
            usual = before * recent_days / baseline_days if baseline_days else 0
            if usual < context.threshold("min_baseline") or recent > usual * keep:
                continue
            reason = _(
                "Uses the app less: %(recent)d actions in %(days)d days, usually %(usual)d",
                recent=recent,
                days=recent_days,
                usual=round(usual),
            )
            severity = Severity.HIGH if recent == 0 else Severity.MEDIUM
            found[person_id] = [Signal(self.key, severity, reason, split)]
        return found


class ProfileIncomplete(SignalRule):
    """Less than `percent` of the profile the person can fill in is filled in, `after_days` after sign-up.

    The profile is asked a few questions at a time, so a new person gets those days to fill it in.
    """

    key = "profile_incomplete"
    label = _l("Profile incomplete")
    defaults = {"percent": 50, "after_days": 28}

    def evaluate(self, context: SignalContext) -> dict[uuid.UUID, list[Signal]]:
        """People signed up at least `after_days` ago with under `percent` of their profile answered."""
        signed_up = context.now - timedelta(days=context.threshold("after_days"))
        settled = [
            person_id for person_id, (_last, created) in context.activity.items() if created <= signed_up
        ]
        found: dict[uuid.UUID, list[Signal]] = {}
        for person_id, (answered, total) in profiles.completeness_of(settled).items():
            share = 100 * answered / total if total else 100
            if share >= context.threshold("percent"):
                continue
            reason = _("Profile %(percent)d%% filled in", percent=share)
            found[person_id] = [Signal(self.key, Severity.LOW, reason)]
        return found


class LifeEvent(SignalRule):
    """The person reported a life event (an answer to an attribute marked `life_event`) in `days` days."""

    key = "life_event"
    label = _l("Life event reported")
    defaults = {"days": 7}

    def evaluate(self, context: SignalContext) -> dict[uuid.UUID, list[Signal]]:
        """People who changed a life-event attribute themselves lately; the newest change is named."""
        events_of = {key: a for key, a in attributes_for(context.tenant).items() if a.life_event}
        since = context.now - timedelta(days=context.threshold("days"))
        changes = profiles.reported_changes(list(context.person_ids), events_of, since=since)
        found: dict[uuid.UUID, list[Signal]] = {}
        for person_id, reported in changes.items():
            newest = reported[0]
            reason = _("Reported a change: %(what)s", what=events_of[newest.attribute_key].label)
            found[person_id] = [Signal(self.key, Severity.HIGH, reason, newest.changed_at)]
        return found


class UnansweredQuestion(SignalRule):
    """The person wrote in their conversation and no staff member answered for `hours` hours (twice: high)."""

    key = "unanswered_question"
    label = _l("Question to the coach unanswered")
    defaults = {"hours": 48}

    def evaluate(self, context: SignalContext) -> dict[uuid.UUID, list[Signal]]:
        """People whose oldest message after the last staff answer is at least `hours` hours old."""
        limit = context.threshold("hours")
        found: dict[uuid.UUID, list[Signal]] = {}
        for person_id, (_number, since) in conversations.waiting_for_answer(list(context.person_ids)).items():
            hours = int((context.now - since).total_seconds() // 3600)
            if hours < limit:
                continue
            if hours < 48:
                reason = ngettext(
                    "Waiting %(num)d hour for an answer from the coach",
                    "Waiting %(num)d hours for an answer from the coach",
                    hours,
                )
            else:
                reason = ngettext(
                    "Waiting %(num)d day for an answer from the coach",
                    "Waiting %(num)d days for an answer from the coach",
                    hours // 24,
                )
            severity = Severity.HIGH if hours >= 2 * limit else Severity.MEDIUM
            found[person_id] = [Signal(self.key, severity, reason, since)]
        return found


class AppointmentSoonOrMissed(SignalRule):
    """An appointment within `upcoming_hours` (medium while the person has not said yes), or a no-show.

    A no-show in the last `missed_days` days is high: the person did not come and may need a call.
    """

    key = "appointment"
    label = _l("Appointment coming up or missed")
    defaults = {"upcoming_hours": 24, "missed_days": 14}

    def evaluate(self, context: SignalContext) -> dict[uuid.UUID, list[Signal]]:
        """People with an appointment soon, or who did not come to one lately."""
        found: dict[uuid.UUID, list[Signal]] = {}
        for person_id, items in appointments.upcoming_and_missed(
            list(context.person_ids),
            now=context.now,
            upcoming_until=context.now + timedelta(hours=context.threshold("upcoming_hours")),
            missed_since=context.now - timedelta(days=context.threshold("missed_days")),
        ).items():
            missed = [item for item in items if item.status == "no_show"]
            coming = [item for item in items if item.status != "no_show"]
            signals: list[Signal] = []
            if missed:
                moment = format_datetime(missed[-1].starts_at, "EEEE d MMMM")
                reason = _("Did not come to the appointment of %(when)s", when=moment)
                signals.append(Signal(self.key, Severity.HIGH, reason, missed[-1].starts_at))
            if coming:
                soon = coming[0]
                reason = _("Appointment %(when)s", when=format_datetime(soon.starts_at, "EEEE d MMMM, HH:mm"))
                if soon.status == "accepted":
                    signals.append(Signal(self.key, Severity.LOW, reason, soon.starts_at))
                else:
                    reason = _("%(appointment)s, not yet agreed", appointment=reason)
                    signals.append(Signal(self.key, Severity.MEDIUM, reason, soon.starts_at))
            found[person_id] = signals
        return found


#: The core's rules, in the order their signals are listed.
CORE_RULES: tuple[SignalRule, ...] = (
    LifeEvent(),
    AppointmentSoonOrMissed(),
    UnansweredQuestion(),
    Inactive(),
    UnreadMessages(),
    EngagementDrop(),
    ProfileIncomplete(),
)
