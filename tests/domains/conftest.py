"""Fixtures of the werk tests: a tenant that enables werk, and vacancies published in it."""

import pytest

from aandacht.personalisation.catalogue import ItemFields, save_item
from aandacht.tenancy.context import tenant_context

#: The details of a vacancy, unless a test says otherwise.
JOB = {"employer": "Bol", "place": "Hengelo", "hours": 32, "contract": "temporary", "sector": "logistics"}


@pytest.fixture
def werk_tenant(create_tenant):
    return create_tenant(domains=["werk"])


@pytest.fixture
def vacancy(app, werk_tenant):
    """Publish a vacancy: `vacancy("Orderpicker", sector="logistics")`; returns its id."""

    def make(title: str, **details):
        with app.test_request_context(), tenant_context(werk_tenant):
            item = save_item(ItemFields(type="werk.vacancy", title=title, details={**JOB, **details}))
            return item.id

    return make
