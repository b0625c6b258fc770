"""From a checked tree to one SQL statement (SQLAlchemy Core over the ORM's tables).

The statement selects people: the tenant's active people, left-joined to their profile document, where
the tree's condition holds, and, for a viewer who does not see everyone, only those in their caseload.
Tenant scoping is added by the session's central hook, and on PostgreSQL again by row level security.

Two-valued logic: a leaf over the profile document is NULL for a person without a profile row; `not`
takes such a NULL as false before negating it, and the WHERE clause drops it, so every person is either
in or out. The profile-free leaves are two-valued themselves. Leaves over the document stay bare (no
COALESCE) so that PostgreSQL can use the document's GIN index; a strict condition on the document
also lets the planner turn the left join into an inner one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, not_, or_, select, true

from aandacht.accounts.models import Person
from aandacht.accounts.selections import in_caseload_of
from aandacht.profiles.models import Profile
from aandacht.profiles.selections import document_sql
from aandacht.segments.language import Context, Node

#: The most alternatives a merged containment may have before conditions are kept apart.
MAX_ALTERNATIVES = 64


@dataclass(frozen=True)
class Scope:
    """The columns a predicate compiles against: the person, their profile document, the SQL dialect."""

    person: type[Person]
    values: Any
    dialect: str
    #: Whether the viewer selects among a few people (their caseload), not among everyone.
    narrow: bool = False


def condition(node: Node, context: Context, scope: Scope) -> ColumnElement[bool]:
    """The SQL condition of one checked node."""
    if node.predicate is not None:
        return node.predicate.compile(node.arguments, context, scope)
    if node.kind == "and":
        return _conjunction(node.children, context, scope)
    parts = [condition(child, context, scope) for child in node.children]
    if node.kind == "or":
        return or_(*parts) if parts else false()
    return not_(func.coalesce(parts[0], false()))


def _conjunction(children: tuple[Node, ...], context: Context, scope: Scope) -> ColumnElement[bool]:
    """The children of an `and`; those that are profile containments merge into one lookup.

    `a AND (b OR c)` over the profile document becomes `values @> {a,b} OR values @> {a,c}`: each
    alternative is answered by the GIN index as a whole, instead of the index answering `a` and every
    candidate row then being read to test `b OR c`.
    """
    merged: list[dict[str, Any]] | None = None
    rest: list[Node] = []
    for child in children:
        documents = containment(child)
        combined = documents if merged is None or documents is None else combine(merged, documents)
        if combined is None:
            rest.append(child)
        else:
            merged = combined
    parts = [] if merged is None else [document_sql(scope).holds_one_of(merged)]
    parts += [condition(child, context, scope) for child in rest]
    return and_(*parts) if parts else true()


def containment(node: Node) -> list[dict[str, Any]] | None:
    """The profile documents one of which a person's profile must contain for `node` to hold, or None."""
    if node.predicate is not None:
        return node.predicate.containment(node.arguments)
    if node.kind == "not" or not node.children:
        return None
    alternatives = [containment(child) for child in node.children]
    if any(documents is None for documents in alternatives):
        return None
    if node.kind == "or":
        found = [document for documents in alternatives for document in documents]
        return found if len(found) <= MAX_ALTERNATIVES else None
    merged: list[dict[str, Any]] | None = alternatives[0]
    for documents in alternatives[1:]:
        merged = combine(merged, documents) if merged is not None else None
    return merged


def combine(left: list[dict[str, Any]], right: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """The alternatives of `left AND right` (every pair merged), or None when there would be too many."""
    if len(left) * len(right) > MAX_ALTERNATIVES:
        return None
    found: dict[str, dict[str, Any]] = {}
    for one in left:
        for other in right:
            document = _merged(one, other)
            if document is not None:
                found.setdefault(json.dumps(document, sort_keys=True), document)
    return list(found.values())


def _merged(one: dict[str, Any], other: dict[str, Any]) -> dict[str, Any] | None:
    """One document holding both, or None when no profile can contain both (one key, two values)."""
    document = dict(one)
    for key, value in other.items():
        if key not in document:
            document[key] = value
        elif isinstance(value, list) and isinstance(document[key], list):
            document[key] = sorted({*document[key], *value})
        elif not _same(document[key], value):
            return None
    return document


def _same(one: Any, other: Any) -> bool:
    """Equal as JSON values (in Python, True == 1)."""
    return not isinstance(one, list) and isinstance(one, bool) == isinstance(other, bool) and one == other


def people_matching(node: Node, context: Context, dialect: str, *columns: Any) -> Select[Any]:
    """SELECT `columns` (default: the person's id) of the people the tree selects, as the viewer may."""
    viewer = context.viewer
    scope = Scope(person=Person, values=Profile.values, dialect=dialect, narrow=not viewer.sees_everyone)
    statement = (
        select(*(columns or (Person.id,)))
        .select_from(Person)
        .outerjoin(Profile)
        .where(Person.active.is_(True), condition(node, context, scope))
    )
    if not viewer.sees_everyone:
        statement = statement.where(in_caseload_of(viewer.staff_id) if viewer.staff_id else false())
    return statement
