"""The sign-in throttle's counts, shared by every API instance.

Revision ID: 0013_sign_in_throttle
Revises: 0012_sessions
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_sign_in_throttle"
down_revision: str | None = "0012_sessions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Failures per throttle subject, and the clients that signed in to an account."""
    op.create_table(
        "sign_in_failures",
        sa.Column("subject", sa.String(160), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("subject", name="pk_sign_in_failures"),
    )
    op.create_index("ix_sign_in_failures_blocked_until", "sign_in_failures", ["blocked_until"])
    op.create_table(
        "sign_in_clients",
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("signed_in_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("account", "client", name="pk_sign_in_clients"),
    )
    op.create_index("ix_sign_in_clients_signed_in_at", "sign_in_clients", ["signed_in_at"])


def downgrade() -> None:
    """Back to no sign-in throttle in the database."""
    op.drop_table("sign_in_clients")
    op.drop_table("sign_in_failures")
