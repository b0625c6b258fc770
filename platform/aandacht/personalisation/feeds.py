"""Content feeds of integrations: items kept by their external id (a vacancy feed), and what a run withdraws.

An integration sends its current items in runs of at most `MOST_PER_RUN`; each row is created or
changed by its external id (`catalogue.upsert_items`). A run may also say that it is the whole feed of
one content type: the items of that type that came from a feed (they have an external id) and are not
in the run are retired as withdrawn — the vacancies that expired at the source leave every feed.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select, update

from aandacht.db import session
from aandacht.personalisation.catalogue import (
    ContentInvalid,
    Item,
    ItemFields,
    RowResult,
    as_item,
    items_query,
    upsert_items,
)
from aandacht.personalisation.models import ContentItem
from aandacht.personalisation.registry import content_types_for
from aandacht.tenancy.context import require_tenant

#: The most rows one run may hold (an API request).
MOST_PER_RUN = 1_000


@dataclass(frozen=True)
class FeedRun:
    """What a run did: one result per row, in order, and the external ids of the items it retired."""

    rows: list[RowResult]
    retired: list[str]


def item_by_external_id(external_id: str) -> Item | None:
    """The tenant's item with this external id, as people see it (None when there is none)."""
    row = session.execute(items_query().where(ContentItem.external_id == external_id)).first()
    return as_item(*row) if row else None


def run_feed(
    rows: Sequence[ItemFields], *, retire_missing_of_type: str | None = None, keep: Collection[str] = ()
) -> FeedRun:
    """Create or change the rows' items by external id; retire the missing ones of a type when asked.

    `keep` names external ids that the run holds in rows the caller could not read: their items are
    neither changed nor retired. A refused row (bad field) is reported and changes nothing; the rest of
    the run, retirements included, is written in one transaction. Raises ContentInvalid when
    `retire_missing_of_type` is not one of the tenant's content types (then nothing is written).
    """
    retired: list[str] = []
    if retire_missing_of_type is not None:
        if retire_missing_of_type not in content_types_for(require_tenant()):
            raise ContentInvalid({"retire_missing_of_type": _("Choose one of the types of content.")})
        present = {row.external_id for row in rows if row.external_id} | set(keep)
        # Before the upsert, so that both are written in its one transaction.
        retired = retire_missing(retire_missing_of_type, present)
    return FeedRun(upsert_items(list(rows)), retired)


def retire_missing(type_key: str, present: Collection[str]) -> list[str]:
    """Retire (as withdrawn) the feed's items of `type_key` whose external id is not in `present`.

    Only items with an external id count (staff's own items and adopted library items stay), and
    retired ones stay as they are. Returns the external ids retired, sorted. Does not commit: it is
    part of the caller's transaction.
    """
    candidates = session.execute(
        select(ContentItem.id, ContentItem.external_id).where(
            ContentItem.type == type_key,
            ContentItem.external_id.is_not(None),
            ContentItem.status != "retired",
        )
    ).all()
    missing: dict[uuid.UUID, str] = {
        item_id: external_id for item_id, external_id in candidates if external_id not in present
    }
    if missing:
        session.execute(
            update(ContentItem)
            .where(ContentItem.id.in_(list(missing)))
            .values(status="retired", retired_reason="withdrawn")
        )
    return sorted(missing.values())
