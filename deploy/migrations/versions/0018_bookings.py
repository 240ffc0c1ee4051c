"""Capacity in time: accepted matches book their units from ``booked_from`` to
``booked_until``; offers keep their turnaround, needs the days they ask inside their period,
and the matcher each offer's units in use, run by run of days.

Revision ID: 0018_bookings
Revises: 0017_front_door
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0018_bookings"
down_revision: str | None = "0017_front_door"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the columns; earlier acceptances book the overlap of the two periods (what the one
    counter of capacity meant), needs take their days from intake's stored postings once."""
    op.add_column("review_needs", sa.Column("period_days", sa.Integer(), nullable=True))
    op.add_column(
        "review_offers",
        sa.Column("turnaround_days", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column("review_matches", sa.Column("booked_from", sa.Date(), nullable=True))
    op.add_column("review_matches", sa.Column("booked_until", sa.Date(), nullable=True))
    op.add_column("matcher_postings", sa.Column("in_use", JSONB(), nullable=True))
    op.execute(
        "UPDATE review_needs AS r SET period_days = (n.registered->'period'->>'days')::int"
        " FROM needs AS n WHERE n.need_id = r.need_id"
    )
    op.execute(
        "UPDATE review_matches AS m"
        " SET booked_from = GREATEST(n.period_start, o.period_start),"
        " booked_until = LEAST(n.period_end, o.period_end)"
        " FROM review_needs AS n, review_offers AS o"
        " WHERE m.status = 'accepted' AND n.need_id = m.need_id AND o.offer_id = m.offer_id"
    )


def downgrade() -> None:
    """Drop the columns."""
    op.drop_column("matcher_postings", "in_use")
    op.drop_column("review_matches", "booked_until")
    op.drop_column("review_matches", "booked_from")
    op.drop_column("review_offers", "turnaround_days")
    op.drop_column("review_needs", "period_days")
