"""The review state keeps the periods of its needs and offers (from needs/offers.registered),
so the review queue reads them from review's own tables instead of intake's.

Revision ID: 0016_review_periods
Revises: 0015_model_signatures
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_review_periods"
down_revision: str | None = "0015_model_signatures"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# review table, its key, intake's table of the same postings
TABLES = (("review_needs", "need_id", "needs"), ("review_offers", "offer_id", "offers"))
COLUMNS = ("period_start", "period_end")


def _backfill(review: str, key: str, intake: str) -> None:
    """Copy the periods intake stored for the postings the review state already holds."""
    kept = sa.table(review, sa.column(key), *(sa.column(c) for c in COLUMNS))
    stored = sa.table(intake, sa.column(key), *(sa.column(c) for c in COLUMNS))
    op.execute(
        kept.update().where(kept.c[key] == stored.c[key]).values({c: stored.c[c] for c in COLUMNS})
    )


def upgrade() -> None:
    """Add both dates (NULL until known: a posting only a withdrawal has named) and fill them
    from intake's stored postings once; registered events keep them from then on."""
    for review, key, intake in TABLES:
        for column in COLUMNS:
            op.add_column(review, sa.Column(column, sa.Date(), nullable=True))
        _backfill(review, key, intake)


def downgrade() -> None:
    """Drop both dates."""
    for review, _, _ in TABLES:
        for column in reversed(COLUMNS):
            op.drop_column(review, column)
