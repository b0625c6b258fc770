"""The past months of generated job seekers: feed use, job search, agreements, messages and outcomes.

What each person did follows their story (see `demo_people.STORIES`): a steady searcher logs something
most weeks and keeps to their agreement, a stalled one stopped a month or two ago, one who is ready for
work stopped looking at vacancies, and so on. Rows go in with one INSERT per table.
"""

from __future__ import annotations

import calendar
import math
import random
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert

from aandacht.db import session
from aandacht.outreach.models import Message
from aandacht.personalisation.catalogue import Item
from aandacht.personalisation.models import InteractionEvent
from aandacht.profiles.models import ProfileChange
from aandacht.research.service import OutcomeInput, check, record_outcome
from aandacht.tenancy.context import CurrentTenant
from aandacht_werk.content import VACANCY
from aandacht_werk.models import SearchActivity, SearchAgreement

if TYPE_CHECKING:
    from aandacht_werk.demo_people import Seeker

#: The life event a generated person reports this week (when that is their story): care for family.
LIFE_EVENT = "werk.family_care"
#: How far back the feed use goes.
HISTORY_DAYS = 70
#: A coach's short messages in the app.
_MESSAGES = (
    ("Even bijpraten?", "Hoi! Hoe gaat het met zoeken? Zullen we deze week even bellen?"),
    ("Nieuwe vacature", "Ik zag een vacature die bij je past. Kijk je even in de app?"),
    ("Je cv", "Wil je je cv nog eens sturen? Dan kijk ik ernaar."),
)


class _Rows:
    """The rows of one demo load, per table, written at the end with one INSERT each."""

    def __init__(self, tenant: CurrentTenant, chance: random.Random) -> None:
        self.tenant_id, self.chance = tenant.id, chance
        self.tables: dict[type, list[dict[str, Any]]] = {}

    def add(self, model: type, **values: Any) -> None:
        row = {"tenant_id": self.tenant_id, "id": uuid.UUID(int=self.chance.getrandbits(128), version=4)}
        self.tables.setdefault(model, []).append({**row, **values})

    def write(self) -> None:
        for model, rows in self.tables.items():
            session.execute(insert(model), rows)


def write_histories(
    tenant: CurrentTenant,
    seekers: Sequence[Seeker],
    items: Sequence[Item],
    chance: random.Random,
    now: datetime,
) -> None:
    """Write the history of every generated person, following their story."""
    rows = _Rows(tenant, chance)
    vacancies = [item for item in items if item.type == VACANCY.key]
    for seeker in seekers:
        _browse(rows, seeker, items, chance, now)
        _search(rows, seeker, vacancies, chance, now)
        _messages(rows, seeker, chance, now)
        if seeker.story == "life_event":
            rows.add(
                ProfileChange,
                person_id=seeker.id,
                attribute_key=LIFE_EVENT,
                old_value=False,
                new_value=True,
                source="person",
                actor_id=None,
                detail=None,
                changed_at=now - timedelta(days=chance.randint(1, 5), hours=chance.randint(1, 9)),
            )
    rows.write()
    for seeker in seekers:
        if seeker.story == "outcome":
            _outcome(seeker, chance, now)


# --- Feed use ---------------------------------------------------------------------------------------------


def _browse(rows: _Rows, seeker: Seeker, items: Sequence[Item], chance: random.Random, now: datetime) -> None:
    """Visits of the feed up to the person's last use of the app: a few items each, some opened or kept."""
    if seeker.last_active_at is None:
        return
    first = max(seeker.created_at, now - timedelta(days=HISTORY_DAYS))
    span = max((seeker.last_active_at - first).days, 1)
    visits = [
        seeker.last_active_at - timedelta(days=chance.randint(0, span)) for _ in range(chance.randint(6, 14))
    ]
    if seeker.story == "dropping":  # busy before, hardly anything in the last two weeks
        visits = [now - timedelta(days=chance.randint(16, 60), hours=chance.randint(0, 9)) for _ in range(16)]
    visits.append(seeker.last_active_at)
    quiet_since = now - timedelta(days=chance.randint(18, 40)) if seeker.story == "ready_idle" else None
    wanted = set(seeker.sectors)
    for visit in sorted(visits):
        shown = chance.sample(list(items), k=min(len(items), chance.randint(4, 7)))
        for position, item in enumerate(shown):
            at = visit - timedelta(minutes=10 - position)
            rows.add(InteractionEvent, **_event(seeker, item, "impression", at, position))
            if quiet_since is not None and at > quiet_since and item.type == VACANCY.key:
                continue
            fits = item.details.get("sector") in wanted
            if chance.random() < (0.6 if fits else 0.2):
                rows.add(
                    InteractionEvent, **_event(seeker, item, "open", at + timedelta(seconds=5), position)
                )
                if chance.random() < 0.15:
                    rows.add(
                        InteractionEvent, **_event(seeker, item, "save", at + timedelta(seconds=20), position)
                    )
    if seeker.readiness >= 4 and seeker.story != "ready_idle":
        vacancy = next((item for item in items if item.type == VACANCY.key), None)
        if vacancy is not None:  # someone ready for work looks at vacancies: on their last visit too
            rows.add(InteractionEvent, **_event(seeker, vacancy, "open", seeker.last_active_at, 0))


def _event(seeker: Seeker, item: Item, kind: str, at: datetime, position: int) -> dict[str, Any]:
    return {
        "person_id": seeker.id,
        "kind": kind,
        "item_type": item.type,
        "item_id": str(item.id),
        "context": {"surface": "feed", "position": position},
        "occurred_at": at,
    }


# --- Job search -------------------------------------------------------------------------------------------


def _search(
    rows: _Rows, seeker: Seeker, vacancies: Sequence[Item], chance: random.Random, now: datetime
) -> None:
    """The person's logged activities and their agreement with the coach, as their story has it."""
    today = now.date()
    story = seeker.story
    if story == "never_active":
        return
    last_day = (today - seeker.last_active_at.date()).days if seeker.last_active_at else 0
    newest = {"stalled": chance.randint(30, 60), "inactive": max(last_day, 29)}.get(story, max(last_day, 1))
    oldest = min(90, (today - seeker.created_at.date()).days)
    if story == "incomplete":
        newest, oldest = 2, min(oldest, 20)
    for days_ago in range(newest, oldest + 1):
        if days_ago == newest or chance.random() < 0.12:
            kind = chance.choices(("application", "letter", "network", "training", "other"), (5, 2, 2, 1, 1))[
                0
            ]
            if story == "agreement_behind" and days_ago < today.day:
                kind = "letter"  # nothing of what was agreed this month
            _activity(rows, seeker, kind, today - timedelta(days=days_ago), vacancies, chance, now)
    if story == "unanswered":
        for days_ago in sorted(chance.sample(range(2, 50), chance.randint(8, 11))):
            _activity(
                rows, seeker, "application", today - timedelta(days=days_ago), vacancies, chance, now, "open"
            )
    if story == "invited":
        applied = today - timedelta(days=chance.randint(8, 16))
        answered = now - timedelta(days=chance.randint(1, 5), hours=3)
        _activity(rows, seeker, "application", applied, vacancies, chance, now, "interview", answered)
    if story in ("steady", "life_event", "dropping", "agreement_behind"):
        _agreement(rows, seeker, chance, today)


def _activity(
    rows: _Rows,
    seeker: Seeker,
    kind: str,
    done_on: date,
    vacancies: Sequence[Item],
    chance: random.Random,
    now: datetime,
    outcome: str | None = None,
    outcome_at: datetime | None = None,
) -> None:
    """One logged activity; an application is about a vacancy of the feed, answered after a week or two."""
    values: dict[str, Any] = {
        "item_id": None,
        "title": None,
        "employer": None,
        "sector": None,
        "outcome": None,
    }
    if kind == "application":
        vacancy = chance.choice(list(vacancies))
        values.update(
            item_id=vacancy.id,
            title=vacancy.title[:200],
            employer=str(vacancy.details.get("employer") or "")[:200] or None,
            sector=vacancy.details.get("sector"),
        )
        days = (now.date() - done_on).days
        answered = _midday(done_on + timedelta(days=chance.randint(5, 12)))
        if outcome == "open":  # still no answer: waiting, or given up on
            values["outcome"] = "waiting" if days < 21 else "no_answer"
        elif outcome is not None:
            values.update(outcome=outcome, outcome_at=outcome_at)
        elif days < 14 or answered > now:
            values["outcome"] = "waiting"
        else:
            values.update(
                outcome=chance.choices(("no_answer", "rejected", "waiting"), (3, 4, 1))[0],
                outcome_at=answered,
            )
    rows.add(
        SearchActivity,
        person_id=seeker.id,
        kind=kind,
        done_on=done_on,
        logged_by="person",
        created_at=_midday(done_on),
        outcome_at=values.pop("outcome_at", None),
        **values,
    )


def _agreement(rows: _Rows, seeker: Seeker, chance: random.Random, today: date) -> None:
    """An agreement in force for two or three months; kept to this month, except when behind is the story."""
    month_start = today.replace(day=1)
    starts = (month_start - timedelta(days=chance.randint(35, 80))).replace(day=1)
    behind = seeker.story == "agreement_behind"
    per_month = chance.choice((6, 8)) if behind else chance.choice((2, 3, 4))
    rows.add(
        SearchAgreement,
        person_id=seeker.id,
        kind="application",
        per_month=per_month,
        starts_on=starts,
        ends_on=None,
        reminders=True,
        set_by=seeker.coach_id,
        created_at=_midday(starts),
    )
    length = calendar.monthrange(today.year, today.month)[1]
    expected = math.floor(per_month * today.day / length)
    done = 0 if behind else expected + chance.randint(0, 1)
    for number in range(min(done, today.day)):
        rows.add(
            SearchActivity,
            person_id=seeker.id,
            kind="application",
            done_on=month_start + timedelta(days=number),
            outcome="waiting",
            logged_by="person",
            created_at=_midday(month_start + timedelta(days=number)),
        )


def _midday(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


# --- Messages and outcomes --------------------------------------------------------------------------------


def _messages(rows: _Rows, seeker: Seeker, chance: random.Random, now: datetime) -> None:
    """A personal message from the coach now and then: unread for days when that is the story."""
    if seeker.story == "unread":
        sent = [
            now - timedelta(days=chance.randint(4, 9), hours=chance.randint(1, 6))
            for _ in range(chance.randint(1, 2))
        ]
        opened: list[datetime | None] = [None] * len(sent)
    elif seeker.last_active_at is not None and chance.random() < 0.4:
        sent = [seeker.last_active_at - timedelta(days=chance.randint(1, 20))]
        opened = [sent[0] + timedelta(hours=chance.randint(1, 20))]
    else:
        return
    for moment, read in zip(sent, opened, strict=True):
        subject, body = chance.choice(_MESSAGES)
        rows.add(
            Message,
            person_id=seeker.id,
            channel="in_app",
            status="sent",
            subject=subject,
            body=body,
            sender_id=seeker.coach_id,
            created_at=moment,
            sent_at=moment,
            opened_at=read,
        )


def _outcome(seeker: Seeker, chance: random.Random, now: datetime) -> None:
    """Part-time work beside the benefit, registered by the coach a few weeks ago."""
    occurred = now.date() - timedelta(days=chance.randint(10, 40))
    checked = check(
        OutcomeInput(
            "werk.part_time_beside_benefit",
            occurred,
            {"activity": "work", "hours": chance.choice((12, 16, 20)), "sector": seeker.sectors[0]},
        ),
        today=now.date(),
    )
    record_outcome(seeker.id, checked, source="coach", recorded_by=seeker.coach_id)
