"""Job functions for the job tests (importable by a worker, as every job function must be)."""

import os

from sqlalchemy import select

from aandacht.db import session
from aandacht.segments.models import Segment
from aandacht.tenancy.context import current_tenant
from tests.scoping_models import Household, JobRun


def record_run(label: str) -> None:
    """Write a JobRun in whatever tenant the job runs in, naming the households it can see."""
    seen = ",".join(sorted(session.execute(select(Household.name)).scalars()))
    session.add(JobRun(label=f"{label}|{current_tenant().slug}|{seen}"))
    session.commit()


def record_run_and_pid(label: str) -> None:
    """Write a JobRun naming the process the job ran in."""
    session.add(JobRun(label=f"{label}|{os.getpid()}"))
    session.commit()


def only_write(label: str) -> None:
    """Save a segment (a table under row level security) without reading anything first."""
    session.add(Segment(name=f"{label}|{current_tenant().slug}", predicate={"and": []}))
    session.commit()


def fail(label: str) -> None:
    """A job that always fails."""
    raise RuntimeError(f"job {label} failed")
