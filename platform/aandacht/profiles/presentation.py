"""A profile as people read it: values as words, grouped by category, with who changed them and when.

Shared by the person's own profile page, the coach's person page, the downloads and the API. Reading
only; changes go through `aandacht.profiles.service.set_values`.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from aandacht.accounts.models import Person, StaffMember
from aandacht.profiles.definitions import PREFER_NOT_TO_SAY, ProfileAttribute
from aandacht.profiles.models import ProfileChange
from aandacht.profiles.registry import attributes_for
from aandacht.profiles.service import history, may, profile_values, visible_profile
from aandacht.tenancy.context import current_tenant, require_tenant
from aandacht.tenancy.scoping import get_scoped

#: How each source of a change is named to people.
SOURCE_NAMES = {
    "person": _l("the person"),
    "coach": _l("a coach"),
    "import": _l("an import"),
    "rule": _l("a rule"),
    "system": _l("the system"),
}
#: Names of the core's categories; a domain names its own (`Domain.profile_categories`).
CATEGORY_NAMES = {
    "general": _l("General"),
    "contact": _l("Contact"),
    "personal": _l("About you"),
    "education": _l("Education"),
    "work": _l("Work"),
    "health": _l("Health"),
    "leisure": _l("Free time"),
}


@dataclass(frozen=True)
class Row:
    """One attribute of a profile as a viewer sees it."""

    attribute: ProfileAttribute
    value: Any
    editable: bool
    #: The newest change of this value (None: never changed, or not recorded).
    last_change: ProfileChange | None = None

    @property
    def text(self) -> str:
        """The value in words ("" when unanswered)."""
        return value_text(self.attribute, self.value)


@dataclass(frozen=True)
class Category:
    """The rows of one category, in registry order."""

    key: str
    rows: list[Row]

    @property
    def name(self) -> str:
        """The category's name in the current language."""
        return category_name(self.key)

    @property
    def icon(self) -> str:
        """The icon of the category: that of its first attribute."""
        return self.rows[0].attribute.icon if self.rows else "user"


def category_name(key: str) -> str:
    """The name of a category in the current language: the core's, else an enabled domain's."""
    name = CATEGORY_NAMES.get(key)
    if name is None:
        name = current_app.extensions["aandacht.domains"].profile_categories(current_tenant()).get(key)
    return str(name) if name is not None else key.replace("_", " ").capitalize()


def option_label(attribute: ProfileAttribute, value: str) -> str:
    """The label of one answer of a choice attribute (the value itself when it is not an option)."""
    for option in attribute.options:
        if option.value == value:  # type: ignore[union-attr]
            return str(option.label)  # type: ignore[union-attr]
    return value


def value_text(attribute: ProfileAttribute, value: Any) -> str:
    """A stored value in words, in the current language."""
    if value is None:
        return ""
    if value == PREFER_NOT_TO_SAY:
        return _("Prefer not to say")
    if attribute.type == "boolean":
        return _("Yes") if value else _("No")
    if attribute.type == "choice":
        return option_label(attribute, value)
    if attribute.type == "multiple_choice":
        return ", ".join(option_label(attribute, item) for item in value)
    return str(value)


def changes_by_key(person_id: uuid.UUID) -> dict[str, list[ProfileChange]]:
    """Every change of a person's profile, per attribute key, newest first."""
    found: dict[str, list[ProfileChange]] = {}
    for change in history(person_id):
        found.setdefault(change.attribute_key, []).append(change)
    return found


def profile_rows(person_id: uuid.UUID, audience: str) -> list[Row]:
    """The attributes `audience` may see, with value, edit right and newest change."""
    changes = changes_by_key(person_id)
    return [
        Row(
            attribute,
            value,
            may(audience, attribute.editable_by, attribute.sensitivity),
            next(iter(changes.get(attribute.key, [])), None),
        )
        for attribute, value in visible_profile(person_id, audience)
    ]


def by_category(rows: Iterable[Row]) -> list[Category]:
    """Rows grouped by category, categories in the order their first attribute comes."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.attribute.category, []).append(row)
    return [Category(key, items) for key, items in groups.items()]


def actor_names(changes: Iterable[ProfileChange]) -> dict[uuid.UUID, str]:
    """The display names of the people and staff who made these changes (of the current tenant)."""
    names: dict[uuid.UUID, str] = {}
    for change in changes:
        if change.actor_id is None or change.actor_id in names:
            continue
        actor = get_scoped(Person, change.actor_id) or get_scoped(StaffMember, change.actor_id)
        if actor is not None:
            names[change.actor_id] = actor.display_name
    return names


def export_rows(person_id: uuid.UUID) -> list[dict[str, Any]]:
    """Every value the person's profile holds, for their download: key, label, value, last change, source.

    All stored values, also those the app does not show the person: a download is their right of access.
    """
    values = profile_values(person_id)
    changes = changes_by_key(person_id)
    attributes = attributes_for(require_tenant())
    rows = []
    for key, value in values.items():
        attribute = attributes.get(key)
        last = next(iter(changes.get(key, [])), None)
        rows.append(
            {
                "key": key,
                "label": str(attribute.label) if attribute else key,
                "value": value,
                "value_text": value_text(attribute, value) if attribute else str(value),
                "last_changed": _iso(last.changed_at) if last else None,
                "source": last.source if last else None,
            }
        )
    return rows


def export_csv(rows: list[dict[str, Any]]) -> str:
    """The download as CSV; a cell that a spreadsheet would run as a formula is quoted with '."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["key", "label", "value", "last_changed", "source"])
    for row in rows:
        writer.writerow(
            [
                spreadsheet_safe(row["key"]),
                spreadsheet_safe(row["label"]),
                spreadsheet_safe(row["value_text"]),
                row["last_changed"] or "",
                row["source"] or "",
            ]
        )
    return out.getvalue()


def spreadsheet_safe(text: str) -> str:
    """`text` for a CSV cell: one that a spreadsheet would run as a formula is quoted with '."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
