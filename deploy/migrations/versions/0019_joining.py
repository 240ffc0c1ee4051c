"""Joining Schakel: one-use e-mail links (password reset) stored as the hash of their token.

Revision ID: 0019_joining
Revises: 0016_review_periods
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_joining"
down_revision: str | None = "0016_review_periods"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """The links mailed to users: whose, what for, until when, and when used."""
    op.create_table(
        "account_links",
        sa.Column("id", sa.Integer(), sa.Identity(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("purpose IN ('password_reset')", name="ck_account_links_purpose"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_account_links_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_account_links"),
        sa.UniqueConstraint("token_hash", name="uq_account_links_token_hash"),
    )
    op.create_index("ix_account_links_user_id", "account_links", ["user_id"])


def downgrade() -> None:
    """Back to no mailed links."""
    op.drop_table("account_links")
