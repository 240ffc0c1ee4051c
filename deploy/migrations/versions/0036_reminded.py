"""Reminders walk only the suggestions not reminded yet: ``review_matches.reminded`` and a
partial index of the open, announced, unreminded ones by age (the notifier read every undecided
suggestion older than the delay each minute and left the reminded ones out one by one).

Revision ID: 0036_reminded
Revises: 0035_own_versions
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0036_reminded"
down_revision: str | None = "0035_own_versions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TO_REMIND = "status = 'open' AND kind IS NOT NULL AND announced AND NOT reminded"


def upgrade() -> None:
    """The column, true for every suggestion a reminder was created for, and the index."""
    op.add_column(
        "review_matches",
        sa.Column("reminded", sa.Boolean(), server_default="false", nullable=False),
    )
    op.execute(
        "UPDATE review_matches SET reminded = true WHERE match_id IN "
        "(SELECT match_id FROM notifications WHERE type = 'reminder')"
    )
    op.create_index(
        "ix_review_matches_to_remind",
        "review_matches",
        ["suggested_at", "match_id"],
        postgresql_where=sa.text(TO_REMIND),
    )


def downgrade() -> None:
    """Drop both."""
    op.drop_index("ix_review_matches_to_remind", table_name="review_matches")
    op.drop_column("review_matches", "reminded")
