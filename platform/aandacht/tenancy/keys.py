"""The key rules of tenant-owned tables, checked for the core, every domain and the test models.

`tenant_id` must lead the primary key and be part of every unique constraint, unique index and foreign
key to another tenant-owned table: so no row can point into another tenant, and the schema can be
distributed by tenant (Citus requires the distribution column in all of them).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Table, UniqueConstraint


def tenant_key_problems(tables: Iterable[Table]) -> list[str]:
    """Describe every way in which the given tenant-owned tables break the key rules (empty: none)."""
    tables = list(tables)
    tenant_tables = {table.name for table in tables}
    problems: list[str] = []
    for table in tables:
        pk = [column.name for column in table.primary_key.columns]
        if not pk or pk[0] != "tenant_id":
            problems.append(f"{table.name}: tenant_id must be the first column of the primary key (is {pk}).")
        for constraint in table.constraints:
            if isinstance(constraint, UniqueConstraint) and "tenant_id" not in constraint.columns:
                problems.append(f"{table.name}: unique constraint {constraint.name} lacks tenant_id.")
        for index in table.indexes:
            if index.unique and "tenant_id" not in index.columns:
                problems.append(f"{table.name}: unique index {index.name} lacks tenant_id.")
        for fk in table.foreign_key_constraints:
            if fk.referred_table.name not in tenant_tables:
                continue
            pairs = {(element.parent.name, element.column.name) for element in fk.elements}
            if ("tenant_id", "tenant_id") not in pairs:
                problems.append(
                    f"{table.name}: foreign key to {fk.referred_table.name} must include tenant_id "
                    "(use aandacht.db.tenant_foreign_key)."
                )
    return problems
