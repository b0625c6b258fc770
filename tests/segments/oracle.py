"""A plain-Python reading of selection documents, written from the documented semantics alone.

It knows nothing of the checker or the compiler: it evaluates a (valid) predicate document on an
in-memory copy of a population, so that the property test can hold the SQL result against it.

The semantics, as the predicates' docstrings give them:

- `and` of nothing is everyone, `or` of nothing is no one, `not` is the plain negation (every person
  is either in or out, also without a profile row).
- `attribute`: "prefer_not_to_say" matches no comparison, only `declined`; `is_empty` is no answer at
  all; `ne` is a real answer that differs; a person without a profile row has no answers. A relative
  date counts from the date of `now` (the 31st becomes the month's last day).
- `answered`: every question of the questionnaire has an answer (prefer not to say too); with
  `within_days`, one of them also changed in that period.
- `last_active`: `since` a date is active at or after the first moment of that date (UTC);
  `not_since` is never active, or only before; `never` is never active.
- `interactions` and `messages`: how many rows (of that kind or item type; received is sent, opened is
  opened) number at least `min` (default 1, or 0 when `max` is given) and at most `max`; `within_days`
  counts only rows with a moment at or after `now` minus that many days.
- `caseload`: in the caseload of that staff member (`me`: the viewer), or of nobody (`none`).
- `segment`: a dynamic saved segment's document holds; a static one's frozen list holds the person.
- Only active people are ever selected; a viewer who does not see everyone sees only their caseload.
"""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

PREFER_NOT_TO_SAY = "prefer_not_to_say"


@dataclass(frozen=True)
class Interaction:
    """One interaction event of a person."""

    kind: str
    item_type: str | None
    occurred_at: datetime


@dataclass(frozen=True)
class SentMessage:
    """One message to a person: when it was sent and opened (None: not (yet))."""

    channel: str
    sent_at: datetime | None
    opened_at: datetime | None


@dataclass
class Resident:
    """What the selection language can see of one person."""

    id: uuid.UUID
    name: str = ""
    active: bool = True
    #: The profile document; None when the person has no profile row at all.
    values: dict[str, Any] | None = None
    last_active_at: datetime | None = None
    interactions: list[Interaction] = field(default_factory=list)
    messages: list[SentMessage] = field(default_factory=list)
    #: Attribute key -> the moments its value changed.
    changes: dict[str, list[datetime]] = field(default_factory=dict)
    #: The staff members whose caseload the person is in.
    caseloads: set[uuid.UUID] = field(default_factory=set)


@dataclass(frozen=True)
class SavedSegment:
    """A saved segment: its document, and its frozen list when it is static (None: dynamic)."""

    document: Any
    members: frozenset[uuid.UUID] | None = None


@dataclass
class World:
    """The in-memory copy of a tenant's population, with what the documents refer to."""

    residents: dict[uuid.UUID, Resident]
    #: Attribute key -> its type (text, number, scale, date, boolean, choice, multiple_choice).
    types: dict[str, str]
    #: Questionnaire key -> its attribute keys.
    questionnaires: dict[str, tuple[str, ...]]
    #: Segment id (as text) -> the saved segment.
    segments: dict[str, SavedSegment] = field(default_factory=dict)


def selected(
    document: Any,
    world: World,
    now: datetime,
    *,
    staff_id: uuid.UUID | None = None,
    sees_everyone: bool = True,
) -> set[uuid.UUID]:
    """The ids of the people `document` selects, as a viewer (`staff_id`, `sees_everyone`) may see them."""
    return {
        resident.id
        for resident in world.residents.values()
        if resident.active
        and (sees_everyone or (staff_id is not None and staff_id in resident.caseloads))
        and holds(document, resident, Evaluation(world, now, staff_id))
    }


@dataclass(frozen=True)
class Evaluation:
    """What a document is read against, besides the person."""

    world: World
    now: datetime
    staff_id: uuid.UUID | None

    @property
    def today(self) -> date:
        """The date relative dates count from."""
        return self.now.date()


def holds(document: Any, resident: Resident, evaluation: Evaluation) -> bool:
    """Whether one (valid) node holds for one person."""
    ((key, arguments),) = document.items()
    if key == "and":
        return all(holds(child, resident, evaluation) for child in arguments)
    if key == "or":
        return any(holds(child, resident, evaluation) for child in arguments)
    if key == "not":
        return not holds(arguments, resident, evaluation)
    return LEAVES[key](arguments, resident, evaluation)


# --- Leaves ------------------------------------------------------------------------------------------


def _attribute(arguments: dict[str, Any], resident: Resident, evaluation: Evaluation) -> bool:
    key, op = arguments["key"], arguments["op"]
    type_ = evaluation.world.types[key]
    stored = (resident.values or {}).get(key)
    if op == "is_empty":
        return stored is None
    if op == "is_set":
        return stored is not None
    if op == "declined":
        return stored == PREFER_NOT_TO_SAY
    if stored is None or stored == PREFER_NOT_TO_SAY:
        return False  # no answer, or no real one: no comparison matches
    value = arguments["value"]
    if op in ("contains_any", "contains_all"):
        if not isinstance(stored, list):
            return False
        test = any if op == "contains_any" else all
        return test(option in stored for option in value)
    if op == "in":
        return any(_same(stored, _wanted(type_, item, evaluation)) for item in value)
    if op == "between":
        low, high = (_wanted(type_, item, evaluation) for item in value)
        return _comparable(stored, type_) and low <= stored <= high
    wanted = _wanted(type_, value, evaluation)
    if op == "eq":
        return _same(stored, wanted)
    if op == "ne":
        return not _same(stored, wanted)
    if not _comparable(stored, type_):
        return False
    return {
        "lt": stored < wanted,
        "lte": stored <= wanted,
        "gt": stored > wanted,
        "gte": stored >= wanted,
    }[op]


def _same(stored: Any, wanted: Any) -> bool:
    """Equal as JSON values: true is not 1, 12 is 12.0."""
    return isinstance(stored, bool) == isinstance(wanted, bool) and stored == wanted


def _comparable(stored: Any, type_: str) -> bool:
    if type_ in ("number", "scale"):
        return isinstance(stored, int | float) and not isinstance(stored, bool)
    return isinstance(stored, str)


def _wanted(type_: str, value: Any, evaluation: Evaluation) -> Any:
    """The value a document compares with, as stored: a date as ISO text."""
    if type_ == "date":
        return as_date(value, evaluation.today).isoformat()
    return value


def as_date(value: Any, today: date) -> date:
    """A date written as `2026-03-31` or as `{"months_ago": 1}` from `today`."""
    if isinstance(value, str):
        return date.fromisoformat(value)
    ((key, amount),) = value.items()
    unit, way = key.split("_")
    amount = amount if way == "ahead" else -amount
    if unit == "days":
        return today + timedelta(days=amount)
    if unit == "weeks":
        return today + timedelta(weeks=amount)
    months = amount if unit == "months" else 12 * amount
    index = today.year * 12 + (today.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def _answered(arguments: dict[str, Any], resident: Resident, evaluation: Evaluation) -> bool:
    keys = evaluation.world.questionnaires[arguments["questionnaire"]]
    values = resident.values or {}
    if not keys or any(values.get(key) is None for key in keys):
        return False
    if "within_days" not in arguments:
        return True
    since = evaluation.now - timedelta(days=arguments["within_days"])
    return any(moment >= since for key in keys for moment in resident.changes.get(key, ()))


def _last_active(arguments: dict[str, Any], resident: Resident, evaluation: Evaluation) -> bool:
    moment = resident.last_active_at
    if arguments["op"] == "never":
        return moment is None
    day = as_date(arguments["value"], evaluation.today)
    first_moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
    if arguments["op"] == "since":
        return moment is not None and moment >= first_moment
    return moment is None or moment < first_moment


def _in_range(moments: Iterable[datetime], arguments: dict[str, Any], evaluation: Evaluation) -> bool:
    """Whether the number of `moments` in the period lies from `min` to `max`."""
    most = arguments.get("max")
    least = arguments.get("min", 1 if most is None else 0)
    if "within_days" in arguments:
        since = evaluation.now - timedelta(days=arguments["within_days"])
        moments = [moment for moment in moments if moment >= since]
    number = len(list(moments))
    return number >= least and (most is None or number <= most)


def _interactions(arguments: dict[str, Any], resident: Resident, evaluation: Evaluation) -> bool:
    moments = [
        event.occurred_at
        for event in resident.interactions
        if event.kind == arguments["kind"]
        and ("item_type" not in arguments or event.item_type == arguments["item_type"])
    ]
    return _in_range(moments, arguments, evaluation)


def _messages(arguments: dict[str, Any], resident: Resident, evaluation: Evaluation) -> bool:
    moments = [
        message.sent_at if arguments["event"] == "received" else message.opened_at
        for message in resident.messages
        if "channel" not in arguments or message.channel == arguments["channel"]
    ]
    return _in_range([moment for moment in moments if moment is not None], arguments, evaluation)


def _caseload(arguments: dict[str, Any], resident: Resident, evaluation: Evaluation) -> bool:
    of = arguments["of"]
    if of == "none":
        return not resident.caseloads
    staff_id = evaluation.staff_id if of == "me" else uuid.UUID(of)
    return staff_id in resident.caseloads


def _segment(arguments: dict[str, Any], resident: Resident, evaluation: Evaluation) -> bool:
    segment = evaluation.world.segments[arguments["id"]]
    if segment.members is not None:
        return resident.id in segment.members
    return holds(segment.document, resident, evaluation)


LEAVES = {
    "attribute": _attribute,
    "answered": _answered,
    "last_active": _last_active,
    "interactions": _interactions,
    "messages": _messages,
    "caseload": _caseload,
    "segment": _segment,
}
