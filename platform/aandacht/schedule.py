"""Periodic jobs: work that runs every so often, scheduled by RQ's own cron (`aandacht cron`).

A periodic job is a `Periodic`: a job function, a cron expression or an interval, a queue, and whether
it runs once for every active tenant (the usual case: tenant data is only visible inside a tenant) or
once for the platform. The core's jobs are in `PERIODIC`; a domain adds its own through the
`periodic_jobs()` hook of the Domain API, and a per-tenant job of a domain runs only for the tenants
that enable it.

`aandacht cron` runs one `PeriodicScheduler`: RQ's `CronScheduler`, whose runs are enqueued as ordinary
`aandacht.jobs` jobs (a JSON `JobSpec` for `aandacht.jobs.perform` on a JSON queue), because RQ's own
`CronJob.enqueue` writes pickled jobs that our JSON workers cannot read. Each run is one job,
`run_periodic(target)`, which a worker runs: it lists the tenants at that moment and enqueues the
target once in each tenant's context. The scheduler's loop itself touches only Redis.

Without Redis (the embedded default) there is no scheduler: `aandacht cron --run JOB` runs a
periodic job now, in the calling process.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from croniter import croniter
from flask import Flask, current_app
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import Queue, cron_job_registry, get_current_job
from rq.cron import CronJob, CronScheduler, get_cron_job_history_key, get_cron_job_ids
from rq.defaults import DEFAULT_CRON_JOB_HISTORY_LIMIT, DEFAULT_CRON_JOB_HISTORY_TTL
from rq.job import Job
from rq.serializers import JSONSerializer

from aandacht import jobs
from aandacht.tenancy.context import CurrentTenant, tenant_context
from aandacht.tenancy.service import active_tenants

log = logging.getLogger(__name__)


class ScheduleError(ValueError):
    """A periodic job is declared wrongly (bad cron expression, unknown function or queue, duplicate)."""


@dataclass(frozen=True)
class Periodic:
    """A job function that runs on a schedule: a cron expression or a fixed interval, not both."""

    #: The job function, `module:function`; it is called without arguments.
    target: str
    #: Cron expression (minute hour day month weekday) in the scheduler's local time, e.g. `*/15 * * * *`.
    cron: str | None = None
    #: Or: seconds between runs; the first run is when the scheduler starts.
    interval: int | None = None
    #: Queue of the runs (one of `aandacht.jobs.QUEUES`).
    queue: str = "bulk"
    #: Once for every active tenant, in its context (True), or once for the platform, without a tenant.
    per_tenant: bool = True
    #: The domain that contributes the job, set by the platform; a per-tenant job of a domain runs only
    #: for the tenants that enable it.
    domain: str | None = None

    def __post_init__(self) -> None:
        module, _, function = self.target.partition(":")
        if not module or not function:
            raise ScheduleError(f"Periodic job {self.target!r}: name the function as 'module:function'.")
        if (self.cron is None) == (self.interval is None):
            raise ScheduleError(f"Periodic job {self.target}: give either a cron expression or an interval.")
        if self.cron is not None and not croniter.is_valid(self.cron):
            raise ScheduleError(
                f"Periodic job {self.target}: {self.cron!r} is not a cron expression "
                "(five fields: minute hour day month weekday, e.g. '*/15 * * * *')."
            )
        if self.interval is not None and self.interval < 1:
            raise ScheduleError(f"Periodic job {self.target}: the interval must be at least 1 second.")
        if self.queue not in jobs.QUEUES:
            raise ScheduleError(
                f"Periodic job {self.target}: unknown queue {self.queue!r}; "
                f"use one of {', '.join(jobs.QUEUES)}."
            )

    @property
    def schedule(self) -> str:
        """The schedule as people read it: the cron expression, or `every N s`."""
        return self.cron if self.cron is not None else f"every {self.interval} s"


#: The core's periodic jobs.
PERIODIC: tuple[Periodic, ...] = (
    # Expired items retire themselves.
    Periodic("aandacht.personalisation.catalogue:retire_expired", cron="*/15 * * * *"),
    # Item counts and neighbours, learnt from the behaviour of the last weeks.
    Periodic("aandacht.personalisation.learning:learn", cron="*/30 * * * *"),
    # Messages whose job did not come (Redis down, a worker died, a back-off ended) go to the queue.
    Periodic("aandacht.outreach.delivery:sweep", cron="* * * * *", queue="urgent"),
    # Campaigns whose moment came are prepared; prepared broadcasts released; finished ones marked done.
    Periodic("aandacht.outreach.campaigns:release_due", cron="* * * * *", queue="default"),
    # Triggered messages: whoever meets a rule's condition gets its message (once per cooldown).
    Periodic("aandacht.outreach.rules:check_rules", cron="*/15 * * * *", queue="bulk"),
    # Events for many people whose job did not come go to the queue again.
    Periodic("aandacht.outreach.events:hand_over_again", cron="*/5 * * * *", queue="default"),
    # Each coach's morning digest of their worklist, from the tenant's digest hour on (once a day).
    Periodic("aandacht.attention.jobs:send_digests", cron="*/15 * * * *", queue="bulk"),
    # A reminder of each appointment in the next 24 hours (one per appointment, however often it runs).
    Periodic("aandacht.conversations.appointments:send_reminders", cron="*/30 * * * *", queue="default"),
)


def periodic_jobs(app: Flask) -> list[Periodic]:
    """The core's periodic jobs and those of the loaded domains; refuses unknown functions and duplicates."""
    found = [*PERIODIC, *app.extensions["aandacht.domains"].periodic_jobs()]
    seen: set[str] = set()
    for periodic in found:
        if periodic.target in seen:
            raise ScheduleError(f"Periodic job {periodic.target} is declared twice.")
        seen.add(periodic.target)
        try:
            jobs.resolve(periodic.target)
        except jobs.JobError as error:
            raise ScheduleError(f"Periodic job {periodic.target}: {error}") from None
    return found


def find_periodic(app: Flask, target: str) -> Periodic:
    """The periodic job of `target`; raises ScheduleError when there is none."""
    for periodic in periodic_jobs(app):
        if periodic.target == target:
            return periodic
    raise ScheduleError(f"There is no periodic job {target!r}; 'aandacht cron --list' shows them.")


def tenants_for(app: Flask, periodic: Periodic) -> list[CurrentTenant]:
    """The tenants a per-tenant job runs for now: the active ones (that enable its domain, if it has one)."""
    registry = app.extensions["aandacht.domains"]
    return [
        tenant
        for tenant in active_tenants()
        if periodic.domain is None or registry.is_enabled(periodic.domain, tenant)
    ]


def run_periodic(target: str) -> None:
    """The job of one scheduled run: run `target`, or enqueue it once for each of its tenants.

    A run that waited in the queue while a later run of the same job was enqueued leaves the work to
    that later run, so workers that come back after an outage do each periodic job once, not once for
    every run they missed.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    periodic = find_periodic(app, target)
    if _superseded(target):
        log.info("periodic run of %s skipped: a later run was enqueued", target)
        return
    if not periodic.per_tenant:
        jobs.resolve(target)()
        return
    tenants = tenants_for(app, periodic)
    for tenant in tenants:
        with tenant_context(tenant):
            jobs.enqueue(target, queue=periodic.queue)
    log.info("periodic run of %s enqueued for %d tenants", target, len(tenants))


def run_now(app: Flask, periodic: Periodic) -> dict[str, str | None]:
    """Run `periodic` at once in this process, for each of its tenants (or once, as `-`, for the platform).

    Returns tenant slug -> None when it ran, or what went wrong; one tenant's failure does not stop the rest.
    """
    with app.app_context():
        tenants: list[CurrentTenant | None] = (
            list(tenants_for(app, periodic)) if periodic.per_tenant else [None]
        )
    request_id = uuid.uuid4().hex
    outcome: dict[str, str | None] = {}
    for tenant in tenants:
        slug = tenant.slug if tenant else "-"
        spec = jobs.JobSpec(periodic.target, [], {}, tenant.id if tenant else None, request_id)
        try:
            jobs.run(app, spec)
        except Exception as error:  # reported per tenant; the other tenants still get their run
            log.exception("periodic job %s failed for %s", periodic.target, slug)
            outcome[slug] = f"{type(error).__name__}: {error}"
        else:
            outcome[slug] = None
    return outcome


class PeriodicRun(CronJob):
    """RQ's cron job for one `Periodic`, whose runs are JSON `JobSpec` jobs of `run_periodic`."""

    def __init__(self, periodic: Periodic) -> None:
        super().__init__(
            queue_name=periodic.queue,
            func_name=periodic.target,
            cron=periodic.cron,
            interval=periodic.interval,
            name=periodic.target,
        )

    def enqueue(self, connection: Redis) -> Job:
        """Enqueue one run and record it in RQ's cron history, as `CronJob.enqueue` does, but as JSON."""
        spec = jobs.JobSpec(f"{__name__}:run_periodic", [self.name], {}, None, uuid.uuid4().hex)
        queue = Queue(self.queue_name, connection=connection, serializer=JSONSerializer)
        stamp = time.time()
        with connection.pipeline() as pipeline:
            job = queue.enqueue(
                "aandacht.jobs.perform",
                args=(asdict(spec),),
                job_id=spec.id,
                description=f"periodic {self.name}",
                pipeline=pipeline,
                **self.job_options,
            )
            pipeline.zadd(self.job_history_key, {job.id: stamp})
            pipeline.zremrangebyrank(self.job_history_key, 0, -(DEFAULT_CRON_JOB_HISTORY_LIMIT + 1))
            pipeline.expire(self.job_history_key, DEFAULT_CRON_JOB_HISTORY_TTL)
            cron_job_registry.add(self.name, pipeline, enqueue_timestamp=stamp)
            pipeline.execute()
        log.info("periodic run of %s due: job %s on %s", self.name, job.id, self.queue_name)
        return job


class PeriodicScheduler(CronScheduler):
    """RQ's cron scheduler for our periodic jobs: `start()` loops; `enqueue_jobs()` is one step of it."""

    def __init__(self, connection: Redis, periodic: Sequence[Periodic]) -> None:
        super().__init__(connection)
        self._cron_jobs.extend(PeriodicRun(item) for item in periodic)


def run_scheduler(app: Flask) -> None:
    """Enqueue every periodic job when it is due, until stopped (SIGINT or SIGTERM); needs REDIS_URL."""
    connection = jobs.redis_connection(app)
    connection.ping()
    scheduler = PeriodicScheduler(connection, periodic_jobs(app))
    log.info("scheduler %s starts with %d periodic jobs", scheduler.name, len(scheduler.get_jobs()))
    scheduler.start()


def listing(app: Flask) -> list[str]:
    """Lines for `aandacht cron --list`: every periodic job with its next run, then the scheduler's state."""
    running: list[CronScheduler] = []
    connection = app.extensions.get("aandacht.redis")
    if connection is None:
        state = "REDIS_URL is not set: no scheduler runs these jobs; 'aandacht cron --run JOB' runs one now."
    else:
        try:
            running = CronScheduler.all(connection)
        except RedisConnectionError as error:
            state = f"Redis at REDIS_URL does not answer ({error}): the scheduler's state is unknown."
        else:
            state = _scheduler_state(running)
    known = {job.name: job for scheduler in running for job in scheduler.get_jobs()}
    lines = [f"{'JOB':<52} {'SCHEDULE':<14} {'QUEUE':<7} {'FOR':<22} NEXT RUN"]
    for periodic in periodic_jobs(app):
        upcoming = (known.get(periodic.target) or PeriodicRun(periodic)).next_enqueue_time
        lines.append(
            f"{periodic.target:<52} {periodic.schedule:<14} {periodic.queue:<7} "
            f"{_scope(periodic):<22} {_moment(upcoming)}"
        )
    return [*lines, state]


def _scheduler_state(running: list[CronScheduler]) -> str:
    if not running:
        return "No scheduler is running: start one with 'aandacht cron'. Next runs are those it would use."
    if len(running) > 1:
        names = ", ".join(scheduler.name for scheduler in running)
        return (
            f"{len(running)} schedulers are running ({names}): run exactly one, or jobs run more than once."
        )
    scheduler = running[0]
    seen = scheduler.last_heartbeat
    ago = f"{(datetime.now(UTC) - seen).total_seconds():.0f} s ago" if seen else "never"
    return f"Scheduler {scheduler.name} is running (last seen {ago})."


def _scope(periodic: Periodic) -> str:
    if not periodic.per_tenant:
        return "the platform"
    return f"tenants with {periodic.domain}" if periodic.domain else "every tenant"


def _moment(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M %Z") if moment else "when the scheduler starts"


def _superseded(target: str) -> bool:
    """Whether the running job is a scheduled run of `target` and a later run of it was enqueued since."""
    current = get_current_job()
    if current is None or current.connection.zscore(get_cron_job_history_key(target), current.id) is None:
        return False
    return get_cron_job_ids(target, current.connection, 0, 0) != [current.id]
