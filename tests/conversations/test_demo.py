"""The demo: `aandacht demo load` gives the demo coach conversations that show on the worklist."""

from __future__ import annotations

from sqlalchemy import func, select

from aandacht.accounts import service as accounts
from aandacht.accounts.demo import demo_addresses
from aandacht.conversations.models import Appointment, ConversationMessage
from aandacht.db import session
from aandacht.outreach.models import Message
from aandacht.tenancy.context import tenant_context
from tests.api.helpers import log_in


def counts(app, tenant) -> tuple[int, int, int]:
    with app.app_context(), tenant_context(tenant):
        return tuple(
            session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (ConversationMessage, Appointment, Message)
        )


def test_the_demo_coach_has_conversations_and_loading_twice_changes_nothing(app, runner, create_tenant):
    tenant = create_tenant()
    assert runner.invoke(args=["demo", "load", "--tenant", tenant.slug]).exit_code == 0
    loaded = counts(app, tenant)
    assert loaded == (5, 2, 0)  # written as they were; no notices go out
    assert runner.invoke(args=["demo", "load", "--tenant", tenant.slug]).exit_code == 0
    assert counts(app, tenant) == loaded
    with app.app_context(), tenant_context(tenant):
        coach = accounts.staff_by_email(demo_addresses(tenant)["coach"]).id
    client = app.test_client()
    log_in(client, tenant, "staff", coach)
    page = client.get(f"/t/{tenant.slug}/workspace/", headers={"Accept-Language": "en"}).text
    assert "Waiting 2 days for an answer from the coach" in page
    assert "Did not come to the appointment of" in page
