"""Periodic jobs: declared and checked, scheduled by RQ's cron as JSON jobs, fanned out to active tenants."""

import json
import os
import signal
import threading
import time
import uuid
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import current_app
from rq import cron_scheduler_registry
from sqlalchemy import select

from aandacht import jobs
from aandacht.app import create_app
from aandacht.db import session
from aandacht.plugins import Domain
from aandacht.schedule import (
    PERIODIC,
    Periodic,
    PeriodicScheduler,
    ScheduleError,
    find_periodic,
    periodic_jobs,
    run_now,
)
from aandacht.tenancy.context import current_tenant, tenant_context
from tests.scoping_models import JobRun

NOTE = "tests.test_schedule:note_run"
PLATFORM = "tests.test_schedule:note_platform_run"
BRITTLE = "tests.test_schedule:brittle_run"


def note_run() -> None:
    """A periodic job: note that it ran in the current tenant, and how many runs it saw there before."""
    before = len(runs_here())
    session.add(JobRun(label=f"periodic|{current_tenant().slug}|{before}"))
    session.commit()


def runs_here() -> list[str]:
    query = select(JobRun.label).where(JobRun.label.startswith("periodic|")).order_by(JobRun.label)
    return list(session.execute(query).scalars())


def note_platform_run() -> None:
    """A platform-wide periodic job: note the run in a file of the instance (it has no tenant)."""
    with Path(current_app.instance_path, "platform-runs").open("a") as runs:
        runs.write(f"{current_tenant()}\n")


def brittle_run() -> None:
    """A periodic job that fails in tenants whose slug starts with `broken-`."""
    if current_tenant().slug.startswith("broken-"):
        raise RuntimeError("this tenant is broken")
    note_run()


class Rooster(Domain):
    """A domain that contributes periodic jobs, as the real ones do through the Domain API."""

    name = "rooster"
    title = "Rooster"

    def periodic_jobs(self) -> list[Periodic]:
        return [
            Periodic(NOTE, interval=60),
            Periodic(PLATFORM, cron="0 3 * * *", per_tenant=False),
            Periodic(BRITTLE, cron="0 4 * * *", queue="default"),
        ]


@pytest.fixture
def with_rooster(monkeypatch):
    """Install the rooster domain in an app's registry for one test."""

    def install(app):
        monkeypatch.setitem(app.extensions["aandacht.domains"].domains, "rooster", Rooster())
        return app

    return install


@pytest.fixture
def tenants(create_tenant):
    """A tenant with the rooster domain, one without, and a suspended one with it."""
    return (
        create_tenant(domains=["rooster"]),
        create_tenant(),
        create_tenant(domains=["rooster"], status="suspended"),
    )


def runs(app, tenant) -> list[str]:
    with app.app_context(), tenant_context(tenant):
        return runs_here()


def platform_runs(app) -> list[str]:
    path = Path(app.instance_path, "platform-runs")
    return path.read_text().splitlines() if path.exists() else []


@pytest.mark.parametrize(
    ("declaration", "message"),
    [
        ({"cron": "every quarter"}, "'every quarter' is not a cron expression (five fields"),
        ({"cron": "61 * * * *"}, "'61 * * * *' is not a cron expression"),
        ({}, "give either a cron expression or an interval"),
        ({"cron": "* * * * *", "interval": 60}, "give either a cron expression or an interval"),
        ({"interval": 0}, "the interval must be at least 1 second"),
        ({"interval": 60, "queue": "later"}, "unknown queue 'later'; use one of urgent, default, bulk"),
        (
            {"target": "tests.test_schedule.note_run", "interval": 60},
            "name the function as 'module:function'",
        ),
    ],
)
def test_a_badly_declared_periodic_job_is_refused_at_once(declaration, message):
    with pytest.raises(ScheduleError) as refused:
        Periodic(**{"target": NOTE, **declaration})
    assert message in str(refused.value)


def test_the_core_retires_expired_items_and_learns_per_tenant(app):
    assert [(p.target, p.cron, p.queue, p.per_tenant) for p in PERIODIC] == [
        ("aandacht.personalisation.catalogue:retire_expired", "*/15 * * * *", "bulk", True),
        ("aandacht.personalisation.learning:learn", "*/30 * * * *", "bulk", True),
        ("aandacht.outreach.delivery:sweep", "* * * * *", "urgent", True),
        ("aandacht.outreach.campaigns:release_due", "* * * * *", "default", True),
        ("aandacht.outreach.rules:check_rules", "*/15 * * * *", "bulk", True),
        ("aandacht.outreach.events:hand_over_again", "*/5 * * * *", "default", True),
        ("aandacht.attention.jobs:send_digests", "*/15 * * * *", "bulk", True),
        ("aandacht.conversations.appointments:send_reminders", "*/30 * * * *", "default", True),
    ]
    assert [periodic for periodic in periodic_jobs(app) if periodic.domain is None] == list(PERIODIC)


def test_domains_add_periodic_jobs_marked_with_their_domain(app, with_rooster):
    with_rooster(app)
    found = {periodic.target: periodic for periodic in periodic_jobs(app)}
    werk = "aandacht_werk.reminders:remind_behind"
    assert set(found) == {p.target for p in PERIODIC} | {NOTE, PLATFORM, BRITTLE, werk}
    assert found[NOTE].domain == "rooster"
    assert found[werk].domain == "werk"
    assert found[PERIODIC[0].target].domain is None


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        (
            Periodic("tests.test_schedule:nothing", interval=60),
            "No job function 'tests.test_schedule:nothing'",
        ),
        (PERIODIC[1], "Periodic job aandacht.personalisation.learning:learn is declared twice"),
    ],
)
def test_unknown_functions_and_duplicates_are_refused(app, monkeypatch, declared, message):
    class Faulty(Domain):
        name = "faulty"

        def periodic_jobs(self) -> list[Periodic]:
            return [declared]

    monkeypatch.setitem(app.extensions["aandacht.domains"].domains, "faulty", Faulty())
    with pytest.raises(ScheduleError) as refused:
        periodic_jobs(app)
    assert message in str(refused.value)


def test_a_per_tenant_job_runs_for_every_active_tenant_and_no_suspended_one(app, tenants):
    member, outsider, suspended = tenants
    outcome = run_now(app, Periodic(NOTE, interval=60))
    assert outcome[member.slug] is None
    assert outcome[outsider.slug] is None
    assert suspended.slug not in outcome
    assert runs(app, member) == [f"periodic|{member.slug}|0"]
    assert runs(app, outsider) == [f"periodic|{outsider.slug}|0"]
    assert runs(app, suspended) == []


def test_a_domain_job_runs_only_for_the_tenants_that_enable_the_domain(app, with_rooster, tenants):
    member, outsider, suspended = tenants
    with_rooster(app)
    outcome = run_now(app, find_periodic(app, NOTE))
    assert [slug for slug in (member.slug, outsider.slug, suspended.slug) if slug in outcome] == [member.slug]
    assert runs(app, member) == [f"periodic|{member.slug}|0"]
    assert runs(app, outsider) == runs(app, suspended) == []


def test_a_platform_job_runs_once_without_a_tenant(app, with_rooster):
    with_rooster(app)
    before = len(platform_runs(app))
    assert run_now(app, find_periodic(app, PLATFORM)) == {"-": None}
    assert platform_runs(app)[before:] == ["None"]


def test_cron_list_shows_the_jobs_and_that_there_is_no_scheduler_without_redis(app, with_rooster):
    with_rooster(app)
    result = app.test_cli_runner().invoke(args=["cron", "--list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["JOB", "SCHEDULE", "QUEUE", "FOR", "NEXT", "RUN"]
    rows = {line.split()[0]: line for line in lines[1:-1]}
    retire = rows["aandacht.personalisation.catalogue:retire_expired"]
    assert "*/15 * * * *" in retire and " bulk " in retire and "every tenant" in retire
    next_run = datetime.strptime(retire.split("every tenant")[1].strip()[:16], "%Y-%m-%d %H:%M")
    assert timedelta(0) <= next_run - datetime.now().replace(second=0, microsecond=0) <= timedelta(minutes=15)
    assert "tenants with rooster" in rows[NOTE] and rows[NOTE].endswith("when the scheduler starts")
    assert "every 60 s" in rows[NOTE]
    assert "the platform" in rows[PLATFORM]
    assert lines[-1] == (
        "REDIS_URL is not set: no scheduler runs these jobs; 'aandacht cron --run JOB' runs one now."
    )


def test_cron_without_redis_refuses_to_start(app):
    result = app.test_cli_runner().invoke(args=["cron"])
    assert result.exit_code == 2
    assert "Error: REDIS_URL is not set; without Redis there is no scheduler." in result.output


def test_cron_run_runs_a_job_now_and_reports_each_tenant(app, with_rooster, create_tenant):
    with_rooster(app)
    good, broken = (
        create_tenant(domains=["rooster"]),
        create_tenant(domains=["rooster"], slug=_slug("broken")),
    )
    result = app.test_cli_runner().invoke(args=["cron", "--run", BRITTLE])
    assert result.exit_code == 1
    assert f"{good.slug}: done" in result.output.splitlines()
    assert f"{broken.slug}: FAILED RuntimeError: this tenant is broken" in result.output.splitlines()
    assert runs(app, good) == [f"periodic|{good.slug}|0"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["cron", "--run", "tests.test_schedule:nothing"],
            "There is no periodic job 'tests.test_schedule:nothing'",
        ),
        (["cron", "--list", "--run", NOTE], "Give --list or --run, not both."),
    ],
)
def test_cron_refuses_what_it_cannot_do(app, args, message):
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 2
    assert message in result.output


@pytest.fixture
def queued_app(app_settings, app, redis_url, with_rooster):
    """An app on Redis with the rooster domain and an empty queue of periodic runs."""
    queued = with_rooster(create_app({**app_settings, "REDIS_URL": redis_url}))
    for name in jobs.QUEUES:
        jobs.queue_named(queued, name).empty()
    return queued


def rooster_scheduler(app) -> PeriodicScheduler:
    with app.app_context():
        rooster = [periodic for periodic in periodic_jobs(app) if periodic.domain == "rooster"]
    return PeriodicScheduler(jobs.redis_connection(app), rooster)


def stored_spec(connection, job_id: str) -> dict:
    """The JobSpec of a queued job, read as JSON from Redis (as RQ stores it: compressed)."""
    function, _, args, kwargs = json.loads(zlib.decompress(connection.hget(f"rq:job:{job_id}", "data")))
    assert (function, kwargs) == ("aandacht.jobs.perform", {})
    return args[0]


def test_a_due_periodic_job_is_enqueued_as_a_json_job_that_a_worker_runs(queued_app, tenants):
    member, outsider, suspended = tenants
    connection = jobs.redis_connection(queued_app)
    scheduler = rooster_scheduler(queued_app)
    every_minute, platform = scheduler.get_jobs()[:2]

    assert scheduler.enqueue_jobs() == [every_minute]  # an interval job is due at start, a cron job is not
    platform.next_enqueue_time = datetime.now(UTC) - timedelta(seconds=1)
    assert scheduler.enqueue_jobs() == [platform]
    assert scheduler.enqueue_jobs() == []

    queue = jobs.queue_named(queued_app, "bulk")
    job_id = every_minute.get_job_ids(connection)[0]
    assert queue.job_ids == [job_id, platform.get_job_ids(connection)[0]]
    spec = stored_spec(connection, job_id)
    assert (spec["target"], spec["args"], spec["tenant_id"]) == (
        "aandacht.schedule:run_periodic",
        [NOTE],
        None,
    )

    before = len(platform_runs(queued_app))
    jobs.run_worker(queued_app, ["bulk"], burst=True)

    assert queue.fetch_job(job_id).get_status() == "finished"
    assert runs(queued_app, member) == [f"periodic|{member.slug}|0"]
    assert runs(queued_app, outsider) == runs(queued_app, suspended) == []
    assert platform_runs(queued_app)[before:] == ["None"]


def test_workers_back_from_an_outage_do_a_missed_job_once(queued_app, tenants):
    member = tenants[0]
    connection = jobs.redis_connection(queued_app)
    every_minute = rooster_scheduler(queued_app).get_jobs()[0]
    missed = [every_minute.enqueue(connection).id for _ in range(3)]

    jobs.run_worker(queued_app, ["bulk"], burst=True)

    assert runs(queued_app, member) == [f"periodic|{member.slug}|0"]
    queue = jobs.queue_named(queued_app, "bulk")
    assert {queue.fetch_job(job_id).get_status() for job_id in missed} == {"finished"}


def test_cron_list_shows_the_running_scheduler_and_its_next_runs(queued_app):
    scheduler = rooster_scheduler(queued_app)
    runner = queued_app.test_cli_runner()
    assert (
        "No scheduler is running: start one with 'aandacht cron'."
        in runner.invoke(args=["cron", "--list"]).output
    )
    scheduler.register_birth()
    try:
        scheduler.enqueue_jobs()
        scheduler.save()
        output = runner.invoke(args=["cron", "--list"]).output
    finally:
        scheduler.register_death()
    lines = output.splitlines()
    assert lines[-1].startswith(f"Scheduler {scheduler.name} is running (last seen ")
    note = next(line for line in lines if line.startswith(NOTE))
    next_run = datetime.strptime(note.split("tenants with rooster")[1].strip()[:16], "%Y-%m-%d %H:%M")
    assert timedelta(0) <= next_run - datetime.now().replace(second=0, microsecond=0) <= timedelta(minutes=2)


def test_aandacht_cron_enqueues_due_jobs_until_it_is_stopped(queued_app):
    queue = jobs.queue_named(queued_app, "bulk")
    connection = jobs.redis_connection(queued_app)
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    returned = threading.Event()

    def stop_when_a_run_is_queued() -> None:
        deadline = time.monotonic() + 10
        while not returned.is_set() and time.monotonic() < deadline:
            if queue.count and cron_scheduler_registry.get_keys(connection):
                break
            time.sleep(0.05)
        if not returned.is_set():
            os.kill(os.getpid(), signal.SIGTERM)  # rq's handler stops the scheduler

    stopper = threading.Thread(target=stop_when_a_run_is_queued)
    stopper.start()
    try:
        result = queued_app.test_cli_runner().invoke(args=["cron"])
    finally:
        returned.set()
        stopper.join()
        for number, handler in handlers.items():
            signal.signal(number, handler)
    assert result.exit_code == 0, result.output
    assert queue.count == 1
    assert stored_spec(connection, queue.job_ids[0])["args"] == [NOTE]
    assert cron_scheduler_registry.get_keys(connection) == []


def _slug(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"
