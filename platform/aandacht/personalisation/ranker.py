"""The ranker: one person's eligible items scored by a documented model, with the reasons per item.

Pure computation on arrays (no database): `aandacht.personalisation.feed` loads a `Catalogue` and a
person's `Signals`, and `bench.personalisation_offline` feeds it simulated ones. The score of item i is

    score_i = w_fit * fit_i + w_pref * preference_i + w_collab * collaborative_i
              + w_pop * popularity_i + w_explore * exploration_i + w_priority * priority_i - staleness_i

- fit: the person's profile tags (from the content types' fit rules) that the item carries, summed;
- preference: what the person did with the items they were shown, as a small logistic regression on
  the items' tags (decayed by `half_life_days`, with fit and popularity as its offset), in log-odds;
- collaborative: items that people who engaged with the same things also engaged with (learned item
  neighbours), weighted by what the person did;
- popularity: the mean of Beta(engaged + a, shown - engaged + b) per item, a prior centred on the
  catalogue's engagement rate, as log-odds beside that rate;
- exploration: a draw from that Beta beside its mean (Thompson sampling): little-seen items get wide
  draws and so a fair chance;
- priority: a coach's high (+1) or low (-1) priority; pinned items come first whatever they score;
- staleness: items the person already opened or applied to, or that they passed by several times,
  make room for others.

Dismissed items never appear. docs/personalisation.md explains the model and its measured quality.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from scipy import sparse, special

#: What each kind of interaction says about a person's taste (impressions: that they passed it by).
EVENT_WEIGHTS: Mapping[str, float] = {
    "impression": -0.05,
    "open": 1.0,
    "click": 1.5,
    "save": 2.0,
    "share": 2.0,
    "apply": 3.0,
    "dismiss": -2.0,
}
POSITIVE = frozenset(kind for kind, weight in EVENT_WEIGHTS.items() if weight > 0)
#: Fewer people than this saw an item: it is new, and exploring it is the reason to show it.
NEW_BELOW = 30
_DAY = 86_400.0
#: Showings the catalogue's engagement rate weighs in a person's own rate.
_PERSON_PRIOR = 20.0
#: A learned lift (log-odds) is clipped to this, so that no single part decides alone.
_MOST_LIFT = 3.0
_NEWTON_STEPS = 6
#: An item's exploration draw is clipped to this (before its weight), so that with the default weights
#: chance reorders items of equal fit but never puts an item above one that fits one answer better.
_MOST_DOUBT = 1.5


@dataclass(frozen=True)
class Weights:
    """The weights of the model's parts (tuned with bench/personalisation_offline.py)."""

    fit: float = 1.5
    preference: float = 1.0
    collaborative: float = 0.5
    popularity: float = 1.5
    exploration: float = 0.3
    priority: float = 0.5
    #: An interaction counts half as much after this many days.
    half_life_days: float = 30.0
    #: How strongly the catalogue's engagement rate is believed for an item no one saw yet.
    prior_strength: float = 10.0
    #: How many showings a person's own rate weighs in a tag's rate before the tag has its own.
    taste_prior: float = 2.0
    #: Opened before, applied before, passed by: how much room such an item makes for others.
    seen_penalty: float = 3.0
    applied_penalty: float = 6.0
    passed_penalty: float = 0.2


@dataclass
class Catalogue:
    """A tenant's published items as arrays, one row per item (built by `feed.catalogue`)."""

    ids: list[uuid.UUID]
    #: Items x tags, 1 where an item carries a tag (its own, derived and `type:<key>`).
    features: sparse.csr_matrix
    tags: list[str]
    segment_ids: list[uuid.UUID | None]
    languages: np.ndarray
    #: Seconds since the epoch; -inf / +inf when open.
    valid_from: np.ndarray
    valid_until: np.ndarray
    published: np.ndarray
    pinned: np.ndarray
    #: -1 low, 0 normal, 1 high.
    priority: np.ndarray
    shown: np.ndarray
    engaged: np.ndarray
    #: Learned neighbours: item index -> [(neighbour index, similarity)].
    neighbours: Mapping[int, Sequence[tuple[int, float]]] = field(default_factory=dict)
    version: tuple = ()

    def __post_init__(self) -> None:
        self.position = {str(item_id): index for index, item_id in enumerate(self.ids)}
        #: The distinct eligibility segments, and per item the number of its segment (-1: everyone).
        self.segments = sorted({segment for segment in self.segment_ids if segment is not None}, key=str)
        number = {segment: index for index, segment in enumerate(self.segments)}
        self.segment_of = np.array(
            [number[segment] if segment is not None else -1 for segment in self.segment_ids], dtype=np.int64
        )
        self.tag_index = {tag: index for index, tag in enumerate(self.tags)}
        norms = np.sqrt(np.asarray(self.features.sum(axis=1)).ravel())
        self.unit_features = sparse.diags(1.0 / np.maximum(norms, 1.0)) @ self.features
        self.relate(self.neighbours)
        shown = np.maximum(self.shown.sum(), 1)
        self.engagement_rate = float(min(max(self.engaged.sum() / shown, 0.01), 0.5))

    def __len__(self) -> int:
        return len(self.ids)

    def relate(self, neighbours: Mapping[int, Sequence[tuple[int, float]]]) -> None:
        """Take learned neighbours (item -> [(neighbour, similarity)]) as a matrix for the ranker."""
        self.neighbours = neighbours
        cells = [(item, other, similarity) for item, near in neighbours.items() for other, similarity in near]
        rows, columns, values = zip(*cells, strict=True) if cells else ((), (), ())
        self.neighbour_matrix = sparse.csr_matrix((values, (rows, columns)), shape=(len(self.ids),) * 2)


#: The kinds of interaction in the order of their codes in `Events.kinds`.
KIND_CODES = tuple(EVENT_WEIGHTS)
_WEIGHT_OF_CODE = np.array([EVENT_WEIGHTS[kind] for kind in KIND_CODES])
_POSITIVE_CODES = np.array([kind in POSITIVE for kind in KIND_CODES])
_CODE = {kind: code for code, kind in enumerate(KIND_CODES)}


@dataclass(frozen=True)
class Event:
    """One interaction of the person, by catalogue position."""

    position: int
    kind: str
    #: Seconds since the epoch.
    moment: float


@dataclass(frozen=True)
class Events:
    """A person's interactions as arrays: catalogue positions, kind codes (`KIND_CODES`) and moments."""

    positions: np.ndarray
    kinds: np.ndarray
    moments: np.ndarray

    @classmethod
    def of(cls, events: Sequence[Event] | Sequence[tuple[int, str, float]]) -> Events:
        """Events from `Event`s or (position, kind, moment) rows; unknown kinds are left out."""
        rows = [tuple(event.__dict__.values()) if isinstance(event, Event) else event for event in events]
        rows = [row for row in rows if row[1] in _CODE]
        return cls(
            np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows)),
            np.fromiter((_CODE[row[1]] for row in rows), dtype=np.int64, count=len(rows)),
            np.fromiter((row[2] for row in rows), dtype=np.float64, count=len(rows)),
        )

    def of_kind(self, *kinds: str) -> np.ndarray:
        """The positions of the events of these kinds."""
        return self.positions[np.isin(self.kinds, [_CODE[kind] for kind in kinds])]

    def decay(self, moment: float, weights: Weights) -> np.ndarray:
        """How much each event still counts at `moment`: halved every `half_life_days`."""
        age = np.maximum(moment - self.moments, 0.0)
        return 0.5 ** (age / (weights.half_life_days * _DAY))

    def weights(self, moment: float, weights: Weights) -> np.ndarray:
        """What each event says about the person's taste at `moment`: its kind's weight, decayed."""
        return _WEIGHT_OF_CODE[self.kinds] * self.decay(moment, weights)


@dataclass(frozen=True)
class Signals:
    """What is known of one person: profile tags, their interactions, what they may see."""

    #: Tag -> (weight, reason) from the fit rules of the content types.
    profile_tags: Mapping[str, tuple[float, str]]
    events: Events
    #: Items the person may see (eligibility and language already applied), by position.
    eligible: np.ndarray
    personalised: bool = True


@dataclass(frozen=True)
class Part:
    """One part of an item's score, with what it is made of (for "why do I see this?")."""

    name: str
    value: float
    #: The profile reasons (fit), or the tags (preference) that gave most of the value.
    because: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ranked:
    """One item of a feed: its position in the catalogue, its score and the parts of that score."""

    position: int
    item_id: uuid.UUID
    score: float
    parts: tuple[Part, ...]
    pinned: bool = False
    new: bool = False


@dataclass(frozen=True)
class Scores:
    """Every item's score and its parts for one person at one moment (see `rank` and `explain`)."""

    total: np.ndarray
    parts: Mapping[str, np.ndarray]
    taste: np.ndarray
    candidates: np.ndarray


def score(
    catalogue: Catalogue,
    signals: Signals,
    *,
    now: datetime,
    weights: Weights = Weights(),
    rng: np.random.Generator | None = None,
) -> Scores:
    """Score every item of the catalogue for the person; items they may not see score -inf."""
    moment = now.timestamp()
    candidates = visible(catalogue, signals)
    alpha, beta = _appeal_prior(catalogue, weights)
    appeal = np.clip(
        _logit(alpha / (alpha + beta)) - _logit(catalogue.engagement_rate), -_MOST_LIFT, _MOST_LIFT
    )
    fit = _fit(catalogue, signals)
    taste = _taste(catalogue, signals.events, moment, weights, appeal + weights.fit * fit)
    parts = _parts(
        catalogue,
        signals,
        fit,
        taste,
        appeal,
        (alpha, beta),
        moment,
        weights,
        rng if rng is not None else np.random.default_rng(),
    )
    total = np.where(catalogue.pinned, sum(parts.values()) + 1_000.0, sum(parts.values()))
    return Scores(np.where(candidates, total, -np.inf), parts, taste, candidates)


def rank(
    catalogue: Catalogue,
    signals: Signals,
    *,
    now: datetime,
    limit: int = 20,
    offset: int = 0,
    weights: Weights = Weights(),
    rng: np.random.Generator | None = None,
) -> list[Ranked]:
    """The page `offset:offset+limit` of the feed, best first (newest first when not personalised)."""
    if not signals.personalised:
        candidates = visible(catalogue, signals)
        order = np.lexsort((-catalogue.published, ~catalogue.pinned))
        chosen = [int(i) for i in order if candidates[i]][offset : offset + limit]
        return [_plain(catalogue, index) for index in chosen]
    scores = score(catalogue, signals, now=now, weights=weights, rng=rng)
    # One full order, equal scores by catalogue position, so that every page cuts the same order.
    candidates = np.flatnonzero(scores.candidates)
    order = candidates[np.lexsort((candidates, -scores.total[candidates]))]
    return [_ranked(catalogue, signals, int(index), scores) for index in order[offset : offset + limit]]


def explain(catalogue: Catalogue, signals: Signals, scores: Scores, position: int) -> Ranked | None:
    """One item as `rank` scored it, with its parts (None when the person may not see it)."""
    if not scores.candidates[position]:
        return None
    return _ranked(catalogue, signals, position, scores)


def _plain(catalogue: Catalogue, index: int) -> Ranked:
    return Ranked(
        index, catalogue.ids[index], float(catalogue.published[index]), (), bool(catalogue.pinned[index])
    )


def visible(catalogue: Catalogue, signals: Signals) -> np.ndarray:
    """The items the person may see and did not dismiss."""
    return signals.eligible & ~_dismissed(catalogue, signals.events)


def _dismissed(catalogue: Catalogue, events: Events) -> np.ndarray:
    mask = np.zeros(len(catalogue), dtype=bool)
    mask[events.of_kind("dismiss")] = True
    return mask


def _taste(
    catalogue: Catalogue, events: Events, moment: float, weights: Weights, appeal: np.ndarray
) -> np.ndarray:
    """The person's learned lift per tag: how much likelier they engage with an item that carries it.

    A logistic regression of the person's own behaviour: for each item they were shown (decayed, a
    dismissal counting as shown twice) whether they engaged with it (opened, kept, applied), on the
    item's tags, beside the person's overall rate and the item's own appeal to everyone (`appeal`, in
    log-odds). The lifts are log-odds, shrunk towards 0 (a Gaussian prior, `weights.taste_prior`) while
    little is known: 0 is "no difference", above 0 "more of this". Tags of items the person never saw
    stay 0. A few Newton steps on the tags the person met (tens), so it is cheap.
    """
    size = len(catalogue)
    decay = events.decay(moment, weights)
    positive = _POSITIVE_CODES[events.kinds]
    engaged = np.minimum(np.bincount(events.positions[positive], decay[positive], minlength=size), 1.0)
    passed = np.isin(events.kinds, (_CODE["impression"], _CODE["dismiss"]))
    times = np.where(events.kinds == _CODE["dismiss"], 2.0, 1.0)[passed]
    shown = np.maximum(np.bincount(events.positions[passed], decay[passed] * times, minlength=size), engaged)
    taste = np.zeros(len(catalogue.tags))
    met = np.flatnonzero(shown)
    if not len(met):
        return taste
    prior = catalogue.engagement_rate
    rate = (engaged.sum() + _PERSON_PRIOR * prior) / (shown.sum() + _PERSON_PRIOR)
    rows = catalogue.features[met]
    tags = np.flatnonzero(np.asarray(rows.sum(axis=0)).ravel())
    # A free intercept first: what the offset gets wrong on average is the person's, not any tag's.
    x = np.hstack([np.ones((len(met), 1)), rows[:, tags].toarray()])
    trials, successes = shown[met], engaged[met]
    offset = _logit(rate) + appeal[met]
    beta = np.zeros(len(tags) + 1)
    penalty = np.diag(np.r_[1e-6, np.full(len(tags), 1.0 / weights.taste_prior)])
    for _step in range(_NEWTON_STEPS):
        p = special.expit(offset + x @ beta)
        gradient = x.T @ (successes - trials * p) - penalty @ beta
        hessian = (x.T * (trials * p * (1 - p))) @ x + penalty
        beta = beta + np.linalg.solve(hessian, gradient)
    taste[tags] = beta[1:]
    return taste


def _fit(catalogue: Catalogue, signals: Signals) -> np.ndarray:
    """Per item the weights of the person's profile tags that it carries, summed (clipped to +-3)."""
    profile = np.zeros(len(catalogue.tags))
    for tag, (weight, _reason) in signals.profile_tags.items():
        if tag in catalogue.tag_index:
            profile[catalogue.tag_index[tag]] += weight
    return np.clip(np.asarray(catalogue.features @ profile).ravel(), -3.0, 3.0)


def _appeal_prior(catalogue: Catalogue, weights: Weights) -> tuple[np.ndarray, np.ndarray]:
    """Per item the Beta posterior of its engagement rate: what everyone did, on a catalogue-wide prior."""
    rate, strength = catalogue.engagement_rate, weights.prior_strength
    alpha = catalogue.engaged + rate * strength
    beta = np.maximum(catalogue.shown - catalogue.engaged, 0) + (1 - rate) * strength
    return alpha, beta


def _logit(p: np.ndarray | float) -> np.ndarray:
    clipped = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(clipped / (1 - clipped))


def _parts(
    catalogue: Catalogue,
    signals: Signals,
    fit: np.ndarray,
    taste: np.ndarray,
    appeal: np.ndarray,
    beta_prior: tuple[np.ndarray, np.ndarray],
    moment: float,
    weights: Weights,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    size = len(catalogue)

    preference = np.clip(np.asarray(catalogue.features @ taste).ravel(), -_MOST_LIFT, _MOST_LIFT)

    events = signals.events
    positive = _POSITIVE_CODES[events.kinds]
    engaged_with = np.bincount(
        events.positions[positive], events.weights(moment, weights)[positive], minlength=size
    )
    collaborative = np.tanh(np.asarray(catalogue.neighbour_matrix.T @ engaged_with).ravel())

    alpha, beta = beta_prior
    sample = rng.beta(alpha, beta) if size else np.zeros(0)
    exploration = np.clip(_logit(sample) - _logit(alpha / (alpha + beta)), -_MOST_DOUBT, _MOST_DOUBT)

    return {
        "fit": weights.fit * fit,
        "preference": weights.preference * preference,
        "collaborative": weights.collaborative * collaborative,
        "popularity": weights.popularity * appeal,
        "exploration": weights.exploration * exploration,
        "priority": weights.priority * catalogue.priority,
        "freshness": -_staleness(catalogue, signals.events, weights),
    }


def _staleness(catalogue: Catalogue, events: Events, weights: Weights) -> np.ndarray:
    size = len(catalogue)
    penalty = np.zeros(size)
    engaged = np.zeros(size, dtype=bool)
    engaged[events.positions[_POSITIVE_CODES[events.kinds]]] = True
    penalty[engaged] = weights.seen_penalty
    penalty[events.of_kind("apply")] = weights.applied_penalty
    passed = np.bincount(events.of_kind("impression"), minlength=size)
    ignored = np.where(engaged, 0.0, np.clip(passed - 2, 0, 5) * weights.passed_penalty)
    return penalty + ignored


def _liked_tags(tags: list[str], taste: np.ndarray, index: Mapping[str, int]) -> tuple[str, ...]:
    """The item's two tags the person likes most; its type only when no topic tag is liked."""
    liked = sorted((tag for tag in tags if taste[index[tag]] > 0), key=lambda tag: -taste[index[tag]])
    topics = [tag for tag in liked if not tag.startswith("type:")]
    return tuple((topics or liked)[:2])


def _ranked(catalogue: Catalogue, signals: Signals, index: int, scores: Scores) -> Ranked:
    taste = scores.taste
    item_tags = [catalogue.tags[t] for t in catalogue.features[index].indices]
    because: dict[str, tuple[str, ...]] = {
        "fit": tuple(
            reason
            for weight, reason in sorted(
                (signals.profile_tags[tag] for tag in item_tags if tag in signals.profile_tags),
                key=lambda pair: -pair[0],
            )
            if weight > 0
        ),
        "preference": _liked_tags(item_tags, taste, catalogue.tag_index),
    }
    made_of = tuple(
        Part(name, float(values[index]), because.get(name, ())) for name, values in scores.parts.items()
    )
    return Ranked(
        position=index,
        item_id=catalogue.ids[index],
        score=float(scores.total[index]),
        parts=made_of,
        pinned=bool(catalogue.pinned[index]),
        new=bool(catalogue.shown[index] < NEW_BELOW),
    )
