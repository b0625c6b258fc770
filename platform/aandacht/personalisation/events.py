"""Recording interaction events: cheap (one INSERT for a whole batch), checked, kept per tenant."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import case, func, insert, select

from aandacht.db import UTCDateTime, one_of, session, utcnow
from aandacht.personalisation.catalogue import as_item, items_query
from aandacht.personalisation.models import INTERACTION_KINDS, ContentItem, InteractionEvent
from aandacht.tenancy.context import require_tenant

#: The most events one call may record (an app sends what it collected since its last call).
MOST_PER_BATCH = 200


class InteractionInvalid(ValueError):
    """Events cannot be recorded; `errors` maps `<index>.<field>` to the reason. Nothing was recorded."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = dict(errors)


@dataclass(frozen=True)
class Interaction:
    """One thing a person did with a content item, where (`context`: surface, position, ...) and when."""

    kind: str
    item_id: uuid.UUID
    context: Mapping[str, Any] = field(default_factory=dict)
    occurred_at: datetime | None = None


def record(person_id: uuid.UUID, interactions: Sequence[Interaction]) -> int:
    """Record a person's interactions with items of the tenant in context; returns how many.

    Every item must be one of the tenant's; a moment may not lie in the future. One bad event refuses
    the batch (`InteractionInvalid`), so an app can send it again after fixing it.
    """
    if not interactions:
        return 0
    errors: dict[str, str] = {}
    if len(interactions) > MOST_PER_BATCH:
        raise InteractionInvalid(
            {"events": _("Send at most %(count)d events at once.", count=MOST_PER_BATCH)}
        )
    wanted = {interaction.item_id for interaction in interactions}
    types = dict(
        session.execute(select(ContentItem.id, ContentItem.type).where(ContentItem.id.in_(wanted))).all()
    )
    now = utcnow()
    interactions = [_in_utc(interaction) for interaction in interactions]
    for index, interaction in enumerate(interactions):
        if interaction.kind not in INTERACTION_KINDS:
            errors[f"{index}.kind"] = _("Unknown kind of interaction.")
        if interaction.item_id not in types:
            errors[f"{index}.item_id"] = _("There is no such item.")
        if interaction.occurred_at is not None and interaction.occurred_at > now:
            errors[f"{index}.occurred_at"] = _("This moment lies in the future.")
    if errors:
        raise InteractionInvalid(errors)
    tenant_id = require_tenant().id
    session.execute(
        insert(InteractionEvent),
        [
            {
                "tenant_id": tenant_id,
                "id": uuid.uuid4(),
                "person_id": person_id,
                "kind": interaction.kind,
                "item_type": types[interaction.item_id],
                "item_id": str(interaction.item_id),
                "context": dict(interaction.context) or None,
                "occurred_at": interaction.occurred_at or now,
            }
            for interaction in interactions
        ],
    )
    session.commit()
    return len(interactions)


def _in_utc(interaction: Interaction) -> Interaction:
    """A moment without a time zone is taken as UTC (the platform's own moments always have one)."""
    moment = interaction.occurred_at
    if moment is not None and moment.tzinfo is None:
        return replace(interaction, occurred_at=moment.replace(tzinfo=UTC))
    return interaction


def kinds_done(person_id: uuid.UUID, item_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, set[str]]:
    """What the person did with each of these items so far (saved, applied, ...), for the faces."""
    if not item_ids:
        return {}
    rows = session.execute(
        select(InteractionEvent.item_id, InteractionEvent.kind)
        .where(
            InteractionEvent.person_id == person_id,
            InteractionEvent.item_id.in_([str(item_id) for item_id in item_ids]),
            InteractionEvent.kind != "impression",
        )
        .distinct()
    )
    done: dict[uuid.UUID, set[str]] = {}
    for item_id, kind in rows:
        done.setdefault(uuid.UUID(item_id), set()).add(kind)
    return done


def activity_counts(
    person_ids: Sequence[uuid.UUID], *, since: datetime, split: datetime
) -> dict[uuid.UUID, tuple[int, int]]:
    """Per person: how many things they did with content in [since, split) and from `split` on.

    Impressions are left out: being shown an item is not something the person did. One query for all of
    `person_ids`; people who did nothing since `since` are left out.
    """
    if not person_ids:
        return {}
    recent = InteractionEvent.occurred_at >= split
    query = (
        select(
            InteractionEvent.person_id,
            func.sum(case((recent, 0), else_=1)),
            func.sum(case((recent, 1), else_=0)),
        )
        .where(
            one_of(InteractionEvent.person_id, person_ids),
            InteractionEvent.occurred_at >= since,
            InteractionEvent.kind != "impression",
        )
        .group_by(InteractionEvent.person_id)
    )
    return {person_id: (int(before), int(after)) for person_id, before, after in session.execute(query)}


#: The kinds of interaction that show interest (an impression only shows the item was on screen).
ENGAGED_KINDS = ("open", "click", "save", "share", "apply")


def last_engaged(
    person_ids: Sequence[uuid.UUID], *, item_types: Sequence[str] | None = None, since: datetime | None = None
) -> dict[uuid.UUID, datetime]:
    """Per person: the moment they last showed interest in content (of `item_types`, when given).

    One query for all of `person_ids`; people without such an interaction (since `since`) are left out.
    """
    if not person_ids:
        return {}
    query = select(
        InteractionEvent.person_id, func.max(InteractionEvent.occurred_at, type_=UTCDateTime)
    ).where(one_of(InteractionEvent.person_id, person_ids), InteractionEvent.kind.in_(ENGAGED_KINDS))
    if item_types is not None:
        query = query.where(InteractionEvent.item_type.in_(list(item_types)))
    if since is not None:
        query = query.where(InteractionEvent.occurred_at >= since)
    return dict(session.execute(query.group_by(InteractionEvent.person_id)).all())


@dataclass(frozen=True)
class DayOfActivity:
    """What a person did with content on one day (UTC): how many events of each kind."""

    day: date
    last_at: datetime
    counts: dict[str, int]


def activity_by_day(
    person_id: uuid.UUID, *, before: datetime | None = None, limit: int = 50, window: int = 5000
) -> list[DayOfActivity]:
    """The person's interactions summed per day, newest day first (at most `limit` days).

    Reads the latest `window` events before `before`: a timeline needs the recent days, not every
    impression ever recorded.
    """
    query = select(InteractionEvent.kind, InteractionEvent.occurred_at).where(
        InteractionEvent.person_id == person_id
    )
    if before is not None:
        query = query.where(InteractionEvent.occurred_at < before)
    rows = session.execute(query.order_by(InteractionEvent.occurred_at.desc()).limit(window))
    days: dict[date, DayOfActivity] = {}
    for kind, occurred_at in rows:
        moment = occurred_at if occurred_at.tzinfo else occurred_at.replace(tzinfo=UTC)
        day = moment.astimezone(UTC).date()
        if day not in days:
            if len(days) == limit:
                break
            days[day] = DayOfActivity(day, moment, {})
        days[day].counts[kind] = days[day].counts.get(kind, 0) + 1
    return list(days.values())


@dataclass(frozen=True)
class ItemEngagement:
    """How often one item was shown to a person and what they did with it."""

    item_id: uuid.UUID
    title: str
    type: str
    shown: int
    engaged: int
    kinds: frozenset[str]


def engagement_of(
    person_id: uuid.UUID, *, limit: int = 10, window: int = 10_000
) -> tuple[list[ItemEngagement], dict[str, int]]:
    """The items the person engaged with most (then were shown most), and the totals of each kind.

    Counts the latest `window` interactions, read by the person's index in time order (a grouping query
    would let a database walk the item index of every person instead).
    """
    rows = session.execute(
        select(InteractionEvent.item_id, InteractionEvent.kind)
        .where(InteractionEvent.person_id == person_id)
        .order_by(InteractionEvent.occurred_at.desc())
        .limit(window)
    )
    per_item: dict[str, dict[str, int]] = {}
    totals: dict[str, int] = {}
    for item_id, kind in rows:
        totals[kind] = totals.get(kind, 0) + 1
        if item_id is not None:
            counts = per_item.setdefault(item_id, {})
            counts[kind] = counts.get(kind, 0) + 1

    def engaged(counts: dict[str, int]) -> int:
        return sum(counts.get(kind, 0) for kind in ENGAGED_KINDS)

    ranked = sorted(
        per_item.items(), key=lambda pair: (engaged(pair[1]), pair[1].get("impression", 0)), reverse=True
    )[:limit]
    ids = [uuid.UUID(item_id) for item_id, _counts in ranked]
    items = {
        row[0].id: as_item(*row) for row in session.execute(items_query().where(ContentItem.id.in_(ids)))
    }
    top = [
        ItemEngagement(
            item_id=item.id,
            title=item.title,
            type=item.type,
            shown=counts.get("impression", 0),
            engaged=engaged(counts),
            kinds=frozenset(kind for kind in counts if kind in ENGAGED_KINDS),
        )
        for item_id, counts in ranked
        if (item := items.get(uuid.UUID(item_id))) is not None
    ]
    return top, totals


def active_people(person_ids: Sequence[uuid.UUID], since: datetime, until: datetime) -> set[uuid.UUID]:
    """The people among `person_ids` who used the app's content in [since, until) (any interaction)."""
    if not person_ids:
        return set()
    query = (
        select(InteractionEvent.person_id)
        .where(
            InteractionEvent.person_id.in_(list(person_ids)),
            InteractionEvent.occurred_at >= since,
            InteractionEvent.occurred_at < until,
        )
        .distinct()
    )
    return set(session.execute(query).scalars())


def items_done(person_id: uuid.UUID, kinds: Sequence[str], *, limit: int, offset: int = 0) -> list[uuid.UUID]:
    """The items the person saved, applied to, ... (any of `kinds`), the latest first."""
    latest = func.max(InteractionEvent.occurred_at)
    query = (
        select(InteractionEvent.item_id)
        .where(
            InteractionEvent.person_id == person_id,
            InteractionEvent.kind.in_(kinds),
            InteractionEvent.item_id.is_not(None),
        )
        .group_by(InteractionEvent.item_id)
        .order_by(latest.desc(), InteractionEvent.item_id)
        .limit(limit)
        .offset(offset)
    )
    return [uuid.UUID(item_id) for item_id in session.execute(query).scalars()]
