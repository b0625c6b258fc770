"""What the selection builder offers a viewer: what to select on, the comparisons and values, in words.

Only attributes the viewer may select on are offered (`may_select_on`), so a coach never sees a question
their role may not see; the check refuses them anyway when a document names one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from aandacht.accounts.service import caseload_holders
from aandacht.profiles.definitions import ProfileAttribute
from aandacht.profiles.presentation import category_name
from aandacht.profiles.questions import questionnaires_for
from aandacht.profiles.selections import ON_EVERY_TYPE, may_select_on
from aandacht.segments.builder import LISTS, TICKED_TYPES, Condition, attribute_key, operators_of
from aandacht.segments.language import Viewer
from aandacht.segments.service import context_for, saved_segments

#: The comparisons in plain words; dates read better with their own words.
OPERATOR_NAMES = {
    "eq": _l("is"),
    "ne": _l("is not"),
    "in": _l("is one of"),
    "lt": _l("is less than"),
    "lte": _l("is at most"),
    "gt": _l("is more than"),
    "gte": _l("is at least"),
    "between": _l("is between"),
    "is_empty": _l("has no answer"),
    "is_set": _l("has an answer"),
    "declined": _l("prefers not to say"),
    "contains_any": _l("contains one of"),
    "contains_all": _l("contains all of"),
    "since": _l("since"),
    "not_since": _l("not since"),
    "never": _l("never"),
}
DATE_OPERATOR_NAMES = {
    "lt": _l("is before"),
    "lte": _l("is on or before"),
    "gt": _l("is after"),
    "gte": _l("is on or after"),
}
#: How a date is given: a date, or an amount of time before or after today.
DATE_MODES = {
    "date": _l("the date"),
    "days_ago": _l("days ago"),
    "weeks_ago": _l("weeks ago"),
    "months_ago": _l("months ago"),
    "years_ago": _l("years ago"),
    "days_ahead": _l("days from now"),
    "weeks_ahead": _l("weeks from now"),
    "months_ahead": _l("months from now"),
    "years_ahead": _l("years from now"),
}
INTERACTION_NAMES = {
    "impression": _l("saw"),
    "open": _l("opened"),
    "click": _l("clicked"),
    "save": _l("saved"),
    "dismiss": _l("dismissed"),
    "share": _l("shared"),
    "apply": _l("applied"),
}
MESSAGE_EVENTS = {"received": _l("received"), "opened": _l("opened")}
CHANNEL_NAMES = {
    "in_app": _l("in the app"),
    "email": _l("by e-mail"),
    "sms": _l("by text message"),
    "push": _l("by push notification"),
}
#: The behavioural conditions, in the order the builder offers them after the profile.
OTHER_CONDITIONS = ("last_active", "interactions", "messages", "answered", "caseload", "segment")


@dataclass(frozen=True)
class Choices:
    """Everything one viewer can choose in the builder."""

    #: The attributes the viewer may select on, by key, and grouped as (category name, attributes).
    attributes: dict[str, ProfileAttribute]
    categories: list[tuple[str, list[ProfileAttribute]]]
    #: The other conditions as (what, label), and the choices of their fields.
    others: list[tuple[str, object]]
    questionnaires: list[tuple[str, object]]
    coaches: list[tuple[str, str]]
    segments: list[tuple[str, str]]

    def operators(self, condition: Condition) -> list[tuple[str, object]]:
        """The comparisons of the row, as (op, words)."""
        key = attribute_key(condition.what)
        dated = key is not None and key in self.attributes and self.attributes[key].type == "date"
        names = {**OPERATOR_NAMES, **DATE_OPERATOR_NAMES} if dated else OPERATOR_NAMES
        return [(op, names[op]) for op in operators_of(condition.what, self.attributes)]

    def value_kind(self, condition: Condition) -> str:
        """Which value input the row needs: none, select, ticks, list, text, number, between, date, dates."""
        key = attribute_key(condition.what)
        if key is None:
            return "date" if condition.what == "last_active" and condition.op != "never" else "none"
        attribute = self.attributes.get(key)
        op = condition.op
        if attribute is None or op in ON_EVERY_TYPE:
            return "none"
        if attribute.type == "date":
            return "dates" if op == "between" else "date"
        if op == "between":
            return "between"
        if op in LISTS:
            return "ticks" if attribute.type in TICKED_TYPES else "list"
        if attribute.type in ("choice", "boolean", "scale"):
            return "select"
        return "number" if attribute.type == "number" else "text"

    def attribute(self, condition: Condition) -> ProfileAttribute | None:
        """The profile attribute the row selects on."""
        key = attribute_key(condition.what)
        return self.attributes.get(key) if key else None


def choices_for(viewer: Viewer, *, editing: uuid.UUID | None = None) -> Choices:
    """What `viewer` may choose; `editing` is the saved selection being changed (it cannot hold itself)."""
    context = context_for(viewer)
    attributes = {key: a for key, a in context.attributes.items() if may_select_on(context, a)}
    categories: dict[str, list[ProfileAttribute]] = {}
    for attribute in attributes.values():
        categories.setdefault(attribute.category, []).append(attribute)
    questionnaires = [
        (q.key, q.title)
        for q in questionnaires_for(context.tenant)
        if all(key in attributes for key in q.attribute_keys if key in context.attributes)
    ]
    segments = [(str(s.id), s.name) for s in saved_segments() if s.id != editing]
    offered = {"answered": bool(questionnaires), "segment": bool(segments)}
    others = [
        (name, context.predicates[name].label)
        for name in OTHER_CONDITIONS
        if name in context.predicates and offered.get(name, True)
    ]
    return Choices(
        attributes=attributes,
        categories=[(category_name(key), items) for key, items in categories.items()],
        others=others,
        questionnaires=questionnaires,
        coaches=[(str(staff.id), staff.display_name) for staff in caseload_holders()],
        segments=segments,
    )


def template_values() -> dict[str, Any]:
    """The word lists the builder's template draws its selects from."""
    return {
        "date_modes": DATE_MODES,
        "interaction_names": INTERACTION_NAMES,
        "message_events": MESSAGE_EVENTS,
        "channel_names": CHANNEL_NAMES,
    }
