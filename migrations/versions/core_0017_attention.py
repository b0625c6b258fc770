"""The coach's worklist: marks (done for today, snoozed), the daily digest, the tenant's attention settings.

Revision ID: core_0017
Revises: core_0016
Create Date: 2026-12-06 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from aandacht.tenancy.rls import enable_row_level_security

revision: str = "core_0017"
down_revision: str | Sequence[str] | None = "core_0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

moment = sa.DateTime(timezone=True)
json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _tenant(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id"], ["tenant.id"], name=op.f(f"fk_{table}_tenant_id_tenant"), ondelete="CASCADE"
    )


def _staff(table: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", "staff_id"],
        ["staff_member.tenant_id", "staff_member.id"],
        name=op.f(f"fk_{table}_tenant_id_staff_id_staff_member"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    with op.batch_alter_table("tenant") as batch:
        batch.add_column(sa.Column("attention", json, nullable=False, server_default=sa.text("'{}'")))
    op.create_table(
        "worklist_mark",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("hidden_until", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", moment, nullable=False),
        _tenant("worklist_mark"),
        sa.ForeignKeyConstraint(
            ["tenant_id", "person_id"],
            ["person.tenant_id", "person.id"],
            name=op.f("fk_worklist_mark_tenant_id_person_id_person"),
            ondelete="CASCADE",
        ),
        _staff("worklist_mark"),
        sa.ForeignKeyConstraint(
            ["tenant_id", "contact_id"],
            ["contact_moment.tenant_id", "contact_moment.id"],
            name=op.f("fk_worklist_mark_tenant_id_contact_id_contact_moment"),
        ),
        sa.CheckConstraint("kind IN ('done', 'snooze')", name=op.f("ck_worklist_mark_kind")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_worklist_mark")),
    )
    op.create_index("ix_worklist_mark_staff", "worklist_mark", ["tenant_id", "staff_id", "hidden_until"])
    op.create_table(
        "digest_preference",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("changed_at", moment, nullable=False),
        _tenant("digest_preference"),
        _staff("digest_preference", "CASCADE"),
        sa.PrimaryKeyConstraint("tenant_id", "staff_id", name=op.f("pk_digest_preference")),
    )
    op.create_table(
        "digest_sent",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("sent_at", moment, nullable=False),
        _tenant("digest_sent"),
        _staff("digest_sent", "CASCADE"),
        sa.PrimaryKeyConstraint("tenant_id", "staff_id", "day", name=op.f("pk_digest_sent")),
    )
    for table in ("worklist_mark", "digest_preference", "digest_sent"):
        enable_row_level_security(op, table)


def downgrade() -> None:
    op.drop_table("digest_sent")
    op.drop_table("digest_preference")
    op.drop_index("ix_worklist_mark_staff", table_name="worklist_mark")
    op.drop_table("worklist_mark")
    with op.batch_alter_table("tenant") as batch:
        batch.drop_column("attention")
