"""Joining Schakel: one-use e-mail links (password reset, address check, invitation) stored as
the hash of their token, colleagues' organisation-admin right, and organisations that signed
themselves up: their status (pending until the RTC coordinator of their region approves them),
postal code and kind of provider.

Revision ID: 0019_joining
Revises: 0018_bookings
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_joining"
down_revision: str | None = "0018_bookings"
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
        sa.CheckConstraint(
            "purpose IN ('password_reset', 'verify_email', 'invitation')",
            name="purpose",  # ck_account_links_purpose by the naming convention
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_account_links_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_account_links"),
        sa.UniqueConstraint("token_hash", name="uq_account_links_token_hash"),
    )
    op.create_index("ix_account_links_user_id", "account_links", ["user_id"])
    _organisations()


def _organisations() -> None:
    """Every organisation made so far was made by an administrator: approved."""
    op.add_column(
        "organisations",
        sa.Column("status", sa.String(10), server_default="approved", nullable=False),
    )
    op.create_check_constraint(  # ck_organisations_status by the naming convention
        "status", "organisations", "status IN ('pending', 'approved', 'refused')"
    )
    op.add_column("organisations", sa.Column("postal_code", sa.String(4), nullable=True))
    op.add_column("organisations", sa.Column("provider_type", sa.String(20), nullable=True))
    op.add_column(
        "organisations", sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("organisations", sa.Column("refusal_reason", sa.Text(), nullable=True))
    op.create_index("ix_organisations_status", "organisations", ["status"])
    op.add_column(
        "users",
        sa.Column("organisation_admin", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    """Back to no mailed links and organisations made by administrators only."""
    op.drop_column("users", "organisation_admin")
    op.drop_index("ix_organisations_status", "organisations")
    for column in ("refusal_reason", "verified_at", "provider_type", "postal_code"):
        op.drop_column("organisations", column)
    op.drop_column("organisations", "status")
    op.drop_table("account_links")
