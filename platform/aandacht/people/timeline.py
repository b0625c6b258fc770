"""The person's timeline: a small registry of sources, each a function returning entries, merged by time.

A source is a function taking a `TimelineQuery` and returning the person's newest entries (at most
`query.limit`, all before `query.before` when that is set). Register one with `timeline_source`:

    @timeline_source("werk.applications", domain="werk")
    def applications(query: TimelineQuery) -> list[Entry]: ...

A source of a domain contributes only to tenants that enable the domain. The core's sources are in
`aandacht.people.sources`; conversations and appointments add theirs the same way.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, g


@dataclass(frozen=True)
class TimelineQuery:
    """What a source is asked: whose entries, as which audience may see them, how many, before when."""

    person_id: uuid.UUID
    #: The profile audience of the viewer ("coach", "team_lead", ...): a source shows only what it may see.
    audience: str
    limit: int
    before: datetime | None = None


@dataclass(frozen=True)
class Entry:
    """One thing that happened, as one line of the timeline."""

    at: datetime
    #: The source's name, so a page can tell entries apart.
    source: str
    #: A Tabler icon name.
    icon: str
    title: str
    detail: str = ""
    #: Who did it (a staff member's name, "the person", an import), if anyone.
    actor: str = ""


Source = Callable[[TimelineQuery], Iterable[Entry]]


@dataclass(frozen=True)
class _Registered:
    source: Source
    domain: str | None


_SOURCES: dict[str, _Registered] = {}


def timeline_source(name: str, *, domain: str | None = None) -> Callable[[Source], Source]:
    """Register a source of timeline entries under `name` (a domain's only for tenants that enable it)."""

    def register(source: Source) -> Source:
        _SOURCES[name] = _Registered(source, domain)
        return source

    return register


def source_names() -> list[str]:
    """The names of the registered sources."""
    return list(_SOURCES)


def _enabled(domain: str | None) -> bool:
    return domain is None or current_app.extensions["aandacht.domains"].is_enabled(domain, g.tenant)


def timeline(
    person_id: uuid.UUID, *, audience: str, limit: int = 30, before: datetime | None = None
) -> tuple[list[Entry], datetime | None]:
    """The person's newest `limit` entries from every source, newest first, and the `before` of the next page.

    The next page's `before` is None when there is nothing older.
    """
    query = TimelineQuery(person_id=person_id, audience=audience, limit=limit + 1, before=before)
    entries = [
        entry
        for registered in _SOURCES.values()
        if _enabled(registered.domain)
        for entry in registered.source(query)
        if before is None or entry.at < before
    ]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    if len(entries) > limit:
        return entries[:limit], entries[limit - 1].at
    return entries, None
