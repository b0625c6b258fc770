"""A coach's worklist at scale: a 300-person caseload among 1,000,000 people and 10 million events.

Run: `python -m bench.attention` with DATABASE_URL a superuser URL of a PostgreSQL server, e.g.
`DATABASE_URL=postgresql://postgres@127.0.0.1/postgres python -m bench.attention` (`--people 100000
--events 1000000` for a quick run). It creates its own database (and the app's non-owner role if
missing), migrates it, and drops it at the end (`--keep` keeps it, `--reuse NAME` measures again on a
kept one: it first upgrades that database to the current migration heads, so that it measures today's
code, with every rule and index added since it was kept; the revisions reached are printed).

Data: `--people` people with the 80-attribute profiles of `bench.profiles` and their last activity
spread over 120 days (`bench.segments.set_activity`); a coach for every `--caseload` people, each with
that many people in their caseload; `--events` interaction events over 120 days, skewed over people
(60% impressions); a personal in-app message from a coach to one person in ten over 30 days, half of
them read; a reported life event (a change of a life-event attribute by the person) for one person in
a hundred over 30 days; a message to the coaches in the conversation of one person in five over 30
days, half of them answered; an appointment for one person in ten within 30 days either side of now
(past ones attended or no-show, coming ones invited or accepted); then VACUUM ANALYZE.

Measured, as the app's non-owner role under row level security, in an app and tenant context as a
request would be: `attention.service.worklist(coach)` (the caseload, the coach's marks and every
signal rule, ordered), each run for another coach, over `--repeat` runs after warm-ups: its first look
(that coach's rows not yet in memory) and again at once (a filter, a reload); beside it, in the same
run, the plain caseload list the start page showed before (`accounts.caseload(coach)`), and each rule
the worklist evaluates (`attention.service.signal_rules`) on its own. Prints median and p95 and PASS or
FAIL against the target: a median first look under 100 ms.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from flask import Flask
from flask_babel import lazy_gettext as _l

from aandacht import migrate
from aandacht.accounts import service as accounts
from aandacht.app import create_app
from aandacht.attention import rules, service
from aandacht.attention.signals import SignalContext
from aandacht.db import session, utcnow
from aandacht.profiles import service as profile_service
from aandacht.profiles.definitions import ProfileAttribute
from aandacht.segments import service as segment_service
from aandacht.tenancy.context import CurrentTenant, tenant_context
from aandacht.tenancy.models import Tenant
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
from bench.segments import register_attributes, set_activity

MEDIAN_TARGET_MS = 100.0
WARM_UPS = 3
SLUG = "bench-attention"
#: The life event the benchmark's people report (the 80 benchmark attributes have none).
MOVED = ProfileAttribute(key="bench.moved", label=_l("Moved house"), type="boolean", life_event=True)


def number_people(admin: psycopg.Connection, tenant_id: int) -> None:
    """`bench_people` (this connection's): each person with a number from 1, for the generators to pick by."""
    admin.execute(
        f"""CREATE TEMP TABLE bench_people AS
            SELECT row_number() OVER (ORDER BY id) AS n, id FROM person WHERE tenant_id = {tenant_id};
            CREATE UNIQUE INDEX ON bench_people (n);"""  # noqa: S608 - fixed numbers
    )


def add_coaches(admin: psycopg.Connection, tenant_id: int, caseload: int) -> None:
    """A coach for every `caseload` people, each with the next `caseload` people in their caseload."""
    number_people(admin, tenant_id)
    admin.execute(
        f"""INSERT INTO staff_member (tenant_id, id, display_name, email, role, active, created_at,
                                      failed_logins, session_epoch)
            SELECT {tenant_id}, ('00000000-0000-4000-8000-' || lpad(to_hex(c), 12, '0'))::uuid,
                   'Coach ' || c, 'coach' || c || '@bench.example', 'coach', true, now(), 0, 0
            FROM generate_series(0, (SELECT count(*) FROM bench_people) / {caseload}) AS c;
            INSERT INTO caseload_assignment (tenant_id, staff_id, person_id, assigned_at)
            SELECT {tenant_id},
                   ('00000000-0000-4000-8000-' || lpad(to_hex(((n - 1) / {caseload})::int), 12, '0'))::uuid,
                   id, now()
            FROM bench_people;"""  # noqa: S608 - fixed numbers
    )
    admin.commit()


def add_events(admin: psycopg.Connection, tenant_id: int, events: int) -> None:
    """Generate `events` interaction events over 120 days, skewed over people, without their indexes first."""
    admin.execute("SELECT setseed(0.7)")
    admin.execute("DROP INDEX ix_interaction_event_person, ix_interaction_event_item")
    admin.execute("SET session_replication_role = replica")  # existing people by construction
    admin.execute(
        f"""INSERT INTO interaction_event (tenant_id, id, person_id, kind, item_type, item_id, occurred_at)
            SELECT {tenant_id}, gen_random_uuid(), p.id,
                   CASE WHEN g.r < 0.6 THEN 'impression' WHEN g.r < 0.85 THEN 'open' WHEN g.r < 0.95
                        THEN 'click' ELSE 'save' END,
                   'core.bench_item', (1 + floor(g.r * 5000))::int::text, now() - g.age * interval '120 days'
            FROM (SELECT 1 + floor(power(random(), 1.6) * (SELECT count(*) FROM bench_people))::int AS pn,
                         random() AS r, random() AS age
                  FROM generate_series(1, {events})) g
            JOIN bench_people p ON p.n = g.pn"""  # noqa: S608 - fixed numbers
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


def add_messages_and_life_events(admin: psycopg.Connection, tenant_id: int) -> None:
    """Personal in-app messages to one person in ten (half read); life events reported by one in a hundred."""
    admin.execute("SELECT setseed(0.8)")
    admin.execute(
        f"""INSERT INTO message (tenant_id, id, person_id, channel, status, subject, body, sender_id,
                                 created_at, sent_at, opened_at, attempts)
            SELECT {tenant_id}, gen_random_uuid(), p.id, 'in_app', 'sent', 'Hallo', 'Hoe gaat het?',
                   a.staff_id, s.at, s.at, CASE WHEN random() < 0.5 THEN s.at + interval '1 hour' END, 1
            FROM bench_people p
            JOIN caseload_assignment a ON a.tenant_id = {tenant_id} AND a.person_id = p.id
            CROSS JOIN LATERAL (SELECT now() - random() * interval '30 days' AS at) s
            WHERE p.n % 10 = 0;
            INSERT INTO profile_change (tenant_id, id, person_id, attribute_key, old_value, new_value, source,
                                        actor_id, changed_at)
            SELECT {tenant_id}, gen_random_uuid(), p.id, '{MOVED.key}', 'false', 'true', 'person', p.id,
                   now() - random() * interval '30 days'
            FROM bench_people p WHERE p.n % 100 = 7;"""  # noqa: S608 - fixed numbers
    )
    admin.commit()


def revisions(settings: dict[str, str]) -> list[str]:
    """The Alembic revisions the database is at: the core's head and each domain's."""
    with psycopg.connect(libpq(settings["DATABASE_ADMIN_URL"])) as admin:
        return [row[0] for row in admin.execute("SELECT version_num FROM alembic_version ORDER BY 1")]


def add_conversations(admin: psycopg.Connection, tenant_id: int) -> None:
    """Questions in the conversations of one person in five (half answered); appointments for one in ten."""
    admin.execute("SELECT setseed(0.9)")
    admin.execute(
        f"""INSERT INTO conversation_message (tenant_id, id, person_id, author, body, created_at)
            SELECT {tenant_id}, gen_random_uuid(), p.id, 'person', 'Kunt u mij bellen?',
                   now() - random() * interval '30 days'
            FROM bench_people p WHERE p.n % 5 = 1;
            INSERT INTO conversation_message (tenant_id, id, person_id, author, staff_id, body, created_at,
                                              read_at)
            SELECT {tenant_id}, gen_random_uuid(), m.person_id, 'staff', a.staff_id, 'Ik bel u morgen.',
                   m.created_at + interval '3 hours', m.created_at + interval '5 hours'
            FROM conversation_message m
            JOIN caseload_assignment a ON a.tenant_id = {tenant_id} AND a.person_id = m.person_id
            WHERE m.tenant_id = {tenant_id} AND random() < 0.5;
            INSERT INTO appointment (tenant_id, id, person_id, staff_id, kind, status, starts_at, minutes,
                                     place, sequence, created_at, updated_at)
            SELECT {tenant_id}, gen_random_uuid(), p.id, a.staff_id, 'meeting',
                   CASE WHEN s.at < now() THEN CASE WHEN s.r < 0.2 THEN 'no_show' ELSE 'attended' END
                        WHEN s.r < 0.5 THEN 'accepted' ELSE 'invited' END,
                   s.at, 30, 'Stadhuis', 0, s.at - interval '5 days', s.at - interval '4 days'
            FROM bench_people p
            JOIN caseload_assignment a ON a.tenant_id = {tenant_id} AND a.person_id = p.id
            CROSS JOIN LATERAL (SELECT now() + (random() - 0.5) * interval '60 days' AS at,
                                       random() AS r) s
            WHERE p.n % 10 = 3;"""  # noqa: S608 - fixed numbers
    )
    admin.commit()


def set_up(args: argparse.Namespace, name: str, now: datetime) -> tuple[Flask, CurrentTenant, dict[str, str]]:
    """Create, migrate and fill (or take the database `--reuse` names)."""
    settings = database_settings(name) if args.reuse else create_database(name)
    app = create_app({**base_settings(Path(tempfile.mkdtemp())), **settings})
    logging.getLogger("alembic").setLevel(logging.WARNING)
    with phase("upgrade the kept database to the migration heads" if args.reuse else "migrate"):
        migrate.upgrade(app)
    print(f"  at revisions {', '.join(revisions(settings))}")
    with app.app_context():
        if not args.reuse:
            session.add(Tenant(slug=SLUG, name="Bench attention", kind="municipality"))
            session.commit()
        tenant = find_tenant(slug=SLUG)
    admin = psycopg.connect(libpq(settings["DATABASE_ADMIN_URL"]))
    if args.reuse:
        if not admin.execute("SELECT EXISTS (SELECT 1 FROM conversation_message)").fetchone()[0]:
            with phase("conversations and appointments, new since the database was kept"):
                number_people(admin, tenant.id)
                add_conversations(admin, tenant.id)
            admin.autocommit = True
            admin.execute("VACUUM ANALYZE conversation_message")
            admin.execute("VACUUM ANALYZE appointment")
        admin.close()
        return app, tenant, settings
    rng = random.Random(args.seed)
    with phase(f"{args.people:,} people and profiles"):
        load(admin, tenant.id, args.people, benchmark_specs(), rng, keep=0)
    with phase("activity"):
        set_activity(admin, tenant.id, now)
    with phase(f"coaches with {args.caseload} people each"):
        add_coaches(admin, tenant.id, args.caseload)
    with phase(f"{args.events:,} events"):
        add_events(admin, tenant.id, args.events)
    with phase("messages and life events"):
        add_messages_and_life_events(admin, tenant.id)
    with phase("conversations and appointments"):
        add_conversations(admin, tenant.id)
    admin.autocommit = True
    with phase("vacuum analyze"):
        for table in ("person", "profile", "profile_change", "staff_member", "caseload_assignment", "message",
                      "interaction_event", "conversation_message", "appointment"):  # fmt: skip
            admin.execute(f"VACUUM ANALYZE {table}")
    admin.close()
    return app, tenant, settings


def measure(args: argparse.Namespace, app: Flask, tenant: CurrentTenant, settings: dict[str, str]) -> bool:
    """Time the worklist, the plain caseload list and each rule, another coach each run; print the verdict."""
    plain = psycopg.connect(libpq(settings["DATABASE_URL"]), autocommit=True)
    plain.execute(f"SET aandacht.tenant = '{tenant.id}'")
    people, events, full = plain.execute(
        "SELECT (SELECT count(*) FROM person), (SELECT count(*) FROM interaction_event),"
        " (SELECT count(*) FROM caseload_assignment GROUP BY staff_id ORDER BY 1 DESC LIMIT 1)"
    ).fetchone()
    coaches = [
        row[0]
        for row in plain.execute(
            "SELECT staff_id FROM caseload_assignment GROUP BY staff_id HAVING count(*) = %s"
            " ORDER BY staff_id",
            (full,),
        ).fetchall()
    ]
    plain.close()
    rng = random.Random(args.seed)
    chosen = rng.sample(coaches, min(len(coaches), args.repeat + WARM_UPS))
    print(f"  {people:,} people, {events:,} events, caseloads of {full} people, {len(coaches):,} coaches")

    def in_tenant(function: Callable[[], Any]) -> Callable[[], Any]:
        def run() -> Any:
            with app.app_context(), tenant_context(tenant):
                return function()

        return run

    for coach in chosen[:WARM_UPS]:
        in_tenant(lambda coach=coach: service.worklist(coach))()
    worklists, again, caseloads, sizes = [], [], [], []
    evaluated = in_tenant(lambda: service.signal_rules(tenant))()  # the core's, and any added since
    per_rule: dict[str, list[float]] = {rule.key: [] for rule in evaluated}
    for run in range(args.repeat):
        coach = chosen[WARM_UPS + run % (len(chosen) - WARM_UPS)] if len(chosen) > WARM_UPS else chosen[0]
        for samples in (worklists, again):  # the first look of the day (cold), then a filter or reload
            started = time.perf_counter()
            found = in_tenant(lambda coach=coach: service.worklist(coach))()
            samples.append((time.perf_counter() - started) * 1000)
        sizes.append(len(found.entries))
        started = time.perf_counter()
        ids = in_tenant(lambda coach=coach: [person.id for person in accounts.caseload(coach)])()
        caseloads.append((time.perf_counter() - started) * 1000)
        activity = in_tenant(lambda ids=ids: accounts.activity_of(ids))()
        for rule in evaluated:
            context = SignalContext(tenant, ids, utcnow(), rule.thresholds_for(tenant), activity)
            started = time.perf_counter()
            in_tenant(lambda rule=rule, context=context: rule.evaluate(context))()
            per_rule[rule.key].append((time.perf_counter() - started) * 1000)
    rows = [
        ("attention.service.worklist, first look (cold)", worklists),
        ("attention.service.worklist, again (warm)", again),
        ("  plain caseload list (accounts.caseload)", caseloads),
        *((f"  rule {key} alone", samples) for key, samples in per_rule.items()),
    ]
    print(f"\n  {'':<50}{'median ms':>10}{'p95 ms':>10}")
    for label, samples in rows:
        print(f"  {label:<50}{median(samples):>10.1f}{p95(samples):>10.1f}")
    print(f"  people on a worklist: median {median(sizes):.0f} of {full}")
    passed = median(worklists) < MEDIAN_TARGET_MS
    print(f"  target median < {MEDIAN_TARGET_MS:.0f} ms: {'PASS' if passed else 'FAIL'}")
    return passed


def run(args: argparse.Namespace) -> bool:
    """Set up, measure, drop the database; whether the target was met.

    The benchmark's attributes are made known to the registries for the run and forgotten after it.
    """
    registries = (segment_service, profile_service, rules)
    real = [registry.attributes_for for registry in registries]
    register_attributes(benchmark_specs())
    known = rules.attributes_for
    rules.attributes_for = lambda tenant: {**known(tenant), MOVED.key: MOVED}  # type: ignore[assignment]
    name = args.reuse or f"aandacht_bench_attention_{os.getpid()}"
    now = datetime.now(UTC).replace(microsecond=0)
    began = time.perf_counter()
    print(f"\nWorklist on PostgreSQL (database {name})")
    try:
        app, tenant, settings = set_up(args, name, now)
        print(
            f"\n{args.repeat} worklists after {WARM_UPS} warm-ups, each of another coach, app role under RLS"
        )
        passed = measure(args, app, tenant, settings)
        app.extensions["aandacht.db"].engine.dispose()
        print(f"\ntotal {time.perf_counter() - began:.0f} s")
        return passed
    finally:
        for registry, attributes_for in zip(registries, real, strict=True):
            registry.attributes_for = attributes_for  # type: ignore[assignment]
        if args.keep or args.reuse:
            print(f"kept database {name}")
        else:
            drop_database(name)


def main(argv: list[str] | None = None) -> bool | None:
    """Parse the arguments; skip without PostgreSQL. Returns whether the target was met (None: skipped)."""
    parser = bench_arguments(__doc__)
    parser.add_argument("--caseload", type=int, default=300, help="people in each coach's caseload")
    parser.add_argument("--events", type=int, default=10_000_000, help="stored interaction events")
    parser.add_argument("--repeat", type=int, default=50, help="worklists measured")
    parser.add_argument("--reuse", metavar="DATABASE", help="measure again on a database kept by --keep")
    args = parser.parse_args(argv)
    if has_postgres("bench.attention"):
        return run(args)
    return None


if __name__ == "__main__":
    main()
