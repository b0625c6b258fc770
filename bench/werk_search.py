"""The werk domain's batched job-search functions for many people at once (for attention signals).

Run on a throwaway instance that has the demo loaded, for example the embedded default::

    AANDACHT_INSTANCE_PATH=/tmp/werk-bench aandacht db upgrade
    AANDACHT_INSTANCE_PATH=/tmp/werk-bench aandacht tenants sync
    AANDACHT_INSTANCE_PATH=/tmp/werk-bench aandacht demo load --tenant enschede
    AANDACHT_INSTANCE_PATH=/tmp/werk-bench python -m bench.werk_search --tenant enschede

It adds `--people` people with an agreement and 12 activities each over 90 days to the tenant, then
prints the median of five calls of `search_activity_summary` (four weeks) and `agreement_status` for
all of them.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import timedelta

from aandacht.accounts.service import create_person
from aandacht.app import create_app
from aandacht.db import session, utcnow
from aandacht.tenancy.context import tenant_context
from aandacht.tenancy.service import find_tenant
from aandacht_werk import service
from aandacht_werk.models import SearchActivity, SearchAgreement


def main() -> None:
    """Fill, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenant", default="enschede")
    parser.add_argument("--people", type=int, default=2000)
    arguments = parser.parse_args()
    app = create_app()
    with app.app_context():
        tenant = find_tenant(slug=arguments.tenant)
    with app.test_request_context(), tenant_context(tenant):
        today, chance = utcnow().date(), random.Random(1)
        people = [create_person(display_name=f"Bench {index}").id for index in range(arguments.people)]
        for person_id in people:
            session.add(
                SearchAgreement(person_id=person_id, per_month=4, starts_on=today - timedelta(days=60))
            )
            for _ in range(12):
                day = today - timedelta(days=chance.randint(0, 89))
                kind = chance.choice(("application", "letter", "network"))
                session.add(SearchActivity(person_id=person_id, kind=kind, done_on=day))
        session.commit()
        since = today - timedelta(days=28)
        for name, call in (
            ("search_activity_summary", lambda: service.search_activity_summary(people, since)),
            ("agreement_status", lambda: service.agreement_status(people)),
        ):
            times = []
            for _ in range(5):
                start = time.perf_counter()
                call()
                times.append(time.perf_counter() - start)
            print(f"{name}: {len(people)} people, median {statistics.median(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
