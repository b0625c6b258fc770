"""Contact moments between staff and people.

Revision ID: core_0016
Revises: core_0015
Create Date: 2026-12-06 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from aandacht.tenancy.rls import enable_row_level_security

revision: str = "core_0016"
down_revision: str | Sequence[str] | None = "core_0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

moment = sa.DateTime(timezone=True)
KINDS = "kind IN ('message', 'conversation', 'phone', 'meeting', 'appointment', 'other')"


def upgrade() -> None:
    op.create_table(
        "contact_moment",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("at", moment, nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source_id", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", moment, nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_contact_moment_tenant_id_tenant"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "person_id"],
            ["person.tenant_id", "person.id"],
            name=op.f("fk_contact_moment_tenant_id_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "staff_id"],
            ["staff_member.tenant_id", "staff_member.id"],
            name=op.f("fk_contact_moment_tenant_id_staff_id_staff_member"),
        ),
        sa.CheckConstraint(KINDS, name=op.f("ck_contact_moment_kind")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_contact_moment")),
        sa.UniqueConstraint(
            "tenant_id", "kind", "source_id", name=op.f("uq_contact_moment_tenant_id_kind_source_id")
        ),
    )
    op.create_index("ix_contact_moment_person", "contact_moment", ["tenant_id", "person_id", "at"])
    op.create_index("ix_contact_moment_staff", "contact_moment", ["tenant_id", "staff_id", "at"])
    enable_row_level_security(op, "contact_moment")


def downgrade() -> None:
    op.drop_index("ix_contact_moment_staff", table_name="contact_moment")
    op.drop_index("ix_contact_moment_person", table_name="contact_moment")
    op.drop_table("contact_moment")
