"""Row level security on PostgreSQL, for the migrations that create tenant-owned tables.

Call `enable_row_level_security(op, "werk_vacancy")` in the revision right after `op.create_table`.
The policy admits a row only when its `tenant_id` equals the transaction's `aandacht.tenant` setting;
with no setting it admits nothing. FORCE makes it apply to the table's owner too. On SQLite it does
nothing (the ORM hook still scopes every query there).
"""

from __future__ import annotations

from typing import Any

POLICY = "tenant_isolation"
_TENANT_SETTING = "NULLIF(current_setting('aandacht.tenant', true), '')::integer"


def enable_row_level_security(op: Any, table: str) -> None:
    """Enable and force row level security on `table` with the tenant isolation policy."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
    op.execute(
        f'CREATE POLICY {POLICY} ON "{table}" '
        f"USING (tenant_id = {_TENANT_SETTING}) WITH CHECK (tenant_id = {_TENANT_SETTING})"
    )
