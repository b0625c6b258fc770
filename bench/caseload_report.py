"""The caseload report and the person's page on a pilot-sized caseload: how long a coach waits.

Run: `python -m bench.caseload_report` (embedded SQLite in a temporary folder; `--people`, `--months`,
`--events`). It makes one tenant with a coach whose caseload holds `--people` people (default 150, one
pilot group), `--months` months (default 6) of contact moments (0-6 per person and month) and content
use (`--events` interactions per person and month, default 40, most of them impressions), and one
person with 5,000 impressions. It prints the median of `--repeat` requests of:

1. the coach's report page (`/workspace/report`), the figures alone, and drawing the SVG charts anew
   (the page draws the same figures once and keeps the drawing);
2. the same report for a team lead over the whole organisation;
3. one table as CSV;
4. the person's page of the person with 5,000 impressions (the timeline sums them per day).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert

from aandacht import migrate
from aandacht.accounts import service as accounts
from aandacht.app import create_app
from aandacht.attention import charts
from aandacht.attention.models import ContactMoment
from aandacht.attention.report import caseload_report
from aandacht.db import session, utcnow
from aandacht.personalisation.catalogue import ItemFields, save_item
from aandacht.personalisation.models import InteractionEvent
from aandacht.tenancy.context import tenant_context
from aandacht.tenancy.models import Tenant
from aandacht.tenancy.service import find_tenant
from aandacht.testing.pytest_plugin import base_settings

KINDS = ["impression"] * 8 + ["open", "click"]


def median_ms(action: Callable[[], object], repeat: int) -> float:
    """The median time of `action` in milliseconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def fill(app, args: argparse.Namespace) -> tuple[object, uuid.UUID, uuid.UUID, uuid.UUID]:
    """The tenant, its coach, a team lead and the person with many impressions."""
    rng = random.Random(8)
    with app.app_context():
        session.add(Tenant(slug="bench", name="Bench", kind="municipality", domains=[], locales=["nl", "en"]))
        session.commit()
        tenant = find_tenant(slug="bench")
    now = utcnow()
    with app.test_request_context(), tenant_context(tenant):
        people = [
            accounts.create_person(
                display_name=f"Persoon {index}",
                email=f"p{index}@example.nl" if rng.random() < 0.7 else None,
                phone="+31612345678" if rng.random() < 0.4 else None,
            ).id
            for index in range(args.people)
        ]
        coach = accounts.create_staff(display_name="Coach", email="coach@example.nl", role="coach").id
        lead = accounts.create_staff(display_name="Lead", email="lead@example.nl", role="team_lead").id
        accounts.assign_to_caseload(staff_id=coach, person_ids=people)
        item = save_item(ItemFields(type="core.news", title="Nieuws", body="Tekst."))
        days = args.months * 30
        contacts = [
            {
                "tenant_id": tenant.id,
                "id": uuid.uuid4(),
                "person_id": person,
                "staff_id": coach,
                "kind": "phone",
                "at": now - timedelta(days=rng.uniform(0, days)),
                "recorded_at": now,
            }
            for person in people
            for _ in range(rng.randint(0, 6) * args.months)
        ]
        session.execute(insert(ContactMoment), contacts)
        events = [
            {
                "tenant_id": tenant.id,
                "id": uuid.uuid4(),
                "person_id": person,
                "kind": rng.choice(KINDS),
                "item_type": "core.news",
                "item_id": str(item.id),
                "occurred_at": now - timedelta(days=rng.uniform(0, days)),
            }
            for person in people
            for _ in range(args.events * args.months)
        ]
        events += [
            {
                "tenant_id": tenant.id,
                "id": uuid.uuid4(),
                "person_id": people[0],
                "kind": "impression",
                "item_type": "core.news",
                "item_id": str(item.id),
                "occurred_at": now - timedelta(minutes=index * 40),
            }
            for index in range(5000)
        ]
        for start in range(0, len(events), 5000):
            session.execute(insert(InteractionEvent), events[start : start + 5000])
        session.commit()
        print(f"{len(people)} people, {len(contacts)} contact moments, {len(events)} interactions")
    return tenant, coach, lead, people[0]


def main() -> None:
    """Fill, then measure and print."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=150)
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--events", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(base_settings(Path(folder)))
        migrate.upgrade(app)
        tenant, coach, lead, busy = fill(app, args)
        client = app.test_client()

        def log_in(staff_id: uuid.UUID) -> None:
            with client.session_transaction() as data:
                data["auth"] = {
                    "kind": "staff",
                    "id": str(staff_id),
                    "tenant": tenant.id,
                    "epoch": 0,
                    "seen": int(time.time()),
                }

        def get(path: str) -> None:
            response = client.get(f"/t/bench{path}")
            if response.status_code != 200:
                raise SystemExit(f"{path}: {response.status_code}")

        months = f"?months={args.months}"
        log_in(coach)
        page = median_ms(lambda: get(f"/workspace/report{months}"), args.repeat)
        with app.test_request_context(), tenant_context(tenant):
            report = caseload_report(
                accounts.caseload(coach), staff_id=coach, last=utcnow(), months=args.months
            )
            figures = median_ms(
                lambda: caseload_report(
                    accounts.caseload(coach), staff_id=coach, last=utcnow(), months=args.months
                ),
                args.repeat,
            )
            drawing = median_ms(
                lambda: [
                    draw(report) for draw in (charts.contacts, charts.reach, charts.spread, charts.channels)
                ],
                args.repeat,
            )
        csv = median_ms(lambda: get(f"/workspace/report/people.csv{months}"), args.repeat)
        person = median_ms(lambda: get(f"/workspace/people/{busy}"), args.repeat)
        log_in(lead)
        whole = median_ms(lambda: get(f"/workspace/report{months}"), args.repeat)
        print(f"coach's report page:            {page:8.1f} ms")
        print(f"  its figures:                  {figures:8.1f} ms")
        print(f"  its charts, drawn anew:       {drawing:8.1f} ms")
        print(f"team lead, whole organisation:  {whole:8.1f} ms")
        print(f"CSV of the per-person table:    {csv:8.1f} ms")
        print(f"person page, 5,000 impressions: {person:8.1f} ms")
        app.extensions["aandacht.db"].engine.dispose()


if __name__ == "__main__":
    main()
