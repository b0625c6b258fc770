"""What central tenant scoping costs per query: the scoped ORM path beside the same query without it.

Run: `make bench` (SQLite), or with DATABASE_URL (a role that may create databases) for PostgreSQL.
Prints the median and p95 of three paths over the same data in one run:
  core       : a hand-written Core SELECT on one open connection: the floor
  plain orm  : the same SELECT through a plain SQLAlchemy session (new session and transaction per query,
               tenant filtered by hand, no hook, no RLS): the baseline
  scoped orm : the same through the platform's session, as a request does it: app context, tenant hook,
               and on PostgreSQL the RLS setting and policy
  get_scoped : a lookup by id in a fresh session
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from aandacht import migrate
from aandacht.app import create_app
from aandacht.db import session
from aandacht.tenancy.context import tenant_context
from aandacht.tenancy.models import Tenant
from aandacht.tenancy.scoping import get_scoped
from aandacht.tenancy.service import snapshot
from aandacht.testing.pytest_plugin import APP_ROLE, APP_ROLE_PASSWORD, base_settings
from tests.scoping_models import Household, create_example_tables


def timed(function, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    return f"median {statistics.median(ordered):7.3f} ms   p95 {ordered[int(len(ordered) * 0.95)]:7.3f} ms"


def settings_for(backend: str, folder: Path) -> dict[str, str]:
    settings = base_settings(folder)
    if backend == "sqlite":
        return {**settings, "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite'}"}
    server = make_url(os.environ["DATABASE_URL"]).set(drivername="postgresql+psycopg")
    name = f"aandacht_bench_{os.getpid()}"
    with create_engine(server, isolation_level="AUTOCOMMIT").connect() as connection:
        if not connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": APP_ROLE}).first():
            connection.execute(text(f"CREATE ROLE {APP_ROLE} LOGIN PASSWORD '{APP_ROLE_PASSWORD}'"))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin = server.set(database=name)
    return {
        **settings,
        "DATABASE_URL": admin.set(username=APP_ROLE, password=APP_ROLE_PASSWORD).render_as_string(
            hide_password=False
        ),
        "DATABASE_ADMIN_URL": admin.render_as_string(hide_password=False),
    }


def run(backend: str, tenants: int, rows_per_tenant: int, repeat: int) -> None:
    folder = Path(tempfile.mkdtemp())
    app = create_app(settings_for(backend, folder))
    migrate.upgrade(app)
    create_example_tables(app)
    with app.app_context():
        created = [Tenant(slug=f"bench-{i}", name=f"Bench {i}", kind="municipality") for i in range(tenants)]
        session.add_all(created)
        session.commit()
        current = [snapshot(tenant) for tenant in created]
        for tenant in current:
            with tenant_context(tenant):
                session.execute(insert(Household), [{"name": f"h{i}"} for i in range(rows_per_tenant)])
                session.commit()
    target = current[len(current) // 2]
    name = f"h{rows_per_tenant // 2}"
    with app.app_context(), tenant_context(target):
        wanted = session.execute(select(Household.id).where(Household.name == name)).scalar_one()

    admin = create_engine(app.extensions["aandacht.settings"].database_admin_url)
    core_query = text("SELECT id, name FROM example_household WHERE tenant_id = :t AND name = :n")
    with admin.connect() as connection:
        core = timed(lambda: connection.execute(core_query, {"t": target.id, "n": name}).all(), repeat)

    def plain_orm_select():
        with Session(admin) as plain:
            plain.execute(
                select(Household).where(Household.tenant_id == target.id, Household.name == name)
            ).scalars().all()

    def orm_select():
        with app.app_context(), tenant_context(target):
            session.execute(select(Household).where(Household.name == name)).scalars().all()

    def orm_get():
        with app.app_context(), tenant_context(target):
            get_scoped(Household, wanted)

    plain = timed(plain_orm_select, repeat)
    orm = timed(orm_select, repeat)
    get = timed(orm_get, repeat)
    print(f"\n{backend}: {tenants} tenants x {rows_per_tenant} rows, {repeat} queries each")
    print(f"  core, one connection (floor)   {summary(core)}")
    print(f"  plain ORM session (baseline)   {summary(plain)}")
    print(f"  scoped ORM session             {summary(orm)}")
    print(f"  get_scoped by id               {summary(get)}")
    print(f"  scoped / baseline (median)     {statistics.median(orm) / statistics.median(plain):5.2f}x")
    admin.dispose()
    app.extensions["aandacht.db"].engine.dispose()
    if backend == "postgresql":
        name_db = app.extensions["aandacht.settings"].database_admin_url.database
        server = make_url(os.environ["DATABASE_URL"]).set(drivername="postgresql+psycopg")
        with create_engine(server, isolation_level="AUTOCOMMIT").connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name_db}" WITH (FORCE)'))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tenants", type=int, default=20)
    parser.add_argument("--rows", type=int, default=5000, help="rows per tenant")
    parser.add_argument("--repeat", type=int, default=500)
    args = parser.parse_args()
    backends = ["sqlite"] + (
        ["postgresql"] if os.environ.get("DATABASE_URL", "").startswith("postgresql") else []
    )
    for backend in backends:
        run(backend, args.tenants, args.rows, args.repeat)


if __name__ == "__main__":
    main()
