"""The demo: `aandacht demo load` makes working logins for every role; loading it again changes nothing."""

import re

from sqlalchemy import func, select

from aandacht.accounts.demo import DEMO_PASSWORD, demo_addresses, demo_code
from aandacht.accounts.models import CaseloadAssignment, Person, StaffMember
from aandacht.db import session
from aandacht.tenancy.context import tenant_context
from tests.helpers import heading, post_form


def counts(app, tenant):
    with app.app_context(), tenant_context(tenant):
        return [
            session.execute(select(func.count()).select_from(model)).scalar()
            for model in (Person, StaffMember, CaseloadAssignment)
        ]


def test_demo_accounts_log_in_and_loading_twice_changes_nothing(app, runner, create_tenant):
    tenant = create_tenant(name="Demo Gemeente")
    assert runner.invoke(args=["demo", "load", "--tenant", tenant.slug]).exit_code == 0
    first = counts(app, tenant)
    assert first == [12, 4, 13]
    assert runner.invoke(args=["demo", "load", "--tenant", tenant.slug]).exit_code == 0
    assert counts(app, tenant) == first

    addresses = demo_addresses(tenant)
    resident = app.test_client()
    resident.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
    post_form(
        resident,
        f"/t/{tenant.slug}/login/password",
        {"email": addresses["resident"], "password": DEMO_PASSWORD},
    )
    assert heading(resident.get(f"/t/{tenant.slug}/app/")) == "Hallo Fatima El Amrani"

    coach = app.test_client()
    post_form(
        coach, f"/t/{tenant.slug}/staff/login", {"email": addresses["coach"], "password": DEMO_PASSWORD}
    )
    landed = post_form(coach, f"/t/{tenant.slug}/staff/login/code", {"code": demo_code()})
    assert landed.headers["Location"] == f"/t/{tenant.slug}/workspace/"
    caseload = coach.get(landed.headers["Location"]).get_data(as_text=True)
    table = caseload[caseload.index('data-testid="caseload"') :]
    assert len(re.findall(r'<tr class="utrecht-table__row">', table)) == 1 + 7


def test_demo_logins_are_printed(runner, create_tenant):
    tenant = create_tenant()
    output = runner.invoke(args=["demo", "logins"]).output
    assert f"coach@{tenant.slug}.demo" in output
    assert f"Password of every demo account: {DEMO_PASSWORD}" in output


def test_demo_load_refuses_an_unknown_tenant(runner):
    result = runner.invoke(args=["demo", "load", "--tenant", "no-such-tenant"])
    assert result.exit_code == 2
    assert "no active tenant no-such-tenant" in result.output
