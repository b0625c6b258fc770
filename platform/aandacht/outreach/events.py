"""Rules on events: the receivers of the engines' hooks, and the job that fires rules for many people.

When an event happens (`aandacht.outreach.event_kinds`), the rules waiting for it whose parameters
match are fired in the transaction of the event itself, before it commits: the database is the outbox,
so the messages exist exactly when the event does. A message is decided exactly as a condition rule
decides it (`rules.due_rows`): only for people its maker may see who meet its condition (its audience),
out of its cooldown, on the channels that reach them after opt-outs, with quiet hours and fallback.

An event that concerns many people (more than `IN_TRANSACTION`, or a content item, whose people are
everyone who may see it) is written as an `OutreachEvent` row in the same transaction instead, and a
job carrying its id (`handle`) fires the rules in batches. The periodic `hand_over_again` gives the
queue every event whose job did not come (and removes handled events after a week). A rule that
fails (its template or maker is gone) never stops the event: it is skipped in the request and
logged, and switched off by the job.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError

from aandacht import jobs
from aandacht.accounts.signals import person_joined
from aandacht.db import session, utcnow
from aandacht.outreach import campaigns, rules, service
from aandacht.outreach.campaigns import BATCH, CampaignInvalid
from aandacht.outreach.event_kinds import EventKind, event_kinds
from aandacht.outreach.message_templates import TemplateInvalid
from aandacht.outreach.models import Message, OutreachEvent, OutreachRule
from aandacht.outreach.signals import event_happened
from aandacht.personalisation.signals import item_published
from aandacht.profiles.signals import answer_recorded
from aandacht.segments import service as segments
from aandacht.segments.language import SelectionInvalid
from aandacht.tenancy.context import require_tenant

log = logging.getLogger(__name__)

#: The most people whose messages an event decides in its own transaction; more go to a job.
IN_TRANSACTION = 20
#: The job that fires the rules of an event for many people.
HANDLE = "aandacht.outreach.events:handle"
#: An event whose job has not come after this long is handed to the queue again.
HAND_OVER_AGAIN_AFTER = timedelta(minutes=5)
#: A handled event is kept this long (to see what happened), then removed: its messages stay.
KEEP_HANDLED = timedelta(days=7)
_FAILURES = (CampaignInvalid, SelectionInvalid, TemplateInvalid)


def happened(kind: str, person_ids: Sequence[uuid.UUID] | None, details: Mapping[str, Any]) -> None:
    """Fire the rules waiting for this event, in the caller's transaction (the caller commits)."""
    definition = event_kinds(require_tenant()).get(kind)
    if definition is None:
        log.warning("outreach event %s is not declared; no rule waits for it", kind)
        return
    details = json.loads(json.dumps(dict(details), default=str))
    waiting = _waiting_rules(definition, details)
    if not waiting:
        return
    now = utcnow()
    if definition.audience is None and person_ids is not None and len(person_ids) <= IN_TRANSACTION:
        for rule in waiting:
            _fire_here(rule, definition, list(person_ids), details, now)
        return
    event = OutreachEvent(
        id=uuid.uuid4(),
        kind=kind,
        details=details,
        person_ids=None if person_ids is None else [str(person_id) for person_id in person_ids],
        created_at=now,
        handed_over_at=now,
    )
    session.add(event)
    jobs.enqueue(HANDLE, str(event.id), queue="bulk", best_effort=True)


def _waiting_rules(definition: EventKind, details: Mapping[str, Any]) -> list[OutreachRule]:
    found = session.execute(
        select(OutreachRule)
        .where(OutreachRule.enabled, OutreachRule.event == definition.key)
        .order_by(OutreachRule.name)
    ).scalars()
    return [rule for rule in found if definition.matches(rule.event_params or {}, details)]


def _fire_here(
    rule: OutreachRule,
    definition: EventKind,
    person_ids: list[uuid.UUID],
    details: Mapping[str, Any],
    now: datetime,
) -> None:
    """Write the rule's messages to these few people in a savepoint: a failing rule writes nothing."""
    try:
        with session.begin_nested():
            viewer = campaigns.viewer_for(rule)
            audience = [
                person_id
                for person_id in person_ids
                if segments.includes(rule.condition, viewer, person_id, now=now)
            ]
            rows = rules.due_rows(rule, _plan(rule, definition, details, now), audience, now)
            session.add_all(Message(**row) for row in rows)
    except (*_FAILURES, IntegrityError) as failure:  # IntegrityError: the same event at once, elsewhere
        log.warning("outreach rule %s skipped on event %s: %s", rule.id, definition.key, failure)
        return
    # Held by `aandacht.jobs` until the event's transaction commits (the savepoint flushed the rows).
    service.hand_over_many([row["id"] for row in rows if row["handed_over_at"] is not None], bulk=False)


def _plan(rule: OutreachRule, definition: EventKind, details: Mapping[str, Any], now: datetime) -> Any:
    plan = rules.plan_of(rule, now)
    return replace(plan, link=definition.link(details)) if definition.link else plan


def handle(event_id: str) -> dict[str, int]:
    """The job of an event for many people: fire each waiting rule in batches; messages per rule name.

    Idempotent: a rule's messages are keyed per person and cooldown, and people in the cooldown are
    passed over, so a job that runs twice (or is handed over again) writes each message once.
    """
    event = session.execute(
        select(OutreachEvent).where(OutreachEvent.id == uuid.UUID(event_id))
    ).scalar_one_or_none()
    if event is None or event.handled_at is not None:
        return {}
    definition = event_kinds(require_tenant()).get(event.kind)
    written: dict[str, int] = {}
    now = utcnow()
    for rule_id in [rule.id for rule in _waiting_rules(definition, event.details)] if definition else []:
        rule = session.execute(select(OutreachRule).where(OutreachRule.id == rule_id)).scalar_one()
        try:
            written[rule.name] = _fire_for_event(rule, definition, event, now)
        except _FAILURES as failure:
            session.rollback()
            log.warning("outreach rule %s switched off on event %s: %s", rule_id, event.kind, failure)
            rule = session.execute(select(OutreachRule).where(OutreachRule.id == rule_id)).scalar_one()
            rule.enabled = False
            session.commit()
    event = session.execute(select(OutreachEvent).where(OutreachEvent.id == uuid.UUID(event_id))).scalar_one()
    event.handled_at = utcnow()
    session.commit()
    return written


def _fire_for_event(rule: OutreachRule, definition: EventKind, event: OutreachEvent, now: datetime) -> int:
    """The rule's messages to the people of the event in its audience, a batch per commit; how many."""
    viewer = campaigns.viewer_for(rule)
    document = rule.condition
    if definition.audience is not None:
        document = {"and": [rule.condition, definition.audience(event.details)]}
    matching = segments.person_ids(document, viewer, now=now)
    if event.person_ids is not None:
        named = {uuid.UUID(person_id) for person_id in event.person_ids}
        matching = [person_id for person_id in matching if person_id in named]
    matching.sort()
    plan = _plan(rule, definition, event.details, now)
    written = 0
    for start in range(0, len(matching), BATCH):
        written += rules.write_and_hand_over(rule, plan, matching[start : start + BATCH], now)
    return written


def hand_over_again(*, now: datetime | None = None) -> int:
    """The periodic job: give the queue every event not handled whose job did not come; how many.

    It also removes the events handled longer than `KEEP_HANDLED` ago.
    """
    now = now or utcnow()
    session.execute(
        delete(OutreachEvent)
        .where(OutreachEvent.handled_at < now - KEEP_HANDLED)
        .execution_options(synchronize_session=False)
    )
    waiting = list(
        session.execute(
            select(OutreachEvent).where(
                OutreachEvent.handled_at.is_(None),
                or_(
                    OutreachEvent.handed_over_at.is_(None),
                    OutreachEvent.handed_over_at < now - HAND_OVER_AGAIN_AFTER,
                ),
            )
        ).scalars()
    )
    for event in waiting:
        event.handed_over_at = now
    ids = [str(event.id) for event in waiting]
    session.commit()
    for event_id in ids:
        jobs.enqueue(HANDLE, event_id, queue="bulk", best_effort=True)
    return len(ids)


# --- The hooks of the engines -------------------------------------------------------------------------


@person_joined.connect
def _joined(_sender: Any, *, person_ids: Sequence[uuid.UUID], **_kwargs: Any) -> None:
    happened("person.joined", person_ids, {})


@answer_recorded.connect
def _answered(_sender: Any, *, person_id: uuid.UUID, changes: Sequence[Any], **_kwargs: Any) -> None:
    for change in changes:
        if change.new is not None:
            happened("profile.answered", [person_id], {"attribute": change.key, "value": change.new})


@item_published.connect
def _published(
    _sender: Any,
    *,
    item_id: uuid.UUID,
    item_type: str,
    eligibility_segment_id: uuid.UUID | None,
    link_url: str | None = None,
    **_kwargs: Any,
) -> None:
    details = {"item_id": item_id, "type": item_type, "eligibility_segment_id": eligibility_segment_id}
    happened("content.published", None, {**details, "link_url": link_url})


@event_happened.connect
def _domain_event(
    _sender: Any,
    *,
    kind: str,
    person_ids: Sequence[uuid.UUID] | None = None,
    details: Mapping[str, Any] | None = None,
    **_kwargs: Any,
) -> None:
    happened(kind, person_ids, details or {})
