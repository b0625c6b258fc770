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

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, not_, or_, select, true

from aandacht.accounts.models import Person
from aandacht.accounts.selections import in_caseload_of
from aandacht.profiles.models import Profile
from aandacht.segments.language import Context, Node


@dataclass(frozen=True)
class Scope:
    """The columns a predicate compiles against: the person, their profile document, the SQL dialect."""

    person: type[Person]
    values: Any
    dialect: str


def condition(node: Node, context: Context, scope: Scope) -> ColumnElement[bool]:
    """The SQL condition of one checked node."""
    if node.predicate is not None:
        return node.predicate.compile(node.arguments, context, scope)
    parts = [condition(child, context, scope) for child in node.children]
    if node.kind == "and":
        return and_(*parts) if parts else true()
    if node.kind == "or":
        return or_(*parts) if parts else false()
    return not_(func.coalesce(parts[0], false()))


def people_matching(node: Node, context: Context, dialect: str, *columns: Any) -> Select[Any]:
    """SELECT `columns` (default: the person's id) of the people the tree selects, as the viewer may."""
    scope = Scope(person=Person, values=Profile.values, dialect=dialect)
    statement = (
        select(*(columns or (Person.id,)))
        .select_from(Person)
        .outerjoin(Profile)
        .where(Person.active.is_(True), condition(node, context, scope))
    )
    viewer = context.viewer
    if not viewer.sees_everyone:
        statement = statement.where(in_caseload_of(viewer.staff_id) if viewer.staff_id else false())
    return statement
