"""A werk tenant (its domain brings the outcome types), a coach with one person, and a stranger."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from aandacht.accounts.models import Person
from aandacht.db import session
from aandacht.tenancy.context import CurrentTenant, tenant_context
from aandacht.tenancy.scoping import get_scoped


@dataclass
class Caseload:
    tenant: CurrentTenant
    person: uuid.UUID
    stranger: uuid.UUID
    coach: uuid.UUID
    lead: uuid.UUID


@pytest.fixture
def caseload(app, create_tenant, create_person, create_staff) -> Caseload:
    tenant = create_tenant(domains=["werk"])
    person = create_person(tenant, display_name="Sanne Bakker")
    stranger = create_person(tenant, display_name="Piet Smit")
    with app.app_context(), tenant_context(tenant):
        get_scoped(Person, person).external_id = "CL-0001"
        get_scoped(Person, stranger).external_id = "CL-0002"
        session.commit()
    coach = create_staff(tenant, caseload=[person])
    lead = create_staff(tenant, role="team_lead")
    return Caseload(tenant, person, stranger, coach, lead)
