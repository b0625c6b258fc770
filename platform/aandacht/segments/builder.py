"""The selection builder's form: groups of condition rows, turned into a predicate document and back.

The form names a top-level combination (`combine`: and/or) and groups `g0-`, `g1-`, ..., each with its
combination (`g0-combine`) and conditions `g0-c0-` with `what` (`attribute:<key>` or a predicate name),
`op`, `value` and `mode` (repeated: a list, two bounds, dates as a date or relative), `not`, `shown` (the
`what` the row was drawn for) and the fields of behavioural conditions (`min`, `kind`, ...).

The document always has the shape `{combine: [{group combine: [condition, ...]}, ...]}`, so that every
problem's JSON Pointer names its row. A document of another shape (deeper nesting, a domain's
predicates) cannot be drawn as rows: `selection_of` returns None, and the page shows it as JSON.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from aandacht.profiles.definitions import ProfileAttribute
from aandacht.profiles.selections import ON_EVERY_TYPE, OPERATORS
from aandacht.segments.arguments import RELATIVE_DATE_KEYS

ATTRIBUTE = "attribute:"
#: The fields of each behavioural condition, as the predicate names its arguments.
FIELDS: dict[str, tuple[str, ...]] = {
    "interactions": ("kind", "item_type", "min", "max", "within_days"),
    "messages": ("event", "channel", "min", "max", "within_days"),
    "answered": ("questionnaire", "within_days"),
    "caseload": ("of",),
    "segment": ("id",),
}
WHOLE_NUMBERS = ("min", "max", "within_days")
LAST_ACTIVE_OPS = ("since", "not_since", "never")
#: Operators whose values are ticked in a list (for these types), or typed in one box, split by `;`.
LISTS = ("in", "contains_any", "contains_all")
TICKED_TYPES = ("choice", "scale", "multiple_choice")
SEPARATOR = ";"
_GROUP = re.compile(r"^g(\d+)-combine$")
_CONDITION = re.compile(r"^g(\d+)-c(\d+)-what$")


@dataclass
class Condition:
    """One row: what to select on, how to compare, with what; `negate` turns it around."""

    what: str = ""
    op: str = ""
    values: list[str] = field(default_factory=list)
    modes: list[str] = field(default_factory=list)
    negate: bool = False
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class Group:
    """Conditions that all (`and`) or at least one (`or`) must hold."""

    combine: str = "and"
    conditions: list[Condition] = field(default_factory=lambda: [Condition()])


@dataclass
class Selection:
    """The groups, of which all (`and`) or at least one (`or`) must hold."""

    combine: str = "and"
    groups: list[Group] = field(default_factory=lambda: [Group()])


@dataclass(frozen=True)
class Built:
    """The document of a selection, and which row (group, condition) each JSON Pointer prefix is."""

    document: dict[str, Any]
    rows: dict[str, tuple[int, int]]

    def row_of(self, path: str) -> tuple[int, int] | None:
        """The row a problem's path points into; None for the selection as a whole."""
        for prefix, row in self.rows.items():
            if path == prefix or path.startswith(prefix + "/"):
                return row
        return None


def attribute_key(what: str) -> str | None:
    """The attribute key of a row that selects on a profile attribute."""
    return what[len(ATTRIBUTE) :] if what.startswith(ATTRIBUTE) else None


def operators_of(what: str, attributes: Mapping[str, ProfileAttribute]) -> tuple[str, ...]:
    """The operators a row can choose from (none for behavioural conditions)."""
    key = attribute_key(what)
    if key is not None:
        attribute = attributes.get(key)
        return OPERATORS[attribute.type] if attribute else ()
    return LAST_ACTIVE_OPS if what == "last_active" else ()


# --- Form to selection ----------------------------------------------------------------------------------


def selection_from_form(form: MultiDict, attributes: Mapping[str, ProfileAttribute]) -> Selection:
    """The rows the form holds; a row whose `what` changed starts afresh with its first operator."""
    groups = sorted({int(m.group(1)) for key in form if (m := _GROUP.match(key))})
    rows = sorted({(int(m.group(1)), int(m.group(2))) for key in form if (m := _CONDITION.match(key))})
    selection = Selection(_combine(form.get("combine")), [])
    for number in groups:
        conditions = [_condition(form, f"g{g}-c{c}-", attributes) for g, c in rows if g == number]
        selection.groups.append(Group(_combine(form.get(f"g{number}-combine")), conditions))
    return selection


def _combine(value: str | None) -> str:
    return "or" if value == "or" else "and"


def _condition(form: MultiDict, prefix: str, attributes: Mapping[str, ProfileAttribute]) -> Condition:
    what = form.get(prefix + "what", "")
    ops = operators_of(what, attributes)
    if what != form.get(prefix + "shown", what):
        return Condition(what, ops[0] if ops else "")
    op = form.get(prefix + "op", "")
    return Condition(
        what,
        op if op in ops else (ops[0] if ops else ""),
        form.getlist(prefix + "value"),
        form.getlist(prefix + "mode"),
        bool(form.get(prefix + "not")),
        {name: form.get(prefix + name, "").strip() for name in FIELDS.get(what, ())},
    )


def apply_action(selection: Selection, action: str) -> None:
    """Add or remove a row or group as a builder button asks (`add-condition-0`, `remove-group-1`, ...)."""
    verb, _, where = action.partition("-")
    thing, _, numbers = where.partition("-")
    place = [int(part) for part in numbers.split("-") if part.isdigit()]
    groups = selection.groups
    if (verb, thing) == ("add", "group"):
        groups.append(Group())
    elif (verb, thing) == ("add", "condition") and len(place) == 1 and place[0] < len(groups):
        groups[place[0]].conditions.append(Condition())
    elif (verb, thing) == ("remove", "group") and len(place) == 1 and place[0] < len(groups):
        del groups[place[0]]
    elif (verb, thing) == ("remove", "condition") and len(place) == 2 and place[0] < len(groups):
        conditions = groups[place[0]].conditions
        if place[1] < len(conditions):
            del conditions[place[1]]
    if not groups:
        groups.append(Group())


# --- Selection to document ------------------------------------------------------------------------------


def document_of(selection: Selection, attributes: Mapping[str, ProfileAttribute]) -> Built:
    """The predicate document of the rows that name what they select on (empty rows and groups drop out)."""
    top, rows, groups = selection.combine, {}, []
    for g, group in enumerate(selection.groups):
        chosen = [(c, condition) for c, condition in enumerate(group.conditions) if condition.what]
        if not chosen:
            continue
        here = f"/{top}/{len(groups)}/{group.combine}"
        items = []
        for c, condition in chosen:
            rows[f"{here}/{len(items)}"] = (g, c)
            items.append(_leaf(condition, attributes))
        groups.append({group.combine: items})
    return Built({top: groups}, rows)


def _leaf(condition: Condition, attributes: Mapping[str, ProfileAttribute]) -> dict[str, Any]:
    what = condition.what
    key = attribute_key(what)
    if key is not None:
        leaf: dict[str, Any] = {"attribute": _attribute_arguments(condition, key, attributes.get(key))}
    elif what == "last_active":
        arguments: dict[str, Any] = {"op": condition.op}
        if condition.op != "never":
            arguments["value"] = _date(condition, 0)
        leaf = {what: arguments}
    else:
        leaf = {what: {name: _field(name, value) for name, value in condition.fields.items() if value}}
    return {"not": leaf} if condition.negate else leaf


def _attribute_arguments(
    condition: Condition, key: str, attribute: ProfileAttribute | None
) -> dict[str, Any]:
    arguments: dict[str, Any] = {"key": key, "op": condition.op}
    if attribute is None or condition.op in ON_EVERY_TYPE:
        return arguments
    values, op = condition.values, condition.op
    if op == "between":
        arguments["value"] = [_typed(attribute, condition, index) for index in (0, 1)]
    elif op in LISTS and attribute.type in TICKED_TYPES:
        arguments["value"] = [_typed(attribute, condition, index) for index in range(len(values))]
    elif op in LISTS:
        parts = [part.strip() for value in values for part in value.split(SEPARATOR)]
        arguments["value"] = [_plain(attribute.type, part) for part in parts if part]
    else:
        arguments["value"] = _typed(attribute, condition, 0)
    return arguments


def _typed(attribute: ProfileAttribute, condition: Condition, index: int) -> Any:
    if attribute.type == "date":
        return _date(condition, index)
    values = condition.values
    return _plain(attribute.type, values[index].strip() if index < len(values) else "")


def _plain(kind: str, text: str) -> Any:
    if kind == "boolean":
        return {"yes": True, "no": False}.get(text, text)
    return _number(text) if kind in ("number", "scale") else text


def _date(condition: Condition, index: int) -> Any:
    text = condition.values[index].strip() if index < len(condition.values) else ""
    mode = condition.modes[index] if index < len(condition.modes) else "date"
    return {mode: _number(text)} if mode in RELATIVE_DATE_KEYS else text


def _field(name: str, value: str) -> Any:
    return _number(value) if name in WHOLE_NUMBERS else value


def _number(text: str) -> Any:
    """A number typed as `12`, `12.5` or `12,5`; the text itself when it is none (the check says why)."""
    cleaned = text.replace(",", ".")
    for kind in (int, float):
        try:
            return kind(cleaned)
        except ValueError:
            continue
    return text


# --- Document to selection ------------------------------------------------------------------------------


class _CannotDraw(ValueError):
    """The document has a shape the builder does not draw."""


def selection_of(document: Any, attributes: Mapping[str, ProfileAttribute]) -> Selection | None:
    """The rows that draw `document`, or None when the builder cannot draw it."""
    try:
        return _selection(document, attributes)
    except _CannotDraw:
        return None


def _selection(document: Any, attributes: Mapping[str, ProfileAttribute]) -> Selection:
    if not isinstance(document, dict) or len(document) != 1:
        raise _CannotDraw
    ((key, items),) = document.items()
    if key not in ("and", "or"):
        return Selection("and", [Group("and", [_condition_of(document, attributes)])])
    if not isinstance(items, list):
        raise _CannotDraw
    if not items:
        if key == "or":
            raise _CannotDraw
        return Selection()
    if all(_is_leaf(item) for item in items):
        return Selection("and", [Group(key, [_condition_of(item, attributes) for item in items])])
    return Selection(key, [_group_of(item, attributes) for item in items])


def _group_of(item: Any, attributes: Mapping[str, ProfileAttribute]) -> Group:
    if _is_leaf(item):
        return Group("and", [_condition_of(item, attributes)])
    ((key, items),) = item.items()
    if key not in ("and", "or") or not isinstance(items, list) or not items:
        raise _CannotDraw
    if not all(_is_leaf(child) for child in items):
        raise _CannotDraw
    return Group(key, [_condition_of(child, attributes) for child in items])


def _is_leaf(item: Any) -> bool:
    if not isinstance(item, dict) or len(item) != 1:
        raise _CannotDraw
    ((key, value),) = item.items()
    if key == "not":
        return isinstance(value, dict) and len(value) == 1 and next(iter(value)) not in ("and", "or", "not")
    return key not in ("and", "or")


def _condition_of(item: dict[str, Any], attributes: Mapping[str, ProfileAttribute]) -> Condition:
    negate = "not" in item
    ((name, arguments),) = (item["not"] if negate else item).items()
    if not isinstance(arguments, dict):
        raise _CannotDraw
    if name == "attribute":
        condition = _attribute_condition(arguments, attributes)
    elif name == "last_active":
        _only(arguments, ("op", "value"))
        condition = Condition(name, str(arguments.get("op", "")))
        if "value" in arguments:
            _date_slot(condition, arguments["value"])
    elif name in FIELDS:
        _only(arguments, FIELDS[name])
        condition = Condition(name, fields={key: str(value) for key, value in arguments.items()})
    else:
        raise _CannotDraw
    condition.negate = negate
    return condition


def _attribute_condition(arguments: dict[str, Any], attributes: Mapping[str, ProfileAttribute]) -> Condition:
    _only(arguments, ("key", "op", "value"))
    attribute = attributes.get(arguments.get("key"))  # type: ignore[arg-type]
    op = arguments.get("op")
    if attribute is None or op not in OPERATORS[attribute.type]:
        raise _CannotDraw
    condition = Condition(ATTRIBUTE + attribute.key, op)
    if "value" not in arguments:
        return condition
    value = arguments["value"]
    if op in LISTS or op == "between":
        if not isinstance(value, list):
            raise _CannotDraw
        if op in LISTS and attribute.type not in TICKED_TYPES:
            texts = [_text(item) for item in value]
            if any(SEPARATOR in text for text in texts):
                raise _CannotDraw
            condition.values = [f"{SEPARATOR} ".join(texts)]
            return condition
        items = value
    else:
        items = [value]
    for item in items:
        if attribute.type == "date":
            _date_slot(condition, item)
        else:
            condition.values.append(_text(item))
    return condition


def _date_slot(condition: Condition, value: Any) -> None:
    if isinstance(value, str):
        condition.modes.append("date")
        condition.values.append(value)
    elif isinstance(value, dict) and len(value) == 1 and next(iter(value)) in RELATIVE_DATE_KEYS:
        ((mode, amount),) = value.items()
        condition.modes.append(mode)
        condition.values.append(str(amount))
    else:
        raise _CannotDraw


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str | int | float):
        return str(value)
    raise _CannotDraw


def _only(arguments: dict[str, Any], allowed: tuple[str, ...]) -> None:
    if any(key not in allowed for key in arguments):
        raise _CannotDraw
