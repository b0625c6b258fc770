"""Row level security on PostgreSQL: the database itself keeps tenants apart, without the ORM hook."""

import pytest
from sqlalchemy import text

from aandacht.db import session
from aandacht.tenancy.context import tenant_context
from aandacht.tenancy.scoping import tenant_scoped_classes
from tests.scoping_models import Household

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


@pytest.fixture
def pg_app(app):
    return app


@pytest.fixture
def households(pg_app, create_tenant):
    tenants = create_tenant(), create_tenant()
    for tenant in tenants:
        with pg_app.app_context(), tenant_context(tenant):
            session.add(Household(name=f"home of {tenant.slug}"))
            session.commit()
    return tenants


def raw_names(app, setting):
    """Household names a plain connection of the app's role sees with `aandacht.tenant` = setting."""
    with app.extensions["aandacht.db"].engine.connect() as connection:
        if setting is not None:
            connection.execute(text("SELECT set_config('aandacht.tenant', :v, true)"), {"v": setting})
        return sorted(connection.execute(text("SELECT name FROM example_household")).scalars())


def test_raw_sql_sees_only_the_tenant_of_the_setting(pg_app, households):
    a, b = households
    assert raw_names(pg_app, str(a.id)) == [f"home of {a.slug}"]
    assert raw_names(pg_app, str(b.id)) == [f"home of {b.slug}"]


def test_raw_sql_without_setting_sees_nothing(pg_app, households):
    assert raw_names(pg_app, None) == []
    assert raw_names(pg_app, "") == []


def test_the_setting_does_not_outlive_its_transaction(pg_app, households):
    a, _ = households
    engine = pg_app.extensions["aandacht.db"].engine
    with engine.connect() as connection:
        with connection.begin():
            connection.execute(text("SELECT set_config('aandacht.tenant', :v, true)"), {"v": str(a.id)})
            assert connection.execute(text("SELECT count(*) FROM example_household")).scalar() == 1
        assert connection.execute(text("SELECT count(*) FROM example_household")).scalar() == 0


def test_raw_writes_into_another_tenant_are_refused(pg_app, households):
    a, b = households
    engine = pg_app.extensions["aandacht.db"].engine
    with engine.connect() as connection, connection.begin():
        connection.execute(text("SELECT set_config('aandacht.tenant', :v, true)"), {"v": str(a.id)})
        with pytest.raises(Exception, match="row-level security"), connection.begin_nested():
            connection.execute(
                text(
                    "INSERT INTO example_household (tenant_id, id, name) VALUES (:t, gen_random_uuid(), 'x')"
                ),
                {"t": b.id},
            )
        updated = connection.execute(
            text("UPDATE example_household SET name = 'x' WHERE tenant_id = :t"), {"t": b.id}
        )
        assert updated.rowcount == 0


def test_every_tenant_owned_table_forces_its_policy(pg_app):
    tables = sorted(cls.__table__.name for cls in tenant_scoped_classes())
    with pg_app.extensions["aandacht.db"].engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, count(p.polname) AS policies "
                "FROM pg_class c LEFT JOIN pg_policy p ON p.polrelid = c.oid "
                "WHERE c.relname = ANY(:tables) GROUP BY c.relname, c.relrowsecurity, c.relforcerowsecurity"
            ),
            {"tables": tables},
        ).all()
    assert sorted(row.relname for row in rows) == tables
    assert all(row.relrowsecurity and row.relforcerowsecurity and row.policies == 1 for row in rows), rows


def test_app_role_owns_nothing_and_cannot_bypass(pg_app):
    with pg_app.extensions["aandacht.db"].engine.connect() as connection:
        role = connection.execute(
            text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        ).one()
        owned = connection.execute(
            text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user")
        ).scalar()
    assert (role.rolsuper, role.rolbypassrls, owned) == (False, False, 0)
