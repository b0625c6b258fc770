"""Triggered messages: a rule's condition, checked on a schedule, fires once per person per cooldown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from aandacht.accounts.principal import Principal
from aandacht.db import session, utcnow
from aandacht.outreach import rules
from aandacht.outreach.campaigns import CampaignInvalid
from aandacht.outreach.models import Message
from aandacht.outreach.rules import RuleFields
from aandacht.tenancy.context import tenant_context

INACTIVE = {"last_active": {"op": "not_since", "value": {"days_ago": 14}}}
TEXTS = {"in_app": {"subject": "We missen u", "body": "Kijk eens in de app: er is nieuws voor u."}}


@pytest.fixture
def setting(outreach_app, create_tenant, create_person, create_staff):
    """A tenant with 3 people, a coach with 2 of them, and a rule of the coach on inactivity."""
    tenant = create_tenant()
    people = [create_person(tenant) for _ in range(3)]
    coach = create_staff(tenant, caseload=people[:2])
    principal = Principal(kind="staff", id=coach, tenant_id=tenant.id, role="coach")
    with outreach_app.app_context(), tenant_context(tenant):
        rule = rules.save_rule(
            RuleFields(name="Niet ingelogd", condition=INACTIVE, texts=TEXTS, cooldown_days=7),
            acting_user=principal,
        )
        return tenant, people, principal, rule.id


def rule_messages(app, tenant, rule_id) -> list[Message]:
    """The messages of the rule, oldest first."""
    with app.app_context(), tenant_context(tenant):
        query = select(Message).where(Message.idempotency_key.startswith(f"rule:{rule_id}:"))
        return list(session.execute(query.order_by(Message.created_at)).scalars())


def test_a_rule_fires_once_per_cooldown_for_the_people_its_maker_sees(outreach_app, setting):
    tenant, people, _principal, rule_id = setting
    now = utcnow()
    with outreach_app.app_context(), tenant_context(tenant):
        assert rules.check_rules(now=now) == {"Niet ingelogd": 2}
        assert rules.check_rules(now=now) == {"Niet ingelogd": 0}  # the same run again: nothing new
        assert rules.check_rules(now=now + timedelta(days=6)) == {"Niet ingelogd": 0}  # in the cooldown
    first = rule_messages(outreach_app, tenant, rule_id)
    assert sorted(m.person_id for m in first) == sorted(people[:2])
    assert {(m.channel, m.status, m.campaign_id) for m in first} == {("in_app", "sent", None)}
    with outreach_app.app_context(), tenant_context(tenant):
        assert rules.check_rules(now=now + timedelta(days=8)) == {"Niet ingelogd": 2}  # after it
    keys = [m.idempotency_key for m in rule_messages(outreach_app, tenant, rule_id)]
    assert len(keys) == len(set(keys)) == 4


def test_a_switched_off_rule_does_not_fire(outreach_app, setting):
    tenant, _people, principal, rule_id = setting
    with outreach_app.app_context(), tenant_context(tenant):
        rule = rules.rule_by_id(rule_id)
        rules.save_rule(
            RuleFields(**{**vars(RuleFields.of(rule)), "enabled": False}), acting_user=principal, rule=rule
        )
        assert rules.check_rules() == {}
    assert rule_messages(outreach_app, tenant, rule_id) == []


def test_a_rule_is_checked_when_saved(outreach_app, setting):
    tenant, _people, principal, _rule_id = setting
    with outreach_app.app_context(), tenant_context(tenant), pytest.raises(CampaignInvalid) as refused:
        rules.save_rule(
            RuleFields(name="Niet ingelogd", condition={"nonsense": 1}, texts={}, cooldown_days=0),
            acting_user=principal,
        )
    assert set(refused.value.errors) == {"name", "condition", "cooldown_days", "texts"}
