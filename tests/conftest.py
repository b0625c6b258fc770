"""Suite-wide fixtures; the platform's own fixtures come from the `aandacht.testing` pytest plugin."""

import pytest

from tests.scoping_models import create_example_tables


@pytest.fixture(scope="session")
def app(app):
    """The platform's app, with the example tenant-owned tables of the tenancy tests."""
    create_example_tables(app)
    return app
