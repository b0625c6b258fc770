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

Rules on events (a new content item, a profile answer) are not built yet.
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
from aandacht.outreach.message_templates import TemplateInvalid
from aandacht.outreach.models import Message, OutreachRule
from aandacht.segments import service as segments
from aandacht.segments.language import SelectionInvalid
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
    session.commit()
    return rule


def check_rules(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic job: fire every enabled rule of the tenant; returns messages written per rule name.

    A rule that can no longer be checked (its maker left, its template or an attribute was removed) is
    switched off, so the workspace shows it as off.
    """
    now = now or utcnow()
    written: dict[str, int] = {}
    for rule_id in list(session.execute(select(OutreachRule.id).where(OutreachRule.enabled)).scalars()):
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
    plan = _plan(rule, now)
    prefix = f"rule:{rule.id}:"
    written = 0
    for start in range(0, len(matching), BATCH):
        batch = matching[start : start + BATCH]
        cooling = set(
            session.execute(
                select(Message.person_id).where(
                    Message.person_id.in_(batch),
                    Message.idempotency_key.startswith(prefix, autoescape=True),
                    Message.created_at > now - timedelta(days=rule.cooldown_days),
                )
            ).scalars()
        )
        due = [person_id for person_id in batch if person_id not in cooling]
        rows = [outcome.row for outcome in campaigns.decide_batch(plan, due, now) if outcome.row is not None]
        if rows:
            session.execute(insert(Message), rows)
        session.commit()
        service.hand_over_many([row["id"] for row in rows if row["handed_over_at"] is not None], bulk=False)
        written += len(rows)
    rule = session.execute(select(OutreachRule).where(OutreachRule.id == rule_id)).scalar_one()
    rule.last_run_at, rule.last_run_count = now, written
    session.commit()
    return written


def _plan(rule: OutreachRule, now: datetime) -> Plan:
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
