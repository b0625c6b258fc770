"""The caseload report: contacts per person, reach, response times, spread of attention, channel reach.

Per month: the contact moments per person, reach, response times and the spread of attention; and
today's channel reach of the caseload (who is reachable by no channel, and why).

The caseload is the one of today (people who left it are not in past months). A coach's report counts
the coach's own contact moments; the whole organisation's counts everyone's. A person is active in a
month when they used the app's content or answered their own profile then.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from aandacht.accounts.models import Person
from aandacht.attention import figures, responses, service
from aandacht.outreach import service as outreach
from aandacht.outreach.models import CHANNELS
from aandacht.personalisation.events import active_people
from aandacht.profiles.service import people_who_answered


@dataclass(frozen=True)
class Month:
    """The figures of one month."""

    start: datetime
    caseload: int
    contacts: int
    active: int
    buckets: dict[str, int]
    gini: float | None
    top_share: float | None
    answered: int
    unanswered: int
    median_hours: float | None

    @property
    def label(self) -> str:
        """The month as 2026-03."""
        return self.start.strftime("%Y-%m")

    @property
    def per_person(self) -> float | None:
        """Contact moments per person of the caseload."""
        return figures.share(self.contacts, self.caseload)

    @property
    def reach(self) -> float | None:
        """The share of the caseload active in the app."""
        return figures.share(self.active, self.caseload)


@dataclass(frozen=True)
class ChannelReach:
    """Which channels reach one person today, and why the others do not."""

    person: Person
    usable: list[str]
    reasons: dict[str, str]


@dataclass(frozen=True)
class Report:
    """The whole report of one caseload."""

    months: list[Month]
    people: list[Person]
    #: Per person, the number of contact moments in each month (in the order of `months`).
    contacts: dict[uuid.UUID, list[int]]
    channels: list[ChannelReach]
    responses_measured: bool

    @property
    def unreachable(self) -> list[ChannelReach]:
        """The people no channel reaches."""
        return [found for found in self.channels if not found.usable]

    @property
    def reachable_share(self) -> float | None:
        """The share of the caseload that some channel reaches."""
        return figures.share(len(self.channels) - len(self.unreachable), len(self.channels))


def caseload_report(
    people: Sequence[Person], *, staff_id: uuid.UUID | None, last: datetime, months: int = 6
) -> Report:
    """The report of `people` over `months` months ending with `last`'s (`staff_id`: only their contacts)."""
    ids = [person.id for person in people]
    bounds = figures.month_bounds(last, months)
    contacts = {person_id: [0] * months for person_id in ids}
    for person_id, moment in service.contact_times(bounds[0], bounds[-1], person_ids=ids, staff_id=staff_id):
        index = next(i for i in range(months) if bounds[i] <= moment < bounds[i + 1])
        contacts[person_id][index] += 1
    rows = []
    for index in range(months):
        since, until = bounds[index], bounds[index + 1]
        counts = [contacts[person_id][index] for person_id in ids]
        active = active_people(ids, since, until) | people_who_answered(ids, since, until)
        answered = responses.responses(ids, since, until)
        rows.append(
            Month(
                start=since,
                caseload=len(ids),
                contacts=sum(counts),
                active=len(active),
                buckets=figures.buckets(counts),
                gini=figures.gini(counts),
                top_share=figures.top_share(counts),
                answered=len(answered.hours),
                unanswered=answered.unanswered,
                median_hours=figures.median(answered.hours),
            )
        )
    return Report(
        months=rows,
        people=list(people),
        contacts=contacts,
        channels=channel_reach(people),
        responses_measured=responses.measured(),
    )


def channel_reach(people: Sequence[Person]) -> list[ChannelReach]:
    """Which channels reach each person today; the app's own list only once they have used the app."""
    reaches = outreach.reach_of_many([person.id for person in people])
    found = []
    for person in people:
        reach = reaches.get(person.id)
        if reach is None:
            found.append(ChannelReach(person, [], {"in_app": _("the account is switched off")}))
            continue
        choice = outreach.choose(reach, list(CHANNELS))
        usable, reasons = list(choice.usable), dict(choice.reasons)
        if "in_app" in usable and person.last_active_at is None:
            usable.remove("in_app")
            reasons["in_app"] = _("has never used the app")
        found.append(ChannelReach(person, usable, reasons))
    return found
