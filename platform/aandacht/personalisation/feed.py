"""A person's feed: the ranker fed from the database, with "why do I see this?" in plain words.

The tenant's catalogue is kept in memory as arrays (`ranker.Catalogue`) and rebuilt only when a cheap
version query (count and latest change of the items, latest change of the library) says it changed;
per request the feed reads the person's profile, their interactions and their segment memberships.
The ranker's random draws are seeded per person and day, so a feed and its explanations agree and a
feed does not reshuffle on every visit.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from flask_babel import gettext as _
from scipy import sparse
from sqlalchemy import func, select, union_all

from aandacht.accounts.models import Person
from aandacht.db import engine, session, utcnow
from aandacht.personalisation import ranker
from aandacht.personalisation.catalogue import Item, as_item, items_query
from aandacht.personalisation.models import ContentItem, ContentNeighbour, InteractionEvent, LibraryItem
from aandacht.personalisation.registry import content_types_for
from aandacht.personalisation.types import ContentType, Wants
from aandacht.profiles.registry import attributes_for
from aandacht.profiles.service import profile_values
from aandacht.segments.service import memberships
from aandacht.tenancy.context import require_tenant

#: How far back a person's interactions count (older ones have decayed to nothing anyway).
MEMORY = timedelta(days=365)
MOST_EVENTS = 1_000
#: A part of the score must add at least this much to be named as a reason.
REASON_THRESHOLD = 0.1
_PRIORITY = {"low": -1.0, "normal": 0.0, "high": 1.0}
_catalogues: dict[tuple[str, int], _Built] = {}
_lock = threading.Lock()
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeedEntry:
    """One item of a person's feed, with why it is there (best reason first)."""

    item: Item
    kind: ContentType
    reasons: tuple[str, ...]
    ranked: ranker.Ranked


@dataclass(frozen=True)
class _Built:
    """A tenant's catalogue as the ranker's arrays, and its items as people see them (for the cards)."""

    arrays: ranker.Catalogue
    items: dict[uuid.UUID, Item]


def catalogue() -> ranker.Catalogue:
    """The tenant's published items as the ranker's arrays, rebuilt only when they changed."""
    return _current().arrays


def _current() -> _Built:
    tenant = require_tenant()
    library_changed = select(func.max(LibraryItem.updated_at)).scalar_subquery()
    version = tuple(
        session.execute(
            select(func.count(ContentItem.id), func.max(ContentItem.changed_at), library_changed)
        ).one()
    )
    key = (engine().url.render_as_string(), tenant.id)
    cached = _catalogues.get(key)
    if cached is not None and cached.arrays.version == version:
        return cached
    with _lock:
        built = _build(version)
        _catalogues[key] = built
    return built


def _build(version: tuple) -> _Built:
    kinds = content_types_for(require_tenant())
    query = items_query().where(ContentItem.status == "published").order_by(ContentItem.id)
    rows = session.execute(query).all()
    pairs = [(as_item(own, library), own) for own, library in rows]
    pairs = [(item, own) for item, own in pairs if item.status == "published" and item.type in kinds]
    features = [kinds[item.type].features(item.tags, item.details) for item, _own in pairs]
    tags = sorted(set().union(*features))
    column = {tag: index for index, tag in enumerate(tags)}
    cells = [(row, column[tag]) for row, found in enumerate(features) for tag in found]
    matrix = sparse.csr_matrix(
        (np.ones(len(cells)), ([row for row, _ in cells], [col for _, col in cells])),
        shape=(len(pairs), len(tags)),
    )
    items = [item for item, _own in pairs]
    built = ranker.Catalogue(
        ids=[item.id for item in items],
        features=matrix,
        tags=tags,
        segment_ids=[item.eligibility_segment_id for item in items],
        languages=np.array([item.language for item in items], dtype=object),
        valid_from=_moments([item.valid_from for item in items], -np.inf),
        valid_until=_moments([item.valid_until for item in items], np.inf),
        published=_moments([item.published_at for item in items], 0.0),
        pinned=np.array([item.pinned for item in items], dtype=bool),
        priority=np.array([_PRIORITY[item.priority] for item in items], dtype=np.float64),
        shown=np.array([own.shown for _item, own in pairs], dtype=np.float64),
        engaged=np.array([own.engaged for _item, own in pairs], dtype=np.float64),
        version=version,
    )
    built.relate(_neighbours(built))
    return _Built(built, {item.id: item for item in items})


def _neighbours(built: ranker.Catalogue) -> dict[int, list[tuple[int, float]]]:
    found: dict[int, list[tuple[int, float]]] = {}
    query = select(ContentNeighbour.item_id, ContentNeighbour.neighbour_id, ContentNeighbour.similarity)
    for item_id, neighbour_id, similarity in session.execute(query):
        item, neighbour = built.position.get(str(item_id)), built.position.get(str(neighbour_id))
        if item is not None and neighbour is not None:
            found.setdefault(item, []).append((neighbour, similarity))
    return found


def _moments(values: list[datetime | None], missing: float) -> np.ndarray:
    return np.array(
        [value.timestamp() if value is not None else missing for value in values], dtype=np.float64
    )


# --- One person's signals ---------------------------------------------------------------------------


def profile_tags(person_id: uuid.UUID) -> dict[str, tuple[float, str]]:
    """The person's profile as weighted tags with their reasons, from every content type's fit rules."""
    tenant = require_tenant()
    values, attributes = profile_values(person_id), attributes_for(tenant)
    tags: dict[str, tuple[float, str]] = {}
    for kind in content_types_for(tenant).values():
        for rule in kind.fit_rules:
            for found in rule.tags(values, attributes):
                if found.tag not in tags or abs(found.weight) > abs(tags[found.tag][0]):
                    tags[found.tag] = (found.weight, found.reason)
    return tags


def signals(person: Person, built: ranker.Catalogue, now: datetime) -> ranker.Signals:
    """What the ranker needs to know of `person`: profile tags, interactions, the items they may see."""
    columns = (InteractionEvent.item_id, InteractionEvent.kind, InteractionEvent.occurred_at)
    mine = (InteractionEvent.person_id == person.id, InteractionEvent.item_id.is_not(None))
    recent = (
        select(*columns)
        .where(*mine, InteractionEvent.occurred_at >= now - MEMORY, InteractionEvent.kind != "dismiss")
        .order_by(InteractionEvent.occurred_at.desc())
        .limit(MOST_EVENTS)
        .subquery()
    )
    # Dismissals all, however old: "not for me" stays away.
    query = union_all(select(recent), select(*columns).where(*mine, InteractionEvent.kind == "dismiss"))
    position = built.position
    events = ranker.Events.of(
        [
            (position[item_id], kind, moment.timestamp())
            for item_id, kind, moment in session.execute(query).all()
            if item_id in position
        ]
    )
    return ranker.Signals(
        profile_tags=profile_tags(person.id) if person.personalised else {},
        events=events,
        eligible=eligible(person, built, now),
        personalised=person.personalised,
    )


def eligible(person: Person, built: ranker.Catalogue, now: datetime) -> np.ndarray:
    """The items `person` may see now: valid, in their language or the tenant's, in their segments."""
    tenant = require_tenant()
    moment = now.timestamp()
    languages = {person.locale or tenant.default_locale, tenant.default_locale}
    mask = (built.valid_from <= moment) & (moment < built.valid_until)
    mask &= np.isin(built.languages, list(languages))
    needed = np.unique(built.segment_of[mask])
    wanted = [built.segments[number] for number in needed if number >= 0]
    member_of = memberships(wanted, person.id) if wanted else set()
    allowed = np.array(
        [-1] + [number for number, segment in enumerate(built.segments) if segment in member_of]
    )
    return mask & np.isin(built.segment_of, allowed)


def _rng(person: Person, now: datetime) -> np.random.Generator:
    """The person's random draws of the day (a feed and its explanations agree within the day)."""
    seed = hashlib.sha256(f"{person.id}:{now.date().isoformat()}".encode()).digest()
    return np.random.default_rng(int.from_bytes(seed[:8], "big"))


# --- The feed and its reasons -----------------------------------------------------------------------


def feed(person: Person, *, limit: int = 20, offset: int = 0, now: datetime | None = None) -> list[FeedEntry]:
    """The person's feed, best first: items they may see, ranked for them (or newest first)."""
    moment = now or utcnow()
    current = _current()
    known = signals(person, current.arrays, moment)
    ranked = ranker.rank(
        current.arrays, known, now=moment, limit=limit, offset=offset, rng=_rng(person, moment)
    )
    return _entries(current, known, ranked)


def why(person: Person, item_id: uuid.UUID, *, now: datetime | None = None) -> FeedEntry | None:
    """One item as the person's feed ranks it, with its reasons; None when they may not see it."""
    moment = now or utcnow()
    current = _current()
    built = current.arrays
    position = built.position.get(str(item_id))
    if position is None:
        return None
    known = signals(person, built, moment)
    if not known.personalised:
        entry = ranker.Ranked(position, built.ids[position], 0.0, (), bool(built.pinned[position]))
        return (
            next(iter(_entries(current, known, [entry])), None)
            if ranker.visible(built, known)[position]
            else None
        )
    scores = ranker.score(built, known, now=moment, rng=_rng(person, moment))
    found = ranker.explain(built, known, scores, position)
    return next(iter(_entries(current, known, [found])), None) if found is not None else None


def _entries(current: _Built, known: ranker.Signals, ranked: list[ranker.Ranked]) -> list[FeedEntry]:
    """The ranked items as cards: the items as the catalogue holds them (no query), with their reasons."""
    labels = TagLabels()
    return [
        FeedEntry(
            current.items[entry.item_id],
            labels.kinds[current.items[entry.item_id].type],
            reasons(entry, current.arrays, known, labels),
            entry,
        )
        for entry in ranked
    ]


def reasons(
    entry: ranker.Ranked, built: ranker.Catalogue, known: ranker.Signals, labels: TagLabels
) -> tuple[str, ...]:
    """Why the item is in the feed, in plain words, from the parts of its score (largest first)."""
    found: list[tuple[float, str]] = []
    if entry.pinned:
        found.append((1_000.0, _("A coach put this at the top.")))
    if not known.personalised:
        return (
            *(text for _value, text in found),
            _("You switched off choosing for you, so you see the newest first."),
        )
    for part in entry.parts:
        if part.value < REASON_THRESHOLD:
            continue
        if part.name == "fit":
            found.extend((part.value, reason) for reason in part.because[:2])
        elif part.name == "preference" and part.because:
            topics = _(" and ").join(labels[tag] for tag in part.because)
            found.append((part.value, _("You often look at things about %(topics)s.", topics=topics)))
        elif part.name == "collaborative":
            found.append((part.value, _("People who liked the same things as you also looked at this.")))
        elif part.name == "exploration" and entry.new:
            found.append((part.value, _("This is new. We show it to find out if it suits you.")))
        elif part.name == "popularity" and _popular(entry.position, built):
            found.append((part.value, _("Many people found this useful.")))
        elif part.name == "priority":
            found.append((part.value, _("A coach marked this as important.")))
    if not found:
        return (_("Nothing special: we also show you things you do not know yet."),)
    found.sort(key=lambda pair: -pair[0])
    return tuple(dict.fromkeys(text for _value, text in found))


def _popular(position: int, built: ranker.Catalogue) -> bool:
    shown = built.shown[position]
    return shown >= ranker.NEW_BELOW and built.engaged[position] / shown >= 2 * built.engagement_rate


class TagLabels(dict[str, str]):
    """Words for tags, looked up once per feed: `labels["sector:zorg"]`.

    A type's name, the words of an answer that a fit rule reads, else the tag's value.
    """

    def __init__(self) -> None:
        super().__init__()
        tenant = require_tenant()
        self.kinds = content_types_for(tenant)
        self.attributes = attributes_for(tenant)

    def __missing__(self, tag: str) -> str:
        prefix, _sep, value = tag.partition(":")
        self[tag] = self._words(prefix, value)
        return self[tag]

    def _words(self, prefix: str, value: str) -> str:
        if prefix == "type" and value in self.kinds:
            return str(self.kinds[value].plural).lower()
        tag = f"{prefix}:{value}" if value else prefix
        for kind in self.kinds.values():
            if tag in kind.tag_labels:
                return str(kind.tag_labels[tag]).lower()
        for options in self._options_named(prefix):
            for option in options:
                if str(option.value) == value:  # type: ignore[union-attr]
                    return str(option.label).lower()  # type: ignore[union-attr]
        for kind in self.kinds.values():
            if prefix in kind.tag_prefixes:
                named = str(kind.tag_prefixes[prefix]).lower()
                return f"{named}: {value.replace('_', ' ')}" if value else named
        return (value or prefix).replace("_", " ").replace("-", " ")

    def _options_named(self, prefix: str) -> Iterator[tuple[Any, ...]]:
        """The answers of the attributes that `Wants` rules read for this prefix, then a choice detail's."""
        for kind in self.kinds.values():
            for rule in kind.fit_rules:
                if isinstance(rule, Wants) and rule.prefix == prefix and rule.attribute in self.attributes:
                    yield self.attributes[rule.attribute].options
            detail = kind.field_named(prefix)
            if detail is not None and detail.options:
                yield detail.options
