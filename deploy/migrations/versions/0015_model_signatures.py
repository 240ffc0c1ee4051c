"""Ranking models carry an HMAC-SHA256 signature, verified before they are unpickled.

Revision ID: 0015_model_signatures
Revises: 0014_posting_order
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_model_signatures"
down_revision: str | None = "0014_posting_order"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the nullable signature: models stored before are unsigned, so refused (the weights
    rank until the next training stores a signed one)."""
    op.add_column("ranking_models", sa.Column("signature", sa.String(64), nullable=True))


def downgrade() -> None:
    """Models without signatures again."""
    op.drop_column("ranking_models", "signature")
