"""The vocabulary administrators edit without a release: term pairs added on top of the shipped
file (a removed pair keeps its row; every change takes a revision of the matcher's sequence),
and the proposed pairs they dismissed.

Revision ID: 0027_vocabulary
Revises: 0026_org_settings
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027_vocabulary"
down_revision: str | None = "0026_org_settings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the two tables."""
    op.create_table(
        "matcher_term_pairs",
        sa.Column("pair_id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("field", sa.String(60), nullable=False),
        sa.Column("term", sa.String(80), nullable=False),
        sa.Column("other", sa.String(80), nullable=False),
        sa.Column("added_by", sa.String(254), nullable=False),
        sa.Column(
            "added_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "revision",
            sa.BigInteger(),
            server_default=sa.text("nextval('matcher_revision')"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("pair_id"),
    )
    op.create_index("ix_matcher_term_pairs_revision", "matcher_term_pairs", ["revision"])
    op.create_table(
        "matcher_dismissed_terms",
        sa.Column("field", sa.String(60), nullable=False),
        sa.Column("need_term", sa.String(80), nullable=False),
        sa.Column("offer_term", sa.String(80), nullable=False),
        sa.Column("dismissed_by", sa.String(254), nullable=False),
        sa.Column(
            "dismissed_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("field", "need_term", "offer_term"),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("matcher_dismissed_terms")
    op.drop_index("ix_matcher_term_pairs_revision", table_name="matcher_term_pairs")
    op.drop_table("matcher_term_pairs")
