"""Central scoping of tenant-owned rows: one ORM hook for queries, one for writes, and the RLS setting.

- Every ORM SELECT, UPDATE and DELETE that touches a `TenantScoped` entity gets the criterion
  `tenant_id = <current tenant>` (through `with_loader_criteria`, which also reaches joins, aliases and
  relationship loads). With no tenant in context such a statement raises `TenantContextMissing`.
- Every new tenant-owned object is stamped with the current tenant at flush; one that names another
  tenant, or a change of an object's tenant, raises `CrossTenantWrite`.
- On PostgreSQL each transaction sets `aandacht.tenant` with SET LOCAL (transaction-local, so a pooled
  connection never carries it over); the row level security policies of `aandacht.tenancy.rls` check
  it again underneath. The value is an integer the code formats itself, never input.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql.util import find_tables

from aandacht.db import AppSession, TenantScoped, session
from aandacht.tenancy.context import current_tenant, require_tenant

_RLS_SETTING = "aandacht.tenant"
_RLS_KEY = "aandacht.rls_tenant"
Model = TypeVar("Model")


class CrossTenantWrite(RuntimeError):
    """Code tried to write a row of a tenant other than the one in context."""


def install() -> None:
    """Attach the scoping events to the platform's session class (once per process)."""
    if not event.contains(AppSession, "do_orm_execute", _scope_statement):
        event.listen(AppSession, "do_orm_execute", _scope_statement)
        event.listen(AppSession, "before_flush", _stamp_new_rows)
        event.listen(AppSession, "after_begin", _set_rls_tenant)


def get_scoped(model: type[Model], row_id: Any) -> Model | None:
    """Load a tenant-owned row of the current tenant by its id (None when absent or another tenant's)."""
    return session.get(model, (require_tenant().id, row_id))


def tenant_scoped_classes() -> list[type]:
    """Every mapped class that is tenant-owned, from the core, the domains and the tests."""
    found, pending = [], list(TenantScoped.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if "__table__" in vars(cls):
            found.append(cls)
    return found


def _tenant_tables() -> set:
    return {cls.__table__ for cls in tenant_scoped_classes()}


def _touches_tenant_rows(state: ORMExecuteState) -> bool:
    if any(issubclass(mapper.class_, TenantScoped) for mapper in state.all_mappers):
        return True
    tables = set(find_tables(state.statement, include_joins=True, include_aliases=True))
    return bool(tables & _tenant_tables())


def _scope_statement(state: ORMExecuteState) -> None:
    _keep_rls_in_step(state.session)
    if state.is_column_load or state.is_relationship_load:
        return  # these carry the criterion of the statement that loaded the parent
    if not (state.is_select or state.is_update or state.is_delete):
        if state.is_insert and _touches_tenant_rows(state):
            _stamp_bulk_insert(state)
        return
    tenant = current_tenant()
    if tenant is None:
        if _touches_tenant_rows(state):
            require_tenant()
        return
    tenant_id = tenant.id
    state.statement = state.statement.options(
        with_loader_criteria(TenantScoped, lambda cls: cls.tenant_id == tenant_id, include_aliases=True)
    )


def _stamp_bulk_insert(state: ORMExecuteState) -> None:
    """Give ORM bulk inserts the current tenant; refuse rows that name another."""
    tenant_id = require_tenant().id
    params = state.parameters
    rows = params if isinstance(params, list) else [params] if params else []
    for row in rows:
        if row.get("tenant_id", tenant_id) != tenant_id:
            raise CrossTenantWrite(f"An insert names tenant {row['tenant_id']} inside tenant {tenant_id}.")
    if rows:
        state.parameters = [{**row, "tenant_id": tenant_id} for row in rows]


def _stamp_new_rows(flushing: Session, _context, _instances) -> None:
    for obj in flushing.new:
        if isinstance(obj, TenantScoped):
            tenant_id = require_tenant().id
            if obj.tenant_id is None:
                obj.tenant_id = tenant_id
            elif obj.tenant_id != tenant_id:
                raise CrossTenantWrite(f"A new {type(obj).__name__} names tenant {obj.tenant_id}.")
    for obj in flushing.dirty:
        if isinstance(obj, TenantScoped):
            require_tenant()
            if inspect(obj).attrs.tenant_id.history.deleted:
                raise CrossTenantWrite(f"A {type(obj).__name__} cannot move to another tenant.")


def _set_rls_tenant(begun: Session, _transaction, connection) -> None:
    """SET LOCAL the tenant for this transaction (a statement Citus also passes on to its workers)."""
    if connection.dialect.name != "postgresql":
        return
    tenant = current_tenant()
    value = str(int(tenant.id)) if tenant else ""
    connection.exec_driver_sql(f"SET LOCAL {_RLS_SETTING} = '{value}'")
    begun.info[_RLS_KEY] = value


def _keep_rls_in_step(running: Session) -> None:
    """Re-set the RLS tenant when the context changed after the transaction began."""
    if _RLS_KEY not in running.info or not running.in_transaction():
        return
    tenant = current_tenant()
    value = str(tenant.id) if tenant else ""
    if running.info[_RLS_KEY] != value:
        _set_rls_tenant(running, None, running.connection())
