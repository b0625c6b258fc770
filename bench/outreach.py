"""A campaign to 100,000 people: prepared by the campaign service, delivered by two RQ workers over SMTP.

Run: `python -m bench.outreach` with DATABASE_URL a superuser URL of a PostgreSQL server and Redis on
127.0.0.1 (database 15 unless `--redis` says otherwise; its queues are emptied), e.g.
`DATABASE_URL=postgresql://postgres@127.0.0.1/postgres python -m bench.outreach` (`--quick` for a small
run). It creates its own database (and the app's non-owner role if missing), migrates it, and drops it at
the end (`--keep` keeps it).

Three runs, each in a tenant of its own with `--recipients` people (COPY) who all have an e-mail address:

1. batches: a campaign to everyone through the real campaign service (`save_campaign`, `release`, and
   the preparation job `prepare` run in this process, timed: messages prepared per second), then two
   real worker processes (`aandacht worker --burst --queue bulk --no-fork`: each runs its work units in
   its own process, keeping its connections) deliver its batch jobs (`deliver_batch`,
   `DELIVERY_BATCH_SIZE` ids each) to an aiosmtpd server in this process, which counts
   every mail per recipient and per Message-ID: messages delivered per second;
2. the same, with one of the two workers SIGKILLed (with the job it is running) a third of the way in;
   the sweeper (`requeue`, with `STUCK_AFTER` and `HAND_OVER_AGAIN_AFTER` shortened to seconds for the
   bench) takes its claims back and a fresh worker delivers the rest;
3. the baseline: the same delivery with one RQ job per message (`deliver`), as before batches, to
   `--baseline` people, on RQ's default forking workers (RQ forks a process per job, so it is slow:
   a smaller count).

On a server with `autovacuum = off` (like the development machine), the bench analyzes the message
tables every 2 s while a campaign is prepared, as autovacuum would (see `autovacuum_stand_in`).

Each run prints duplicates (a recipient who got two different messages), repeats (the same Message-ID
handed over twice: only possible for the one mail a kill cuts between the server's answer and its
record, and dropped by mail systems that see the Message-ID twice) and losses (people without a mail),
and checks that the database records every message as sent. PASS or FAIL against the targets:
preparation over 5,000 messages/s, delivery over 500 messages/s, no duplicates and no losses.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import func, select

from aandacht import jobs, migrate
from aandacht.accounts import service as accounts
from aandacht.accounts.principal import Principal
from aandacht.app import create_app
from aandacht.db import session
from aandacht.outreach import campaigns, delivery, service
from aandacht.outreach.campaigns import CampaignFields
from aandacht.outreach.models import Message
from aandacht.tenancy.context import CurrentTenant, tenant_context
from aandacht.tenancy.models import Tenant
from aandacht.tenancy.service import find_tenant
from aandacht.testing.processes import kill_with_children
from aandacht.testing.pytest_plugin import base_settings
from bench.profiles import create_database, drop_database, has_postgres, libpq, phase

PREPARE_TARGET = 5_000
DELIVER_TARGET = 500
#: The sweeper's patience in the kill run (in production minutes; here the bench would wait for ever).
BENCH_STUCK_AFTER = timedelta(seconds=5)
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]+>)", re.MULTILINE | re.IGNORECASE)


@dataclass
class Counts:
    """What the SMTP server was given, per recipient and per Message-ID (nothing else is kept)."""

    per_recipient: Counter[str] = field(default_factory=Counter)
    ids_of: dict[str, set[bytes]] = field(default_factory=dict)
    per_message_id: Counter[bytes] = field(default_factory=Counter)
    last_at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, smtp_session: Any, envelope: Any) -> str:
        """Count the mail by its recipient and its Message-ID, and accept it."""
        found = MESSAGE_ID.search(envelope.content)
        message_id = found.group(1) if found else b"?"
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.per_recipient[recipient] += 1
                self.ids_of.setdefault(recipient, set()).add(message_id)
            self.per_message_id[message_id] += 1
            self.last_at = time.perf_counter()
        return "250 Message accepted for delivery"

    def reached(self) -> int:
        """How many recipients got at least one mail."""
        with self.lock:
            return len(self.per_recipient)

    def reset(self) -> None:
        """Forget everything counted (a new run)."""
        with self.lock:
            self.per_recipient.clear()
            self.ids_of.clear()
            self.per_message_id.clear()
            self.last_at = 0.0


@dataclass
class Outcome:
    """The figures of one run."""

    label: str
    recipients: int
    prepared_per_s: float
    delivered_per_s: float
    seconds: float
    duplicates: int
    repeats: int
    losses: int
    unsent: int


def add_people(settings: dict[str, str], tenant_id: int, count: int, domain: str) -> list[str]:
    """COPY `count` people with an e-mail address into the tenant; returns the addresses."""
    addresses = [f"p{number}@{domain}" for number in range(count)]
    with psycopg.connect(libpq(settings["DATABASE_ADMIN_URL"])) as admin, admin.cursor() as cursor:
        with cursor.copy(
            "COPY person (tenant_id, id, display_name, email, sms_second_factor, active, created_at,"
            " failed_logins, session_epoch, personalised) FROM STDIN"
        ) as copy:
            for number, address in enumerate(addresses):
                copy.write(
                    f"{tenant_id}\t{uuid.uuid4()}\tPersoon {number}\t{address}\tf\tt\t"
                    "2026-01-01 00:00:00+00\t0\t0\tt\n"
                )
        cursor.execute("ANALYZE person")
    return addresses


def new_tenant(app: Flask, slug: str) -> tuple[CurrentTenant, Principal]:
    """A tenant and a team lead in it, who makes the campaign."""
    with app.app_context():
        session.add(Tenant(slug=slug, name=f"Gemeente {slug}", kind="municipality", locales=["nl"]))
        session.commit()
        tenant = find_tenant(slug=slug)
    with app.app_context(), tenant_context(tenant):
        lead = accounts.create_staff(display_name="Bram Smit", email=f"lead@{slug}.example", role="team_lead")
        principal = Principal(kind="staff", id=lead.id, tenant_id=tenant.id, role="team_lead")
    return tenant, principal


@contextmanager
def autovacuum_stand_in(settings: dict[str, str]) -> Iterator[None]:
    """Analyze the message tables every 2 s while inside, when the server runs without autovacuum.

    Preparing checks per batch which people already have a message; with the statistics of an empty
    table PostgreSQL answers that by scanning every message written so far, which makes preparing a
    big campaign quadratic. Autovacuum analyzes the table as it grows (in production within a minute);
    a server with `autovacuum = off`, like this machine's, never does, so the bench does it instead.
    """
    with psycopg.connect(libpq(settings["DATABASE_ADMIN_URL"]), autocommit=True) as admin:
        if admin.execute("SHOW autovacuum").fetchone()[0] == "on":
            yield
            return
        print(" (autovacuum is off here: the bench analyzes every 2 s)", end="", flush=True)
        stop = threading.Event()

        def analyze() -> None:
            while not stop.wait(2):
                admin.execute("ANALYZE message, campaign_skip")

        worker = threading.Thread(target=analyze, daemon=True)
        worker.start()
        try:
            yield
        finally:
            stop.set()
            worker.join()


def prepare_campaign(app: Flask, tenant: CurrentTenant, principal: Principal) -> tuple[uuid.UUID, float]:
    """Save and release a campaign to everyone, then run its preparation here; (id, seconds preparing)."""
    texts = {"email": {"subject": "Banenmarkt", "body": "Donderdag is er een banenmarkt in het stadhuis."}}
    with app.app_context(), tenant_context(tenant):
        campaign = campaigns.save_campaign(
            CampaignFields(name="Banenmarkt", audience_kind="everyone", texts=texts, broadcast=True),
            acting_user=principal,
        )
        campaigns.release(campaign, acting_user=principal)
        campaign_id = campaign.id
    jobs.queue_named(app, "bulk").empty()  # the preparation job: run in this process instead, timed
    started = time.perf_counter()
    with app.app_context(), tenant_context(tenant):
        assert campaigns.prepare(str(campaign_id)) == "prepared"  # noqa: S101 - a broken bench stops
    return campaign_id, time.perf_counter() - started


def one_job_per_message(app: Flask, tenant: CurrentTenant, campaign_id: uuid.UUID) -> None:
    """Replace the campaign's batch jobs by one `deliver` job per message (the baseline)."""
    jobs.queue_named(app, "bulk").empty()
    with app.app_context(), tenant_context(tenant):
        ids = session.execute(select(Message.id).where(Message.campaign_id == campaign_id)).scalars().all()
        for message_id in ids:
            jobs.enqueue(service.DELIVER, str(message_id), queue="bulk")


def start_worker(settings: dict[str, str], log: Any, *, fork: bool) -> subprocess.Popen:
    """`aandacht worker --burst --queue bulk [--no-fork]` in a process (and session) of its own."""
    command = [str(Path(sys.executable).with_name("aandacht")), "worker", "--burst", "--queue", "bulk"]
    return subprocess.Popen(  # noqa: S603 - our own command line
        command if fork else [*command, "--no-fork"],
        env={**os.environ, **settings},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def unsent(app: Flask, tenant: CurrentTenant, campaign_id: uuid.UUID) -> int:
    """The campaign's messages that the database does not record as sent."""
    with app.app_context(), tenant_context(tenant):
        return session.execute(
            select(func.count()).where(Message.campaign_id == campaign_id, Message.status != "sent")
        ).scalar_one()


def deliver(
    app: Flask,
    tenant: CurrentTenant,
    campaign_id: uuid.UUID,
    addresses: list[str],
    counts: Counts,
    settings: dict[str, str],
    *,
    kill: bool,
    fork: bool,
    timeout: float,
    log: Any,
) -> tuple[float, int]:
    """Start two workers and wait until every person got a mail; (seconds, workers killed).

    With `kill`, one worker is SIGKILLed a third of the way in; once the others are done, the sweeper
    takes back its claims and hands the rest over to a fresh worker, until the database has no
    message left to send.
    """
    started = time.perf_counter()
    workers = [start_worker(settings, log, fork=fork) for _ in range(2)]
    killed = 0
    deadline = started + timeout
    try:
        while time.perf_counter() < deadline:
            if kill and not killed and counts.reached() >= len(addresses) // 3:
                kill_with_children(workers[0].pid)  # the worker and the batch it is running
                workers[0].wait()
                killed = 1
            if all(worker.poll() is not None for worker in workers):
                if unsent(app, tenant, campaign_id) == 0:
                    break
                time.sleep(BENCH_STUCK_AFTER.total_seconds())
                with app.app_context(), tenant_context(tenant):
                    delivery.requeue()
                workers.append(start_worker(settings, log, fork=fork))
            time.sleep(0.1)
        else:
            print(f"  timed out after {timeout:.0f} s", flush=True)
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait()
    end = counts.last_at if counts.last_at > started else time.perf_counter()
    return end - started, killed


def run_once(
    app: Flask,
    settings: dict[str, str],
    counts: Counts,
    args: argparse.Namespace,
    *,
    label: str,
    slug: str,
    people: int,
    kill: bool = False,
    baseline: bool = False,
) -> Outcome:
    """One run: people, a campaign prepared, delivered by the workers, counted."""
    print(f"\n{label}", flush=True)
    tenant, principal = new_tenant(app, slug)
    with phase(f"{people:,} people (COPY)"):
        addresses = add_people(settings, tenant.id, people, f"{slug}.example")
    with phase("campaign prepared by the campaign service"), autovacuum_stand_in(settings):
        campaign_id, preparing = prepare_campaign(app, tenant, principal)
    if baseline:
        one_job_per_message(app, tenant, campaign_id)
    counts.reset()
    queued = jobs.queue_named(app, "bulk").count
    print(f"  {queued:,} jobs in the queue", flush=True)
    log_path = Path(tempfile.gettempdir()) / f"bench-outreach-{slug}.log"
    with phase("delivered by the workers"), log_path.open("w") as log:
        seconds, _killed = deliver(
            app, tenant, campaign_id, addresses, counts, settings,
            kill=kill, fork=baseline, timeout=args.timeout, log=log,
        )  # fmt: skip
    with counts.lock:
        duplicates = sum(len(ids) - 1 for ids in counts.ids_of.values())
        repeats = sum(count - 1 for count in counts.per_message_id.values())
        losses = sum(1 for address in addresses if address not in counts.per_recipient)
    return Outcome(
        label=label,
        recipients=people,
        prepared_per_s=people / preparing,
        delivered_per_s=(people - losses) / seconds,
        seconds=seconds,
        duplicates=duplicates,
        repeats=repeats,
        losses=losses,
        unsent=unsent(app, tenant, campaign_id),
    )


def report(outcomes: list[Outcome]) -> bool:
    """Print the runs side by side and the verdicts; True when every target is met."""
    print(f"\n  {'':<44}{'people':>9}{'prepared/s':>12}{'delivered/s':>13}{'s':>7}"
          f"{'duplicates':>11}{'repeats':>9}{'losses':>8}{'unsent':>8}")  # fmt: skip
    for o in outcomes:
        print(f"  {o.label:<44}{o.recipients:>9,}{o.prepared_per_s:>12,.0f}{o.delivered_per_s:>13,.0f}"
              f"{o.seconds:>7.1f}{o.duplicates:>11}{o.repeats:>9}{o.losses:>8}{o.unsent:>8}")  # fmt: skip
    batches = outcomes[0]
    correct = all(o.duplicates == 0 and o.losses == 0 and o.unsent == 0 for o in outcomes)
    verdicts = [
        (f"preparation over {PREPARE_TARGET:,} messages/s", batches.prepared_per_s > PREPARE_TARGET),
        (
            f"delivery over {DELIVER_TARGET:,} messages/s (two workers)",
            batches.delivered_per_s > DELIVER_TARGET,
        ),
        ("no duplicates and no losses, also with a worker killed", correct),
    ]
    if len(outcomes) > 2:
        print(f"  batches deliver {batches.delivered_per_s / outcomes[-1].delivered_per_s:.1f}x the baseline")
    for label, met in verdicts:
        print(f"  {'PASS' if met else 'FAIL'} {label}")
    return all(met for _label, met in verdicts)


def run(args: argparse.Namespace) -> list[Outcome]:
    """Set up the database, the SMTP server and Redis; the three runs; drop the database."""
    name = f"aandacht_bench_outreach_{os.getpid()}"
    began = time.perf_counter()
    print(f"\nOutreach on PostgreSQL + Redis (database {name}, {args.redis})")
    counts = Counts()
    with socket.socket() as probe:  # a free port (aiosmtpd checks its server by connecting to it)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(counts, hostname="127.0.0.1", port=port)
    controller.start()
    settings: dict[str, str] = {}
    try:
        settings = {
            **base_settings(Path(tempfile.mkdtemp())),
            **create_database(name),
            "REDIS_URL": args.redis,
            "SMTP_URL": f"smtp://127.0.0.1:{port}",
            "MAIL_FROM": "Gemeente <noreply@aandacht.test>",
            "AANDACHT_PUBLIC_URL": "https://aandacht.test",
            "LOG_LEVEL": "WARNING",
        }
        app = create_app(settings)
        logging.getLogger("alembic").setLevel(logging.WARNING)
        with phase("migrate"):
            migrate.upgrade(app)
        for queue in jobs.QUEUES:
            jobs.queue_named(app, queue).empty()
        delivery.STUCK_AFTER = delivery.HAND_OVER_AGAIN_AFTER = BENCH_STUCK_AFTER
        outcomes = [
            run_once(app, settings, counts, args, label="batches, two workers", slug="run1",
                     people=args.recipients),
            run_once(app, settings, counts, args, label="batches, one worker SIGKILLed", slug="run2",
                     people=args.recipients, kill=True),
            run_once(app, settings, counts, args, label="baseline: one RQ job per message", slug="run3",
                     people=args.baseline, baseline=True),
        ]  # fmt: skip
        app.extensions["aandacht.db"].engine.dispose()
        report(outcomes)
        print(f"\ntotal {time.perf_counter() - began:.0f} s")
        return outcomes
    finally:
        controller.stop()
        if args.keep:
            print(f"kept database {name}")
        elif settings:
            drop_database(name)


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """The benchmark's arguments (`--quick`: a few hundred people, to see that it works)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--recipients", type=int, default=100_000, help="people in each campaign")
    parser.add_argument("--baseline", type=int, default=5_000, help="people in the one-job-per-message run")
    parser.add_argument("--quick", action="store_true", help="300 people, 100 in the baseline")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15", help="a Redis database of its own")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds a delivery may take at most")
    parser.add_argument("--keep", action="store_true", help="keep the database (to explore it)")
    args = parser.parse_args(argv)
    if args.quick:
        args.recipients, args.baseline = min(args.recipients, 300), min(args.baseline, 100)
    return args


def main(argv: list[str] | None = None) -> list[Outcome] | None:
    """Parse the arguments; skip without PostgreSQL."""
    args = arguments(argv)
    if has_postgres("bench.outreach"):
        return run(args)
    return None


if __name__ == "__main__":
    main()
