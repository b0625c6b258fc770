"""The werk demo: generated caseloads whose coaches see people who need attention today, loaded once."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from aandacht.accounts.models import Person
from aandacht.accounts.service import caseload, caseload_holders
from aandacht.attention import service
from aandacht.db import session, utcnow
from aandacht.outreach.models import Message
from aandacht.personalisation.models import ContentItem, InteractionEvent
from aandacht.profiles.models import ProfileChange
from aandacht.tenancy.context import tenant_context
from aandacht_werk import demo_people, demo_search
from aandacht_werk.models import SearchActivity, SearchAgreement
from aandacht_werk.signals import WERK_SIGNALS

TABLES = (Person, ProfileChange, SearchActivity, SearchAgreement, InteractionEvent, Message, ContentItem)


@pytest.fixture
def demo_tenant(create_tenant, monkeypatch):
    """A werk tenant that gets the generated caseloads of the demo tenants."""
    tenant = create_tenant(domains=["werk"])
    monkeypatch.setattr(demo_people, "DEMO_TENANTS", (*demo_people.DEMO_TENANTS, tenant.slug))
    return tenant


def rows(app, tenant) -> dict[str, int]:
    with app.app_context(), tenant_context(tenant):
        return {
            model.__tablename__: session.execute(select(func.count()).select_from(model)).scalar_one()
            for model in TABLES
        }


def test_each_demo_coach_has_a_worklist_with_werk_signals_and_a_second_load_adds_nothing(
    app, runner, demo_tenant
):
    result = runner.invoke(args=["demo", "load", "--tenant", demo_tenant.slug])
    assert result.exit_code == 0, result.output
    first = rows(app, demo_tenant)
    seen: Counter[str] = Counter()
    with app.test_request_context(), tenant_context(demo_tenant):
        coaches = [staff for staff in caseload_holders() if caseload(staff.id)]
        assert len(coaches) == 2 + demo_people.EXTRA_COACHES
        for coach in coaches:
            assert 20 <= len(caseload(coach.id)) <= 40
            worklist = service.worklist(coach.id)
            keys = {signal.key for entry in worklist.entries for signal in entry.signals}
            assert worklist.entries, coach.email
            assert {key for key in keys if key.startswith("werk.")}, coach.email
            seen.update(keys)
    expected = {rule.key for rule in WERK_SIGNALS}
    if utcnow().day < 7:  # nothing of an agreement is due in a month's first days (docs/werk.md#demo-data)
        expected.discard("werk.agreement_behind")
    assert expected <= set(seen)
    core = {"inactive", "unread_messages", "engagement_drop", "profile_incomplete", "life_event"}
    assert core <= set(seen)
    assert first["person"] >= 12 + 4 * 20

    result = runner.invoke(args=["demo", "load", "--tenant", demo_tenant.slug])
    assert result.exit_code == 0, result.output
    assert rows(app, demo_tenant) == first


def test_other_tenants_get_no_generated_caseloads(app, runner, create_tenant):
    tenant = create_tenant(domains=["werk"])
    assert runner.invoke(args=["demo", "load", "--tenant", tenant.slug]).exit_code == 0
    assert rows(app, tenant)["person"] == 12  # the platform's demo residents only


def test_a_resident_with_an_agreement_but_no_activity_gets_no_second_agreement(
    app, runner, create_tenant, monkeypatch
):
    tenant = create_tenant(domains=["werk"])
    monkeypatch.setattr(demo_search, "_log_activities", lambda person, chance, today: None)
    assert runner.invoke(args=["demo", "load", "--tenant", tenant.slug]).exit_code == 0
    agreements = rows(app, tenant)["werk_search_agreement"]
    assert agreements > 0
    assert runner.invoke(args=["demo", "load", "--tenant", tenant.slug]).exit_code == 0
    assert rows(app, tenant)["werk_search_agreement"] == agreements
