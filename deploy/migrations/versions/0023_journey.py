"""The journey after acceptance: the step an accepted match reached (who marked it, when), the
day a cancellation freed its booking from and why, and each side's rating of a match that took
place.

Revision ID: 0023_journey
Revises: 0022_catalogue_search
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_journey"
down_revision: str | None = "0022_catalogue_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STEP_COLUMNS = ("step", "step_by", "step_at", "cancelled_on", "cancel_reason")


def upgrade() -> None:
    """The match's journey columns and the ratings table."""
    op.add_column("review_matches", sa.Column("step", sa.String(16), nullable=True))
    op.add_column("review_matches", sa.Column("step_by", sa.String(254), nullable=True))
    op.add_column("review_matches", sa.Column("step_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("review_matches", sa.Column("cancelled_on", sa.Date(), nullable=True))
    op.add_column("review_matches", sa.Column("cancel_reason", sa.Text(), nullable=True))
    op.create_table(
        "review_ratings",
        sa.Column("match_id", sa.String(100), nullable=False),
        sa.Column("side", sa.String(8), nullable=False),
        sa.Column("enterprise_number", sa.String(12), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.String(300), nullable=False),
        sa.Column("rated_by", sa.String(254), nullable=False),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="ck_review_ratings_score"),
        sa.CheckConstraint("side IN ('school', 'provider')", name="ck_review_ratings_side"),
        sa.PrimaryKeyConstraint("match_id", "side", name="pk_review_ratings"),
    )
    op.create_index(
        "ix_review_ratings_enterprise_number_side",
        "review_ratings",
        ["enterprise_number", "side"],
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_index("ix_review_ratings_enterprise_number_side", table_name="review_ratings")
    op.drop_table("review_ratings")
    for column in _STEP_COLUMNS:
        op.drop_column("review_matches", column)
