"""Selections at scale: five typical coach selections through the segment service beside hand-written SQL.

Run: `python -m bench.segments` with DATABASE_URL a superuser URL of a PostgreSQL server, e.g.
`DATABASE_URL=postgresql://postgres@127.0.0.1/postgres python -m bench.segments` (`--people 100000` for a
quick run). It creates its own database (and the app's non-owner role if missing), migrates it, and
drops it at the end (`--keep` keeps it).

Data: the people and 80-attribute profiles of `bench.profiles` (its generator and COPY loader, its
attributes patched into the registry), plus when each person was last active (over the last 120 days,
20% never), a caseload of about `--caseload` people for each of people / caseload coaches (one coach per
person), and `--events-per-person` (mean 5) interaction events (impression, open, click, apply) over
the last 90 days, skewed per person (most people few, some many), loaded with COPY; then VACUUM ANALYZE.

It prints, for five selections of 3-6 predicates mixing profile attributes and activity, evaluated as
the app's non-owner role under row level security: the number of people selected; median and p95 over
`--repeat` runs (after two warm-ups) of `segments.service.count` and of `segments.service.people`
(the first page of 50 by name), each in an app and tenant context; median of a hand-written SQL query
for the same selection (count and first page) on a plain connection as the same role with the same
`aandacht.tenant` setting; the ratios; and PASS or FAIL against the targets: count median under 200 ms
and within 2x of the hand-written count (the first page too). Then the SQL the compiler generated for
one selection, and EXPLAIN (ANALYZE, BUFFERS) of the compiled and the hand-written count of the slowest.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from aandacht import migrate
from aandacht.app import create_app
from aandacht.db import session
from aandacht.profiles import service as profile_service
from aandacht.segments import service
from aandacht.segments.language import Viewer
from aandacht.tenancy.context import CurrentTenant, tenant_context
from aandacht.tenancy.models import Tenant
from aandacht.tenancy.service import find_tenant
from aandacht.testing.pytest_plugin import base_settings
from bench.profiles import (
    OTHER_PEOPLE,
    Spec,
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
    timed,
)

COUNT_TARGET_MS = 200.0
RATIO_TARGET = 2.0
PAGE = 50
WARM_UPS = 2
#: Interaction kinds and their shares of the events.
EVENT_KINDS = (("impression", 0.55), ("open", 0.25), ("click", 0.15), ("apply", 0.05))
EVENT_DAYS, ACTIVE_DAYS, NEVER_ACTIVE = 90, 120, 0.2
EVENT_CHUNK = 200_000


# --- the selections ------------------------------------------------------------------------------------


@dataclass
class Selection:
    """A typical selection: its document, who evaluates it, and the same selection as hand-written SQL.

    `where` is the condition over `person p` joined to `profile f`; `join` adds tables (the caseload);
    the parameters are `%(tenant)s`, `%(coach)s`, `%(since_N)s` (N days before now) and `%(day_N)s`
    (the start of the day N days ago: relative dates of `last_active` count whole days).
    """

    label: str
    document: dict[str, Any]
    coach: bool
    where: str
    join: str = ""
    results: dict[str, Any] = field(default_factory=dict)


def attribute(key: str, op: str, value: Any = None) -> dict[str, Any]:
    """A document leaf on one benchmark attribute."""
    return {"attribute": {"key": f"bench.{key}", "op": op, **({} if value is None else {"value": value})}}


def clicks(**count: int) -> dict[str, Any]:
    """A document leaf on the number of clicks."""
    return {"interactions": {"kind": "click", **count}}


SELECTIONS = [
    Selection(
        "1 team lead: speaks ar/tr, licence, outdoor sector, not active 14 d",
        {
            "and": [
                attribute("languages", "contains_any", ["ar", "tr"]),
                attribute("driving_licence", "eq", True),
                attribute("sector_wish", "in", ["green", "construction"]),
                {"last_active": {"op": "not_since", "value": {"days_ago": 14}}},
            ]
        },
        coach=False,
        where="""f."values" @> '{"bench.driving_licence": true}'
          AND (f."values" @> '{"bench.languages": ["ar"]}' OR f."values" @> '{"bench.languages": ["tr"]}')
          AND (f."values" @> '{"bench.sector_wish": "green"}'
               OR f."values" @> '{"bench.sector_wish": "construction"}')
          AND (p.last_active_at IS NULL OR p.last_active_at < %(day_14)s)""",
    ),
    Selection(
        "2 coach: my caseload, full/part time, a click in 30 d",
        {
            "and": [
                {"caseload": {"of": "me"}},
                attribute("hours", "in", ["full_time", "part_time"]),
                clicks(min=1, within_days=30),
            ]
        },
        coach=True,
        join="JOIN caseload_assignment c ON c.tenant_id = p.tenant_id AND c.person_id = p.id"
        " AND c.staff_id = %(coach)s",
        where="""(f."values" @> '{"bench.hours": "full_time"}'
               OR f."values" @> '{"bench.hours": "part_time"}')
          AND EXISTS (SELECT FROM interaction_event e WHERE e.tenant_id = p.tenant_id AND e.person_id = p.id
                      AND e.kind = 'click' AND e.occurred_at >= %(since_30)s)""",
    ),
    Selection(
        "3 team lead: sector in 3, mbo2/3, no apply 30 d, active 60 d",
        {
            "and": [
                attribute("sector_wish", "in", ["logistics", "retail", "production"]),
                attribute("education", "in", ["mbo2", "mbo3"]),
                {"interactions": {"kind": "apply", "max": 0, "within_days": 30}},
                {"last_active": {"op": "since", "value": {"days_ago": 60}}},
            ]
        },
        coach=False,
        where="""(f."values" @> '{"bench.sector_wish": "logistics"}'
               OR f."values" @> '{"bench.sector_wish": "retail"}'
               OR f."values" @> '{"bench.sector_wish": "production"}')
          AND (f."values" @> '{"bench.education": "mbo2"}' OR f."values" @> '{"bench.education": "mbo3"}')
          AND p.last_active_at >= %(day_60)s
          AND NOT EXISTS (SELECT FROM interaction_event e WHERE e.tenant_id = p.tenant_id
                          AND e.person_id = p.id AND e.kind = 'apply' AND e.occurred_at >= %(since_30)s)""",
    ),
    Selection(
        "4 team lead: age 25-45, sport+walking, motivation>=4, not care, active 30 d",
        {
            "and": [
                attribute("age", "between", [25, 45]),
                attribute("hobbies", "contains_all", ["sport", "walking"]),
                attribute("motivation", "gte", 4),
                {"not": attribute("sector_wish", "eq", "care")},
                {"last_active": {"op": "since", "value": {"days_ago": 30}}},
            ]
        },
        coach=False,
        where="""f."values" @> '{"bench.hobbies": ["sport", "walking"]}'
          AND f."values" @@ '$."bench.age" >= 25 && $."bench.age" <= 45 && $."bench.motivation" >= 4'
          AND NOT f."values" @> '{"bench.sector_wish": "care"}'
          AND p.last_active_at >= %(day_30)s""",
    ),
    Selection(
        "5 team lead: (available now or sms), no care duties, >= 3 clicks ever",
        {
            "and": [
                {"or": [attribute("availability", "eq", "now"), attribute("channel", "eq", "sms")]},
                attribute("care_duties", "eq", False),
                clicks(min=3),
            ]
        },
        coach=False,
        where="""(f."values" @> '{"bench.availability": "now"}' OR f."values" @> '{"bench.channel": "sms"}')
          AND f."values" @> '{"bench.care_duties": false}'
          AND p.id IN (SELECT e.person_id FROM interaction_event e WHERE e.tenant_id = %(tenant)s
                       AND e.kind = 'click' GROUP BY e.person_id HAVING count(*) >= 3)""",
    ),
]


def hand_written(selection: Selection, page: bool) -> str:
    """The hand-written SQL of a selection: its count, or its first page by name."""
    columns = "p.*" if page else "count(*)"
    tail = f"ORDER BY p.display_name, p.id LIMIT {PAGE}" if page else ""
    return f"""SELECT {columns} FROM person p
        JOIN profile f ON f.tenant_id = p.tenant_id AND f.person_id = p.id {selection.join}
        WHERE p.tenant_id = %(tenant)s AND p.active AND {selection.where} {tail}"""  # noqa: S608 - fixed text


# --- the data beyond bench.profiles ----------------------------------------------------------------------


def register_attributes(specs: list[Spec]) -> None:
    """Make the 80 benchmark attributes known to the registry the segment service reads (this process).

    Done here as well as in bench.profiles.run (which patches only aandacht.profiles.service).
    """
    real = service.attributes_for
    extra = {spec.attribute.key: spec.attribute for spec in specs}
    service.attributes_for = lambda tenant: {**real(tenant), **extra}  # type: ignore[assignment]
    profile_service.attributes_for = service.attributes_for  # type: ignore[assignment]


def set_activity(admin: psycopg.Connection, tenant_id: int, now: datetime) -> None:
    """Spread `last_active_at` over the last 120 days, 20% never."""
    admin.execute("SELECT setseed(0.4)")
    admin.execute(
        f"""UPDATE person SET last_active_at = CASE WHEN random() < {NEVER_ACTIVE} THEN NULL
            ELSE %(now)s::timestamptz - random() * interval '{ACTIVE_DAYS} days' END
            WHERE tenant_id = %(tenant)s""",  # noqa: S608 - fixed numbers
        {"now": now, "tenant": tenant_id},
    )


def add_caseloads(admin: psycopg.Connection, tenant_id: int, coaches: int, now: datetime) -> None:
    """`coaches` coaches and a team lead; every person in the caseload of one coach, round robin."""
    admin.execute(
        """INSERT INTO staff_member (tenant_id, id, display_name, email, role, active, created_at,
               failed_logins, session_epoch)
           SELECT %(tenant)s, gen_random_uuid(), 'Coach ' || g, 'coach' || g || '@bench.example',
                  CASE WHEN g = 0 THEN 'team_lead' ELSE 'coach' END, true, %(now)s, 0, 0
           FROM generate_series(0, %(coaches)s) AS g""",
        {"tenant": tenant_id, "now": now, "coaches": coaches},
    )
    admin.execute(
        """INSERT INTO caseload_assignment (tenant_id, staff_id, person_id, assigned_at)
           SELECT p.tenant_id, s.id, p.id, %(now)s
           FROM (SELECT tenant_id, id, row_number() OVER (ORDER BY id) - 1 AS n FROM person
                 WHERE tenant_id = %(tenant)s) AS p
           JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM staff_member
                 WHERE tenant_id = %(tenant)s AND role = 'coach') AS s ON s.n = p.n %% %(coaches)s""",
        {"tenant": tenant_id, "now": now, "coaches": coaches},
    )


def events_per_person(rng: random.Random, mean: float) -> int:
    """A skewed number of events for one person (lognormal: most few, some many) with this mean."""
    sigma = 1.3
    return int(rng.lognormvariate(math.log(mean + 0.5) - sigma * sigma / 2, sigma))


def event_rows(tenant_id: int, people: list[str], rng: random.Random, mean: float,
               now: datetime) -> Iterator[str]:  # fmt: skip
    """COPY lines of interaction events, per person in id order (the indexes then grow at their end)."""
    minutes = [
        (now - timedelta(minutes=m)).isoformat(sep=" ", timespec="seconds") for m in range(EVENT_DAYS * 1440)
    ]
    kinds = [kind for kind, _ in EVENT_KINDS]
    weights = [share for _, share in EVENT_KINDS]
    number = 0
    for person in people:
        count = events_per_person(rng, mean)
        for kind, moment in zip(
            rng.choices(kinds, weights, k=count), rng.choices(minutes, k=count), strict=True
        ):
            number += 1
            event_id = f"00000000-0000-4000-8000-{number:012x}"
            yield f"{tenant_id}\t{event_id}\t{person}\t{kind}\tbench.item\t{moment}\n"


def add_events(admin: psycopg.Connection, tenant_id: int, events: int, rng: random.Random,
               now: datetime) -> int:  # fmt: skip
    """COPY about `events` interaction events for the tenant's people; returns how many."""
    people = [str(row[0]) for row in admin.execute("SELECT id FROM person WHERE tenant_id = %s ORDER BY id",
                                                   (tenant_id,))]  # fmt: skip
    written, batch = 0, []
    with admin.cursor() as cursor:
        for line in event_rows(tenant_id, people, rng, events / len(people), now):
            batch.append(line)
            if len(batch) == EVENT_CHUNK:
                written += copy_events(cursor, batch)
                batch = []
        written += copy_events(cursor, batch)
    admin.commit()
    return written


def copy_events(cursor: psycopg.Cursor, lines: list[str]) -> int:
    """COPY one batch of event lines."""
    with cursor.copy(
        "COPY interaction_event (tenant_id, id, person_id, kind, item_type, occurred_at) FROM STDIN"
    ) as copy:
        copy.write("".join(lines))
    return len(lines)


# --- measuring ---------------------------------------------------------------------------------------------


@dataclass
class Bench:
    """What the measurements need: the app, the tenant, the viewers, the hand-written query's connection."""

    app: Flask
    tenant: CurrentTenant
    lead: Viewer
    coach: Viewer
    connection: psycopg.Connection
    parameters: dict[str, Any]
    now: datetime
    repeat: int

    def viewer(self, selection: Selection) -> Viewer:
        """The viewer that evaluates the selection."""
        return self.coach if selection.coach else self.lead

    def in_context(self, call: Callable[[], Any]) -> Any:
        """Run `call` in an app and tenant context (as a request would)."""
        with self.app.app_context(), tenant_context(self.tenant):
            return call()

    def count(self, selection: Selection) -> int:
        """The service's count."""
        return self.in_context(
            lambda: service.count(selection.document, self.viewer(selection), now=self.now)
        )

    def page(self, selection: Selection) -> list[Any]:
        """The service's first page by name."""
        return self.in_context(
            lambda: service.people(selection.document, self.viewer(selection), limit=PAGE, now=self.now)
        )

    def sql(self, statement: str, parameters: Any = None) -> list[tuple[Any, ...]]:
        """Run one statement in its own transaction as the app's role, with the tenant setting."""
        with self.connection.transaction():
            self.connection.execute("SELECT set_config('aandacht.tenant', %s, true)", (str(self.tenant.id),))
            return self.connection.execute(statement, parameters or self.parameters).fetchall()

    def measure(self, call: Callable[[], Any]) -> list[float]:
        """Milliseconds of `repeat` runs of `call`, after the warm-ups."""
        for _ in range(WARM_UPS):
            call()
        return timed(call, self.repeat)


def measure_selection(bench: Bench, selection: Selection) -> None:
    """Count and first page through the service and by hand; results go into `selection.results`."""
    counted = bench.count(selection)
    by_hand = bench.sql(hand_written(selection, page=False))[0][0]
    page = [person.id for person in bench.page(selection)]
    page_by_hand = [row[1] for row in bench.sql(hand_written(selection, page=True))]
    selection.results = {
        "people": counted,
        "agree": counted == by_hand and page == page_by_hand,
        "hand_people": by_hand,
        "count": bench.measure(lambda: bench.count(selection)),
        "page": bench.measure(lambda: bench.page(selection)),
        "hand_count": bench.measure(lambda: bench.sql(hand_written(selection, page=False))),
        "hand_page": bench.measure(lambda: bench.sql(hand_written(selection, page=True))),
    }


@contextmanager
def captured_statements() -> Iterator[list[tuple[str, Any]]]:
    """The SQL statements (with their parameters) executed while inside."""
    found: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        found.append((statement, parameters))

    event.listen(Engine, "before_cursor_execute", capture)
    try:
        yield found
    finally:
        event.remove(Engine, "before_cursor_execute", capture)


def compiled_count(bench: Bench, selection: Selection) -> tuple[str, Any]:
    """The count statement the compiler generated for a selection, with its parameters."""
    with captured_statements() as found:
        bench.count(selection)
    return next((s, p) for s, p in found if "count(" in s.lower())


def explain(bench: Bench, statement: str, parameters: Any) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of a statement as the app's role under row level security."""
    return [row[0] for row in bench.sql(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", parameters)]


def verdict(results: dict[str, Any]) -> str:
    """PASS when the count median is under target and count and page are within the ratio."""
    count_ratio = median(results["count"]) / median(results["hand_count"])
    page_ratio = median(results["page"]) / median(results["hand_page"])
    failed = []
    if median(results["count"]) >= COUNT_TARGET_MS:
        failed.append("time")
    if count_ratio > RATIO_TARGET:
        failed.append("ratio")
    if page_ratio > RATIO_TARGET:
        failed.append("page ratio")
    return "PASS" if not failed else "FAIL (" + ", ".join(failed) + ")"


def print_table(selections: list[Selection]) -> None:
    """The results table: one line per selection."""
    print(
        f"\n  {'selection':<74} {'people':>8} {'count med/p95 ms':>17} {'list med/p95 ms':>17}"
        f" {'hand count/list':>16} {'ratio c/l':>10}  verdict"
    )
    for selection in selections:
        r = selection.results
        count_ratio = median(r["count"]) / median(r["hand_count"])
        page_ratio = median(r["page"]) / median(r["hand_page"])
        agree = "" if r["agree"] else f"  HAND-WRITTEN DIFFERS ({r['hand_people']:,})"
        print(
            f"  {selection.label:<74} {r['people']:>8,} {median(r['count']):7.1f}/{p95(r['count']):7.1f}  "
            f"{median(r['page']):7.1f}/{p95(r['page']):7.1f}  "
            f"{median(r['hand_count']):7.1f}/{median(r['hand_page']):7.1f} "
            f"{count_ratio:4.1f}/{page_ratio:4.1f}  {verdict(r)}{agree}"
        )
    counts = [median(s.results["count"]) for s in selections]
    print(f"  median of the five count medians: {median(counts):.1f} ms (target: under"
          f" {COUNT_TARGET_MS:.0f} ms, within {RATIO_TARGET:.0f}x of the hand-written query)")  # fmt: skip


def print_plans(bench: Bench, selections: list[Selection]) -> None:
    """The compiled SQL of one selection, and both plans of the slowest count."""
    statement, parameters = compiled_count(bench, selections[0])
    with psycopg.ClientCursor(bench.connection) as cursor:
        print(
            f"\nSQL the compiler generated for selection 1 (count):\n{cursor.mogrify(statement, parameters)}"
        )
    slowest = max(selections, key=lambda s: median(s.results["count"]))
    statement, parameters = compiled_count(bench, slowest)
    print(f"\nEXPLAIN (ANALYZE, BUFFERS) of the slowest count, compiled: {slowest.label}")
    for line in explain(bench, statement, parameters):
        print(f"  {line}")
    print("\nEXPLAIN (ANALYZE, BUFFERS) of the same, hand-written:")
    for line in explain(bench, hand_written(slowest, page=False), bench.parameters):
        print(f"  {line}")


# --- the run ---------------------------------------------------------------------------------------------


def set_up(args: argparse.Namespace, name: str, specs: list[Spec], now: datetime) -> Bench:
    """Create, migrate and fill the database (or take the one `--reuse` names); the bench ready to measure."""
    settings = database_settings(name) if args.reuse else create_database(name)
    app = create_app({**base_settings(Path(tempfile.mkdtemp())), **settings})
    logging.getLogger("alembic").setLevel(logging.WARNING)
    with phase("migrate"):
        migrate.upgrade(app)
    admin = psycopg.connect(libpq(settings["DATABASE_ADMIN_URL"]))
    print(f"  PostgreSQL {admin.execute('SHOW server_version').fetchone()[0]}")
    with app.app_context():
        if not args.reuse:
            session.add_all(
                Tenant(slug=f"bench-{i}", name=f"Bench {i}", kind="municipality") for i in range(2)
            )
            session.commit()
        big, other = (find_tenant(slug=f"bench-{i}") for i in range(2))
    if not args.reuse:
        fill(args, admin, big, other, specs, now)
    return measuring_bench(args, app, admin, settings, big, now)


def fill(
    args: argparse.Namespace,
    admin: psycopg.Connection,
    big: CurrentTenant,
    other: CurrentTenant,
    specs: list[Spec],
    now: datetime,
) -> None:
    """Load the people, profiles, activity, caseloads and events, then VACUUM ANALYZE."""
    rng = random.Random(args.seed)
    started = time.perf_counter()
    load(admin, big.id, args.people, specs, rng, keep=0)
    load(admin, other.id, OTHER_PEOPLE, specs, rng, keep=0)
    print(f"  {args.people + OTHER_PEOPLE:,} people and profiles (bench.profiles.load): "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    coaches = max(1, args.people // args.caseload)
    with phase("last active"):
        set_activity(admin, big.id, now)
    with phase(f"{coaches:,} coaches and their caseloads"):
        add_caseloads(admin, big.id, coaches, now)
    admin.commit()
    started = time.perf_counter()
    written = add_events(admin, big.id, int(args.people * args.events_per_person), rng, now)
    print(f"  {written:,} interaction events (COPY): {time.perf_counter() - started:.1f} s")
    admin.autocommit = True
    with phase("vacuum analyze"):
        for table in ("person", "profile", "staff_member", "caseload_assignment", "interaction_event"):
            admin.execute(f"VACUUM ANALYZE {table}")


def measuring_bench(
    args: argparse.Namespace,
    app: Flask,
    admin: psycopg.Connection,
    settings: dict[str, str],
    big: CurrentTenant,
    now: datetime,
) -> Bench:
    """The bench over a filled database: the viewers, the hand-written query's connection, its parameters."""
    leakproof = admin.execute("SELECT proleakproof FROM pg_proc WHERE proname = 'jsonb_contains'").fetchone()[
        0
    ]
    print(f"  jsonb_contains LEAKPROOF (migration core_0009): {leakproof}")
    lead_id, coach_id = admin.execute(
        """SELECT (SELECT id FROM staff_member WHERE tenant_id = %(t)s AND role = 'team_lead'),
                  (SELECT staff_id FROM caseload_assignment WHERE tenant_id = %(t)s LIMIT 1)""",
        {"t": big.id},
    ).fetchone()
    admin.close()
    midnight = now.replace(hour=0, minute=0, second=0)
    parameters = {
        "tenant": big.id,
        "coach": coach_id,
        **{f"since_{days}": now - timedelta(days=days) for days in (14, 30, 60)},
        **{f"day_{days}": midnight - timedelta(days=days) for days in (14, 30, 60)},
    }
    return Bench(
        app=app,
        tenant=big,
        lead=Viewer(audience="team_lead", staff_id=lead_id, sees_everyone=True),
        coach=Viewer(audience="coach", staff_id=coach_id, sees_everyone=False),
        connection=psycopg.connect(libpq(settings["DATABASE_URL"]), prepare_threshold=None),
        parameters=parameters,
        now=now,
        repeat=args.repeat,
    )


def run(args: argparse.Namespace) -> None:
    """Set up, measure the five selections, print the table and the plans, drop the database."""
    specs = benchmark_specs()
    register_attributes(specs)
    name = args.reuse or f"aandacht_bench_segments_{os.getpid()}"
    now = datetime.now(UTC).replace(microsecond=0)
    began = time.perf_counter()
    print(f"\nSelections on PostgreSQL: {args.people:,} people x {len(specs)} attributes (database {name})")
    try:
        bench = set_up(args, name, specs, now)
        print(f"\nFive selections, {args.repeat} runs each after {WARM_UPS} warm-ups, app role under RLS")
        for selection in SELECTIONS:
            with phase(selection.label):
                measure_selection(bench, selection)
        print_table(SELECTIONS)
        print_plans(bench, SELECTIONS)
        bench.connection.close()
        bench.app.extensions["aandacht.db"].engine.dispose()
        print(f"\ntotal {time.perf_counter() - began:.0f} s")
    finally:
        if args.keep or args.reuse:
            print(f"kept database {name}")
        else:
            drop_database(name)


def main() -> None:
    """Parse the arguments; skip without PostgreSQL."""
    parser = bench_arguments(__doc__)
    parser.add_argument("--events-per-person", type=float, default=5.0, help="interaction events, mean")
    parser.add_argument("--caseload", type=int, default=330, help="people per coach")
    parser.add_argument("--repeat", type=int, default=15, help="runs of each measurement")
    parser.add_argument("--reuse", metavar="DATABASE", help="measure again on a database kept by --keep")
    args = parser.parse_args()
    if has_postgres("bench.segments"):
        run(args)


if __name__ == "__main__":
    main()
