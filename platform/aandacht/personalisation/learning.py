"""Learning from behaviour: how many people saw and engaged with each item, and which items go together.

Run per tenant by the periodic job (`learn`), and by `aandacht content learn`. Both results feed the
ranker: the counts its exploration (Thompson sampling), the neighbours its collaborative part. The
neighbours are item-to-item cosine similarities over who engaged with what in the last `WINDOW`: two
items are neighbours when largely the same people opened, kept or applied to both.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from scipy import sparse
from sqlalchemy import delete, func, insert, select, update

from aandacht.db import session, utcnow
from aandacht.personalisation.catalogue import ENGAGING
from aandacht.personalisation.models import ContentItem, ContentNeighbour, InteractionEvent
from aandacht.tenancy.context import require_tenant

#: Behaviour older than this no longer shapes counts and neighbours.
WINDOW = timedelta(days=180)
#: Per item, at most this many neighbours, each at least this similar and shared by this many people.
MOST_NEIGHBOURS, LEAST_SIMILARITY, LEAST_SHARED = 20, 0.05, 2


@dataclass(frozen=True)
class Learned:
    """What one run learned: items whose counts changed, and neighbour pairs kept."""

    items_counted: int
    neighbour_pairs: int


def item_neighbours(
    pairs: Iterable[tuple[int, int]],
    items: int,
    *,
    most: int = MOST_NEIGHBOURS,
    least_similarity: float = LEAST_SIMILARITY,
    least_shared: int = LEAST_SHARED,
) -> dict[int, list[tuple[int, float]]]:
    """Each item's nearest items by cosine over the people who engaged with them.

    `pairs` are (person number, item number) engagements, repeats allowed; `items` the number of items.
    """
    found = np.array(sorted(set(pairs)), dtype=np.int64).reshape(-1, 2)
    if not len(found):
        return {}
    people = int(found[:, 0].max()) + 1
    engaged = sparse.csr_matrix((np.ones(len(found)), (found[:, 0], found[:, 1])), shape=(people, items))
    shared = (engaged.T @ engaged).tocsr()
    counts = shared.diagonal()
    neighbours: dict[int, list[tuple[int, float]]] = {}
    for item in range(items):
        start, end = shared.indptr[item], shared.indptr[item + 1]
        others, together = shared.indices[start:end], shared.data[start:end]
        keep = (others != item) & (together >= least_shared)
        if not keep.any():
            continue
        others, together = others[keep], together[keep]
        similarity = together / np.sqrt(counts[item] * counts[others])
        strong = similarity >= least_similarity
        order = np.argsort(-similarity[strong], kind="stable")[:most]
        neighbours[item] = [(int(others[strong][i]), float(similarity[strong][i])) for i in order]
    return neighbours


def learn(now: datetime | None = None) -> Learned:
    """Count and relate the tenant's items from the behaviour of the last `WINDOW`; replaces the old."""
    since = (now or utcnow()) - WINDOW
    ids = list(session.execute(select(ContentItem.id)).scalars())
    number = {str(item_id): index for index, item_id in enumerate(ids)}
    in_window = (InteractionEvent.occurred_at >= since, InteractionEvent.item_id.is_not(None))
    shown = _people_per_item(InteractionEvent.kind == "impression", *in_window)
    engaged = _people_per_item(InteractionEvent.kind.in_(ENGAGING), *in_window)
    tenant_id = require_tenant().id
    changes = [
        {"tenant_id": tenant_id, "id": item_id, "shown": counts[0], "engaged": counts[1]}
        for item_id, was_shown, was_engaged in session.execute(
            select(ContentItem.id, ContentItem.shown, ContentItem.engaged)
        )
        if (counts := (shown.get(str(item_id), 0), engaged.get(str(item_id), 0))) != (was_shown, was_engaged)
    ]
    if changes:
        session.execute(update(ContentItem), changes)

    people: dict[uuid.UUID, int] = {}
    pairs = [
        (people.setdefault(person_id, len(people)), number[item_id])
        for person_id, item_id in session.execute(
            select(InteractionEvent.person_id, InteractionEvent.item_id)
            .where(InteractionEvent.kind.in_(ENGAGING), *in_window)
            .distinct()
        )
        if item_id in number
    ]
    neighbours = item_neighbours(pairs, len(ids))
    session.execute(delete(ContentNeighbour))
    rows = [
        {"tenant_id": tenant_id, "item_id": ids[item], "neighbour_id": ids[other], "similarity": similarity}
        for item, near in neighbours.items()
        for other, similarity in near
    ]
    if rows:
        session.execute(insert(ContentNeighbour), rows)
    session.commit()
    return Learned(items_counted=len(changes), neighbour_pairs=len(rows))


def _people_per_item(*conditions) -> dict[str, int]:
    query = (
        select(InteractionEvent.item_id, func.count(func.distinct(InteractionEvent.person_id)))
        .where(*conditions)
        .group_by(InteractionEvent.item_id)
    )
    return dict(session.execute(query).all())
