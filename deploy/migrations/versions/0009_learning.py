"""Learning: versioned rankings trained on coordinators' decisions.

Revision ID: 0009_learning
Revises: 0008_coordinators_as_users
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0009_learning"
down_revision: str | None = "0008_coordinators_as_users"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create ranking_models."""
    op.create_table(
        "ranking_models",
        sa.Column("version", sa.Integer(), sa.Identity(), nullable=False),
        sa.Column("created_at", TZ, server_default=sa.func.now(), nullable=False),
        sa.Column("trained_on", sa.Integer(), nullable=False),
        sa.Column("metrics", JSONB(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("model", sa.LargeBinary(), nullable=False),
        sa.Column("applied_at", TZ, nullable=True),
        sa.PrimaryKeyConstraint("version", name="pk_ranking_models"),
    )


def downgrade() -> None:
    """Drop ranking_models."""
    op.drop_table("ranking_models")
