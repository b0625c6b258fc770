"""A tenant with a person in a coach's caseload: what the person page and access log tests start from."""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture
def tenant(create_tenant):
    return create_tenant()


@pytest.fixture
def person(tenant, create_person):
    return create_person(tenant, display_name="Anna de Vries", email=f"{uuid.uuid4().hex[:8]}@example.nl")


@pytest.fixture
def coach(tenant, create_staff, person):
    return create_staff(tenant, caseload=[person], display_name="Carla Coach")
