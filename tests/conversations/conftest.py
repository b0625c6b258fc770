"""A tenant with a person, their coach, and a coach who does not have them in the caseload."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from aandacht.tenancy.context import CurrentTenant
from tests.api.helpers import log_in
from tests.outreach.conftest import (  # noqa: F401 - a real SMTP peer, and the person's channel preference
    mailbox,
    outreach_app,
    peer_settings,
    prefer,
    sms_gateway,
    vapid_keys,
)

EN = {"Accept-Language": "en"}


@dataclass(frozen=True)
class Cast:
    tenant: CurrentTenant
    person: object
    coach: object
    other_coach: object

    def url(self, path: str) -> str:
        return f"/t/{self.tenant.slug}{path}"

    def conversation(self) -> str:
        return self.url(f"/workspace/people/{self.person}/conversation")


@pytest.fixture
def cast(create_tenant, create_person, create_staff) -> Cast:
    tenant = create_tenant()
    person = create_person(tenant, display_name="Anna de Vries", email="anna@example.nl", locale="en")
    coach = create_staff(tenant, display_name="Carla Coach", caseload=[person])
    other_coach = create_staff(tenant, display_name="Otto Ander")
    return Cast(tenant, person, coach, other_coach)


@pytest.fixture
def as_coach(app, cast):
    client = app.test_client()
    log_in(client, cast.tenant, "staff", cast.coach)
    return client


@pytest.fixture
def as_person(app, cast):
    client = app.test_client()
    log_in(client, cast.tenant, "person", cast.person)
    return client
