"""Migrations: an empty database reaches every head, goes back and up again, and matches the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from aandacht import migrate
from aandacht.app import create_app
from aandacht.db import Base
from aandacht.testing.pytest_plugin import base_settings


@pytest.fixture
def empty_database(backend, request, tmp_path):
    """Settings of an empty database on `backend`, removed afterwards."""
    settings = base_settings(tmp_path)
    if backend == "sqlite":
        yield {**settings, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite'}"}
        return
    server = request.getfixturevalue("postgres_server_url")
    _, app_url = request.getfixturevalue("postgres_urls")
    name = f"{server.database}_{tmp_path.name}"[:63].replace("-", "_")
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield {
        **settings,
        "DATABASE_URL": app_url.set(database=name).render_as_string(hide_password=False),
        "DATABASE_ADMIN_URL": server.set(database=name).render_as_string(hide_password=False),
    }
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def admin_engine(app):
    return create_engine(app.extensions["aandacht.settings"].database_admin_url)


def state(app):
    """The tables of the database and every revision applied to it (with what the heads depend on)."""
    script = ScriptDirectory.from_config(migrate.alembic_config(app))
    engine = admin_engine(app)
    with engine.connect() as connection:
        tables = sorted(inspect(connection).get_table_names())
        heads = MigrationContext.configure(connection).get_current_heads()
    engine.dispose()
    applied = {revision.revision for revision in script.revision_map.iterate_revisions(heads, "base")}
    return tables, applied


def test_upgrade_downgrade_upgrade_round_trip(empty_database):
    app = create_app(empty_database)
    script = ScriptDirectory.from_config(migrate.alembic_config(app))
    every_revision = {revision.revision for revision in script.walk_revisions()}
    assert {"core_0001", "werk_0001", "sw_0001", "ouderen_0001"} <= every_revision

    migrate.upgrade(app)
    tables, applied = state(app)
    assert applied == every_revision
    assert {"tenant", "tenant_host", "alembic_version"} <= set(tables)

    migrate.downgrade(app, "base")
    tables, applied = state(app)
    assert applied == set()
    assert tables in ([], ["alembic_version"])

    migrate.upgrade(app)
    assert state(app)[1] == every_revision


def test_each_domain_has_a_branch_that_depends_on_the_core(app):
    script = ScriptDirectory.from_config(migrate.alembic_config(app))
    for name in ("werk", "sw", "ouderen"):
        base = script.get_revision(name)
        while base.down_revision:
            base = script.get_revision(base.down_revision)
        assert base.branch_labels == {name}
        assert base.dependencies == "core_0001"


def platform_only(name, type_, _parent_names):
    """Leave out the tenancy tests' example tables, which are no part of the platform."""
    return not (type_ == "table" and name.startswith("example_"))


def test_models_and_migrations_agree(app):
    engine = admin_engine(app)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": platform_only}
        )
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_upgrade_grants_the_app_role_its_rows_only(app):
    with app.extensions["aandacht.db"].engine.connect() as connection:
        rights = (
            connection.execute(
                text(
                    "SELECT privilege_type FROM information_schema.role_table_grants "
                    "WHERE grantee = current_user AND table_name = 'tenant' ORDER BY 1"
                )
            )
            .scalars()
            .all()
        )
    assert rights == ["DELETE", "INSERT", "SELECT", "UPDATE"]


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_profile_selections_can_use_their_index_under_row_level_security(app):
    with app.extensions["aandacht.db"].engine.connect() as connection:
        marked = connection.execute(
            text(
                "SELECT proname, proleakproof FROM pg_proc "
                "WHERE proname IN ('jsonb_contains', 'jsonb_path_match_opr')"
            )
        ).all()
        index = connection.execute(
            text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_profile_values'")
        ).scalar()
    assert sorted(marked) == [("jsonb_contains", True), ("jsonb_path_match_opr", True)]
    assert "USING gin" in index and "jsonb_path_ops" in index
