"""Outreach templates: a message per channel and language, written once and sent to many.

Revision ID: core_0014
Revises: core_0013
Create Date: 2026-12-06 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from aandacht.tenancy.rls import enable_row_level_security

revision: str = "core_0014"
down_revision: str | Sequence[str] | None = "core_0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

moment = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "message_template",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("email_subject", sa.String(length=200), nullable=False),
        sa.Column("email_body", sa.Text(), nullable=False),
        sa.Column("sms_text", sa.Text(), nullable=False),
        sa.Column("push_title", sa.String(length=100), nullable=False),
        sa.Column("push_body", sa.String(length=300), nullable=False),
        sa.Column("in_app_text", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("changed_by", sa.Uuid(), nullable=True),
        sa.Column("changed_at", moment, nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_message_template_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_message_template")),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_message_template_tenant_id_name")),
    )
    enable_row_level_security(op, "message_template")


def downgrade() -> None:
    op.drop_table("message_template")
