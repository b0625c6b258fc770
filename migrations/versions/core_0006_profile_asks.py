"""Profiles: the ask history of progressive profiling

Revision ID: core_0006
Revises: core_0005
Create Date: 2026-11-25 02:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from aandacht.tenancy.rls import enable_row_level_security

revision: str = "core_0006"
down_revision: str | Sequence[str] | None = "core_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "profile_ask",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("attribute_key", sa.String(length=120), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "person_id"],
            ["person.tenant_id", "person.id"],
            name=op.f("fk_profile_ask_tenant_id_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_profile_ask_tenant_id_tenant"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_profile_ask")),
    )
    with op.batch_alter_table("profile_ask", schema=None) as batch_op:
        batch_op.create_index("ix_profile_ask_person", ["tenant_id", "person_id", "asked_at"], unique=False)
    enable_row_level_security(op, "profile_ask")


def downgrade() -> None:
    with op.batch_alter_table("profile_ask", schema=None) as batch_op:
        batch_op.drop_index("ix_profile_ask_person")

    op.drop_table("profile_ask")
