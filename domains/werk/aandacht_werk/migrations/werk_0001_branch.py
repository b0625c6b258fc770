"""Start the werk domain's migration branch.

Revision ID: werk_0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

revision: str = "werk_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("werk",)
depends_on: str | Sequence[str] | None = "core_0001"


def upgrade() -> None:
    """Nothing yet: the domain's tables arrive with the engines that need them."""


def downgrade() -> None:
    """Nothing to undo."""
