"""Pytest fixtures of the platform, shared with domain packages (registered as the `aandacht` plugin).

Databases: every test that takes `app` runs twice, on SQLite and on PostgreSQL. PostgreSQL is the
server named by `DATABASE_URL` (a role that may create databases and roles): each xdist worker gets a
fresh database migrated by that role, and the app connects as `aandacht_test_app`, a role that owns
nothing and so stays bound by row level security. Not configured: those tests skip, with the reason
(unless `AANDACHT_REQUIRE_SERVICES=1`, as in CI, which makes that a failure). Configured but not
answering: a failure, never a skip.

Isolation: each test makes its own tenants (`create_tenant`), and all tenant-owned data is scoped by
tenant, so tests share one migrated schema per worker and never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from flask import Flask
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

from aandacht import migrate
from aandacht.accounts import service
from aandacht.app import create_app
from aandacht.db import session
from aandacht.tenancy.context import CurrentTenant, tenant_context
from aandacht.tenancy.models import Tenant
from aandacht.tenancy.service import snapshot

APP_ROLE = "aandacht_test_app"
APP_ROLE_PASSWORD = "aandacht-test-only"  # noqa: S105 - a throwaway role in a throwaway database
BACKENDS = ("sqlite", "postgresql")


def _missing_service(variable: str) -> None:
    """Skip (a newcomer's run) or fail (CI) when a service is not configured."""
    message = f"{variable} is not set: tests that need it do not run"
    if os.environ.get("AANDACHT_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{message}, but AANDACHT_REQUIRE_SERVICES=1 requires them.", pytrace=False)
    pytest.skip(message)


def _worker_id(request: pytest.FixtureRequest) -> str:
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


def base_settings(instance_path: Path) -> dict[str, str]:
    """Settings for a test app: test environment, fixed secret, everything under `instance_path`."""
    return {
        "AANDACHT_ENV": "test",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "AANDACHT_INSTANCE_PATH": str(instance_path),
        "AANDACHT_TENANTS_DIR": str(instance_path / "tenants"),
        "LOG_FORMAT": "text",
    }


@pytest.fixture(scope="session")
def postgres_server_url() -> URL:
    """The PostgreSQL server of `DATABASE_URL`, checked to answer."""
    raw = os.environ.get("DATABASE_URL", "")
    if not raw.startswith("postgresql"):
        _missing_service("DATABASE_URL (PostgreSQL)")
    url = make_url(raw).set(drivername="postgresql+psycopg")
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        pytest.fail(f"DATABASE_URL is set but PostgreSQL does not answer: {error.orig}", pytrace=False)
    finally:
        engine.dispose()
    return url


@pytest.fixture(scope="session")
def postgres_urls(postgres_server_url: URL, request: pytest.FixtureRequest) -> Iterator[tuple[URL, URL]]:
    """(admin URL, app URL) of a fresh database for this worker, dropped at the end."""
    name = f"{postgres_server_url.database}_{_worker_id(request)}"[:63]
    server = create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(4711)"))
        try:
            exists = connection.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": APP_ROLE}
            ).first()
            if not exists:
                connection.execute(text(f"CREATE ROLE {APP_ROLE} LOGIN PASSWORD '{APP_ROLE_PASSWORD}'"))
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(4711)"))
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin = postgres_server_url.set(database=name)
    yield admin, admin.set(username=APP_ROLE, password=APP_ROLE_PASSWORD)
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def _database_settings(backend: str, request: pytest.FixtureRequest, instance_path: Path) -> dict[str, str]:
    if backend == "sqlite":
        return {"DATABASE_URL": f"sqlite:///{instance_path / 'test.sqlite'}"}
    admin, app_url = request.getfixturevalue("postgres_urls")
    return {
        "DATABASE_URL": app_url.render_as_string(hide_password=False),
        "DATABASE_ADMIN_URL": admin.render_as_string(hide_password=False),
    }


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database the test runs on: sqlite, then postgresql."""
    return request.param


@pytest.fixture(scope="session")
def app_settings(backend: str, request: pytest.FixtureRequest, tmp_path_factory) -> dict[str, str]:
    """Settings of the session's app on `backend`: a migrated database of this worker."""
    instance_path = tmp_path_factory.mktemp(f"instance-{backend}")
    return {**base_settings(instance_path), **_database_settings(backend, request, instance_path)}


@pytest.fixture(scope="session")
def app(app_settings: dict[str, str]) -> Iterator[Flask]:
    """The application on a database migrated to every head (one per backend and worker)."""
    application = create_app(app_settings)
    migrate.upgrade(application)
    yield application
    application.extensions["aandacht.db"].engine.dispose()


@pytest.fixture
def client(app: Flask):
    """A test client of `app`."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    """A CLI runner of `app`."""
    return app.test_cli_runner()


@pytest.fixture
def create_tenant(app: Flask) -> Callable[..., CurrentTenant]:
    """Make a tenant with a unique slug: `create_tenant(domains=["werk"], status="active", ...)`."""

    def make(**overrides) -> CurrentTenant:
        slug = overrides.pop("slug", None) or f"t-{uuid.uuid4().hex[:10]}"
        values = {"name": f"Tenant {slug}", "kind": "municipality", "domains": [], "locales": ["nl", "en"]}
        with app.app_context():
            tenant = Tenant(slug=slug, **{**values, **overrides})
            session.add(tenant)
            session.commit()
            return snapshot(tenant)

    return make


@pytest.fixture(scope="session")
def redis_url(request: pytest.FixtureRequest) -> str:
    """The Redis of `REDIS_URL`, checked to answer; each xdist worker gets a database number of its own.

    The numbers count on from the one in `REDIS_URL` (`/0`: 1, 2, …; `/5`: 6, 7, …), so two runs
    started with different numbers do not take each other's jobs.
    """
    url = os.environ.get("REDIS_URL")
    if not url:
        _missing_service("REDIS_URL")
    worker = _worker_id(request)
    parts = urlsplit(url)
    if worker.startswith("gw") and parts.scheme in ("redis", "rediss"):
        base = int(parts.path.strip("/") or 0) if parts.path.strip("/").isdigit() else 0
        url = urlunsplit(parts._replace(path=f"/{(base + 1 + int(worker[2:])) % 16}"))
    try:
        Redis.from_url(url).ping()
    except RedisConnectionError as error:
        pytest.fail(f"REDIS_URL is set but Redis does not answer: {error}", pytrace=False)
    return url


@pytest.fixture
def create_person(app: Flask) -> Callable[..., uuid.UUID]:
    """Add a resident to a tenant: `create_person(tenant, email="a@b.nl", password="...")`; returns the id."""

    def make(tenant: CurrentTenant, **values) -> uuid.UUID:
        values.setdefault("display_name", f"Persoon {uuid.uuid4().hex[:6]}")
        with app.app_context(), tenant_context(tenant):
            return service.create_person(**values).id

    return make


@pytest.fixture
def create_staff(app: Flask) -> Callable[..., uuid.UUID]:
    """Add a staff member: `create_staff(tenant, role="coach", email=..., password=..., caseload=[ids])`."""

    def make(tenant: CurrentTenant, *, caseload: list[uuid.UUID] = (), **values) -> uuid.UUID:
        values.setdefault("display_name", f"Coach {uuid.uuid4().hex[:6]}")
        values.setdefault("email", f"{uuid.uuid4().hex[:8]}@staff.example.nl")
        values.setdefault("role", "coach")
        with app.app_context(), tenant_context(tenant):
            staff = service.create_staff(**values)
            if caseload:
                service.assign_to_caseload(staff_id=staff.id, person_ids=list(caseload))
            return staff.id

    return make
