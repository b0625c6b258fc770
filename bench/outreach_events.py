"""Rules on events: one content item published to 10,000 people, and profile answers with a rule waiting.

Run: `python -m bench.outreach_events` with DATABASE_URL a superuser URL of a PostgreSQL server and Redis
on 127.0.0.1 (database 15 unless `--redis` says otherwise; its queues are emptied), e.g.
`DATABASE_URL=postgresql://postgres@127.0.0.1/postgres python -m bench.outreach_events`. It creates its
own database, migrates it, and drops it at the end.

1. publish: a team lead's rule waits for new content; one item is published that all `--people` may
   see. Timed: the publishing transaction (what the request does: the item and one `outreach_event`
   row; the job is only handed to Redis), then the job `events.handle` in this process: messages
   written per second (the rule's in-app message to everyone, in batches of 1,000).
2. answers: a rule waits for an answer to `core.preferred_channel`; `--answers` people answer one by
   one (`set_values`, which fires the rule in the answer's own transaction). Timed: milliseconds per
   answer, against the same answers with the rule switched off.
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from aandacht import jobs, migrate
from aandacht.app import create_app
from aandacht.db import session
from aandacht.outreach import events, rules
from aandacht.outreach.models import Message, OutreachEvent, OutreachRule
from aandacht.outreach.rules import RuleFields
from aandacht.personalisation.catalogue import ItemFields, save_item
from aandacht.profiles.service import set_values
from aandacht.tenancy.context import tenant_context
from aandacht.testing.pytest_plugin import base_settings
from bench.outreach import add_people, new_tenant
from bench.profiles import create_database, drop_database, has_postgres

TEXTS = {"in_app": {"subject": "Nieuw", "body": "Er staat iets nieuws voor u klaar."}}


def run(args: argparse.Namespace) -> None:
    """Set up the database and the tenant, the two measurements, drop the database."""
    name = f"aandacht_bench_events_{os.getpid()}"
    settings: dict[str, str] = {}
    try:
        settings = {
            **base_settings(Path(tempfile.mkdtemp())),
            **create_database(name),
            "REDIS_URL": args.redis,
            "AANDACHT_PUBLIC_URL": "https://aandacht.test",
            "LOG_LEVEL": "WARNING",
        }
        app = create_app(settings)
        logging.getLogger("alembic").setLevel(logging.WARNING)
        migrate.upgrade(app)
        for queue in jobs.QUEUES:
            jobs.queue_named(app, queue).empty()
        tenant, lead = new_tenant(app, "events")
        add_people(settings, tenant.id, args.people, "events.example")
        with app.app_context(), tenant_context(tenant):
            rules.save_rule(
                RuleFields(name="Nieuw", condition={"and": []}, texts=TEXTS, event="content.published"),
                acting_user=lead,
            )
            began = time.perf_counter()
            save_item(ItemFields(type="core.news", title="Banenmarkt", link_url="https://example.org/b"))
            published = time.perf_counter() - began
            event_id = str(session.execute(select(OutreachEvent.id)).scalar_one())
            began = time.perf_counter()
            written = events.handle(event_id)["Nieuw"]
            handled = time.perf_counter() - began
            print(f"publish to {args.people} people: the transaction {published * 1000:.0f} ms; the job "
                  f"{handled:.1f} s, {written} messages, {written / handled:.0f} messages/s")  # fmt: skip
            people = list(session.execute(select(Message.person_id).limit(args.answers)).scalars())
            rule = rules.save_rule(
                RuleFields(
                    name="Antwoord",
                    condition={"and": []},
                    texts=TEXTS,
                    event="profile.answered",
                    event_params={"attribute": "core.preferred_channel"},
                ),
                acting_user=lead,
            )
            for label, enabled, answer in (("rule off", False, "email"), ("rule on", True, "sms")):
                session.execute(
                    select(OutreachRule).where(OutreachRule.id == rule.id)
                ).scalar_one().enabled = enabled
                session.commit()
                before = session.execute(select(func.count()).select_from(Message)).scalar_one()
                began = time.perf_counter()
                for person_id in people:
                    set_values(
                        person_id, {"core.preferred_channel": answer}, source="person", audience="person"
                    )
                spent = (time.perf_counter() - began) / len(people)
                after = session.execute(select(func.count()).select_from(Message)).scalar_one()
                print(f"answers, {label}: {spent * 1000:.1f} ms per answer ({after - before} messages)")
        for queue in jobs.QUEUES:
            jobs.queue_named(app, queue).empty()
        app.extensions["aandacht.db"].engine.dispose()
    finally:
        if settings:
            drop_database(name)


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments; skip without PostgreSQL."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=10_000, help="people who may see the item")
    parser.add_argument("--answers", type=int, default=200, help="answers timed one by one")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15", help="a Redis database of its own")
    args = parser.parse_args(argv)
    if has_postgres("bench.outreach_events"):
        run(args)


if __name__ == "__main__":
    main()
