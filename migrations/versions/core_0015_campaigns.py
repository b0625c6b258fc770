"""Outreach campaigns and triggered rules, the people campaigns skipped, the tenant's outreach settings.

Revision ID: core_0015
Revises: core_0014
Create Date: 2026-12-06 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from aandacht.tenancy.rls import enable_row_level_security

revision: str = "core_0015"
down_revision: str | Sequence[str] | None = "core_0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
moment = sa.DateTime(timezone=True)
STATUSES = "status IN ('draft', 'scheduled', 'preparing', 'released', 'done', 'cancelled')"
AUDIENCE_KINDS = "audience_kind IN ('person', 'segment', 'everyone')"


def _tenant_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id"], ["tenant.id"], name=op.f(f"fk_{table}_tenant_id_tenant"), ondelete="CASCADE"
    )


def _key(table: str, column: str, target: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{target}.tenant_id", f"{target}.id"],
        name=op.f(f"fk_{table}_tenant_id_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    with op.batch_alter_table("tenant") as batch:
        batch.add_column(sa.Column("outreach", json, nullable=False, server_default=sa.text("'{}'")))
    op.create_table(
        "campaign",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("audience_kind", sa.String(length=12), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("segment_id", sa.Uuid(), nullable=True),
        sa.Column("template_id", sa.Uuid(), nullable=True),
        sa.Column("texts", json, nullable=True),
        sa.Column("channels", json, nullable=True),
        sa.Column("link", sa.String(length=500), nullable=True),
        sa.Column("scheduled_at", moment, nullable=True),
        sa.Column("broadcast", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("release_at", moment, nullable=True),
        sa.Column("prepared_at", moment, nullable=True),
        sa.Column("released_at", moment, nullable=True),
        sa.Column("finished_at", moment, nullable=True),
        sa.Column("audience_size", sa.Integer(), nullable=True),
        sa.Column("problem", sa.String(length=500), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("changed_at", moment, nullable=False),
        _tenant_key("campaign"),
        _key("campaign", "person_id", "person", "CASCADE"),
        _key("campaign", "segment_id", "segment"),
        sa.CheckConstraint(STATUSES, name=op.f("ck_campaign_status")),
        sa.CheckConstraint(AUDIENCE_KINDS, name=op.f("ck_campaign_audience_kind")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_campaign")),
    )
    op.create_index("ix_campaign_status", "campaign", ["tenant_id", "status", "scheduled_at"])
    op.create_table(
        "campaign_skip",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.String(length=12), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.Column("skipped_at", moment, nullable=False),
        _tenant_key("campaign_skip"),
        _key("campaign_skip", "campaign_id", "campaign", "CASCADE"),
        _key("campaign_skip", "person_id", "person", "CASCADE"),
        sa.CheckConstraint("reason IN ('capped', 'unreachable')", name=op.f("ck_campaign_skip_reason")),
        sa.PrimaryKeyConstraint("tenant_id", "campaign_id", "person_id", name=op.f("pk_campaign_skip")),
    )
    op.create_table(
        "outreach_rule",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("condition", json, nullable=False),
        sa.Column("template_id", sa.Uuid(), nullable=True),
        sa.Column("texts", json, nullable=True),
        sa.Column("channels", json, nullable=True),
        sa.Column("cooldown_days", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("changed_at", moment, nullable=False),
        sa.Column("last_run_at", moment, nullable=True),
        sa.Column("last_run_count", sa.Integer(), nullable=True),
        _tenant_key("outreach_rule"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_outreach_rule")),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_outreach_rule_tenant_id_name")),
    )
    for table in ("campaign", "campaign_skip", "outreach_rule"):
        enable_row_level_security(op, table)
    with op.batch_alter_table("message") as batch:
        batch.add_column(sa.Column("clicked_at", moment, nullable=True))
        batch.create_foreign_key(
            op.f("fk_message_tenant_id_campaign_id_campaign"),
            "campaign",
            ["tenant_id", "campaign_id"],
            ["tenant_id", "id"],
        )
    op.create_index("ix_message_campaign", "message", ["tenant_id", "campaign_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_message_campaign", table_name="message")
    with op.batch_alter_table("message") as batch:
        batch.drop_constraint(op.f("fk_message_tenant_id_campaign_id_campaign"), type_="foreignkey")
        batch.drop_column("clicked_at")
    op.drop_table("outreach_rule")
    op.drop_table("campaign_skip")
    op.drop_index("ix_campaign_status", table_name="campaign")
    op.drop_table("campaign")
    with op.batch_alter_table("tenant") as batch:
        batch.drop_column("outreach")
