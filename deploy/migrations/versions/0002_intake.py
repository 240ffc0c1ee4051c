"""Intake: stored needs and offers.

Revision ID: 0002_intake
Revises: 0001_foundation
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0002_intake"
down_revision: str | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _posting_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("rtc_region", sa.String(40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("registered", JSONB(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "needs",
        sa.Column("need_id", sa.String(120), nullable=False),
        sa.Column("institution_number", sa.String(6), nullable=False),
        sa.Column("linked_need_id", sa.String(120), nullable=True),
        *_posting_columns(),
        sa.PrimaryKeyConstraint("need_id", name="pk_needs"),
        sa.ForeignKeyConstraint(
            ["linked_need_id"],
            ["needs.need_id"],
            name="fk_needs_linked_need_id_needs",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_needs_status_period_end", "needs", ["status", "period_end"])
    op.create_index("ix_needs_institution_number", "needs", ["institution_number"])
    op.create_table(
        "offers",
        sa.Column("offer_id", sa.String(120), nullable=False),
        sa.Column("enterprise_number", sa.String(12), nullable=False),
        *_posting_columns(),
        sa.PrimaryKeyConstraint("offer_id", name="pk_offers"),
    )
    op.create_index("ix_offers_status_period_end", "offers", ["status", "period_end"])
    op.create_index("ix_offers_enterprise_number", "offers", ["enterprise_number"])


def downgrade() -> None:
    op.drop_table("offers")
    op.drop_table("needs")
