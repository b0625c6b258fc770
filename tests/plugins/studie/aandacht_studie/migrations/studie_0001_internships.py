"""Internships abroad.

Revision ID: studie_0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from aandacht.tenancy.rls import enable_row_level_security

revision = "studie_0001"
down_revision = None
branch_labels = ("studie",)
depends_on = "core_0001"


def upgrade() -> None:
    op.create_table(
        "studie_internship",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_studie_internship_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_studie_internship")),
    )
    enable_row_level_security(op, "studie_internship")


def downgrade() -> None:
    op.drop_table("studie_internship")
