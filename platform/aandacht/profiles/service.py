"""Profile logic: reading a profile as a viewer may, and changing values with their history.

Every change is checked against the tenant's attribute registry (type, rules, who may edit) before
anything is written; one bad value refuses the whole change. A value that does not change writes no
history.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ARRAY, ColumnElement, String, bindparam, func, literal_column, select
from sqlalchemy.dialects.postgresql import JSONB

from aandacht.db import one_of, session
from aandacht.profiles.definitions import InvalidValue, ProfileAttribute
from aandacht.profiles.models import SOURCES, Profile, ProfileChange
from aandacht.profiles.registry import attributes_for
from aandacht.profiles.signals import answer_recorded
from aandacht.tenancy.context import require_tenant

#: Staff roles that act as a coach towards a person's profile.
_COACHING = ("coach", "team_lead")


class ProfileInvalid(ValueError):
    """Some values cannot be stored; `errors` maps each attribute key to the reason. Nothing changed."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class ValueChange:
    """What one change did."""

    key: str
    old: Any
    new: Any


def audience_of(kind: str, role: str | None) -> str:
    """The audience a principal belongs to for profile rights: person, coach, team_lead or tenant_admin."""
    return "person" if kind == "person" else role or "system"


def may(audience: str, allowed: frozenset[str], sensitivity: str = "normal") -> bool:
    """Whether `audience` is allowed; a team lead has the rights of a coach, except on special categories.

    Special categories (health and the like) stay with those the definition names: the person's own
    coach may see them, their coach's team lead only when named.
    """
    inherits = audience in _COACHING and "coach" in allowed and sensitivity != "special"
    return audience in allowed or inherits


def profile_values(person_id: uuid.UUID) -> dict[str, Any]:
    """All current values of a person (for internal use: imports, rules, selections)."""
    profile = session.execute(select(Profile).where(Profile.person_id == person_id)).scalar_one_or_none()
    return dict(profile.values) if profile else {}


def profile_values_of(person_ids: list[uuid.UUID], *, chunk: int = 1000) -> dict[uuid.UUID, dict[str, Any]]:
    """The current values of many people at once (exports), by person id; people without any are left out."""
    found: dict[uuid.UUID, dict[str, Any]] = {}
    for start in range(0, len(person_ids), chunk):
        query = select(Profile).where(Profile.person_id.in_(person_ids[start : start + chunk]))
        found.update(
            {profile.person_id: dict(profile.values) for profile in session.execute(query).scalars()}
        )
    return found


def profile_value_of(person_ids: list[uuid.UUID], key: str, *, chunk: int = 1000) -> dict[uuid.UUID, Any]:
    """One attribute's current value of many people at once, by person id; people without it are left out.

    Only that value travels (not each whole profile document): what a campaign reads of 100,000 people.
    """
    found: dict[uuid.UUID, Any] = {}
    for start in range(0, len(person_ids), chunk):
        query = select(Profile.person_id, Profile.values[key]).where(
            one_of(Profile.person_id, person_ids[start : start + chunk]), Profile.values[key].is_not(None)
        )
        found.update((person_id, value) for person_id, value in session.execute(query) if value is not None)
    return found


def completeness_of(
    person_ids: list[uuid.UUID], audience: str = "person"
) -> dict[uuid.UUID, tuple[int, int]]:
    """`completeness` of many people at once: answered and total attributes `audience` may edit.

    On PostgreSQL the database counts the answered keys, so no profile document travels to be parsed:
    the document's number of keys less the number left once the editable ones are taken out. Both are
    plain expressions; a subquery over each document's keys costs two to three times as much
    (docs/attention.md, Speed).
    """
    editable = {key for key, a in attributes_for(require_tenant()).items() if may(audience, a.editable_by)}
    answered = dict.fromkeys(person_ids, 0)
    in_database = session.get_bind().dialect.name == "postgresql"
    for start in range(0, len(person_ids), 1000):
        batch = one_of(Profile.person_id, person_ids[start : start + 1000])
        if in_database:
            others = Profile.values.op("-", return_type=JSONB)(
                bindparam("editable", sorted(editable), ARRAY(String))
            )
            number = _number_of_keys(Profile.values) - _number_of_keys(others)
            answered.update(session.execute(select(Profile.person_id, number).where(batch)).all())
        else:
            rows = session.execute(select(Profile.person_id, Profile.values).where(batch))
            answered.update({person_id: len(editable.intersection(values)) for person_id, values in rows})
    return {person_id: (number, len(editable)) for person_id, number in answered.items()}


def _number_of_keys(document: ColumnElement[Any]) -> ColumnElement[int]:
    """How many keys a JSONB object has: the length of the array of its values (PostgreSQL)."""
    return func.jsonb_array_length(func.jsonb_path_query_array(document, literal_column("'$.*'")))


def reported_changes(
    person_ids: list[uuid.UUID], keys: Collection[str], *, since: datetime
) -> dict[uuid.UUID, list[ProfileChange]]:
    """The changes the people made themselves to these attributes since `since`, newest first, per person."""
    if not person_ids or not keys:
        return {}
    query = (
        select(ProfileChange)
        .where(
            one_of(ProfileChange.person_id, person_ids),
            ProfileChange.attribute_key.in_(list(keys)),
            ProfileChange.source == "person",
            ProfileChange.changed_at >= since,
        )
        .order_by(ProfileChange.changed_at.desc())
    )
    found: dict[uuid.UUID, list[ProfileChange]] = {}
    for change in session.execute(query).scalars():
        found.setdefault(change.person_id, []).append(change)
    return found


def visible_profile(person_id: uuid.UUID, audience: str) -> list[tuple[ProfileAttribute, Any]]:
    """The attributes `audience` may see, each with the person's value (None when unanswered)."""
    values = profile_values(person_id)
    return [
        (attribute, values.get(key))
        for key, attribute in attributes_for(require_tenant()).items()
        if may(audience, attribute.visible_to, attribute.sensitivity)
    ]


def set_values(
    person_id: uuid.UUID,
    raw_values: Mapping[str, Any],
    *,
    source: str,
    audience: str,
    actor_id: uuid.UUID | None = None,
    detail: str | None = None,
) -> list[ValueChange]:
    """Validate and store values in one transaction; raises ProfileInvalid and writes nothing then."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    cleaned = clean_values(raw_values, audience=audience)
    profile = session.execute(
        select(Profile).where(Profile.person_id == person_id).with_for_update()
    ).scalar_one_or_none()
    changes = stage_values(
        person_id, cleaned, profile=profile, source=source, actor_id=actor_id, detail=detail
    )
    if changes:
        session.flush()
        answer_recorded.send(person_id=person_id, changes=changes, source=source)
    session.commit()
    return changes


def stage_values(
    person_id: uuid.UUID,
    cleaned: Mapping[str, Any],
    *,
    profile: Profile | None,
    source: str,
    actor_id: uuid.UUID | None = None,
    detail: str | None = None,
) -> list[ValueChange]:
    """Write checked values and their history in the running transaction, without committing.

    `profile` is the person's row, locked by the caller (None: the person has none yet). For imports,
    which commit all rows at once; everything else calls `set_values`.
    """
    if profile is None:
        profile = Profile(person_id=person_id, values={})
        session.add(profile)
    current = dict(profile.values or {})
    changes = [
        ValueChange(key, current.get(key), value)
        for key, value in cleaned.items()
        if current.get(key) != value
    ]
    for change in changes:
        if change.new is None:
            current.pop(change.key, None)
        else:
            current[change.key] = change.new
        session.add(
            ProfileChange(
                person_id=person_id,
                attribute_key=change.key,
                old_value=change.old,
                new_value=change.new,
                source=source,
                actor_id=actor_id,
                detail=detail[:200] if detail else None,
            )
        )
    profile.values = current
    return changes


def clean_values(raw_values: Mapping[str, Any], *, audience: str) -> dict[str, Any]:
    """The storable form of each value, checked against type, rules and edit rights; raises ProfileInvalid."""
    attributes = attributes_for(require_tenant())
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, raw in raw_values.items():
        attribute = attributes.get(key)
        if attribute is None:
            errors[key] = _("There is no such question.")
        elif not may(audience, attribute.editable_by, attribute.sensitivity):
            errors[key] = _("You may not change this.")
        else:
            try:
                cleaned[key] = attribute.clean(raw)
            except InvalidValue as invalid:
                errors[key] = str(invalid)
    if errors:
        raise ProfileInvalid(errors)
    return cleaned


def history(person_id: uuid.UUID, key: str | None = None) -> list[ProfileChange]:
    """The changes of a person's profile (of one attribute), newest first."""
    query = select(ProfileChange).where(ProfileChange.person_id == person_id)
    if key is not None:
        query = query.where(ProfileChange.attribute_key == key)
    return list(session.execute(query.order_by(ProfileChange.changed_at.desc())).scalars())


def completeness(person_id: uuid.UUID, audience: str = "person") -> tuple[int, int]:
    """How many of the attributes `audience` may edit are answered, out of how many."""
    return completeness_of([person_id], audience)[person_id]


def people_who_answered(person_ids: list[uuid.UUID], since: datetime, until: datetime) -> set[uuid.UUID]:
    """The people among `person_ids` who answered or corrected their own profile in [since, until)."""
    if not person_ids:
        return set()
    query = (
        select(ProfileChange.person_id)
        .where(
            ProfileChange.person_id.in_(person_ids),
            ProfileChange.source == "person",
            ProfileChange.changed_at >= since,
            ProfileChange.changed_at < until,
        )
        .distinct()
    )
    return set(session.execute(query).scalars())
