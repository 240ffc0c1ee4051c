"""Accounts (organisations, users) and the HTTP API's tables (tokens, idempotency, submissions).

Revision ID: 0007_api
Revises: 0006_review
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0007_api"
down_revision: str | None = "0006_review"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.func.now()


def _accounts() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), sa.Identity(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("number", sa.String(12), nullable=True),
        sa.Column("rtc_region", sa.String(40), nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.CheckConstraint(
            "kind IN ('school', 'provider', 'rtc', 'admin')", name="ck_organisations_kind"
        ),
        sa.CheckConstraint(
            "(kind = 'rtc') = (rtc_region IS NOT NULL)", name="ck_organisations_rtc_region"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_organisations"),
        sa.UniqueConstraint("kind", "number", name="uq_organisations_kind_number"),
        sa.UniqueConstraint("rtc_region", name="uq_organisations_rtc_region"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), sa.Identity(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(12), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(10), server_default="immediate", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("disabled", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint(
            "role IN ('school', 'provider', 'coordinator', 'admin')", name="ck_users_role"
        ),
        sa.CheckConstraint("digest IN ('immediate', 'daily')", name="ck_users_digest"),
        sa.CheckConstraint("email = lower(email)", name="ck_users_email_lower_case"),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name="fk_users_organisation_id_organisations"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("email", name="uq_users_email"),
    )
    op.create_index("ix_users_organisation_id", "users", ["organisation_id"])


def _api() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), sa.Identity(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_api_tokens_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])
    op.create_table(
        "api_idempotency",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("request_digest", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response", JSONB(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_api_idempotency_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "key", name="pk_api_idempotency"),
    )
    op.create_table(
        "api_submissions",
        sa.Column("side", sa.String(5), nullable=False),
        sa.Column("posting_id", sa.String(120), nullable=False),
        sa.Column("organisation_number", sa.String(12), nullable=False),
        sa.Column("last_event_id", sa.String(36), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "side", "posting_id", "organisation_number", name="pk_api_submissions"
        ),
    )
    op.create_index(
        "ix_api_submissions_side_organisation",
        "api_submissions",
        ["side", "organisation_number"],
    )


def upgrade() -> None:
    _accounts()
    _api()


def downgrade() -> None:
    for table in ("api_submissions", "api_idempotency", "api_tokens", "users", "organisations"):
        op.drop_table(table)
