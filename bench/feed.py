"""A person's feed at scale: 20 items out of 5,000 eligible ones with 10 million stored events.

Run: `python -m bench.feed` with DATABASE_URL a superuser URL of a PostgreSQL server, e.g.
`DATABASE_URL=postgresql://postgres@127.0.0.1/postgres python -m bench.feed` (`--events 1000000` for a
quick run). It creates its own database (and the app's non-owner role if missing), migrates it, and drops
it at the end (`--keep` keeps it, `--reuse NAME` measures again on a kept one).

Data: `--people` people with the 80-attribute profiles of `bench.profiles`; `--items` published content
items of one benchmark content type, each with 2-4 tags (sector, hours, place, topic), a third of them
only for one of ten saved segments (profile conditions), a few pinned; `--events` interaction events
generated in the database (impressions 60%, opens, clicks, saves, dismissals, shares, applications),
over 180 days, skewed over people and items; then the learning job (`learning.learn`) counts the items
and relates them (its time is printed), and VACUUM ANALYZE.

Measured, as the app's non-owner role under row level security, in an app and tenant context as a
request would be: `feed.feed(person, limit=20)` for people who have events (the person loaded in the
timing, as a request loads its principal), over `--repeat` runs after warm-ups (the first builds the
catalogue in memory); beside it, in the same run, a plain newest-first query of 20 visible items on a
plain connection as the same role. Prints median and p95 of both and PASS or FAIL against the target:
p95 under 30 ms.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from flask import Flask
from flask_babel import lazy_gettext as _l

from aandacht import migrate
from aandacht.accounts.models import Person
from aandacht.app import create_app
from aandacht.db import session
from aandacht.personalisation import feed, learning, registry
from aandacht.personalisation.types import Avoids, ContentType, Wants
from aandacht.segments.language import Viewer
from aandacht.segments.service import SegmentFields, save_segment
from aandacht.tenancy.context import CurrentTenant, tenant_context
from aandacht.tenancy.models import Tenant
from aandacht.tenancy.scoping import get_scoped
from aandacht.tenancy.service import find_tenant
from aandacht.testing.pytest_plugin import base_settings
from bench.profiles import (
    bench_arguments,
    benchmark_specs,
    create_database,
    database_settings,
    drop_database,
    has_postgres,
    libpq,
    load,
    median,
    p95,
    phase,
)
from bench.segments import register_attributes

P95_TARGET_MS = 30.0
WARM_UPS = 3
SECTORS = ("care", "logistics", "retail", "hospitality", "construction", "cleaning", "production", "office")
PLACES = ("enschede", "hengelo", "almelo", "oldenzaal", "deventer", "zaandam")
TOPICS = ("cv", "letter", "interview", "network", "training", "health", "money", "language")
#: A vacancy-like type whose fit rules read the benchmark profile, as a domain's would.
BENCH_TYPE = ContentType(
    key="core.bench_item",
    label=_l("Item"),
    plural=_l("Items"),
    fit_rules=(
        Wants("bench.sector_wish", "sector", "You want to work in %(value)s."),
        Wants("bench.hours", "hours", "You want to work %(value)s."),
        Wants("bench.hobbies", "topic", "You like %(value)s."),
        Avoids("bench.driving_licence", False, "needs:driving_licence", "You have no driving licence."),
    ),
)
#: Interaction kinds by cumulative share.
KINDS = ((0.60, "impression"), (0.80, "open"), (0.88, "click"), (0.93, "save"), (0.96, "dismiss"),
         (0.98, "share"), (1.00, "apply"))  # fmt: skip


def add_items(admin: psycopg.Connection, tenant_id: int, count: int, segments: list[str], rng: random.Random,
              now: datetime) -> None:  # fmt: skip
    """COPY `count` published items with tags, a third of them for one of `segments`."""
    lines = []
    for number in range(count):
        tags = {f"sector:{rng.choice(SECTORS)}", f"place:{rng.choice(PLACES)}", f"topic:{rng.choice(TOPICS)}"}
        if rng.random() < 0.5:
            tags.add(f"hours:{rng.choice(['full_time', 'part_time', 'few_hours'])}")
        if rng.random() < 0.2:
            tags.add("needs:driving_licence")
        segment = rng.choice(segments) if rng.random() < 1 / 3 else "\\N"
        published = now.timestamp() - rng.uniform(0, 90 * 86_400)
        until = (
            "\\N"
            if rng.random() < 0.5
            else datetime.fromtimestamp(now.timestamp() + rng.uniform(1, 60) * 86_400, UTC)
        )
        tag_list = "[" + ", ".join(f'"{tag}"' for tag in sorted(tags)) + "]"
        moment = datetime.fromtimestamp(published, UTC)
        lines.append(
            f"{tenant_id}\t{_uuid(number)}\t{BENCH_TYPE.key}\tItem {number}\tShort text {number}\t"
            f"{tag_list}\t{{}}\tnl\t{until}\t{segment}\t{'t' if number % 400 == 0 else 'f'}\t"
            f"normal\tpublished\t0\t0\t{moment}\t{moment}\t{moment}\n"
        )
    with (
        admin.cursor() as cursor,
        cursor.copy(
            "COPY content_item (tenant_id, id, type, title, summary, tags, details, language, valid_until,"
            " eligibility_segment_id, pinned, priority, status, shown, engaged, published_at, created_at,"
            " changed_at)"
            " FROM STDIN"
        ) as copy,
    ):
        copy.write("".join(lines))
    admin.commit()


def _uuid(number: int) -> str:
    return f"00000000-0000-4000-9000-{number:012x}"


def add_events(admin: psycopg.Connection, tenant_id: int, events: int) -> None:
    """Generate `events` interaction events in the database, skewed over people and items."""
    kind = " ".join(f"WHEN r < {share} THEN '{name}'" for share, name in KINDS)
    admin.execute("SELECT setseed(0.6)")
    admin.execute("DROP INDEX ix_interaction_event_person, ix_interaction_event_item")
    # The rows refer to existing people by construction: skip the per-row foreign key triggers.
    admin.execute("SET session_replication_role = replica")
    admin.execute(
        f"""CREATE TEMP TABLE bench_people AS
            SELECT row_number() OVER (ORDER BY id) AS n, id FROM person WHERE tenant_id = {tenant_id};
            CREATE TEMP TABLE bench_items AS
            SELECT row_number() OVER (ORDER BY id) AS n, id::text AS id, type FROM content_item
            WHERE tenant_id = {tenant_id};
            CREATE UNIQUE INDEX ON bench_people (n); CREATE UNIQUE INDEX ON bench_items (n);
            ANALYZE bench_people; ANALYZE bench_items;"""  # noqa: S608 - fixed numbers
    )
    admin.execute(
        f"""INSERT INTO interaction_event (tenant_id, id, person_id, kind, item_type, item_id, occurred_at)
            SELECT {tenant_id}, gen_random_uuid(), p.id, CASE {kind} END, i.type, i.id,
                   now() - g.age * interval '180 days'
            FROM (SELECT 1 + floor(power(random(), 1.6) * (SELECT count(*) FROM bench_people))::int AS pn,
                         1 + floor(power(random(), 2) * (SELECT count(*) FROM bench_items))::int AS itn,
                         random() AS r, random() AS age
                  FROM generate_series(1, {events})) g
            JOIN bench_people p ON p.n = g.pn JOIN bench_items i ON i.n = g.itn"""  # noqa: S608
    )
    admin.execute("SET session_replication_role = DEFAULT")
    admin.execute(
        "CREATE INDEX ix_interaction_event_person ON interaction_event"
        " (tenant_id, person_id, occurred_at) INCLUDE (kind, item_id)"
    )
    admin.execute(
        "CREATE INDEX ix_interaction_event_item ON interaction_event (tenant_id, item_id, kind, occurred_at)"
    )
    admin.commit()


def save_segments(app: Flask, tenant: CurrentTenant) -> list[str]:
    """Ten saved segments on profile attributes, the eligibility of a third of the items."""
    documents = [
        {"attribute": {"key": "bench.sector_wish", "op": "eq", "value": sector}} for sector in SECTORS[:6]
    ] + [
        {"attribute": {"key": "bench.driving_licence", "op": "eq", "value": True}},
        {"attribute": {"key": "bench.age", "op": "lt", "value": 27}},
        {"attribute": {"key": "bench.hours", "op": "in", "value": ["full_time", "part_time"]}},
        {"attribute": {"key": "bench.languages", "op": "contains_any", "value": ["en", "ar"]}},
    ]
    with app.app_context(), tenant_context(tenant):
        return [
            str(save_segment(SegmentFields(name=f"Segment {n}", predicate=doc), Viewer.system()).id)
            for n, doc in enumerate(documents)
        ]


def set_up(args: argparse.Namespace, name: str, now: datetime) -> tuple[Flask, CurrentTenant, dict[str, str]]:
    """Create, migrate, fill and learn (or take the database `--reuse` names)."""
    settings = database_settings(name) if args.reuse else create_database(name)
    app = create_app({**base_settings(Path(tempfile.mkdtemp())), **settings})
    logging.getLogger("alembic").setLevel(logging.WARNING)
    with phase("migrate"):
        migrate.upgrade(app)
    with app.app_context():
        if not args.reuse:
            session.add(Tenant(slug="bench-feed", name="Bench feed", kind="municipality"))
            session.commit()
        tenant = find_tenant(slug="bench-feed")
    if args.reuse:
        return app, tenant, settings
    admin = psycopg.connect(libpq(settings["DATABASE_ADMIN_URL"]))
    rng = random.Random(args.seed)
    with phase(f"{args.people:,} people and profiles"):
        load(admin, tenant.id, args.people, benchmark_specs(), rng, keep=0)
    segments = save_segments(app, tenant)
    with phase(f"{args.items:,} items"):
        add_items(admin, tenant.id, args.items, segments, rng, now)
    with phase(f"{args.events:,} events"):
        add_events(admin, tenant.id, args.events)
    with phase("learning (counts and item neighbours)"), app.app_context(), tenant_context(tenant):
        learned = learning.learn()
    print(f"  learned: {learned.items_counted:,} items counted, {learned.neighbour_pairs:,} neighbour pairs")
    admin.autocommit = True
    with phase("vacuum analyze"):
        for table in ("person", "profile", "content_item", "content_neighbour", "interaction_event"):
            admin.execute(f"VACUUM ANALYZE {table}")
    admin.close()
    return app, tenant, settings


#: Who is measured: people with a typical number of events, and the heaviest users.
GROUPS = (
    ("typical person", "ORDER BY abs(count(*) - (SELECT count(*) FROM interaction_event)"
     " / (SELECT count(DISTINCT person_id) FROM interaction_event))"),
    ("heaviest users", "ORDER BY count(*) DESC"),
)  # fmt: skip
NEWEST = """SELECT id, title, summary FROM content_item WHERE tenant_id = %s AND status = 'published'
            AND (valid_until IS NULL OR valid_until > now()) ORDER BY published_at DESC LIMIT 20"""


def measure(args: argparse.Namespace, app: Flask, tenant: CurrentTenant, settings: dict[str, str]) -> None:
    """Time the feed of each group and the plain newest-first query in turns; print them and the verdict."""
    plain = psycopg.connect(libpq(settings["DATABASE_URL"]), autocommit=True)
    plain.execute(f"SET aandacht.tenant = '{tenant.id}'")
    items, events = plain.execute(
        "SELECT (SELECT count(*) FROM content_item), (SELECT count(*) FROM interaction_event)"
    ).fetchone()
    print(f"  {items:,} items, {events:,} events in the database")

    def one_feed(person_id: Any) -> int:
        with app.app_context(), tenant_context(tenant):
            return len(feed.feed(get_scoped(Person, person_id), limit=20))

    rows, verdicts = [], []
    for label, order in GROUPS:
        people = plain.execute(
            f"SELECT person_id, count(*) FROM interaction_event GROUP BY person_id {order} LIMIT 20"  # noqa: S608
        ).fetchall()
        for person_id, _count in people[:WARM_UPS]:
            one_feed(person_id)
        feeds, queries, sizes = [], [], set()
        for run in range(args.repeat):
            person_id = people[run % len(people)][0]
            started = time.perf_counter()
            sizes.add(one_feed(person_id))
            feeds.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            plain.execute(NEWEST, (tenant.id,)).fetchall()
            queries.append((time.perf_counter() - started) * 1000)
        mean = sum(count for _person, count in people) // len(people)
        rows.append((f"feed.feed, {label} (~{mean:,} events)", feeds, sizes))
        rows.append(("  plain newest-first query", queries, {20}))
        verdicts.append(f"{label}: {'PASS' if p95(feeds) < P95_TARGET_MS else 'FAIL'}")
    plain.close()
    print(f"\n  {'':<46}{'median ms':>10}{'p95 ms':>10}  items")
    for label, samples, sizes in rows:
        print(f"  {label:<46}{median(samples):>10.1f}{p95(samples):>10.1f}  {sorted(sizes)}")
    print(f"  target p95 < {P95_TARGET_MS:.0f} ms: {'; '.join(verdicts)}")


def run(args: argparse.Namespace) -> None:
    """Set up, measure, drop the database."""
    registry.CORE_CONTENT_TYPES = (*registry.CORE_CONTENT_TYPES, BENCH_TYPE)
    register_attributes(benchmark_specs())
    name = args.reuse or f"aandacht_bench_feed_{os.getpid()}"
    now = datetime.now(UTC).replace(microsecond=0)
    began = time.perf_counter()
    print(f"\nFeed on PostgreSQL (database {name})")
    try:
        app, tenant, settings = set_up(args, name, now)
        print(f"\n{args.repeat} feeds per group after {WARM_UPS} warm-ups, app role under RLS")
        measure(args, app, tenant, settings)
        app.extensions["aandacht.db"].engine.dispose()
        print(f"\ntotal {time.perf_counter() - began:.0f} s")
    finally:
        if args.keep or args.reuse:
            print(f"kept database {name}")
        else:
            drop_database(name)


def main() -> None:
    """Parse the arguments; skip without PostgreSQL."""
    parser = bench_arguments(__doc__)
    parser.set_defaults(people=100_000)
    parser.add_argument("--items", type=int, default=5_000, help="published items")
    parser.add_argument("--events", type=int, default=10_000_000, help="stored interaction events")
    parser.add_argument("--repeat", type=int, default=200, help="feeds measured")
    parser.add_argument("--reuse", metavar="DATABASE", help="measure again on a database kept by --keep")
    args = parser.parse_args()
    if has_postgres("bench.feed"):
        run(args)


if __name__ == "__main__":
    main()
