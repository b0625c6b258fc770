"""Background jobs: RQ on Redis when `REDIS_URL` is set, inline in the calling process when not.

A job is a plain function named by its import path. It carries only JSON values (ids, never objects)
and always runs in the tenant that was current when it was enqueued, with a session of its own. A job
enqueued while the session holds uncommitted writes is handed over only when they commit (and dropped
on rollback), so the rows it refers to are there when it runs. A `best_effort` job is one whose work
the database already holds (an outbox row that a sweeper hands over again): when Redis does not answer,
its hand-over is logged and skipped instead of failing the caller.

Start a worker with `aandacht worker` (all queues, with RQ's scheduler).
"""

from __future__ import annotations

import importlib
import json
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from flask import Flask, current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, SimpleWorker, Worker
from rq.serializers import JSONSerializer
from sqlalchemy import event

from aandacht.db import AppSession, session
from aandacht.log import bind_request_id, current_request_id, reset_request_id
from aandacht.tenancy.context import current_tenant, tenant_context
from aandacht.tenancy.service import tenant_by_id

#: Queues by purpose, most urgent first; a worker serves them in this order.
QUEUES = ("urgent", "default", "bulk")
_PENDING = "aandacht.pending_jobs"
_WROTE = "aandacht.wrote"
log = logging.getLogger(__name__)
_worker_app: Flask | None = None


class JobError(ValueError):
    """A job cannot be enqueued as asked (unknown function or queue, arguments that are not JSON)."""


@dataclass(frozen=True)
class JobSpec:
    """Everything a worker needs to run a job: what, with which values, for which tenant."""

    target: str
    args: list[Any]
    kwargs: dict[str, Any]
    tenant_id: int | None
    request_id: str
    id: str = field(default_factory=lambda: uuid.uuid4().hex)


def enqueue(
    job: Callable[..., Any] | str,
    *args: Any,
    queue: str = "default",
    best_effort: bool = False,
    **kwargs: Any,
) -> str:
    """Run `job(*args, **kwargs)` in the background in the current tenant; returns the job id.

    With `best_effort`, a Redis that does not answer is logged instead of raised: only for jobs whose
    work a database row holds until it is done, so that a sweeper can hand it over again later.
    """
    target = job if isinstance(job, str) else f"{job.__module__}:{job.__qualname__}"
    resolve(target)
    if queue not in QUEUES:
        raise JobError(f"Unknown queue {queue!r}; use one of {', '.join(QUEUES)}.")
    try:
        values = json.loads(json.dumps([list(args), kwargs]))
    except TypeError as error:
        raise JobError(f"Job arguments must be JSON values (pass ids, not objects): {error}") from None
    tenant = current_tenant()
    spec = JobSpec(target, values[0], values[1], tenant.id if tenant else None, current_request_id())
    current = session()
    if current.new or current.dirty or current.deleted or current.info.get(_WROTE):
        current.info.setdefault(_PENDING, []).append((spec, queue, best_effort))
    else:
        _dispatch(spec, queue, best_effort)
    return spec.id


def resolve(target: str) -> Callable[..., Any]:
    """The function named `module:function`; raises JobError when there is none."""
    module_name, _, name = target.partition(":")
    try:
        function = importlib.import_module(module_name)
        for part in name.split("."):
            function = getattr(function, part)
    except (ImportError, AttributeError, ValueError):
        raise JobError(f"No job function {target!r}.") from None
    if not callable(function):
        raise JobError(f"{target!r} is not a function.")
    return function


def perform(spec: dict[str, Any]) -> None:
    """Entry point of every RQ job: run the spec inside its tenant."""
    global _worker_app
    if _worker_app is None:
        from aandacht.app import create_app

        _worker_app = create_app()
    run(_worker_app, JobSpec(**spec))


def run(app: Flask, spec: JobSpec) -> None:
    """Run a job in a fresh application context (its own session) as its tenant."""
    with app.app_context():
        token = bind_request_id(spec.request_id)
        try:
            tenant = tenant_by_id(spec.tenant_id) if spec.tenant_id is not None else None
            # The look-up's transaction began outside the tenant; the job's own begins inside it (RLS).
            session.remove()
            with tenant_context(tenant):
                resolve(spec.target)(*spec.args, **spec.kwargs)
        finally:
            reset_request_id(token)


def redis_connection(app: Flask) -> Redis:
    """The Redis connection of `app` (only when REDIS_URL is set)."""
    return app.extensions["aandacht.redis"]


def queue_named(app: Flask, name: str) -> Queue:
    """The RQ queue `name` of `app`, with the JSON serializer every job uses."""
    return Queue(name, connection=redis_connection(app), serializer=JSONSerializer)


def run_worker(app: Flask, queues: Sequence[str] = QUEUES, *, burst: bool = False, fork: bool = True) -> None:
    """Work the given queues with RQ's scheduler until stopped (or until empty, with `burst`).

    With `fork` (RQ's default) each job runs in a forked process of its own, which isolates a job that
    crashes or leaks memory; without it (RQ's `SimpleWorker`) jobs run in the worker's process and keep
    its database connections and compiled templates, which spares a delivery worker a fresh start for
    every work unit (docs/operations.md#workers).
    """
    global _worker_app
    _worker_app = app
    connection = redis_connection(app)
    connection.ping()
    policy = connection.config_get("maxmemory-policy").get("maxmemory-policy")
    if policy != "noeviction":
        log.warning("Redis may evict queued jobs; set maxmemory-policy noeviction", extra={"policy": policy})
    worker_class = Worker if fork else SimpleWorker
    worker = worker_class(
        [queue_named(app, name) for name in queues], connection=connection, serializer=JSONSerializer
    )
    worker.work(with_scheduler=True, burst=burst)


def _dispatch(spec: JobSpec, queue: str, best_effort: bool = False) -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.extensions.get("aandacht.redis") is None:
        run(app, spec)
        return
    try:
        queue_named(app, queue).enqueue(
            "aandacht.jobs.perform", asdict(spec), job_id=spec.id, description=spec.target
        )
    except RedisError as error:
        if not best_effort:
            raise
        log.warning("job %s not handed over, Redis does not answer: %s", spec.target, error)


def _note_write(flushed: AppSession, _context) -> None:
    flushed.info[_WROTE] = True


def _hand_over_after_commit(committed: AppSession) -> None:
    if committed.in_nested_transaction():  # a savepoint released: the transaction goes on
        return
    committed.info.pop(_WROTE, None)
    for spec, queue, best_effort in committed.info.pop(_PENDING, []):
        _dispatch(spec, queue, best_effort)


def _drop_after_rollback(rolled_back: AppSession) -> None:
    if rolled_back.in_nested_transaction():  # a savepoint rolled back: the transaction goes on
        return
    rolled_back.info.pop(_WROTE, None)
    dropped = rolled_back.info.pop(_PENDING, [])
    if dropped:
        log.info("jobs dropped with their rolled-back transaction", extra={"count": len(dropped)})


def init_app(app: Flask, redis_url: str | None) -> None:
    """Connect `app` to Redis when configured; hand jobs over only after their transaction commits."""
    app.extensions["aandacht.redis"] = Redis.from_url(redis_url) if redis_url else None
    if not event.contains(AppSession, "after_commit", _hand_over_after_commit):
        event.listen(AppSession, "after_flush", _note_write)
        event.listen(AppSession, "after_commit", _hand_over_after_commit)
        event.listen(AppSession, "after_rollback", _drop_after_rollback)
