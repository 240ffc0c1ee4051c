"""The version of each organisation's own postings as its page shows them
(``shared.own_versions``): ``/school`` and ``/aanbieder`` remember their rendered list until it
moves.

Revision ID: 0035_own_versions
Revises: 0034_lists
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035_own_versions"
down_revision: str | None = "0034_lists"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """The table; an owner without a row has not changed since (its first change adds it)."""
    op.create_table(
        "own_versions",
        sa.Column("side", sa.String(5), nullable=False),
        sa.Column("owner_number", sa.String(20), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("side", "owner_number", name=op.f("pk_own_versions")),
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_table("own_versions")
