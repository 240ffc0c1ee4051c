"""Server-side browser sessions; bearer tokens expire.

Revision ID: 0012_sessions
Revises: 0011_outbox_partition
"""

from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0012_sessions"
down_revision: str | None = "0011_outbox_partition"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.func.now()
# Tokens issued before tokens expired get the default lifetime from today.
EXISTING_TOKEN_DAYS = 90


def upgrade() -> None:
    """Add ``api_sessions`` and ``api_tokens.expires_at``."""
    op.create_table(
        "api_sessions",
        sa.Column("id", sa.Integer(), sa.Identity(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("id_hash", sa.String(64), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("user_agent", sa.String(200), nullable=False),
        sa.Column("client_address", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_api_sessions_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_api_sessions"),
        sa.UniqueConstraint("id_hash", name="uq_api_sessions_id_hash"),
    )
    op.create_index("ix_api_sessions_user_id", "api_sessions", ["user_id"])
    op.add_column("api_tokens", sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    tokens = sa.table("api_tokens", sa.column("expires_at", sa.DateTime(timezone=True)))
    op.execute(tokens.update().values(expires_at=NOW + timedelta(days=EXISTING_TOKEN_DAYS)))
    op.alter_column("api_tokens", "expires_at", nullable=False)


def downgrade() -> None:
    """Drop the sessions table and the tokens' expiry."""
    op.drop_column("api_tokens", "expires_at")
    op.drop_index("ix_api_sessions_user_id", table_name="api_sessions")
    op.drop_table("api_sessions")
