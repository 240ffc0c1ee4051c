"""Matcher state partitioned by kind group, so instances work side by side.

Revision ID: 0010_matcher_groups
Revises: 0009_learning
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.taxonomy import kind_group, kinds

revision: str = "0010_matcher_groups"
down_revision: str | None = "0009_learning"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add kind_group to the matcher's rows (filled from their kind) and matcher_groups."""
    op.add_column("matcher_postings", sa.Column("kind_group", sa.String(40), nullable=True))
    op.add_column("matcher_postings", sa.Column("former_group", sa.String(40), nullable=True))
    op.add_column("match_suggestions", sa.Column("kind_group", sa.String(40), nullable=True))
    for kind in kinds():
        op.execute(
            sa.text(
                "UPDATE matcher_postings SET kind_group = :group WHERE payload->>'kind' = :kind"
            ).bindparams(group=kind_group(kind), kind=kind)
        )
        op.execute(
            sa.text(
                "UPDATE match_suggestions SET kind_group = :group WHERE kind = :kind"
            ).bindparams(group=kind_group(kind), kind=kind)
        )
    op.alter_column("matcher_postings", "kind_group", nullable=False)
    op.alter_column("match_suggestions", "kind_group", nullable=False)
    op.drop_index("ix_match_suggestions_revision", table_name="match_suggestions")
    op.create_index(
        "ix_match_suggestions_group_revision", "match_suggestions", ["kind_group", "revision"]
    )
    op.create_table(
        "matcher_groups",
        sa.Column("kind_group", sa.String(40), nullable=False),
        sa.Column("revision", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("ranking_version", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("kind_group", name="pk_matcher_groups"),
    )


def downgrade() -> None:
    """Back to one matcher state for all kinds."""
    op.drop_table("matcher_groups")
    op.drop_index("ix_match_suggestions_group_revision", table_name="match_suggestions")
    op.create_index("ix_match_suggestions_revision", "match_suggestions", ["revision"])
    op.drop_column("match_suggestions", "kind_group")
    op.drop_column("matcher_postings", "former_group")
    op.drop_column("matcher_postings", "kind_group")
