"""Response times: from a person's question to staff's next contact with them.

What counts as a question is a registry of sources, each a function returning (person, asked at) pairs
of a period. The core has none yet: the conversations engine registers the person's messages, and a
domain may register its own (a request for a call back):

    @question_source("conversations.messages")
    def questions(person_ids, since, until): return [(person_id, sent_at), ...]

The answer is the first contact moment with the person after the question (by any staff member: a
colleague's reply is a reply), so only what is recorded as a contact moment counts.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from aandacht.attention import service

Question = tuple[uuid.UUID, datetime]
QuestionSource = Callable[[Sequence[uuid.UUID], datetime, datetime], list[Question]]

_SOURCES: dict[str, QuestionSource] = {}
#: How long after a question a contact still counts as its answer.
ANSWER_WINDOW = timedelta(days=30)


def question_source(name: str) -> Callable[[QuestionSource], QuestionSource]:
    """Register a source of people's questions to staff under `name`."""

    def register(source: QuestionSource) -> QuestionSource:
        _SOURCES[name] = source
        return source

    return register


def measured() -> bool:
    """Whether any source of questions is registered (else response times are not measured)."""
    return bool(_SOURCES)


@dataclass(frozen=True)
class Responses:
    """The questions of a period: the hours each answered one waited, and how many are unanswered."""

    hours: list[float]
    unanswered: int


def responses(person_ids: Sequence[uuid.UUID], since: datetime, until: datetime) -> Responses:
    """The response times of the questions that the people asked in [since, until)."""
    questions = sorted(
        (question for source in _SOURCES.values() for question in source(person_ids, since, until)),
        key=lambda question: question[1],
    )
    if not questions:
        return Responses([], 0)
    contacts: dict[uuid.UUID, list[datetime]] = {}
    for person_id, moment in sorted(
        service.contact_times(since, until + ANSWER_WINDOW, person_ids=list(person_ids)),
        key=lambda pair: pair[1],
    ):
        contacts.setdefault(person_id, []).append(moment)
    hours, unanswered = [], 0
    for person_id, asked_at in questions:
        answer = next(
            (at for at in contacts.get(person_id, []) if asked_at < at <= asked_at + ANSWER_WINDOW), None
        )
        if answer is None:
            unanswered += 1
        else:
            hours.append((answer - asked_at).total_seconds() / 3600)
    return Responses(hours, unanswered)
