"""Outcomes of the people served, for research.

Revision ID: core_0020
Revises: core_0018
Create Date: 2026-12-06 06:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from aandacht.tenancy.rls import enable_row_level_security

revision: str = "core_0020"
down_revision: str | Sequence[str] | None = "core_0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
moment = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "outcome",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("type_key", sa.String(length=80), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("details", json, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", moment, nullable=False),
        sa.Column("changed_at", moment, nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_outcome_tenant_id_tenant"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "person_id"],
            ["person.tenant_id", "person.id"],
            name=op.f("fk_outcome_tenant_id_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.CheckConstraint("source IN ('coach', 'import', 'api')", name=op.f("ck_outcome_source")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_outcome")),
    )
    op.create_index("ix_outcome_person", "outcome", ["tenant_id", "person_id", "occurred_on"])
    op.create_index("ix_outcome_type", "outcome", ["tenant_id", "type_key", "occurred_on"])
    op.create_index("uq_outcome_tenant_id_external_id", "outcome", ["tenant_id", "external_id"], unique=True)
    enable_row_level_security(op, "outcome")


def downgrade() -> None:
    op.drop_table("outcome")
