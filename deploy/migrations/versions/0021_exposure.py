"""What was shown: each suggestion keeps the ranking that placed it (the weights or a model
version), in the matcher's and in review's copy; a published model can be withdrawn.

Revision ID: 0021_exposure
Revises: 0019_joining
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_exposure"
down_revision: str | None = "0019_joining"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the columns, NULL for what was stored before (ranking unknown, never withdrawn)."""
    op.add_column("match_suggestions", sa.Column("model_version", sa.Integer(), nullable=True))
    op.add_column("review_matches", sa.Column("ranked_by", sa.String(5), nullable=True))
    op.add_column("review_matches", sa.Column("model_version", sa.Integer(), nullable=True))
    op.add_column(
        "ranking_models", sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("ranking_models", sa.Column("withdrawn_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    """Drop them."""
    op.drop_column("ranking_models", "withdrawn_reason")
    op.drop_column("ranking_models", "withdrawn_at")
    op.drop_column("review_matches", "model_version")
    op.drop_column("review_matches", "ranked_by")
    op.drop_column("match_suggestions", "model_version")
