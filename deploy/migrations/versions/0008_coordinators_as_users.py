"""Coordinators become users of their region's RTC (they sign in to the review queue).

Revision ID: 0008_coordinators_as_users
Revises: 0007_api
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_coordinators_as_users"
down_revision: str | None = "0007_api"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Carried-over coordinators keep receiving mail; "!" is no argon2 hash, so they sign in only
# after an operator sets a password (python -m services.api.cli user create ...).
CARRY_OVER = (
    """INSERT INTO organisations (kind, rtc_region, name)
       SELECT DISTINCT 'rtc', rtc_region, 'RTC ' || rtc_region FROM coordinators
       ON CONFLICT (rtc_region) DO NOTHING""",
    """INSERT INTO users (email, name, password_hash, role, organisation_id, digest)
       SELECT lower(c.email), c.name, '!', 'coordinator', o.id, c.digest
       FROM coordinators c JOIN organisations o ON o.rtc_region = c.rtc_region
       ON CONFLICT (email) DO NOTHING""",
)


def upgrade() -> None:
    """Move the coordinators into users and drop their table."""
    for statement in CARRY_OVER:
        op.execute(statement)
    op.drop_table("coordinators")


def downgrade() -> None:
    """Give the notifier its coordinators table back, filled from the users."""
    op.create_table(
        "coordinators",
        sa.Column("id", sa.Integer(), sa.Identity(), primary_key=True),
        sa.Column("rtc_region", sa.String(40), nullable=False, index=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("digest", sa.String(10), nullable=False),
        sa.CheckConstraint("digest IN ('immediate', 'daily')", name="digest"),
    )
    op.execute(
        """INSERT INTO coordinators (rtc_region, name, email, digest)
           SELECT o.rtc_region, u.name, u.email, u.digest FROM users u
           JOIN organisations o ON o.id = u.organisation_id WHERE u.role = 'coordinator'"""
    )
