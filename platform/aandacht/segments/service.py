"""Selections for the other engines and the faces: check, count, list, save, freeze.

A document is always evaluated for a viewer (`Viewer`): they select only on the attributes their role
may see, and only among the people they may see. Evaluation is live: every call runs one statement on
the current data, so a new answer or event counts at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, func, insert, literal, select, union_all
from sqlalchemy.exc import OperationalError

from aandacht.accounts.models import Person
from aandacht.accounts.permissions import Permission
from aandacht.accounts.principal import Principal
from aandacht.db import session, utcnow
from aandacht.profiles.registry import attributes_for
from aandacht.profiles.service import audience_of
from aandacht.profiles.signals import attribute_demand
from aandacht.segments.compiler import people_matching
from aandacht.segments.language import Context, Node, Problem, SelectionInvalid, Viewer, check
from aandacht.segments.models import KINDS, Segment, SegmentMember
from aandacht.segments.registry import predicates_for
from aandacht.segments.signals import segment_users
from aandacht.tenancy.context import CurrentTenant, require_tenant
from aandacht.tenancy.scoping import get_scoped

#: How long a count or a page of people may run on PostgreSQL before the database stops it.
INTERACTIVE_TIMEOUT_MS = 15_000
#: PostgreSQL's error code of a statement stopped by its timeout (query_canceled).
QUERY_CANCELED = "57014"
#: How many people a sample shows.
SAMPLE_SIZE = 10
#: The weight one saved segment gives each attribute it selects on, and the most in total.
DEMAND_PER_SEGMENT, MOST_DEMAND = 20, 100


class SelectionTooSlow(SelectionInvalid):
    """The database stopped a count or a list that took too long (a problem of the whole document)."""

    def __init__(self) -> None:
        message = _(
            "This selection takes too long to count. Make it narrower, for example with your caseload."
        )
        super().__init__([Problem("", message)])


class SegmentInvalid(ValueError):
    """A segment cannot be saved; `errors` maps a field (name, kind, predicate) to the reason."""

    def __init__(self, errors: Mapping[str, str], problems: list[Any] | None = None) -> None:
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = dict(errors)
        self.problems = problems or []


def viewer_of(principal: Principal) -> Viewer:
    """The viewer a staff member or API principal selects as."""
    return Viewer(
        audience=audience_of(principal.kind, principal.role),
        staff_id=principal.id if principal.kind == "staff" else None,
        sees_everyone=principal.can(Permission.PEOPLE_VIEW_ALL),
    )


def context_for(viewer: Viewer, *, now: datetime | None = None) -> Context:
    """What checking and compiling need, for the tenant in context."""
    tenant = require_tenant()
    return Context(
        tenant=tenant,
        viewer=viewer,
        now=now or utcnow(),
        attributes=attributes_for(tenant),
        predicates=predicates_for(tenant),
        load_segment=lambda segment_id: get_scoped(Segment, segment_id),
    )


def checked(document: Any, viewer: Viewer, *, now: datetime | None = None) -> tuple[Node, Context]:
    """The checked tree of `document` with its context; raises SelectionInvalid."""
    context = context_for(viewer, now=now)
    return check(document, context), context


def _statement(document: Any, viewer: Viewer, now: datetime | None, *columns: Any) -> Any:
    node, context = checked(document, viewer, now=now)
    return people_matching(node, context, session.get_bind().dialect.name, *columns)


def count(
    document: Any, viewer: Viewer, *, now: datetime | None = None, timeout_ms: int = INTERACTIVE_TIMEOUT_MS
) -> int:
    """How many people the document selects, as the viewer may see them; raises SelectionTooSlow."""
    statement = _statement(document, viewer, now, func.count(Person.id))
    return _interactive(statement, timeout_ms).scalar_one()


def people(
    document: Any,
    viewer: Viewer,
    *,
    limit: int | None = None,
    offset: int = 0,
    now: datetime | None = None,
    timeout_ms: int = INTERACTIVE_TIMEOUT_MS,
) -> list[Person]:
    """The people the document selects, by name; `limit` for a page or a sample. Raises SelectionTooSlow."""
    statement = _statement(document, viewer, now, Person)
    return _page_of(statement, limit, offset, timeout_ms)


def count_and_page(
    document: Any, viewer: Viewer, *, limit: int, offset: int = 0, now: datetime | None = None
) -> tuple[int, list[Person]]:
    """How many people the document selects and one page of them (a sample: the first page).

    The document is checked and compiled once for both statements.
    """
    node, context = checked(document, viewer, now=now)
    dialect = session.get_bind().dialect.name
    number = _interactive(
        people_matching(node, context, dialect, func.count(Person.id)), INTERACTIVE_TIMEOUT_MS
    )
    page = _page_of(people_matching(node, context, dialect, Person), limit, offset, INTERACTIVE_TIMEOUT_MS)
    return number.scalar_one(), page


def _page_of(statement: Any, limit: int | None, offset: int, timeout_ms: int) -> list[Person]:
    ordered = statement.order_by(Person.display_name, Person.id).limit(limit).offset(offset)
    return list(_interactive(ordered, timeout_ms).scalars())


def _interactive(statement: Any, timeout_ms: int) -> Any:
    """Run a statement someone waits for; on PostgreSQL the database stops it after `timeout_ms`."""
    if session.get_bind().dialect.name != "postgresql":
        return session.execute(statement)
    session.execute(select(func.set_config("statement_timeout", str(timeout_ms), True)))
    try:
        return session.execute(statement)
    except OperationalError as error:
        if getattr(error.orig, "sqlstate", None) != QUERY_CANCELED:
            raise
        session.rollback()
        raise SelectionTooSlow() from None


def person_ids(document: Any, viewer: Viewer, *, now: datetime | None = None) -> list[uuid.UUID]:
    """The ids of every person the document selects (for audiences and cohorts)."""
    return list(session.execute(_statement(document, viewer, now)).scalars())


def among(
    document: Any, viewer: Viewer, person_ids: Iterable[uuid.UUID], *, now: datetime | None = None
) -> set[uuid.UUID]:
    """Which of these people the document selects (a caseload filtered by a saved segment)."""
    ids = list(person_ids)
    if not ids:
        return set()
    return set(session.execute(_statement(document, viewer, now).where(Person.id.in_(ids))).scalars())


def includes(document: Any, viewer: Viewer, person_id: uuid.UUID, *, now: datetime | None = None) -> bool:
    """Whether the document selects this one person (for eligibility of content)."""
    statement = _statement(document, viewer, now).where(Person.id == person_id)
    return session.execute(statement).first() is not None


def memberships(segment_ids: Iterable[uuid.UUID], person_id: uuid.UUID) -> set[uuid.UUID]:
    """Which of these saved segments select this person, in one statement (for eligibility of content).

    A segment that no longer checks (an attribute it reads was removed) selects no one: fail closed.
    """
    wanted = list(dict.fromkeys(segment_ids))
    # One query puts them in the session (held here: its identity map keeps only weak references),
    # where checking each reference finds them without another query.
    loaded = session.execute(select(Segment).where(Segment.id.in_(wanted))).scalars().all()
    context = context_for(Viewer.system())
    dialect = session.get_bind().dialect.name
    parts = []
    for segment_id in wanted:
        try:
            node = check({"segment": {"id": str(segment_id)}}, context)
        except SelectionInvalid:
            continue
        label = literal(str(segment_id)).label("segment")
        parts.append(people_matching(node, context, dialect, label).where(Person.id == person_id))
    if not parts:
        return set()
    del loaded
    return {uuid.UUID(found) for found in session.execute(union_all(*parts)).scalars()}


def attributes_read(document: Any, viewer: Viewer) -> set[str]:
    """The profile attribute keys the document selects on (through saved segments too)."""
    node, _context = checked(document, viewer)
    return _read_by(node)


def _read_by(node: Node) -> set[str]:
    return {key for leaf in node.leaves() for key in leaf.predicate.reads(leaf.arguments)}


# --- Saved segments ------------------------------------------------------------------------------------


def saved_segments() -> list[Segment]:
    """The tenant's saved segments, by name."""
    return list(session.execute(select(Segment).order_by(Segment.name)).scalars())


def segment_by_id(segment_id: uuid.UUID) -> Segment | None:
    """One saved segment of the tenant in context."""
    return get_scoped(Segment, segment_id)


def as_document(segment: Segment) -> dict[str, Any]:
    """A document that selects the segment's people (live or frozen, as the segment is)."""
    return {"segment": {"id": str(segment.id)}}


@dataclass(frozen=True)
class SegmentFields:
    """What a staff member fills in to save a segment."""

    name: str
    predicate: Any
    description: str = ""
    kind: str = "dynamic"


def save_segment(fields: SegmentFields, viewer: Viewer, *, segment: Segment | None = None) -> Segment:
    """Save a new segment (or change `segment`) after checking everything; a static one is frozen now.

    Raises SegmentInvalid with every problem; nothing is written then.
    """
    errors: dict[str, str] = {}
    name = fields.name.strip()
    if not name or len(name) > 120:
        errors["name"] = _("Give a name of 1 to 120 characters.")
    elif _name_taken(name, segment):
        errors["name"] = _("There is already a selection with this name.")
    if len(fields.description) > 500:
        errors["description"] = _("The description is too long: at most 500 characters.")
    if fields.kind not in KINDS:
        errors["kind"] = _("Choose live or frozen.")
    problems: list[Any] = []
    try:
        context = context_for(viewer)
        if segment is not None:
            context.visiting.append(segment.id)  # it may not refer to itself
        check(fields.predicate, context)
    except SelectionInvalid as invalid:
        problems = invalid.problems
        errors["predicate"] = "; ".join(f"{p.path or '/'}: {p.message}" for p in problems)
    if errors:
        raise SegmentInvalid(errors, problems)
    if segment is None:
        segment = Segment(owner_id=viewer.staff_id)
        session.add(segment)
    segment.name, segment.description, segment.predicate, segment.kind = (
        name,
        fields.description.strip(),
        fields.predicate,
        fields.kind,
    )
    session.flush()
    if segment.kind == "static":
        _freeze(segment, viewer)
    else:
        session.execute(delete(SegmentMember).where(SegmentMember.segment_id == segment.id))
        segment.frozen_at = segment.frozen_count = None
    session.commit()
    return segment


def freeze(segment: Segment, viewer: Viewer) -> Segment:
    """Take the people the segment's document selects now as its list (it becomes static)."""
    segment.kind = "static"
    _freeze(segment, viewer)
    session.commit()
    return segment


def _freeze(segment: Segment, viewer: Viewer) -> None:
    ids = person_ids(segment.predicate, viewer)
    session.execute(delete(SegmentMember).where(SegmentMember.segment_id == segment.id))
    if ids:
        session.execute(insert(SegmentMember), [{"segment_id": segment.id, "person_id": id_} for id_ in ids])
    segment.frozen_at, segment.frozen_count = utcnow(), len(ids)


def delete_segment(segment: Segment) -> None:
    """Remove a saved segment and its list; refused while another saved segment refers to it."""
    users = [
        other.name
        for other in saved_segments()
        if other.id != segment.id and _refers_to(other.predicate, segment.id)
    ]
    for _receiver, names in segment_users.send(segment=segment):
        users.extend(names or ())
    if users:
        raise SegmentInvalid({"segment": _("Still used by: %(names)s.", names=", ".join(users))})
    session.delete(segment)
    session.commit()


def _refers_to(document: Any, segment_id: uuid.UUID) -> bool:
    if isinstance(document, dict):
        reference = document.get("segment")
        if isinstance(reference, dict) and reference.get("id") == str(segment_id):
            return True
        return any(_refers_to(value, segment_id) for value in document.values())
    if isinstance(document, list):
        return any(_refers_to(item, segment_id) for item in document)
    return False


def _name_taken(name: str, segment: Segment | None) -> bool:
    query = select(Segment.id).where(func.lower(Segment.name) == name.lower())
    if segment is not None:
        query = query.where(Segment.id != segment.id)
    return session.execute(query).first() is not None


@attribute_demand.connect
def _demand(_sender: Any, *, tenant: CurrentTenant, **_kwargs: Any) -> dict[str, int]:
    """The attributes the tenant's saved segments select on: ask those questions first."""
    weights: dict[str, int] = {}
    context = context_for(Viewer.system())  # one registry lookup for all segments
    for segment in saved_segments():
        try:
            keys = _read_by(check(segment.predicate, context))
        except SelectionInvalid:
            continue
        for key in keys:
            weights[key] = min(MOST_DEMAND, weights.get(key, 0) + DEMAND_PER_SEGMENT)
    return weights
