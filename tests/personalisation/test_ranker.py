"""The ranker on arrays alone: what chance may and may not do, and what a person's behaviour teaches it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import numpy as np
from scipy import sparse

from aandacht.personalisation import ranker
from aandacht.personalisation.ranker import Catalogue, Event, Events, Signals

NOW = datetime(2026, 6, 1, tzinfo=UTC)
TAGS = ["sector:zorg", "sector:bouw", "type:core.test_job"]


def catalogue(sectors: list[str], *, shown: float = 0.0, engaged: float = 0.0) -> Catalogue:
    """Items of one type, each in one sector, all published a day ago."""
    rows = [(index, TAGS.index(f"sector:{sector}")) for index, sector in enumerate(sectors)]
    rows += [(index, TAGS.index("type:core.test_job")) for index in range(len(sectors))]
    size = len(sectors)
    features = sparse.csr_matrix(
        (np.ones(len(rows)), ([r for r, _ in rows], [c for _, c in rows])), shape=(size, len(TAGS))
    )
    return Catalogue(
        ids=[uuid.UUID(int=index + 1) for index in range(size)],
        features=features,
        tags=TAGS,
        segment_ids=[None] * size,
        languages=np.full(size, "nl", dtype=object),
        valid_from=np.full(size, -np.inf),
        valid_until=np.full(size, np.inf),
        published=np.full(size, NOW.timestamp() - 86_400),
        pinned=np.zeros(size, dtype=bool),
        priority=np.zeros(size),
        shown=np.full(size, shown),
        engaged=np.full(size, engaged),
    )


def signals(size: int, *, events: list[Event] = (), profile: dict | None = None) -> Signals:
    return Signals(profile or {}, Events.of(list(events)), np.ones(size, dtype=bool))


def test_chance_reorders_equal_items_but_never_lifts_one_above_a_better_fit():
    built = catalogue(["zorg"] * 10 + ["bouw"] * 10)
    known = signals(20, profile={"sector:zorg": (1.0, "U wilt werken in zorg.")})
    orders = set()
    for seed in range(200):
        found = ranker.rank(built, known, now=NOW, limit=20, rng=np.random.default_rng(seed))
        positions = [entry.position for entry in found]
        assert set(positions[:10]) == set(range(10)), seed  # every zorg item above every other
        orders.add(tuple(positions[:10]))
    assert len(orders) > 50  # and chance does change the order among them


def test_a_dismissed_item_never_comes_back_whatever_it_scores():
    built = catalogue(["zorg", "zorg", "bouw"])
    known = signals(3, events=[Event(0, "dismiss", NOW.timestamp() - 400 * 86_400)])
    for seed in range(50):
        found = ranker.rank(built, known, now=NOW, rng=np.random.default_rng(seed))
        assert 0 not in [entry.position for entry in found]


def test_what_a_person_opens_and_passes_by_teaches_their_taste():
    built = catalogue(["zorg"] * 6 + ["bouw"] * 6, shown=40, engaged=4)
    moment = NOW.timestamp() - 3_600
    seen = [Event(index, "impression", moment) for index in range(12) for _ in range(2)]
    opened = [Event(index, "open", moment) for index in (0, 1, 2)]
    known = signals(12, events=seen + opened)
    scores = ranker.score(built, known, now=NOW, rng=np.random.default_rng(1))

    assert scores.taste[TAGS.index("sector:zorg")] > 0 > scores.taste[TAGS.index("sector:bouw")]
    preference = scores.parts["preference"]
    assert preference[3:6].min() > preference[6:].max()  # unopened zorg items above bouw items
    top = [
        entry.position for entry in ranker.rank(built, known, now=NOW, limit=3, rng=np.random.default_rng(1))
    ]
    assert set(top) == {3, 4, 5}  # the opened ones make room for the zorg items not seen yet


def test_a_score_is_the_sum_of_its_named_parts():
    built = catalogue(["zorg", "bouw"], shown=50, engaged=10)
    known = signals(2, events=[Event(0, "save", NOW.timestamp())], profile={"sector:bouw": (1.0, "Bouw.")})
    for entry in ranker.rank(built, known, now=NOW, rng=np.random.default_rng(3)):
        assert {part.name for part in entry.parts} == {
            "fit", "preference", "collaborative", "popularity", "exploration", "priority", "freshness"
        }  # fmt: skip
        assert entry.score == sum(part.value for part in entry.parts)


def test_pages_cut_one_order_even_when_many_items_score_the_same():
    built = catalogue(["zorg"] * 90)
    known = signals(90)

    def pages(size: int, seed: int) -> list[int]:
        return [
            entry.position
            for start in range(0, 90, size)
            for entry in ranker.rank(
                built, known, now=NOW, limit=size, offset=start, rng=np.random.default_rng(seed)
            )
        ]

    for seed in range(20):
        assert pages(20, seed) == pages(7, seed) == pages(90, seed), seed
        assert sorted(pages(20, seed)) == list(range(90))
