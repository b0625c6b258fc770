"""Recording interaction events: cheap (one INSERT for a whole batch), checked, kept per tenant."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, insert, select

from aandacht.db import session, utcnow
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
