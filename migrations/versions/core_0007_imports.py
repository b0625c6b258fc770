"""Imports: the tenant's client number on each person, and the import runs

Revision ID: core_0007
Revises: core_0006
Create Date: 2026-11-25 02:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from aandacht.tenancy.rls import enable_row_level_security

revision: str = "core_0007"
down_revision: str | Sequence[str] | None = "core_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # Plain ALTER TABLE on SQLite too: a batch copy of the person table would cascade to its rows.
    op.add_column("person", sa.Column("external_id", sa.String(length=100), nullable=True))
    op.create_index("uq_person_tenant_id_external_id", "person", ["tenant_id", "external_id"], unique=True)
    op.create_table(
        "import_run",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("file_format", sa.String(length=8), nullable=False),
        sa.Column("columns", json, nullable=False),
        sa.Column("mapping", json, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("errors", json, nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('uploaded', 'checked', 'queued', 'running', 'done', 'rejected', 'failed')",
            name=op.f("ck_import_run_status"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_import_run_tenant_id_tenant"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_import_run")),
    )
    enable_row_level_security(op, "import_run")


def downgrade() -> None:
    op.drop_table("import_run")
    op.drop_index("uq_person_tenant_id_external_id", table_name="person")
    op.drop_column("person", "external_id")
