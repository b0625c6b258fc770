"""Outreach delivery: the message table becomes the outbox; push subscriptions and channel opt-outs.

Revision ID: core_0013
Revises: core_0012
Create Date: 2026-12-06 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from aandacht.tenancy.rls import enable_row_level_security

revision: str = "core_0013"
down_revision: str | Sequence[str] | None = "core_0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
moment = sa.DateTime(timezone=True)
NEW_STATUSES = "status IN ('queued', 'sending', 'sent', 'delivered', 'failed')"
OLD_STATUSES = "status IN ('queued', 'sent', 'failed')"


def _owned_by_person(table: str) -> list[sa.Column | sa.ForeignKeyConstraint]:
    return [
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
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
    with op.batch_alter_table("message") as batch:
        batch.drop_constraint(op.f("ck_message_status"), type_="check")
        batch.alter_column("status", type_=sa.String(length=12), existing_nullable=False)
        batch.add_column(sa.Column("body", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("payload", json, nullable=True))
        batch.add_column(sa.Column("idempotency_key", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("campaign_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("sender_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("replaces_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("fallback", json, nullable=True))
        batch.add_column(sa.Column("not_before", moment, nullable=True))
        batch.add_column(sa.Column("next_attempt_at", moment, nullable=True))
        batch.add_column(sa.Column("handed_over_at", moment, nullable=True))
        batch.add_column(sa.Column("claimed_at", moment, nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("last_error", sa.String(length=500), nullable=True))
        batch.add_column(sa.Column("address", sa.String(length=320), nullable=True))
        batch.add_column(sa.Column("provider_message_id", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("delivered_at", moment, nullable=True))
        batch.add_column(sa.Column("failed_at", moment, nullable=True))
        batch.create_check_constraint("status", sa.text(NEW_STATUSES))
        batch.create_foreign_key(
            op.f("fk_message_tenant_id_replaces_id_message"),
            "message",
            ["tenant_id", "replaces_id"],
            ["tenant_id", "id"],
        )
    op.create_index("ix_message_due", "message", ["tenant_id", "status", "next_attempt_at"])
    op.create_index(
        "uq_message_tenant_id_idempotency_key", "message", ["tenant_id", "idempotency_key"], unique=True
    )
    op.create_table(
        "push_subscription",
        *_owned_by_person("push_subscription"),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("endpoint", sa.Text(), nullable=False),
        sa.Column("endpoint_hash", sa.String(length=64), nullable=False),
        sa.Column("p256dh", sa.String(length=200), nullable=False),
        sa.Column("auth", sa.String(length=100), nullable=False),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("last_used_at", moment, nullable=True),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_push_subscription")),
        sa.UniqueConstraint(
            "tenant_id", "endpoint_hash", name=op.f("uq_push_subscription_tenant_id_endpoint_hash")
        ),
    )
    op.create_index("ix_push_subscription_person", "push_subscription", ["tenant_id", "person_id"])
    op.create_table(
        "channel_opt_out",
        *_owned_by_person("channel_opt_out"),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("opted_out_at", moment, nullable=False),
        sa.CheckConstraint("channel IN ('email', 'sms', 'push')", name=op.f("ck_channel_opt_out_channel")),
        sa.PrimaryKeyConstraint("tenant_id", "person_id", "channel", name=op.f("pk_channel_opt_out")),
    )
    for table in ("push_subscription", "channel_opt_out"):
        enable_row_level_security(op, table)


def downgrade() -> None:
    op.drop_table("channel_opt_out")
    op.drop_index("ix_push_subscription_person", table_name="push_subscription")
    op.drop_table("push_subscription")
    op.drop_index("uq_message_tenant_id_idempotency_key", table_name="message")
    op.drop_index("ix_message_due", table_name="message")
    op.execute("UPDATE message SET status = 'queued' WHERE status = 'sending'")
    op.execute("UPDATE message SET status = 'sent' WHERE status = 'delivered'")
    with op.batch_alter_table("message") as batch:
        batch.drop_constraint(op.f("fk_message_tenant_id_replaces_id_message"), type_="foreignkey")
        batch.drop_constraint(op.f("ck_message_status"), type_="check")
        for column in (
            "failed_at",
            "delivered_at",
            "provider_message_id",
            "address",
            "last_error",
            "attempts",
            "claimed_at",
            "handed_over_at",
            "next_attempt_at",
            "not_before",
            "fallback",
            "replaces_id",
            "sender_id",
            "campaign_id",
            "idempotency_key",
            "payload",
            "body",
        ):
            batch.drop_column(column)
        batch.alter_column("status", type_=sa.String(length=8), existing_nullable=False)
        batch.create_check_constraint("status", sa.text(OLD_STATUSES))
