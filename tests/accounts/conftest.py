"""Shared fixtures of the account tests: a tenant, and a client that reads Dutch."""

import pytest


@pytest.fixture
def tenant(create_tenant):
    return create_tenant(name="Gemeente Proef")


@pytest.fixture
def client(app):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
    return client
