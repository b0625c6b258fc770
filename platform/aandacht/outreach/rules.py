"""Triggered messages: rules whose condition, checked on a schedule, sends a message to whoever meets it.

A rule is a condition (a selection document, e.g. "no login for 14 days"), content (a template, or
texts per channel), optionally channels, and a cooldown: the same person never gets the same rule's
message twice within `cooldown_days`. The periodic job `check_rules` (every 15 minutes, per tenant)
checks every enabled rule among the people its maker may see (a coach: their caseload), with one
segments query, and writes the messages in batches exactly as a campaign does
(`campaigns.decide_batch`), with one multi-row INSERT per batch.

Each firing is idempotent: the message's key is `rule:<rule>:<person>:<period>`, the period being
the number of whole cooldowns since 1 January of year 1, so a run that is repeated (or two runs at
once) writes a person's message once; and people with a message of the rule within the cooldown are
passed over first. Rule messages are not campaign messages: the frequency cap does not count or stop
them (the cooldown is their cap). A person the rule's message cannot reach gets a failed message
with the reason, as with a coach's own message, so it shows in their list of messages.

A rule may wait for an event instead (a content item published, a profile answer, a person joined,
or a domain's own event): `aandacht.outreach.events` fires it when the event happens, with the same
cooldown, keys and decisions; its condition is then its audience.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, insert, select

from aandacht.accounts.principal import Principal
from aandacht.db import session, utcnow
from aandacht.outreach import campaigns, service
from aandacht.outreach.campaigns import BATCH, CampaignInvalid, Plan
from aandacht.outreach.event_kinds import event_kinds
from aandacht.outreach.message_templates import TemplateInvalid
from aandacht.outreach.models import Message, OutreachRule
from aandacht.segments import service as segments
from aandacht.segments.language import SelectionInvalid
from aandacht.tenancy.context import require_tenant
from aandacht.tenancy.scoping import get_scoped

#: The longest cooldown a rule may have, in days.
LONGEST_COOLDOWN = 365


@dataclass
class RuleFields:
    """What a staff member fills in for a rule."""

    name: str
    condition: Any
    template_id: uuid.UUID | None = None
    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    channels: list[str] | None = None
    cooldown_days: int = 14
    enabled: bool = True
    #: The event it waits for (None: the condition, checked on a schedule), and what the event must carry.
    event: str | None = None
    event_params: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, rule: OutreachRule) -> RuleFields:
        """The fields of a saved rule."""
        return cls(
            name=rule.name,
            condition=rule.condition,
            template_id=rule.template_id,
            texts=dict(rule.texts or {}),
            channels=list(rule.channels) if rule.channels is not None else None,
            cooldown_days=rule.cooldown_days,
            enabled=rule.enabled,
            event=rule.event,
            event_params=dict(rule.event_params or {}),
        )


def rules() -> list[OutreachRule]:
    """The tenant's rules, by name."""
    return list(session.execute(select(OutreachRule).order_by(OutreachRule.name)).scalars())


def rule_by_id(rule_id: uuid.UUID) -> OutreachRule | None:
    """One rule of the tenant in context."""
    return get_scoped(OutreachRule, rule_id)


def save_rule(
    values: RuleFields, *, acting_user: Principal, rule: OutreachRule | None = None
) -> OutreachRule:
    """Save a new rule (or change `rule`) after checking everything, and commit; raises CampaignInvalid."""
    errors: dict[str, str] = {}
    name = values.name.strip()
    if not name or len(name) > 120:
        errors["name"] = _("Give a name of 1 to 120 characters.")
    else:
        taken = select(OutreachRule.id).where(func.lower(OutreachRule.name) == name.lower())
        if rule is not None:
            taken = taken.where(OutreachRule.id != rule.id)
        if session.execute(taken).first() is not None:
            errors["name"] = _("There is already a rule with this name.")
    try:
        segments.checked(values.condition, segments.viewer_of(acting_user))
    except SelectionInvalid as invalid:
        errors["condition"] = "; ".join(f"{p.path or '/'}: {p.message}" for p in invalid.problems)
    if not 1 <= values.cooldown_days <= LONGEST_COOLDOWN:
        errors["cooldown_days"] = _("Give a number of days from 1 to %(most)d.", most=LONGEST_COOLDOWN)
    errors.update(campaigns.content_problems(values.template_id, values.texts, values.channels))
    errors.update(event_problems(values.event, values.event_params))
    if errors:
        raise CampaignInvalid(errors)
    now = utcnow()
    if rule is None:
        rule = OutreachRule(id=uuid.uuid4(), created_by=acting_user.id, created_at=now)
        session.add(rule)
    rule.name, rule.condition, rule.enabled = name, values.condition, values.enabled
    rule.template_id = values.template_id
    rule.texts = (
        None if values.template_id else {k: dict(v) for k, v in values.texts.items() if v.get("body")}
    )
    rule.channels, rule.cooldown_days, rule.changed_at = values.channels, values.cooldown_days, now
    rule.event = values.event or None
    rule.event_params = {k: v for k, v in values.event_params.items() if v not in (None, "")} or None
    session.commit()
    return rule


def event_problems(event: str | None, params: dict[str, Any]) -> dict[str, str]:
    """What is wrong with a rule's event and its parameters, per field (none for a condition rule)."""
    if not event:
        return {}
    kind = event_kinds(require_tenant()).get(event)
    if kind is None:
        return {"event": _("Choose one of the events.")}
    unknown = sorted(set(params) - set(kind.parameters))
    if unknown:
        return {"event_params": _("Unknown details: %(names)s.", names=", ".join(unknown))}
    missing = [name for name in kind.required if not params.get(name)]
    if missing:
        return {"event_params": _("Fill in: %(names)s.", names=", ".join(missing))}
    return kind.problems(params)


def check_rules(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic job: fire every enabled rule of the tenant; returns messages written per rule name.

    A rule that can no longer be checked (its maker left, its template or an attribute was removed) is
    switched off, so the workspace shows it as off.
    """
    now = now or utcnow()
    written: dict[str, int] = {}
    waiting = select(OutreachRule.id).where(OutreachRule.enabled, OutreachRule.event.is_(None))
    for rule_id in list(session.execute(waiting).scalars()):
        rule = session.execute(select(OutreachRule).where(OutreachRule.id == rule_id)).scalar_one()
        try:
            written[rule.name] = fire(rule, now=now)
        except (CampaignInvalid, SelectionInvalid, TemplateInvalid):
            session.rollback()
            rule = session.execute(select(OutreachRule).where(OutreachRule.id == rule_id)).scalar_one()
            rule.enabled = False
            session.commit()
    return written


def fire(rule: OutreachRule, *, now: datetime) -> int:
    """Send the rule's message to whoever meets its condition now and is out of its cooldown.

    Commits per batch; after each commit the batch's messages are handed to the queue. Returns how many
    messages it wrote.
    """
    rule_id = rule.id
    viewer = campaigns.viewer_for(rule)
    matching = sorted(segments.person_ids(rule.condition, viewer, now=now))
    plan = plan_of(rule, now)
    written = 0
    for start in range(0, len(matching), BATCH):
        written += write_and_hand_over(rule, plan, matching[start : start + BATCH], now)
    rule = session.execute(select(OutreachRule).where(OutreachRule.id == rule_id)).scalar_one()
    rule.last_run_at, rule.last_run_count = now, written
    session.commit()
    return written


def write_and_hand_over(rule: OutreachRule, plan: Plan, person_ids: list[uuid.UUID], now: datetime) -> int:
    """Write the messages of a batch with one multi-row INSERT, commit, and hand them over; how many."""
    rows = due_rows(rule, plan, person_ids, now)
    if rows:
        session.execute(insert(Message), rows)
    session.commit()
    service.hand_over_many([row["id"] for row in rows if row["handed_over_at"] is not None], bulk=False)
    return len(rows)


def due_rows(
    rule: OutreachRule, plan: Plan, person_ids: list[uuid.UUID], now: datetime
) -> list[dict[str, Any]]:
    """The rule's messages (their columns) to those of a batch who are out of its cooldown."""
    cooling = set(
        session.execute(
            select(Message.person_id).where(
                Message.person_id.in_(person_ids),
                Message.idempotency_key.startswith(f"rule:{rule.id}:", autoescape=True),
                Message.created_at > now - timedelta(days=rule.cooldown_days),
            )
        ).scalars()
    )
    due = [person_id for person_id in person_ids if person_id not in cooling]
    return [outcome.row for outcome in campaigns.decide_batch(plan, due, now) if outcome.row is not None]


def plan_of(rule: OutreachRule, now: datetime) -> Plan:
    """What deciding the rule's messages needs, read once; raises CampaignInvalid (template removed)."""
    template, served = campaigns.content_of(rule.template_id, rule.texts)
    period = now.toordinal() // rule.cooldown_days
    return Plan(
        campaign_id=None,
        key=f"rule:{rule.id}:{{person}}:{period}",
        sender_id=None,
        name=rule.name,
        channels=rule.channels,
        served=served,
        texts=dict(rule.texts or {}),
        template=template,
        sender=campaigns.maker_of(rule.created_by),
        link=None,
        broadcast=False,
        release_at=None,
        capped=False,
    )
