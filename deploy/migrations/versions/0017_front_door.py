"""The front door at full scale: each region's review queue has a version that every change
bumps (the poll compares it instead of building the queue), and two partial indexes walk the
open queue in its two orders, so a page reads a few rows whatever the region's size.

Revision ID: 0017_front_door
Revises: 0016_review_periods
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_front_door"
down_revision: str | None = "0016_review_periods"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_SUGGESTION = "status = 'open' AND kind IS NOT NULL"


def upgrade() -> None:
    """The version table (every region that has needs starts at 1) and the two indexes."""
    op.create_table(
        "review_queue_versions",
        sa.Column("rtc_region", sa.String(40), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("rtc_region", name="pk_review_queue_versions"),
    )
    op.execute(
        "INSERT INTO review_queue_versions (rtc_region, version) "
        "SELECT DISTINCT rtc_region, 1 FROM review_needs"
    )
    op.create_index(
        "ix_review_matches_open_by_score",
        "review_matches",
        [sa.text("score DESC"), "rank", "match_id"],
        postgresql_where=sa.text(OPEN_SUGGESTION),
    )
    op.create_index(
        "ix_review_matches_open_by_age",
        "review_matches",
        ["suggested_at", "match_id"],
        postgresql_where=sa.text(OPEN_SUGGESTION),
    )


def downgrade() -> None:
    """Drop the indexes and the versions."""
    op.drop_index("ix_review_matches_open_by_age", table_name="review_matches")
    op.drop_index("ix_review_matches_open_by_score", table_name="review_matches")
    op.drop_table("review_queue_versions")
