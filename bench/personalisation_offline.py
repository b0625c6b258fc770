"""Offline evaluation of the ranker: simulated people with hidden interests who click by them.

Run: `python -m bench.personalisation_offline` (about half a minute; `--quick` for a smoke test in a few
seconds; `--people`, `--new-people`, `--items`, `--interactions`, `--seed`; `--weights fit=1.5,...` to try
other `ranker.Weights`, `bench.personalisation_tuning` to search them). No database: the ranker is pure
computation on arrays, and so is everything here. The exit code is 0 whatever the verdicts.

It prints one table, a row per way of choosing ten items: the ranker; newest first; most popular by the
learned number of people who engaged, and by the learned engagement rate; profile fit then popular (the
ranker's fit part alone); an oracle that knows the person's hidden tastes but not the items' own appeal;
those hidden tastes plus the learned popularity (a diagnosis: what the ranker would reach if it knew
each person's tastes); and the oracle that knows the hidden P(engage). Columns: precision@10 and
NDCG@10 of people after their warm-up and of new people (a profile, no interactions), the coverage of
the catalogue, and how often the ten holds items already engaged with. Then the targets with PASS or
FAIL: warm, the ranker's NDCG@10 at least 2x the better popular baseline's and at least 0.75x that of
the oracle that knows the hidden interests ("oracle (person only)": the full oracle also knows each
item's own appeal, which no one's interests reveal, and scores 1 by construction); at cold start above
the better popular baseline's.

The simulated world and what it assumes (all seeded: the same arguments print the same figures):

- Catalogue: `--items` items of four types (vacancy 50%, tip 20%, workshop 15%, news 15%) over 12 sectors
  of the werk domain, tagged as the werk types tag them: `sector:<s>` for 1-3 sectors (none for a third
  of the news), `type:<key>`, vacancies `hours:full_time` or `hours:part_time`, and
  `needs:driving_licence` for 35% of the vacancies and workshops in driving-heavy sectors (5% elsewhere).
  How many items a sector has is drawn independently of how many people want it (supply is not demand).
  Items are published evenly over the 90 days before the start and during the simulation, and may be
  shown only from then on: newest first is a real order, and unseen items keep arriving.
- Hidden tastes: each person cares strongly for 1-3 sectors (35/45/20%), drawn with probabilities that
  fall with a sector's rank (Zipf, exponent 0.8: some sectors are far more popular than others), with
  strengths uniform in 1.5-3.0 on the logit scale, and weakly for the others (normal, sd 0.4); has a
  taste per item type (normal, sd 0.5), wants full-time (40%), part-time (35%) or either (25%) hours
  (+-0.7 on vacancies), and has a driving licence or not (60/40%). Each item has its own appeal, the
  same for everyone (normal, sd `--item-appeal` 0.6; 0 makes an item's tags all that matters), so that
  popularity is partly real and partly the popularity of sectors.
- Engagement: P(engage | item examined) = sigmoid(-3 + activity + the strongest taste among the item's
  sectors + type taste + hours match + appeal - 4 if it needs a licence the person lacks), activity being
  a person's own offset (normal, sd 0.3). This is the hidden truth that the evaluation scores against.
  Position k of a feed is examined with probability 1/log2(k+2) (`--no-position-bias`: always). An
  engaged item is opened (that is the interaction counted), then applied to (vacancies, workshops: 40%)
  or saved (tips, news: 25%); an examined item not engaged with is dismissed with probability
  0.08 x (1 - P). An item once opened is not engaged with again (shown again, it only gets an impression).
- Profile: the answers a person gives, turned into profile tags by the fit rules of the werk domain's
  vacancy, tip and workshop types and merged as `feed.profile_tags` merges them. 80% state wanted
  sectors: their strongest with probability 0.8 (else a wrong one), their second with probability 0.5,
  a wrong extra with probability 0.15; 20% state none. Half state a sector of experience (their
  strongest half of the time, else any). 70% state their hours wish, 85% whether they have a licence.
  The profile reveals part of the tastes, never their strengths, the type tastes or the items' appeal.
- Visits: people start on a day uniform over the first 30 days and then come on a day with probability
  0.5; a visit shows the ranker's first 10 (its exploration seeded per person and day, as the feed
  does), recording impressions and what the person does. A person's warm-up ends at `--interactions`
  engaged items, or after 40 visits. Each night learning is redone from all events so far, as the
  platform's learning job does it: per item the number of people who saw it and who engaged with it,
  and item neighbours (`learning.item_neighbours`).

The evaluation: each warm person the day after their last visit, each new person (`--new-people`, drawn
like the others) the day after the simulation ends, all with the final learned catalogue. Candidates are
the items published by then that the person did not engage with or dismiss; the baselines and oracles
choose among them, the ranker chooses as in production (its exploration on, seeded; an item it shows
again gains nothing). Relevant: a candidate whose hidden P(engage) is at least `--relevant` (0.3).
Precision@10 counts relevant items; NDCG@10 is graded, the gain of a relevant item being its hidden
P(engage) (0 for any other item), normalised by the best possible ten, so the oracle scores 1. People
without any relevant candidate are left out. The same NDCG with a gain of 1 per relevant item, and with
P(engage) as the gain of every candidate, is printed for comparison. Coverage: the share of the
catalogue in anyone's ten (warm).
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime

import numpy as np
from scipy import sparse

from aandacht.personalisation import ranker
from aandacht.personalisation.learning import item_neighbours
from aandacht.personalisation.ranker import Catalogue, Event, Events, Signals, Weights
from aandacht.personalisation.types import FitRule
from aandacht_werk.content import TIP, VACANCY, WORKSHOP

SECTORS = (
    "care",
    "retail",
    "logistics",
    "hospitality",
    "cleaning",
    "construction",
    "technology",
    "green",
    "production",
    "office",
    "ict",
    "transport",
)
#: Driving-heavy sectors: their vacancies and workshops often need a driving licence.
DRIVING = frozenset({"logistics", "transport", "construction", "green", "technology", "cleaning"})
#: Item types: key, share of the catalogue, the follow-up of an engagement.
TYPES = (("werk.vacancy", 0.50, "apply"), ("werk.tip", 0.20, "save"), ("werk.workshop", 0.15, "apply"),
         ("core.news", 0.15, "save"))  # fmt: skip
HOURS = ("full_time", "part_time")
#: The fit rules of the werk domain's types in the catalogue (news has none), as a tenant has them.
FIT_RULES: tuple[FitRule, ...] = tuple(rule for kind in (VACANCY, TIP, WORKSHOP) for rule in kind.fit_rules)
DAY = 86_400.0
START = datetime(2026, 1, 5, tzinfo=UTC).timestamp()
PAGE = 10
BASE_LOGIT = -3.0
LICENCE_PENALTY = 4.0
DISMISS_RATE = 0.08
VISIT_PROBABILITY = 0.5
START_DAYS = 30
MOST_VISITS = 40
PUBLISHED_BEFORE_DAYS = 90
TARGET_POPULAR_RATIO, TARGET_ORACLE_RATIO = 2.0, 0.75
#: The oracle the target compares with: it knows each person's hidden interests (not the items' appeal).
INTEREST_ORACLE = "oracle (person only)"


# --- The simulated world --------------------------------------------------------------------------------


@dataclass
class World:
    """The catalogue as the ranker sees it (tags, publication) and what only the simulation knows."""

    tags: list[str]
    features: sparse.csr_matrix
    published: np.ndarray
    #: Items x sectors, 1 where the item is about the sector.
    sectors: np.ndarray
    kind: np.ndarray
    hours: np.ndarray
    needs_licence: np.ndarray
    quality: np.ndarray

    def __len__(self) -> int:
        return len(self.published)


@dataclass
class People:
    """Simulated people: hidden P(engage) per item, and the profile tags their stated answers give."""

    probability: np.ndarray
    #: The same without the items' own appeal: what knowing the person perfectly (not the items) gives.
    person_only: np.ndarray
    profile_tags: list[dict[str, tuple[float, str]]]
    states_sector: np.ndarray


def make_world(items: int, rng: np.random.Generator, *, days: float, appeal: float = 0.6) -> World:
    """A catalogue of `items` items published over the 90 days before the start and `days` after it."""
    kind = rng.choice(len(TYPES), size=items, p=[share for _key, share, _then in TYPES])
    supply = rng.dirichlet(np.full(len(SECTORS), 3.0))
    sectors = np.zeros((items, len(SECTORS)))
    for item in range(items):
        if TYPES[kind[item]][0] == "core.news" and rng.random() < 1 / 3:
            continue
        count = rng.choice((1, 2, 3), p=(0.5, 0.35, 0.15))
        sectors[item, rng.choice(len(SECTORS), size=count, replace=False, p=supply)] = 1.0
    vacancy = kind == 0
    hours = np.where(vacancy, rng.integers(0, len(HOURS), size=items), -1)
    driving = sectors[:, [SECTORS.index(s) for s in sorted(DRIVING)]].sum(axis=1) > 0
    can_need = np.isin(kind, (0, 2))
    needs_licence = can_need & (rng.random(items) < np.where(driving, 0.35, 0.05))
    published = START + rng.uniform(-PUBLISHED_BEFORE_DAYS, days, size=items) * DAY
    tags = (
        [f"sector:{s}" for s in SECTORS]
        + [f"type:{key}" for key, _share, _then in TYPES]
        + [f"hours:{h}" for h in HOURS]
        + ["needs:driving_licence"]
    )
    rows, cols = np.nonzero(sectors)
    cells = [(int(r), int(c)) for r, c in zip(rows, cols, strict=True)]
    cells += [(item, len(SECTORS) + int(kind[item])) for item in range(items)]
    cells += [(item, len(SECTORS) + len(TYPES) + int(hours[item])) for item in np.flatnonzero(vacancy)]
    cells += [(int(item), len(tags) - 1) for item in np.flatnonzero(needs_licence)]
    features = sparse.csr_matrix(
        (np.ones(len(cells)), ([r for r, _ in cells], [c for _, c in cells])), shape=(items, len(tags))
    )
    return World(
        tags=tags,
        features=features,
        published=published,
        sectors=sectors,
        kind=kind,
        hours=hours,
        needs_licence=needs_licence,
        quality=rng.normal(0.0, 1.0, size=items) * appeal,
    )


def make_people(count: int, world: World, rng: np.random.Generator, demand: np.ndarray) -> People:
    """`count` people with hidden interests in `world`'s items, and the profiles they state."""
    size = len(world)
    probability = np.zeros((count, size))
    person_only = np.zeros((count, size))
    profiles: list[dict[str, tuple[float, str]]] = []
    states_sector = np.zeros(count, dtype=bool)
    sector_of_item = world.sectors > 0
    for person in range(count):
        strong = rng.choice((1, 2, 3), p=(0.35, 0.45, 0.20))
        favourites = rng.choice(len(SECTORS), size=strong, replace=False, p=demand)
        affinity = rng.normal(0.0, 0.4, size=len(SECTORS))
        affinity[favourites] = np.sort(rng.uniform(1.5, 3.0, size=strong))[::-1]
        type_taste = rng.normal(0.0, 0.5, size=len(TYPES))
        wish = rng.choice(3, p=(0.40, 0.35, 0.25))  # fulltime, parttime, either
        licence = rng.random() < 0.6
        interest = np.where(sector_of_item, affinity[None, :], -np.inf).max(axis=1)
        interest = np.where(np.isfinite(interest), interest, 0.0)
        hours_match = np.where(
            world.hours < 0, 0.0, np.where(wish == 2, 0.0, 0.7 * (2 * (world.hours == wish) - 1))
        )
        logit = (
            BASE_LOGIT
            + rng.normal(0.0, 0.3)
            + interest
            + type_taste[world.kind]
            + hours_match
            + world.quality
            - LICENCE_PENALTY * (world.needs_licence & (not licence))
        )
        probability[person] = 1.0 / (1.0 + np.exp(-logit))
        person_only[person] = 1.0 / (1.0 + np.exp(-(logit - world.quality)))

        answers: dict[str, object] = {}
        if rng.random() < 0.8:
            others = [s for s in range(len(SECTORS)) if s not in favourites]
            wanted = [favourites[0] if rng.random() < 0.8 else rng.choice(others)]
            if strong > 1 and rng.random() < 0.5:
                wanted.append(favourites[1])
            if rng.random() < 0.15:
                wanted.append(rng.choice(others))
            answers["werk.sectors_wanted"] = sorted({SECTORS[s] for s in wanted})
            states_sector[person] = True
        if rng.random() < 0.5:
            known = favourites[0] if rng.random() < 0.5 else rng.integers(len(SECTORS))
            answers["werk.sectors_experience"] = [SECTORS[known]]
        if rng.random() < 0.7:
            answers["werk.hours_type"] = "either" if wish == 2 else HOURS[wish]
        if rng.random() < 0.85:
            answers["werk.driving_licence"] = ["b"] if licence else ["none"]
        profiles.append(profile_tags(answers))
    return People(probability, person_only, profiles, states_sector)


def profile_tags(answers: Mapping[str, object]) -> dict[str, tuple[float, str]]:
    """The profile tags of these answers by the werk fit rules, merged as `feed.profile_tags` does."""
    tags: dict[str, tuple[float, str]] = {}
    for rule in FIT_RULES:
        for found in rule.tags(answers, {}):
            if found.tag not in tags or abs(found.weight) > abs(tags[found.tag][0]):
                tags[found.tag] = (found.weight, found.reason)
    return tags


# --- Learning (what the nightly job computes from all events) -------------------------------------------


def learned_catalogue(world: World, seen: np.ndarray, engaged: np.ndarray) -> Catalogue:
    """The ranker's catalogue with what learning knows now: people who saw / engaged, neighbours."""
    size = len(world)
    built = Catalogue(
        ids=[uuid.UUID(int=index + 1) for index in range(size)],
        features=world.features,
        tags=world.tags,
        segment_ids=[None] * size,
        languages=np.full(size, "nl", dtype=object),
        valid_from=world.published.copy(),
        valid_until=np.full(size, np.inf),
        published=world.published,
        pinned=np.zeros(size, dtype=bool),
        priority=np.zeros(size),
        shown=seen.sum(axis=0).astype(np.float64),
        engaged=engaged.sum(axis=0).astype(np.float64),
    )
    people, items = np.nonzero(engaged)
    built.relate(item_neighbours(zip(people.tolist(), items.tolist(), strict=True), size))
    return built


# --- The simulation -------------------------------------------------------------------------------------


@dataclass
class Person:
    """One simulated person's history: events, what they engaged with or dismissed, their visits."""

    events: list[Event] = field(default_factory=list)
    engaged: set[int] = field(default_factory=set)
    dismissed: set[int] = field(default_factory=set)
    visits: int = 0
    clicks: int = 0
    last_visit: float = 0.0


@dataclass
class Warmup:
    """The simulation's outcome: each person's history and the final learned catalogue."""

    people: list[Person]
    catalogue: Catalogue
    days: int
    impressions: int


def simulate(
    world: World,
    people: People,
    *,
    interactions: int,
    weights: Weights,
    position_bias: bool,
    rng: np.random.Generator,
    seed: int,
) -> Warmup:
    """Every person visits until `interactions` engagements (or `MOST_VISITS` visits); learn nightly."""
    count, size = people.probability.shape
    examine = 1.0 / np.log2(np.arange(PAGE) + 2.0) if position_bias else np.ones(PAGE)
    starts = rng.integers(0, START_DAYS, size=count)
    state = [Person() for _ in range(count)]
    done = np.zeros(count, dtype=bool)
    seen = np.zeros((count, size), dtype=bool)
    engaged = np.zeros((count, size), dtype=bool)
    catalogue = learned_catalogue(world, seen, engaged)
    eligible_all = np.ones(size, dtype=bool)
    impressions, day = 0, 0
    while not done.all():
        for person in np.flatnonzero((starts <= day) & ~done):
            if rng.random() >= VISIT_PROBABILITY and starts[person] != day:
                continue
            history = state[person]
            moment = START + day * DAY + rng.uniform(8, 22) * 3600
            signals = Signals(
                profile_tags=people.profile_tags[person],
                events=Events.of(history.events),
                eligible=eligible_all & (world.published <= moment),
            )
            shown = ranker.rank(
                catalogue,
                signals,
                now=datetime.fromtimestamp(moment, UTC),
                limit=PAGE,
                weights=weights,
                rng=np.random.default_rng((seed, person, day)),
            )
            for rank_, entry in enumerate(shown):
                item, at = entry.position, moment + rank_
                history.events.append(Event(item, "impression", at))
                seen[person, item] = True
                impressions += 1
                if item in history.engaged or rng.random() >= examine[rank_]:
                    continue
                chance = people.probability[person, item]
                if rng.random() < chance:
                    history.events.append(Event(item, "open", at + 5))
                    history.engaged.add(item)
                    engaged[person, item] = True
                    history.clicks += 1
                    follow_up = TYPES[world.kind[item]][2]
                    if rng.random() < (0.4 if follow_up == "apply" else 0.25):
                        history.events.append(Event(item, follow_up, at + 60))
                elif rng.random() < DISMISS_RATE * (1.0 - chance):
                    history.events.append(Event(item, "dismiss", at + 5))
                    history.dismissed.add(item)
            history.visits += 1
            history.last_visit = moment
            if history.clicks >= interactions or history.visits >= MOST_VISITS:
                done[person] = True
        catalogue = learned_catalogue(world, seen, engaged)
        day += 1
    return Warmup(state, catalogue, day, impressions)


# --- Evaluation -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One person at the moment of evaluation: what a way of choosing may look at (the oracle: `truth`)."""

    catalogue: Catalogue
    signals: Signals
    #: Items published by now that the person has not engaged with or dismissed.
    candidates: np.ndarray
    moment: float
    rng: np.random.Generator
    #: The person's hidden P(engage) per item, and the same without the items' own appeal.
    truth: np.ndarray
    person_only: np.ndarray


#: A way of choosing ten items for a person: their positions in the catalogue, best first.
Chooser = Callable[[Case], list[int]]


def top_by(score: np.ndarray, candidates: np.ndarray) -> list[int]:
    """The ten candidates with the highest score (ties: the lower position)."""
    masked = np.where(candidates, score, -np.inf)
    wanted = min(PAGE, int(candidates.sum()))
    if wanted == 0:
        return []
    top = np.argpartition(-masked, wanted - 1)[:wanted]
    return [int(i) for i in top[np.lexsort((top, -masked[top]))]]


def choose_ranker(weights: Weights) -> Chooser:
    """The ranker as in production: its first page, exploration on (seeded)."""

    def choose(case: Case) -> list[int]:
        now = datetime.fromtimestamp(case.moment, UTC)
        found = ranker.rank(case.catalogue, case.signals, now=now, limit=PAGE, weights=weights, rng=case.rng)
        return [entry.position for entry in found]

    return choose


def choose_newest(case: Case) -> list[int]:
    """Newest first."""
    return top_by(case.catalogue.published, case.candidates)


def choose_popular_count(case: Case) -> list[int]:
    """Most people engaged (ties: the higher rate)."""
    catalogue = case.catalogue
    rate = catalogue.engaged / np.maximum(catalogue.shown, 1.0)
    return top_by(catalogue.engaged + 0.5 * rate, case.candidates)


def smoothed_rate(catalogue: Catalogue) -> np.ndarray:
    """Engagement rate per item, shrunk to the catalogue's rate by 10 pseudo-views."""
    prior = 10.0
    return (catalogue.engaged + prior * catalogue.engagement_rate) / (catalogue.shown + prior)


def choose_popular_rate(case: Case) -> list[int]:
    """The highest engagement rate, shrunk towards the catalogue's rate for little-seen items."""
    return top_by(smoothed_rate(case.catalogue), case.candidates)


def choose_fit_popular(case: Case) -> list[int]:
    """Profile fit (the ranker's fit part alone), ties broken by the engagement rate."""
    catalogue = case.catalogue
    profile = np.zeros(len(catalogue.tags))
    for tag, (weight, _reason) in case.signals.profile_tags.items():
        if tag in catalogue.tag_index:
            profile[catalogue.tag_index[tag]] += weight
    fit = np.clip(np.asarray(catalogue.features @ profile).ravel(), -3.0, 3.0)
    return top_by(fit + smoothed_rate(catalogue), case.candidates)


def choose_person_oracle(case: Case) -> list[int]:
    """The best ten by what the person's hidden tastes alone say (not knowing the items' own appeal)."""
    return top_by(case.person_only, case.candidates)


def choose_interests_and_popularity(case: Case) -> list[int]:
    """The hidden interests (as the interest oracle knows them) plus the ranker's learned popularity.

    A diagnosis, not a baseline: how far the ranker would get if it knew each person's tastes, so the
    gap to the ranker is what learning a person's tastes still misses.
    """
    catalogue = case.catalogue
    prior = smoothed_rate(catalogue)
    known = np.clip(case.person_only, 1e-6, 1 - 1e-6)
    return top_by(np.log(known / (1 - known)) + np.log(prior / (1 - prior)), case.candidates)


def choose_oracle(case: Case) -> list[int]:
    """The best ten by the person's hidden P(engage)."""
    return top_by(case.truth, case.candidates)


@dataclass
class Scores:
    """Per-person precision@10 and NDCG@10 of one way of choosing, and the items it ever chose."""

    precision: list[float] = field(default_factory=list)
    #: Graded: the gain of a relevant item is its hidden P(engage), of any other item 0.
    ndcg: list[float] = field(default_factory=list)
    #: For comparison: every relevant item gains 1.
    ndcg_binary: list[float] = field(default_factory=list)
    #: For comparison: every candidate gains its hidden P(engage), relevant or not.
    ndcg_all: list[float] = field(default_factory=list)
    chosen: set[int] = field(default_factory=set)
    #: How many of its tens were items the person had already engaged with.
    again: int = 0

    def add(self, chosen: list[int], truth: np.ndarray, candidates: np.ndarray, relevant: np.ndarray) -> None:
        """Score one person's ten: `truth` their hidden P(engage), `relevant` the relevant candidates."""
        self.precision.append(float(relevant[chosen].sum()) / PAGE if chosen else 0.0)
        self.ndcg.append(ndcg(chosen, np.where(relevant, truth, 0.0)))
        self.ndcg_binary.append(ndcg(chosen, relevant.astype(np.float64)))
        self.ndcg_all.append(ndcg(chosen, np.where(candidates, truth, 0.0)))
        self.chosen.update(chosen)


_DISCOUNT = 1.0 / np.log2(np.arange(PAGE) + 2.0)


def ndcg(chosen: list[int], gain: np.ndarray) -> float:
    """NDCG@10 of `chosen` (best first) with this gain per item; 0 when no item gains anything."""
    ideal = float((np.sort(gain)[::-1][:PAGE] * _DISCOUNT).sum())
    found = float((gain[chosen] * _DISCOUNT[: len(chosen)]).sum()) if chosen else 0.0
    return found / ideal if ideal > 0 else 0.0


METHODS = (
    "ranker",
    "newest",
    "popular (count)",
    "popular (rate)",
    "fit, then popular",
    "oracle (person only)",
    "interests + popular",
    "oracle",
)


def evaluate(
    catalogue: Catalogue,
    people: People,
    histories: Sequence[Person] | None,
    moments: np.ndarray,
    *,
    weights: Weights,
    threshold: float,
    seed: int,
    only: np.ndarray | None = None,
) -> dict[str, Scores]:
    """Each way of choosing scored on each person (warm: with `histories`; cold: without)."""
    choosers: dict[str, Chooser] = {
        "ranker": choose_ranker(weights),
        "newest": choose_newest,
        "popular (count)": choose_popular_count,
        "popular (rate)": choose_popular_rate,
        "fit, then popular": choose_fit_popular,
        "oracle (person only)": choose_person_oracle,
        "interests + popular": choose_interests_and_popularity,
        "oracle": choose_oracle,
    }
    scores = {name: Scores() for name in METHODS}
    for person in range(len(people.probability)):
        if only is not None and not only[person]:
            continue
        history = histories[person] if histories is not None else Person()
        moment = float(moments[person])
        eligible = catalogue.published <= moment
        done = np.zeros(len(catalogue), dtype=bool)
        done[list(history.engaged | history.dismissed)] = True
        candidates = eligible & ~done
        truth = people.probability[person]
        relevant = candidates & (truth >= threshold)
        if not relevant.any():
            continue
        signals = Signals(people.profile_tags[person], Events.of(history.events), eligible)
        for name, choose in choosers.items():
            rng = np.random.default_rng((seed, 99, person))
            case = Case(catalogue, signals, candidates, moment, rng, truth, people.person_only[person])
            chosen = choose(case)
            scores[name].add(chosen, truth, candidates, relevant)
            scores[name].again += sum(1 for item in chosen if item in history.engaged)
    return scores


# --- The run --------------------------------------------------------------------------------------------


@dataclass
class Result:
    """What one run measured (for the tuning script and the smoke test)."""

    warm: dict[str, Scores]
    cold: dict[str, Scores]
    cold_stated: dict[str, Scores]
    warmup: Warmup
    relevant_per_person: float
    seconds: float

    def mean(self, group: str, method: str, metric: str) -> float:
        """The mean of `metric` (precision, ndcg) of `method` over the people of `group`."""
        values = getattr(getattr(self, group)[method], metric)
        return float(np.mean(values)) if values else 0.0

    def best_popular(self, group: str) -> tuple[str, float]:
        """The popular baseline with the higher NDCG@10 in `group`, and that NDCG."""
        return max(
            ((m, self.mean(group, m, "ndcg")) for m in METHODS if m.startswith("popular")), key=lambda p: p[1]
        )

    def verdicts(self) -> list[tuple[str, float, float, bool]]:
        """The targets: (label, measured, required, passed)."""
        ranker_warm, ranker_cold = self.mean("warm", "ranker", "ndcg"), self.mean("cold", "ranker", "ndcg")
        popular_name, popular_warm = self.best_popular("warm")
        cold_name, popular_cold = self.best_popular("cold")
        # The oracle "knows the hidden interests": the person's tastes, not each item's own appeal.
        oracle = self.mean("warm", INTEREST_ORACLE, "ndcg")
        enough_popular, enough_oracle = TARGET_POPULAR_RATIO * popular_warm, TARGET_ORACLE_RATIO * oracle
        return [
            (f"warm: ranker >= {TARGET_POPULAR_RATIO:g} x {popular_name}", ranker_warm, enough_popular,
             ranker_warm >= enough_popular),
            (f"warm: ranker >= {TARGET_ORACLE_RATIO:g} x {INTEREST_ORACLE}", ranker_warm, enough_oracle,
             ranker_warm >= enough_oracle),
            (f"cold start: ranker > {cold_name}", ranker_cold, popular_cold, ranker_cold > popular_cold),
        ]  # fmt: skip


def run(args: argparse.Namespace, *, weights: Weights | None = None, quiet: bool = False) -> Result:
    """Simulate, evaluate and (unless `quiet`) print the table and the verdicts."""
    began = time.perf_counter()
    weights = weights if weights is not None else parse_weights(args.weights)
    rng = np.random.default_rng(args.seed)
    horizon = START_DAYS + MOST_VISITS / VISIT_PROBABILITY
    world = make_world(args.items, rng, days=horizon, appeal=args.item_appeal)
    demand = 1.0 / np.arange(1, len(SECTORS) + 1) ** 0.8
    demand = rng.permutation(demand / demand.sum())
    people = make_people(args.people, world, rng, demand)
    newcomers = make_people(args.new_people, world, rng, demand)
    warmup = simulate(
        world,
        people,
        interactions=args.interactions,
        weights=weights,
        position_bias=args.position_bias,
        rng=rng,
        seed=args.seed,
    )
    catalogue = warmup.catalogue
    warm_moments = np.array([p.last_visit + DAY for p in warmup.people])
    end = max(float(warm_moments.max()), START + warmup.days * DAY)
    cold_moments = np.full(args.new_people, end)
    common = {"weights": weights, "threshold": args.relevant, "seed": args.seed}
    warm = evaluate(catalogue, people, warmup.people, warm_moments, **common)
    cold = evaluate(catalogue, newcomers, None, cold_moments, **common)
    cold_stated = evaluate(catalogue, newcomers, None, cold_moments, only=newcomers.states_sector, **common)
    relevant = float(np.mean((people.probability >= args.relevant).sum(axis=1)))
    result = Result(warm, cold, cold_stated, warmup, relevant, time.perf_counter() - began)
    if not quiet:
        report(args, weights, world, newcomers, result)
    return result


def report(
    args: argparse.Namespace, weights: Weights, world: World, newcomers: People, result: Result
) -> None:
    """Print the set-up, the table and the verdicts."""
    warmup = result.warmup
    clicks = np.array([p.clicks for p in warmup.people])
    visits = np.array([p.visits for p in warmup.people])
    print(
        f"\nPersonalisation offline: {args.items:,} items, {args.people:,} people warming up to"
        f" {args.interactions} interactions, {args.new_people:,} new people; seed {args.seed}, item appeal"
        f" {args.item_appeal:g}, position bias {'on' if args.position_bias else 'off'}"
    )
    print(f"  ranker weights: {format_weights(weights)}  (* changed from the defaults)")
    print(
        f"  warm-up: {warmup.days} days, {int(visits.sum()):,} visits, {warmup.impressions:,} impressions,"
        f" {int(clicks.sum()):,} engagements ({clicks.sum() / max(warmup.impressions, 1):.1%});"
        f" {np.mean(clicks >= args.interactions):.0%} of people reached {args.interactions} interactions"
        f" (median {np.median(visits):.0f} visits, at most {MOST_VISITS})"
    )
    print(
        f"  learned: {len(warmup.catalogue.neighbours):,} items with neighbours; relevant items"
        f" (P(engage) >= {args.relevant:g}) per person: {result.relevant_per_person:.0f} of {len(world):,}"
    )
    stated = int(newcomers.states_sector.sum())
    scored = (len(result.warm["ranker"].ndcg), len(result.cold["ranker"].ndcg))
    header = ("warm P@10", "warm NDCG", "cold P@10", "cold NDCG", "stated NDCG", "coverage", "again")
    print(f"\n  {'method':<21}" + "".join(f"{words:>12}" for words in header))
    for method in METHODS:
        warm, stated_scores = result.warm[method], result.cold_stated[method]
        figures = [
            f"{result.mean('warm', method, 'precision'):.3f}",
            f"{result.mean('warm', method, 'ndcg'):.3f}",
            f"{result.mean('cold', method, 'precision'):.3f}",
            f"{result.mean('cold', method, 'ndcg'):.3f}",
            f"{float(np.mean(stated_scores.ndcg)) if stated_scores.ndcg else 0.0:.3f}",
            f"{len(warm.chosen) / len(world):.1%}",
            f"{warm.again / max(len(warm.ndcg) * PAGE, 1):.1%}",
        ]
        print(f"  {method:<21}" + "".join(f"{figure:>12}" for figure in figures))
    print(
        f"  warm: {scored[0]} people after their warm-up; cold: {scored[1]} new people with a profile and no"
        f" interactions, stated: the {stated} of them who state a wanted sector (people without any relevant"
        " candidate are left out). NDCG@10: gain = hidden P(engage) of a relevant item, 0 otherwise;"
        " coverage: share of the catalogue in anyone's warm ten; again: share of the warm tens that"
        " were items the person had already engaged with (they gain nothing)."
    )
    print("\n  NDCG@10 with other gains, for comparison")
    header = ("warm 0/1", "warm P", "cold 0/1", "cold P")
    print(f"  {'method':<21}" + "".join(f"{words:>12}" for words in header))
    for method in METHODS:
        figures = [
            result.mean(group, method, metric)
            for group in ("warm", "cold")
            for metric in ("ndcg_binary", "ndcg_all")
        ]
        print(f"  {method:<21}" + "".join(f"{figure:>12.3f}" for figure in figures))
    print("  0/1: every relevant item gains 1; P: every candidate gains its hidden P(engage).")
    print("\n  targets (NDCG@10)")
    for label, measured, required, passed in result.verdicts():
        print(f"  {label:<52} {measured:.3f} vs {required:.3f}  {'PASS' if passed else 'FAIL'}")
    print(f"\n  total {result.seconds:.0f} s")


# --- Arguments ------------------------------------------------------------------------------------------


def parse_weights(text: str) -> Weights:
    """`ranker.Weights` with the fields named in `name=value,...` changed (empty: the defaults)."""
    known = {f.name for f in fields(Weights)}
    changes: dict[str, float] = {}
    for pair in filter(None, (part.strip() for part in text.split(","))):
        name, _sep, value = pair.partition("=")
        if name.strip() not in known:
            raise SystemExit(f"--weights: unknown weight {name.strip()!r}; known: {', '.join(sorted(known))}")
        try:
            changes[name.strip()] = float(value)
        except ValueError:
            raise SystemExit(f"--weights: {pair!r} is not name=number") from None
    return replace(Weights(), **changes)


def format_weights(weights: Weights) -> str:
    """`name=value` for every weight, the changed ones marked with *."""
    default = Weights()
    marked = []
    for name in (f.name for f in fields(Weights)):
        value = getattr(weights, name)
        marked.append(f"{name}={value:g}{'*' if value != getattr(default, name) else ''}")
    return ", ".join(marked)


def arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The run's arguments (`--quick`: a small world, for a smoke test)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=500, help="simulated people who warm up")
    parser.add_argument("--new-people", type=int, default=300, help="new people for the cold start")
    parser.add_argument("--items", type=int, default=1_000, help="items in the catalogue")
    parser.add_argument("--interactions", type=int, default=20, help="engagements per person in the warm-up")
    parser.add_argument(
        "--relevant", type=float, default=0.3, help="hidden P(engage) that makes an item relevant"
    )
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--weights", default="", help="ranker weights to change: fit=1.5,preference=2")
    parser.add_argument(
        "--item-appeal", type=float, default=0.6, help="sd of the items' own appeal (logit), 0: tags alone"
    )
    parser.add_argument("--no-position-bias", dest="position_bias", action="store_false")
    parser.add_argument(
        "--quick", action="store_true", help="a small world (smoke test): 60 people, 300 items"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.people, args.new_people, args.items, args.interactions = 60, 40, 300, 10
    return args


def main(argv: Sequence[str] | None = None) -> Result:
    """Run with the command line's arguments."""
    return run(arguments(argv))


if __name__ == "__main__":
    main(sys.argv[1:])
