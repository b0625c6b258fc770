"""The selection language: a predicate document is checked into a tree of nodes, then compiled.

A node is a JSON object with exactly one key: `and` or `or` (a list of nodes), `not` (one node), or
the name of a predicate (`attribute`, `last_active`, `werk.applications`, ...) with its arguments.
Every problem is reported with its JSON Pointer (`/and/1/attribute/value`) and a reason in the
viewer's language; nothing is compiled until the whole document is sound. docs/segments.md has the
language, `aandacht.segments.schema` its JSON Schema.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar

from flask_babel import gettext as _
from sqlalchemy import ColumnElement

from aandacht.profiles.definitions import ProfileAttribute
from aandacht.tenancy.context import CurrentTenant

#: The keys of the logical nodes.
LOGICAL = ("and", "or", "not")
#: How deep a document may nest, and how many predicates it may hold (a guard against abuse).
MAX_DEPTH = 12
MAX_PREDICATES = 200


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a predicate document: where (a JSON Pointer) and why."""

    path: str
    message: str


class SelectionInvalid(ValueError):
    """The document is not a sound selection; `problems` says where and why. Nothing was evaluated."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(f"{problem.path or '/'}: {problem.message}" for problem in problems))
        self.problems = list(problems)


class Invalid(ValueError):
    """Raised by a predicate's check: `message` about the arguments at `path` (relative, e.g. `value`)."""

    def __init__(self, message: str, *path: str | int) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


@dataclass(frozen=True)
class Viewer:
    """Who selects: decides which attributes may be selected on and among whom.

    `audience` is a profile audience (coach, team_lead, tenant_admin, or system for the platform's own
    rules); `staff_id` the staff member; `sees_everyone` False limits every result to their caseload.
    """

    audience: str
    staff_id: uuid.UUID | None = None
    sees_everyone: bool = False

    @classmethod
    def system(cls) -> Viewer:
        """The platform itself (campaign audiences, eligibility, cohorts): sees everyone and everything."""
        return cls(audience="system", sees_everyone=True)


@dataclass
class Context:
    """What checking and compiling a document needs: the tenant, the viewer, the moment, the registries."""

    tenant: CurrentTenant
    viewer: Viewer
    now: datetime
    attributes: Mapping[str, ProfileAttribute]
    predicates: Mapping[str, Predicate]
    #: The saved segments the document refers to, by id; filled while checking.
    load_segment: Callable[[uuid.UUID], Any]
    #: Segments being checked, for cycle detection.
    visiting: list[uuid.UUID] = field(default_factory=list)

    @property
    def today(self) -> date:
        """The date the relative dates of the document count from."""
        return self.now.date()


class Predicate:
    """One kind of leaf of the language.

    Subclass it; a domain returns instances from `Domain.segment_predicates()` with names that start
    with its own name (`werk.applications`).

    `check` turns the raw arguments into clean ones or raises `Invalid`; `compile` turns clean
    arguments into one SQL boolean over the columns of `aandacht.segments.compiler.Scope` (the person
    and their profile), and must be two-valued for every person (true or false, never NULL) unless it
    reads the profile document; `reads` names the profile attributes it selects on.
    """

    #: The key of the node: `attribute`, `werk.applications`.
    name: ClassVar[str]
    #: Short words for the selection builder.
    label: ClassVar[object] = ""
    #: JSON Schema of the arguments, for docs/segments.md and for clients that build documents.
    schema: ClassVar[dict[str, Any]] = {}

    def check(self, arguments: Any, context: Context) -> Any:
        """The clean arguments; raises Invalid."""
        raise NotImplementedError

    def compile(self, arguments: Any, context: Context, scope: Any) -> ColumnElement[bool]:
        """One SQL condition over `scope` (see `aandacht.segments.compiler.Scope`)."""
        raise NotImplementedError

    def reads(self, arguments: Any) -> Iterator[str]:
        """The profile attribute keys it selects on."""
        return iter(())

    def containment(self, arguments: Any) -> list[dict[str, Any]] | None:
        """The profile documents one of which a person's profile must contain for this to hold, or None.

        What can say so lets the compiler merge the conditions of an `and` into one lookup of the
        profile index (`values @> {...}`) instead of one lookup per condition.
        """
        return None


# --- The checked tree --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """A checked node: a logical one (`and`, `or`, `not` with children) or a predicate leaf."""

    kind: str
    children: tuple[Node, ...] = ()
    predicate: Predicate | None = None
    arguments: Any = None

    def leaves(self) -> Iterator[Node]:
        """Every predicate leaf below this node."""
        if self.predicate is not None:
            yield self
        for child in self.children:
            yield from child.leaves()


def check(document: Any, context: Context) -> Node:
    """The checked tree of `document`; raises SelectionInvalid with every problem found."""
    problems: list[Problem] = []
    counter = [0]
    node = _check_node(document, context, "", problems, 0, counter)
    if problems:
        raise SelectionInvalid(problems)
    return node


def _check_node(
    document: Any, context: Context, path: str, problems: list[Problem], depth: int, counter: list[int]
) -> Node:
    if depth > MAX_DEPTH:
        problems.append(Problem(path, _("This selection is nested too deeply.")))
        return Node("and")
    if not isinstance(document, dict) or len(document) != 1:
        problems.append(Problem(path, _('Each part is an object with exactly one key, such as "and".')))
        return Node("and")
    ((key, value),) = document.items()
    here = f"{path}/{_escape(key)}"
    if key in ("and", "or"):
        if not isinstance(value, list):
            problems.append(Problem(here, _("Give a list of conditions.")))
            return Node(key)
        children = tuple(
            _check_node(item, context, f"{here}/{index}", problems, depth + 1, counter)
            for index, item in enumerate(value)
        )
        return Node(key, children)
    if key == "not":
        return Node("not", (_check_node(value, context, here, problems, depth + 1, counter),))
    predicate = context.predicates.get(key)
    if predicate is None:
        problems.append(Problem(path, _('Unknown condition "%(name)s".', name=key)))
        return Node("and")
    counter[0] += 1
    if counter[0] == MAX_PREDICATES + 1:
        problems.append(
            Problem(here, _("A selection has at most %(count)d conditions.", count=MAX_PREDICATES))
        )
    try:
        arguments = predicate.check(value, context)
    except Invalid as invalid:
        problems.append(
            Problem("/".join([here, *(_escape(str(part)) for part in invalid.path)]), invalid.message)
        )
        return Node("and")
    except SelectionInvalid as inner:  # a saved segment this one refers to
        problems.extend(Problem(here + problem.path, problem.message) for problem in inner.problems)
        return Node("and")
    return Node("leaf", predicate=predicate, arguments=arguments)


def _escape(part: str) -> str:
    """One JSON Pointer reference token (RFC 6901)."""
    return part.replace("~", "~0").replace("/", "~1")
