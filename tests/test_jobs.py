"""Jobs run in the tenant they were enqueued for: inline without Redis, on a real RQ worker with it."""

import os
import uuid

import pytest
from sqlalchemy import select

from aandacht import jobs
from aandacht.app import create_app
from aandacht.db import session
from aandacht.segments.models import Segment
from aandacht.tenancy.context import tenant_context
from tests.example_jobs import record_run
from tests.scoping_models import Household, JobRun


@pytest.fixture
def tenant_with_household(app, create_tenant):
    tenant = create_tenant()
    with app.app_context(), tenant_context(tenant):
        session.add(Household(name=f"home of {tenant.slug}"))
        session.commit()
    return tenant


def runs(app, tenant):
    with app.app_context(), tenant_context(tenant):
        return session.execute(select(JobRun.label)).scalars().all()


def test_inline_job_runs_at_once_in_its_tenant(app, create_tenant, tenant_with_household):
    other = create_tenant()
    tenant = tenant_with_household
    with app.app_context(), tenant_context(tenant):
        jobs.enqueue(record_run, "inline")
    assert runs(app, tenant) == [f"inline|{tenant.slug}|home of {tenant.slug}"]
    assert runs(app, other) == []


def test_a_job_that_only_writes_writes_in_its_tenant(app, tenant_with_household):
    tenant = tenant_with_household
    with app.app_context(), tenant_context(tenant):
        jobs.enqueue("tests.example_jobs:only_write", "written")
    with app.app_context(), tenant_context(tenant):
        assert session.execute(select(Segment.name)).scalars().all() == [f"written|{tenant.slug}"]


def test_a_job_waits_for_the_commit_of_the_rows_it_needs(app, tenant_with_household):
    tenant = tenant_with_household
    with app.app_context(), tenant_context(tenant):
        session.add(Household(name="new home"))
        jobs.enqueue("tests.example_jobs:record_run", "after commit")
        assert runs(app, tenant) == []
        session.commit()
    assert runs(app, tenant) == [f"after commit|{tenant.slug}|home of {tenant.slug},new home"]


def test_a_rolled_back_transaction_takes_its_jobs_with_it(app, tenant_with_household):
    with app.app_context(), tenant_context(tenant_with_household):
        session.add(Household(name="never"))
        jobs.enqueue(record_run, "rolled back")
        session.rollback()
    assert runs(app, tenant_with_household) == []


@pytest.mark.parametrize(
    ("job", "args", "kwargs", "message"),
    [
        ("tests.example_jobs:nothing", (), {}, "No job function 'tests.example_jobs:nothing'"),
        ("no.such.module:run", (), {}, "No job function"),
        (record_run, (object(),), {}, "Job arguments must be JSON values (pass ids, not objects)"),
        (record_run, ("x",), {"queue": "someday"}, "Unknown queue 'someday'"),
    ],
)
def test_a_job_that_cannot_run_is_refused_when_enqueued(app, job, args, kwargs, message):
    with app.app_context(), pytest.raises(jobs.JobError) as raised:
        jobs.enqueue(job, *args, **kwargs)
    assert message in str(raised.value)


@pytest.fixture
def queued_app(app_settings, app, redis_url):
    return create_app({**app_settings, "REDIS_URL": redis_url})


def test_a_job_enqueued_for_tenant_a_runs_in_tenant_a_on_a_real_worker(
    queued_app, create_tenant, tenant_with_household
):
    tenant, other = tenant_with_household, create_tenant()
    queue = jobs.queue_named(queued_app, "default")
    queue.empty()
    label = f"rq-{uuid.uuid4().hex[:6]}"
    with queued_app.app_context(), tenant_context(tenant):
        job_id = jobs.enqueue(record_run, label)
    assert runs(queued_app, tenant) == []
    assert queue.fetch_job(job_id).get_status() == "queued"

    jobs.run_worker(queued_app, ["default"], burst=True)

    assert queue.fetch_job(job_id).get_status() == "finished"
    assert runs(queued_app, tenant) == [f"{label}|{tenant.slug}|home of {tenant.slug}"]
    assert runs(queued_app, other) == []


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "in the worker's process"])
def test_a_worker_runs_the_job_forked_or_in_its_own_process_as_asked(
    queued_app, create_tenant, tenant_with_household, fork
):
    tenant, other = tenant_with_household, create_tenant()
    queue = jobs.queue_named(queued_app, "default")
    queue.empty()
    label = f"simple-{uuid.uuid4().hex[:6]}"
    with queued_app.app_context(), tenant_context(tenant):
        job_id = jobs.enqueue("tests.example_jobs:record_run_and_pid", label)

    jobs.run_worker(queued_app, ["default"], burst=True, fork=fork)

    assert queue.fetch_job(job_id).get_status() == "finished"
    [run] = runs(queued_app, tenant)
    assert run.startswith(f"{label}|")
    assert (run == f"{label}|{os.getpid()}") is not fork
    assert runs(queued_app, other) == []


def test_a_failing_job_ends_visibly_in_the_failed_registry(queued_app, tenant_with_household):
    queue = jobs.queue_named(queued_app, "bulk")
    queue.empty()
    with queued_app.app_context(), tenant_context(tenant_with_household):
        job_id = jobs.enqueue("tests.example_jobs:fail", "boom", queue="bulk")
    jobs.run_worker(queued_app, ["bulk"], burst=True)
    job = queue.fetch_job(job_id)
    assert job.get_status() == "failed"
    assert "job boom failed" in job.latest_result().exc_string
