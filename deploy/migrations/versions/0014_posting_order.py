"""Posting order: the record time of the submission whose content a posting holds, and of the
event that closed it, so intake applies every event of a posting in the order it was produced.

Revision ID: 0014_posting_order
Revises: 0013_sign_in_throttle
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_posting_order"
down_revision: str | None = "0013_sign_in_throttle"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("content_produced_at", "closed_produced_at")


def upgrade() -> None:
    """Add both record times; a stored posting's content is that of its first submission as far
    as is known, and a posting closed before now has no known closing time (NULL)."""
    for table in ("needs", "offers"):
        for column in COLUMNS:
            op.add_column(table, sa.Column(column, sa.DateTime(timezone=True), nullable=True))
        rows = sa.table(table, sa.column("content_produced_at"), sa.column("first_submitted_at"))
        op.execute(rows.update().values(content_produced_at=rows.c.first_submitted_at))


def downgrade() -> None:
    """Drop both record times."""
    for table in ("offers", "needs"):
        for column in reversed(COLUMNS):
            op.drop_column(table, column)
