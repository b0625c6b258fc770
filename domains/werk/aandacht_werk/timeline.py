"""The werk lines of a person's timeline: what they logged for their job search, and their agreements.

Registered with the core's `timeline_source` for tenants that enable werk; imported by the domain's
`__init__` so that the sources exist wherever the domain is installed.
"""

from __future__ import annotations

from flask_babel import format_date

from aandacht.people.sources import staff_name
from aandacht.people.timeline import Entry, TimelineQuery, timeline_source
from aandacht_werk import service
from aandacht_werk.i18n import translations
from aandacht_werk.words import ACTIVITY_WORDS, OUTCOME_WORDS

_ = translations.gettext


@timeline_source("werk.activities", domain="werk")
def activities(query: TimelineQuery) -> list[Entry]:
    """Each search activity when it was logged: what, about which vacancy, on which day, what came of it."""
    entries = []
    for activity in service.activities_logged(query.person_id, limit=query.limit, before=query.before):
        _pressed, name, icon = ACTIVITY_WORDS[activity.kind]
        about = ", ".join(part for part in (activity.title, activity.employer) if part)
        detail = [_("Done on %(day)s", day=format_date(activity.done_on, "d MMMM y"))]
        if activity.outcome:
            detail.append(str(OUTCOME_WORDS[activity.outcome][0]))
        entries.append(
            Entry(
                at=activity.created_at,
                source="werk.activities",
                icon=icon,
                title=f"{name}: {about}" if about else str(name),
                detail=" · ".join(detail),
                actor=_("the job seeker") if activity.logged_by == "person" else _("the coach"),
            )
        )
    return entries


@timeline_source("werk.agreements", domain="werk")
def agreements(query: TimelineQuery) -> list[Entry]:
    """Each agreement when it was set: how many of what a month, from when (and until when)."""
    entries = []
    for agreement in service.agreements_set(query.person_id, limit=query.limit, before=query.before):
        name = ACTIVITY_WORDS[agreement.kind][1]
        detail = _("From %(day)s", day=format_date(agreement.starts_on, "d MMMM y"))
        if agreement.ends_on is not None:
            detail = _(
                "From %(day)s to %(end)s",
                day=format_date(agreement.starts_on, "d MMMM y"),
                end=format_date(agreement.ends_on, "d MMMM y"),
            )
        entries.append(
            Entry(
                at=agreement.created_at,
                source="werk.agreements",
                icon="target",
                title=_("Agreement: %(count)d a month (%(kind)s)", count=agreement.per_month, kind=name),
                detail=detail,
                actor=staff_name(agreement.set_by),
            )
        )
    return entries
