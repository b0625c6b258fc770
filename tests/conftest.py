"""Suite-wide fixtures; the platform's own fixtures come from the `aandacht.testing` pytest plugin."""

from contextlib import contextmanager

import pytest

from aandacht.tenancy.context import tenant_context
from tests.scoping_models import create_example_tables


@pytest.fixture(scope="session")
def app(app):
    """The platform's app, with the example tenant-owned tables of the tenancy tests."""
    create_example_tables(app)
    return app


@pytest.fixture
def in_tenant(app):
    """A context manager: the app context and the context of the given tenant."""

    @contextmanager
    def enter(tenant):
        with app.app_context(), tenant_context(tenant):
            yield

    return enter
