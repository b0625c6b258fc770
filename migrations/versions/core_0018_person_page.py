"""The person's access log (who viewed their data) and the staff's notes about a person.

Revision ID: core_0018
Revises: core_0017
Create Date: 2026-12-06 06:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from aandacht.tenancy.rls import enable_row_level_security

revision: str = "core_0018"
down_revision: str | Sequence[str] | None = "core_0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

moment = sa.DateTime(timezone=True)


def _tenant_and_person(table: str) -> list[sa.ForeignKeyConstraint]:
    return [
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f(f"fk_{table}_tenant_id_tenant"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "person_id"],
            ["person.tenant_id", "person.id"],
            name=op.f(f"fk_{table}_tenant_id_person_id_person"),
            ondelete="CASCADE",
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "access_log_entry",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("viewer_kind", sa.String(length=8), nullable=False),
        sa.Column("viewer_id", sa.Uuid(), nullable=True),
        sa.Column("viewer_name", sa.String(length=200), nullable=False),
        sa.Column("viewer_role", sa.String(length=20), nullable=True),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("what", sa.String(length=60), nullable=False),
        sa.Column("route", sa.String(length=300), nullable=False),
        sa.Column("at", moment, nullable=False),
        *_tenant_and_person("access_log_entry"),
        sa.CheckConstraint("channel IN ('page', 'api', 'export')", name=op.f("ck_access_log_entry_channel")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_access_log_entry")),
    )
    op.create_index("ix_access_log_entry_person", "access_log_entry", ["tenant_id", "person_id", "at"])
    op.create_index("ix_access_log_entry_at", "access_log_entry", ["tenant_id", "at"])
    enable_row_level_security(op, "access_log_entry")

    op.create_table(
        "staff_note",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("updated_at", moment, nullable=True),
        *_tenant_and_person("staff_note"),
        sa.ForeignKeyConstraint(
            ["tenant_id", "author_id"],
            ["staff_member.tenant_id", "staff_member.id"],
            name=op.f("fk_staff_note_tenant_id_author_id_staff_member"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_staff_note")),
    )
    op.create_index("ix_staff_note_person", "staff_note", ["tenant_id", "person_id", "created_at"])
    enable_row_level_security(op, "staff_note")


def downgrade() -> None:
    op.drop_index("ix_staff_note_person", table_name="staff_note")
    op.drop_table("staff_note")
    op.drop_index("ix_access_log_entry_at", table_name="access_log_entry")
    op.drop_index("ix_access_log_entry_person", table_name="access_log_entry")
    op.drop_table("access_log_entry")
