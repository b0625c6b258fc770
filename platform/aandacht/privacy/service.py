"""The access log: write a row for every view of a person's data by staff, and read it back.

`record_access` is the one call every engine and domain makes when staff (or an integration) is shown a
person's data; `aandacht.profiles.views.person_of_caseload`, the gate of the workspace's person pages,
calls it for them. It writes in a transaction of its own and commits at once, before the page is
rendered: a page that fails afterwards, or rolls its own transaction back, cannot take the row with it,
and a view that showed data is never missing from the log.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import g, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from aandacht.accounts.models import Person
from aandacht.db import AppSession, engine, session, utcnow
from aandacht.privacy.models import ACCESS_CHANNELS, AccessLogEntry

#: What was viewed, in words a resident understands. Domains add their own keys with `describe`.
WHAT: dict[str, object] = {
    "person_page": _l("Your overview (profile, messages, contacts and notes of staff)"),
    "profiles.person_profile": _l("Your profile"),
    "outreach_workspace.person_messages": _l("Your messages"),
    "coaches": _l("Who your coaches are"),
    "api.person": _l("Your name and contact details"),
    "api.profile": _l("Your profile"),
    "api.profile_history": _l("The changes of your profile"),
    "report": _l("Your number of contacts and how we can reach you (in a report of the caseload)"),
}
#: Who looked, by role, in words a resident understands.
ROLE_NAMES = {
    "coach": _l("coach"),
    "team_lead": _l("team lead"),
    "tenant_admin": _l("administrator"),
}
_VIEWER_KINDS = frozenset({"staff", "client"})


def describe(what: str, label: object) -> None:
    """Name a kind of view (`what`) for the access log, e.g. a domain's own page of a person."""
    WHAT[what] = label


def record_access(person_id: uuid.UUID, *, what: str | None = None, channel: str = "page") -> None:
    """Write that the acting staff member or integration viewed `person_id`'s data, in its own transaction.

    `what` names the view (a key of `WHAT`; the request's endpoint when not given). A resident viewing
    their own data is not logged, and one request logs each view of a person once.
    """
    record_accesses([person_id], what=what, channel=channel)


def record_accesses(
    person_ids: Iterable[uuid.UUID], *, what: str | None = None, channel: str = "page"
) -> None:
    """`record_access` for every person a page or download shows (a report's list), in one transaction."""
    principal = g.principal
    if principal.kind not in _VIEWER_KINDS:
        return
    if channel not in ACCESS_CHANNELS:
        raise ValueError(f"unknown channel of access: {channel!r}")
    what = what or request.endpoint or "unknown"
    logged: set[tuple[uuid.UUID, str]] = g.setdefault("aandacht_access_logged", set())
    new = list(dict.fromkeys(person_id for person_id in person_ids if (person_id, what) not in logged))
    if not new:
        return
    now, route = utcnow(), f"{request.method} {request.path}"[:300]
    entries = [
        AccessLogEntry(
            person_id=person_id,
            viewer_kind=principal.kind,
            viewer_id=principal.id,
            viewer_name=principal.display_name[:200],
            viewer_role=principal.role if principal.kind == "staff" else None,
            channel=channel,
            what=what[:60],
            route=route,
            at=now,
        )
        for person_id in new
    ]
    with AppSession(bind=engine(), expire_on_commit=False) as own:
        own.add_all(entries)
        own.commit()
    logged.update((person_id, what) for person_id in new)


@dataclass(frozen=True)
class Access:
    """One row of the log as the faces show it."""

    at: datetime
    person_id: uuid.UUID
    person_name: str
    viewer: str
    role: str
    what: str
    channel: str
    route: str


def _shown(entry: AccessLogEntry, person_name: str) -> Access:
    role = ROLE_NAMES.get(entry.viewer_role or "", "") if entry.viewer_kind == "staff" else ""
    return Access(
        at=entry.at,
        person_id=entry.person_id,
        person_name=person_name,
        viewer=entry.viewer_name,
        role=str(role),
        what=str(WHAT.get(entry.what, entry.what)),
        channel=entry.channel,
        route=entry.route,
    )


def access_log_of(person_id: uuid.UUID, *, limit: int = 200) -> list[Access]:
    """Who viewed the person's data, newest first."""
    query = (
        select(AccessLogEntry, Person.display_name)
        .join(Person, Person.id == AccessLogEntry.person_id)
        .where(AccessLogEntry.person_id == person_id)
        .order_by(AccessLogEntry.at.desc())
        .limit(limit)
    )
    return [_shown(entry, name) for entry, name in session.execute(query)]


def access_log(*, query: str = "", limit: int = 200, offset: int = 0) -> tuple[list[Access], int]:
    """The tenant's log, newest first, narrowed to people or viewers matching `query`; and its length."""
    statement = select(AccessLogEntry, Person.display_name).join(
        Person, Person.id == AccessLogEntry.person_id
    )
    if query:
        pattern = f"%{query.casefold()}%"
        statement = statement.where(
            func.lower(Person.display_name).like(pattern)
            | func.lower(AccessLogEntry.viewer_name).like(pattern)
        )
    total = session.execute(select(func.count()).select_from(statement.subquery())).scalar_one()
    rows = session.execute(statement.order_by(AccessLogEntry.at.desc()).limit(limit).offset(offset))
    return [_shown(entry, name) for entry, name in rows], total
