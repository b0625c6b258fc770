"""Fixtures of the web tests: accounts of a tenant, and a test client logged in as one of them."""

from __future__ import annotations

import re
from collections.abc import Callable

import flask
import pytest
from flask import Flask

from aandacht.accounts import service
from aandacht.accounts.sessions import log_in
from aandacht.tenancy.context import CurrentTenant, tenant_context

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def make_account(app: Flask) -> Callable:
    """`make_account(tenant, "coach", name)`: a person ("resident") or staff member of `tenant`."""

    def make(tenant: CurrentTenant, role: str, name: str, **extra):
        email = f"{name.split()[0].lower()}@{tenant.slug}.example.org"
        with app.app_context(), tenant_context(tenant):
            if role == "resident":
                return service.create_person(display_name=name, email=email, **extra)
            return service.create_staff(display_name=name, email=email, role=role, **extra)

    return make


@pytest.fixture
def log_in_as(app: Flask) -> Callable:
    """`log_in_as(client, tenant, account)`: give the client the session that logging in makes."""

    def enter(client, tenant: CurrentTenant, account) -> None:
        kind = "staff" if hasattr(account, "role") else "person"
        with app.test_request_context(f"/t/{tenant.slug}/"), tenant_context(tenant):
            log_in(kind, account)
            data = dict(flask.session)
        with client.session_transaction() as session:
            session.clear()
            session.update(data)

    return enter


def csrf_token(page: bytes) -> str:
    """The form token of a rendered page."""
    match = _CSRF.search(page.decode())
    assert match, "the page has no form token"
    return match.group(1)
