"""Rows of one tenant are invisible and unmodifiable from another, through every ORM path."""

import pytest
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import aliased, selectinload

from aandacht.db import session
from aandacht.tenancy.context import TenantContextMissing, tenant_context
from aandacht.tenancy.scoping import CrossTenantWrite, get_scoped
from tests.scoping_models import Household, Member


@pytest.fixture
def two_tenants(app, create_tenant):
    """Tenants A and B, each with one household of two members."""
    tenants = create_tenant(), create_tenant()
    for tenant, label in zip(tenants, "AB", strict=True):
        with app.app_context(), tenant_context(tenant):
            household = Household(name=f"household {label}")
            household.members = [Member(name=f"{label}1"), Member(name=f"{label}2")]
            session.add(household)
            session.commit()
    return tenants


def names(rows):
    return sorted(row.name for row in rows)


def test_select_sees_only_own_rows(app, two_tenants):
    a, b = two_tenants
    with app.app_context(), tenant_context(a):
        assert names(session.execute(select(Member)).scalars()) == ["A1", "A2"]
        assert session.execute(select(func.count()).select_from(Member)).scalar() == 2
    with app.app_context(), tenant_context(b):
        assert names(session.execute(select(Household)).scalars()) == ["household B"]


def test_joins_aliases_and_relationships_stay_in_tenant(app, two_tenants):
    a, _ = two_tenants
    with app.app_context(), tenant_context(a):
        joined = session.execute(select(Member.name, Household.name).join(Member.household)).all()
        assert sorted(joined) == [("A1", "household A"), ("A2", "household A")]
        other = aliased(Member)
        pairs = session.execute(
            select(Member.name, other.name).join(other, other.household_id == Member.household_id)
        )
        assert {name for pair in pairs for name in pair} == {"A1", "A2"}
        eager = session.execute(select(Household).options(selectinload(Household.members))).scalars().all()
        assert [names(h.members) for h in eager] == [["A1", "A2"]]
        lazy = session.execute(select(Member)).scalars().first()
        assert lazy.household.name == "household A"


def test_get_by_id_cannot_reach_another_tenant(app, two_tenants):
    a, b = two_tenants
    with app.app_context(), tenant_context(a):
        household_a = session.execute(select(Household)).scalar_one()
    with app.app_context(), tenant_context(b):
        assert get_scoped(Household, household_a.id) is None
    with app.app_context(), tenant_context(a):
        assert get_scoped(Household, household_a.id).name == "household A"


def test_bulk_update_and_delete_touch_only_own_rows(app, two_tenants):
    a, b = two_tenants
    with app.app_context(), tenant_context(b):
        session.execute(update(Member).values(name="renamed"))
        session.execute(delete(Household).where(Household.name.like("household%")))
        session.commit()
    with app.app_context(), tenant_context(a):
        assert names(session.execute(select(Member)).scalars()) == ["A1", "A2"]
        assert names(session.execute(select(Household)).scalars()) == ["household A"]
    with app.app_context(), tenant_context(b):
        assert session.execute(select(Household)).first() is None


def test_update_of_another_tenants_row_by_id_changes_nothing(app, two_tenants):
    a, b = two_tenants
    with app.app_context(), tenant_context(a):
        target = session.execute(select(Member).where(Member.name == "A1")).scalar_one().id
    with app.app_context(), tenant_context(b):
        result = session.execute(update(Member).where(Member.id == target).values(name="stolen"))
        session.commit()
        assert result.rowcount == 0
    with app.app_context(), tenant_context(a):
        assert get_scoped(Member, target).name == "A1"


def test_inserts_are_stamped_with_the_current_tenant(app, two_tenants):
    a, _ = two_tenants
    with app.app_context(), tenant_context(a):
        session.add(Household(name="new"))
        session.execute(insert(Household), [{"name": "bulk one"}, {"name": "bulk two"}])
        session.commit()
        rows = session.execute(select(Household.tenant_id, Household.name)).all()
        assert {tenant_id for tenant_id, _ in rows} == {a.id}
        assert names(session.execute(select(Household)).scalars()) == [
            "bulk one",
            "bulk two",
            "household A",
            "new",
        ]


def test_writing_a_row_for_another_tenant_is_refused(app, two_tenants):
    a, b = two_tenants
    with app.app_context(), tenant_context(a):
        session.add(Household(name="sneaky", tenant_id=b.id))
        with pytest.raises(CrossTenantWrite):
            session.flush()
        session.rollback()
        with pytest.raises(CrossTenantWrite):
            session.execute(insert(Household), [{"name": "bulk sneaky", "tenant_id": b.id}])
        session.rollback()
        household = session.execute(select(Household)).scalar_one()
        household.tenant_id = b.id
        with pytest.raises(CrossTenantWrite):
            session.flush()
        session.rollback()
    with app.app_context(), tenant_context(b):
        assert names(session.execute(select(Household)).scalars()) == ["household B"]


def test_no_tenant_in_context_raises_instead_of_returning_everything(app, two_tenants):
    with app.app_context():
        for statement in (
            select(Member),
            select(func.count(Member.id)),
            update(Member).values(name="x"),
            delete(Household),
        ):
            with pytest.raises(TenantContextMissing):
                session.execute(statement)
            session.rollback()
        session.add(Household(name="orphan"))
        with pytest.raises(TenantContextMissing):
            session.flush()
