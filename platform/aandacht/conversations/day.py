"""The coach's day on the start page: whose questions wait for an answer, and today's appointments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from aandacht.accounts.models import Person
from aandacht.conversations import appointments, service
from aandacht.conversations.models import Appointment
from aandacht.outreach.limits import time_zone
from aandacht.tenancy.context import require_tenant


@dataclass(frozen=True)
class Waiting:
    """A person whose latest messages have no answer from staff yet."""

    person: Person
    messages: int
    since: datetime


@dataclass(frozen=True)
class Today:
    """The coach's day: waiting questions (the longest waiting first) and the appointments of today."""

    waiting: list[Waiting]
    appointments: list[tuple[Person, Appointment]]


def day_of(people: Sequence[Person], now: datetime) -> Today:
    """What waits for the coach of `people` today, in the tenant's time zone; two queries."""
    by_id = {person.id: person for person in people}
    waiting = [
        Waiting(by_id[person_id], count, since)
        for person_id, (count, since) in service.waiting_for_answer(list(by_id)).items()
    ]
    waiting.sort(key=lambda entry: entry.since)
    local = now.astimezone(time_zone(require_tenant()))
    start = datetime.combine(local.date(), time(), tzinfo=local.tzinfo)
    today = appointments.between(list(by_id), start, start + timedelta(days=1))
    return Today(waiting, [(by_id[found.person_id], found) for found in today])
