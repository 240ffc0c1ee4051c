"""Outbox rows may name their partition: events the matcher consumes travel by kind group.

Revision ID: 0011_outbox_partition
Revises: 0010_matcher_groups
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_outbox_partition"
down_revision: str | None = "0010_matcher_groups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the nullable partition (None: the key's partition, as before)."""
    op.add_column("outbox", sa.Column("partition", sa.Integer(), nullable=True))


def downgrade() -> None:
    """Every event on its key's partition again."""
    op.drop_column("outbox", "partition")
