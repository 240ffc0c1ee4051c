"""The front door at full scale, the rest: a listing of any status in score order walks an index
(the open queue had its partial indexes since 0017; a decided or withdrawn listing sorted every
row of its status and joined every offer).

Revision ID: 0024_door
Revises: 0023_journey
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024_door"
down_revision: str | None = "0023_journey"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """The index of every status in score order."""
    op.create_index(
        "ix_review_matches_status_by_score",
        "review_matches",
        ["status", sa.text("score DESC"), "rank", "match_id"],
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_index("ix_review_matches_status_by_score", table_name="review_matches")
