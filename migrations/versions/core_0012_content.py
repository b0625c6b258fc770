"""Personalisation: the content catalogue, the platform's library and what the ranker learns.

Revision ID: core_0012
Revises: core_0011
Create Date: 2026-11-25 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from aandacht.tenancy.rls import enable_row_level_security

revision: str = "core_0012"
down_revision: str | Sequence[str] | None = "core_0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
moment = sa.DateTime(timezone=True)


def _tenant_columns(table: str) -> list[sa.Column | sa.ForeignKeyConstraint]:
    return [
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f(f"fk_{table}_tenant_id_tenant"), ondelete="CASCADE"
        ),
    ]


def _item_key(column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", column],
        ["content_item.tenant_id", "content_item.id"],
        name=op.f(f"fk_content_neighbour_tenant_id_{column}_content_item"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.add_column("person", sa.Column("personalised", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.create_index(
        "ix_interaction_event_item", "interaction_event", ["tenant_id", "item_id", "kind", "occurred_at"]
    )
    # The ranker reads a person's last 1,000 events: by time, with kind and item in the index.
    op.drop_index("ix_interaction_event_person", table_name="interaction_event")
    op.create_index(
        "ix_interaction_event_person",
        "interaction_event",
        ["tenant_id", "person_id", "occurred_at"],
        postgresql_include=["kind", "item_id"],
    )
    op.create_table(
        "library_item",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=60), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("image_url", sa.String(length=500), nullable=True),
        sa.Column("link_url", sa.String(length=500), nullable=True),
        sa.Column("tags", json, nullable=False),
        sa.Column("details", json, nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("valid_from", moment, nullable=True),
        sa.Column("valid_until", moment, nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("updated_at", moment, nullable=False),
        sa.CheckConstraint("status IN ('published', 'withdrawn')", name=op.f("ck_library_item_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_library_item")),
        sa.UniqueConstraint("key", name=op.f("uq_library_item_key")),
    )
    op.create_table(
        "content_item",
        *_tenant_columns("content_item"),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("library_item_id", sa.Uuid(), nullable=True),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("type", sa.String(length=60), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("summary", sa.String(length=300), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("image_url", sa.String(length=500), nullable=True),
        sa.Column("link_url", sa.String(length=500), nullable=True),
        sa.Column("tags", json, nullable=True),
        sa.Column("details", json, nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("valid_from", moment, nullable=True),
        sa.Column("valid_until", moment, nullable=True),
        sa.Column("eligibility_segment_id", sa.Uuid(), nullable=True),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("priority", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("retired_reason", sa.String(length=20), nullable=True),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("shown", sa.Integer(), nullable=False),
        sa.Column("engaged", sa.Integer(), nullable=False),
        sa.Column("published_at", moment, nullable=False),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("changed_at", moment, nullable=False),
        sa.ForeignKeyConstraint(
            ["library_item_id"],
            ["library_item.id"],
            name=op.f("fk_content_item_library_item_id_library_item"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "eligibility_segment_id"],
            ["segment.tenant_id", "segment.id"],
            name=op.f("fk_content_item_tenant_id_eligibility_segment_id_segment"),
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'published', 'retired')", name=op.f("ck_content_item_status")
        ),
        sa.CheckConstraint("priority IN ('low', 'normal', 'high')", name=op.f("ck_content_item_priority")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_content_item")),
    )
    op.create_index(
        "uq_content_item_tenant_id_external_id", "content_item", ["tenant_id", "external_id"], unique=True
    )
    op.create_index(
        "uq_content_item_tenant_id_library_item_id",
        "content_item",
        ["tenant_id", "library_item_id"],
        unique=True,
    )
    op.create_index("ix_content_item_changed", "content_item", ["tenant_id", "changed_at"])
    op.create_table(
        "content_neighbour",
        *_tenant_columns("content_neighbour"),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("neighbour_id", sa.Uuid(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        _item_key("item_id"),
        _item_key("neighbour_id"),
        sa.PrimaryKeyConstraint("tenant_id", "item_id", "neighbour_id", name=op.f("pk_content_neighbour")),
    )
    for table in ("content_item", "content_neighbour"):
        enable_row_level_security(op, table)


def downgrade() -> None:
    op.drop_table("content_neighbour")
    op.drop_index("ix_content_item_changed", table_name="content_item")
    op.drop_index("uq_content_item_tenant_id_library_item_id", table_name="content_item")
    op.drop_index("uq_content_item_tenant_id_external_id", table_name="content_item")
    op.drop_table("content_item")
    op.drop_table("library_item")
    op.drop_index("ix_interaction_event_item", table_name="interaction_event")
    op.drop_index("ix_interaction_event_person", table_name="interaction_event")
    op.create_index(
        "ix_interaction_event_person", "interaction_event", ["tenant_id", "person_id", "kind", "occurred_at"]
    )
    op.drop_column("person", "personalised")
