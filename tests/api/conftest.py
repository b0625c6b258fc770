"""Fixtures of the API tests."""

import pytest


@pytest.fixture
def tenant(create_tenant):
    return create_tenant()


@pytest.fixture
def other_tenant(create_tenant):
    return create_tenant()
