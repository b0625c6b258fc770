"""Profiles: store each document uncompressed in its row, so selections read it without unpacking.

A profile of 80 answers is about 2.5 kB of JSONB, above PostgreSQL's 2 kB threshold, so by default it
is compressed with pglz, and every selection that reads it pays for unpacking it, for every condition
on every candidate row. bench.segments measured a scan of 200,000 profiles at 650 ms compressed with
pglz, 355 ms with lz4 and 191 ms uncompressed (docs/segments.md). So: STORAGE MAIN (kept in the row)
with a toast_tuple_target of 8160 bytes (compressed only when a row would not fit a page), and lz4 for
those rare large documents where the server has it. Existing rows keep their form until they are next
written; docs/operations.md gives the statement that rewrites them at once.

Revision ID: core_0011
Revises: core_0010
Create Date: 2026-11-25 11:00:00
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy.engine import Connection

revision: str = "core_0011"
down_revision: str | Sequence[str] | None = "core_0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute('ALTER TABLE profile ALTER COLUMN "values" SET STORAGE MAIN')
    op.execute("ALTER TABLE profile SET (toast_tuple_target = 8160)")
    if _has_lz4(bind):
        op.execute('ALTER TABLE profile ALTER COLUMN "values" SET COMPRESSION lz4')


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    if _has_lz4(bind):
        op.execute('ALTER TABLE profile ALTER COLUMN "values" SET COMPRESSION default')
    op.execute("ALTER TABLE profile RESET (toast_tuple_target)")
    op.execute('ALTER TABLE profile ALTER COLUMN "values" SET STORAGE EXTENDED')


def _has_lz4(bind: Connection) -> bool:
    return bool(
        bind.exec_driver_sql(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        ).scalar()
    )
