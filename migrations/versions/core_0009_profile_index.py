"""Profiles: the GIN index that selections over many attributes use, and its use under row level security.

Under row level security PostgreSQL uses an index condition only when its operator function is
LEAKPROOF; jsonb's containment (`@>`) and path match (`@@`) are not marked so by default. This
revision marks them, when it runs as a superuser; otherwise it says so and docs/operations.md gives
the two statements for a superuser. See docs/profiles.md, "How profiles are stored".

Revision ID: core_0009
Revises: core_0008
Create Date: 2026-11-25
"""

import logging
from collections.abc import Sequence

from alembic import op

revision: str = "core_0009"
down_revision: str | Sequence[str] | None = "core_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEAKPROOF_FUNCTIONS = ("jsonb_contains(jsonb, jsonb)", "jsonb_path_match_opr(jsonb, jsonpath)")


def upgrade() -> None:
    op.create_index(
        "ix_profile_values",
        "profile",
        ["values"],
        postgresql_using="gin",
        postgresql_ops={"values": "jsonb_path_ops"},
    )
    _mark_leakproof(True)


def downgrade() -> None:
    _mark_leakproof(False)
    op.drop_index("ix_profile_values", table_name="profile")


def _mark_leakproof(leakproof: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    if not bind.exec_driver_sql("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").scalar():
        logging.getLogger("alembic").warning(
            "Not a superuser: jsonb_contains and jsonb_path_match_opr stay not LEAKPROOF, so profile "
            "selections cannot use their index under row level security. See docs/operations.md."
        )
        return
    for function in LEAKPROOF_FUNCTIONS:
        op.execute(f"ALTER FUNCTION {function} {'LEAKPROOF' if leakproof else 'NOT LEAKPROOF'}")
