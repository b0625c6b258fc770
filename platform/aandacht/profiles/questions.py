"""Progressive profiling: which few questions to ask a person next, and what their answer does.

The questions are the attributes of the tenant's questionnaires (the core's `CORE_QUESTIONNAIRES` and
those of its enabled domains); a questionnaire key the tenant's registry does not know is skipped, the
rest of that questionnaire is still asked. The choice follows these rules, in this order:

1. Only what the person may change themselves (`may("person", attribute.editable_by)`).
2. An answered attribute is never asked again; "prefer not to say" (`PREFER_NOT_TO_SAY`) is an answer.
3. "Not now" is respected: that question is not asked for `NOT_NOW_DAYS` (14) days, then it may return.
4. Spacing: at most `DAILY_LIMIT` (3) questions answered or skipped in any 24 hours; a round is over
   when the person has used them, and the next round starts `ROUND_GAP` (1 day) after their last action.
5. Order: the cards of the current round stay (shown in the last `ROUND_GAP`, not yet acted on), then
   questions never asked before, then those asked longest ago; within each group first what the
   tenant's engines need most (the `attribute_demand` signal of `aandacht.profiles.signals`: segments,
   content eligibility and matching say which answers they depend on), then the questionnaire of the
   highest priority, then the questionnaire's own order.

At most `ROUND_SIZE` (3) questions, fewer when the day's budget is partly used. "Prefer not to say" is
always possible and stored like any answer, through `aandacht.profiles.service.set_values` (source
"person"). Every answer, "not now" and "prefer not to say" is written to the ask history
(`aandacht.profiles.asks.ProfileAsk`) in the same transaction as the value; a card that is shown is
written too, at most once a round, so that "never asked" and "asked long ago" can be told apart.

Every function takes `now`, so that the rules can be tested without touching the clock.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from aandacht.db import session, utcnow
from aandacht.profiles import service
from aandacht.profiles.asks import ProfileAsk
from aandacht.profiles.definitions import (
    CORE_QUESTIONNAIRES,
    PREFER_NOT_TO_SAY,
    ProfileAttribute,
    Questionnaire,
)
from aandacht.profiles.registry import attributes_for
from aandacht.profiles.signals import demand_for
from aandacht.tenancy.context import CurrentTenant, require_tenant

#: The most questions shown at once.
ROUND_SIZE = 3
#: The most questions a person answers or skips in any 24 hours.
DAILY_LIMIT = 3
#: The wait between a finished round and the next.
ROUND_GAP = timedelta(days=1)
#: How long "not now" keeps a question away.
NOT_NOW_DAYS = 14
_DAY = timedelta(days=1)
#: The outcomes that are the person's own action (they count against the daily limit).
_ACTIONS = ("answered", "not_now", "prefer_not")


@dataclass(frozen=True)
class Question:
    """One question: an attribute, and the questionnaire that asks it."""

    attribute: ProfileAttribute
    questionnaire: Questionnaire

    @property
    def key(self) -> str:
        """The attribute's key."""
        return self.attribute.key


@dataclass(frozen=True)
class Ask:
    """One line of the ask history, as the rules read it."""

    attribute_key: str
    asked_at: datetime
    outcome: str


class UnknownQuestion(service.ProfileInvalid):
    """The tenant asks no such question of this person (or the person may not answer it)."""

    def __init__(self, key: str) -> None:
        super().__init__({key: _("There is no such question.")})


def questionnaires_for(tenant: CurrentTenant) -> list[Questionnaire]:
    """The core's questionnaires and those of the tenant's enabled domains."""
    registry = current_app.extensions["aandacht.domains"]
    return [*CORE_QUESTIONNAIRES, *registry.questionnaires(tenant)]


def askable_questions(
    questionnaires: Iterable[Questionnaire],
    attributes: dict[str, ProfileAttribute],
    demand: Mapping[str, int] | None = None,
) -> list[Question]:
    """Every question the person may answer, most needed first, then by priority; an attribute once.

    `demand` (attribute key -> weight, from `profiles.signals.attribute_demand`) puts what the tenant's
    engines need most in front. Keys the registry does not know, and attributes only staff or the
    system may change, are left out.
    """
    ordered = sorted(questionnaires, key=lambda questionnaire: -questionnaire.priority)  # stable
    found: dict[str, Question] = {}
    for questionnaire in ordered:
        for key in questionnaire.attribute_keys:
            attribute = attributes.get(key)
            if attribute is None or key in found or not service.may("person", attribute.editable_by):
                continue
            found[key] = Question(attribute, questionnaire)
    needed = demand or {}
    return sorted(found.values(), key=lambda question: -needed.get(question.key, 0))  # stable


def choose_questions(
    questions: Sequence[Question],
    answered: Collection[str],
    history: Iterable[Ask],
    *,
    now: datetime,
    limit: int = ROUND_SIZE,
) -> list[Question]:
    """The questions to show now, by the rules of this module (`questions` in priority order)."""
    history = sorted(history, key=lambda ask: ask.asked_at)
    actions = [ask for ask in history if ask.outcome in _ACTIONS]
    today = [ask for ask in actions if ask.asked_at > now - _DAY]
    budget = min(limit, DAILY_LIMIT - len(today))
    if budget <= 0 or _round_just_finished(actions, now):
        return []
    last_shown: dict[str, datetime] = {}
    last_action: dict[str, datetime] = {}
    snoozed: set[str] = set()
    for ask in history:
        if ask.outcome == "shown":
            last_shown[ask.attribute_key] = ask.asked_at
        else:
            last_action[ask.attribute_key] = ask.asked_at
        if ask.outcome == "not_now" and ask.asked_at > now - timedelta(days=NOT_NOW_DAYS):
            snoozed.add(ask.attribute_key)

    def group(question: Question) -> tuple[int, datetime | None]:
        shown = last_shown.get(question.key)
        acted = last_action.get(question.key)
        if shown and shown > now - ROUND_GAP and (acted is None or acted < shown):
            return 0, None  # on a card of the current round: keep it there
        asked = max(moment for moment in (shown, acted) if moment) if (shown or acted) else None
        return (1, None) if asked is None else (2, asked)

    candidates = [
        (group(question), position, question)
        for position, question in enumerate(questions)
        if question.key not in answered and question.key not in snoozed
    ]
    # Groups first; "asked long ago" by its moment, oldest first; then the priority order given.
    candidates.sort(key=lambda item: (item[0][0], item[0][1] or now, item[1]))
    return [question for _group, _position, question in candidates[:budget]]


def _round_just_finished(actions: Sequence[Ask], now: datetime) -> bool:
    """Whether the last action ended a round (a day's budget used up) less than ROUND_GAP ago."""
    if not actions or actions[-1].asked_at <= now - ROUND_GAP:
        return False
    last = actions[-1].asked_at
    return sum(1 for ask in actions if last - _DAY < ask.asked_at <= last) >= DAILY_LIMIT


# --- With the database ---------------------------------------------------------------------------------


def ask_history(person_id: uuid.UUID) -> list[Ask]:
    """A person's ask history, oldest first."""
    rows = session.execute(
        select(ProfileAsk.attribute_key, ProfileAsk.asked_at, ProfileAsk.outcome)
        .where(ProfileAsk.person_id == person_id)
        .order_by(ProfileAsk.asked_at)
    )
    return [Ask(key, asked_at, outcome) for key, asked_at, outcome in rows]


def person_questions(tenant: CurrentTenant | None = None) -> list[Question]:
    """Every question the tenant may ask a person, highest priority first."""
    tenant = tenant or require_tenant()
    return askable_questions(questionnaires_for(tenant), attributes_for(tenant), demand_for(tenant))


def next_questions_for(
    person_id: uuid.UUID, *, now: datetime | None = None, limit: int = ROUND_SIZE, record: bool = True
) -> list[Question]:
    """The questions to put to the person now; with `record`, their showing goes into the ask history."""
    now = now or utcnow()
    history = ask_history(person_id)
    answered = service.profile_values(person_id).keys()
    chosen = choose_questions(person_questions(), answered, history, now=now, limit=limit)
    if record:
        recent = {
            ask.attribute_key for ask in history if ask.outcome == "shown" and ask.asked_at > now - ROUND_GAP
        }
        new = [question for question in chosen if question.key not in recent]
        for question in new:
            session.add(
                ProfileAsk(person_id=person_id, attribute_key=question.key, asked_at=now, outcome="shown")
            )
        if new:
            session.commit()
    return chosen


def question(key: str) -> Question:
    """The question `key` of the current tenant; raises UnknownQuestion."""
    found = next((item for item in person_questions() if item.key == key), None)
    if found is None:
        raise UnknownQuestion(key)
    return found


def answer(person_id: uuid.UUID, key: str, raw: Any, *, now: datetime | None = None) -> None:
    """Store the person's answer and note it in the ask history (one transaction); raises ProfileInvalid.

    An empty answer is refused (to skip, the person says "not now"); nothing is written then.
    """
    question(key)
    if raw is None or raw == "" or raw == []:
        raise service.ProfileInvalid({key: _("Choose or fill in an answer.")})
    outcome = "prefer_not" if raw == PREFER_NOT_TO_SAY else "answered"
    _store(person_id, key, raw, outcome, now or utcnow())


def prefer_not_to_say(person_id: uuid.UUID, key: str, *, now: datetime | None = None) -> None:
    """Store PREFER_NOT_TO_SAY as the answer: it counts as answered, and the question is not asked again."""
    question(key)
    _store(person_id, key, PREFER_NOT_TO_SAY, "prefer_not", now or utcnow())


def not_now(person_id: uuid.UUID, key: str, *, now: datetime | None = None) -> None:
    """The person skips the question: it stays away for NOT_NOW_DAYS days."""
    question(key)
    session.add(
        ProfileAsk(person_id=person_id, attribute_key=key, asked_at=now or utcnow(), outcome="not_now")
    )
    session.commit()


def _store(person_id: uuid.UUID, key: str, raw: Any, outcome: str, now: datetime) -> None:
    service.clean_values({key: raw}, audience="person")  # refuses before anything is added
    session.add(ProfileAsk(person_id=person_id, attribute_key=key, asked_at=now, outcome=outcome))
    try:
        service.set_values(
            person_id, {key: raw}, source="person", audience="person", actor_id=person_id, detail="question"
        )
    except Exception:
        session.rollback()
        raise
