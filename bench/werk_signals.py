"""A work coach's worklist with the werk domain's signals, for a caseload of `--people` job seekers.

Run on a throwaway instance with the demo loaded (the embedded default, or PostgreSQL by DATABASE_URL)::

    export AANDACHT_INSTANCE_PATH=/tmp/werk-signals-bench
    aandacht db upgrade && aandacht tenants sync && aandacht demo load --tenant enschede
    python -m bench.werk_signals --tenant enschede --people 300

It adds a coach with `--people` generated job seekers and their histories (the demo's generator, every
story), then prints the median and slowest of `--runs` evaluations of each signal rule for the whole
caseload, and of the whole worklist, beside the plain caseload list as the baseline.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from faker import Faker

from aandacht.accounts import service as accounts
from aandacht.accounts.demo import demo_staff
from aandacht.app import create_app
from aandacht.attention import service
from aandacht.attention.signals import SignalContext
from aandacht.db import utcnow
from aandacht.tenancy.context import tenant_context
from aandacht.tenancy.service import find_tenant
from aandacht_werk.demo_people import add_caseloads


def _timed(call: Callable[[], Any], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    """Fill, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenant", default="enschede")
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--runs", type=int, default=7)
    arguments = parser.parse_args()
    app = create_app()
    with app.app_context():
        tenant = find_tenant(slug=arguments.tenant)
    with app.test_request_context(), tenant_context(tenant):
        coach = demo_staff(f"bench-{time.time_ns()}@{tenant.slug}.demo", "Bench Coach", "coach")
        fake, chance = Faker("nl_NL"), random.Random(1)
        start = time.perf_counter()
        add_caseloads(tenant, {coach.id: arguments.people}, fake=fake, chance=chance)
        print(f"generated {arguments.people} people in {time.perf_counter() - start:.1f} s")
        people = [person.id for person in accounts.caseload(coach.id)]
        now = utcnow()
        activity = accounts.activity_of(people)
        rows = [("plain caseload list (baseline)", lambda: accounts.caseload(coach.id))]
        for rule in service.signal_rules(tenant):
            context = SignalContext(tenant, people, now, rule.thresholds_for(tenant), activity)
            rows.append((f"rule {rule.key}", lambda rule=rule, context=context: rule.evaluate(context)))
        rows.append(("whole worklist", lambda: service.worklist(coach.id)))
        for name, call in rows:
            median, slowest = _timed(call, arguments.runs)
            print(f"{name:<40} median {median:7.1f} ms   slowest {slowest:7.1f} ms")


if __name__ == "__main__":
    main()
