"""Intake hardening: content digests on processed events, withdrawals waiting for their
submission (tombstones) with the record time of each posting's first submission, and the
rejections intake emitted.

Revision ID: 0005_intake_hardening
Revises: 0004_notifier
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0005_intake_hardening"
down_revision: str | None = "0004_notifier"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("processed_events", sa.Column("content_digest", sa.LargeBinary(), nullable=True))
    for table in ("needs", "offers"):
        op.add_column(
            table, sa.Column("first_submitted_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "posting_tombstones",
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("side", sa.String(5), nullable=False),
        sa.Column("posting_id", sa.String(120), nullable=False),
        sa.Column("requested_by", sa.String(20), nullable=True),
        sa.Column("produced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint("side IN ('need', 'offer')", name="ck_posting_tombstones_side"),
        sa.PrimaryKeyConstraint("event_id", name="pk_posting_tombstones"),
    )
    op.create_index(
        "ix_posting_tombstones_side_posting_id", "posting_tombstones", ["side", "posting_id"]
    )
    op.create_table(
        "posting_rejections",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("posting_id", sa.String(120), nullable=True),
        sa.Column("source_topic", sa.String(100), nullable=False),
        sa.Column("source_event_id", sa.String(200), nullable=True),
        sa.Column("errors", JSONB(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_posting_rejections"),
    )
    op.create_index("ix_posting_rejections_posting_id", "posting_rejections", ["posting_id"])
    op.create_index(
        "ix_posting_rejections_source_event_id", "posting_rejections", ["source_event_id"]
    )


def downgrade() -> None:
    op.drop_table("posting_rejections")
    op.drop_table("posting_tombstones")
    for table in ("offers", "needs"):
        op.drop_column(table, "first_submitted_at")
    op.drop_column("processed_events", "content_digest")
