"""Notifier: coordinators, webhook endpoints, read model of postings and matches, notifications.

Revision ID: 0004_notifier
Revises: 0003_matcher
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0004_notifier"
down_revision: str | None = "0003_matcher"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _recipients() -> None:
    op.create_table(
        "coordinators",
        sa.Column("id", sa.Integer(), sa.Identity(), nullable=False),
        sa.Column("rtc_region", sa.String(40), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("digest", sa.String(10), nullable=False),
        sa.CheckConstraint("digest IN ('immediate', 'daily')", name="ck_coordinators_digest"),
        sa.PrimaryKeyConstraint("id", name="pk_coordinators"),
        sa.UniqueConstraint("email", name="uq_coordinators_email"),
    )
    op.create_index("ix_coordinators_rtc_region", "coordinators", ["rtc_region"])
    op.create_table(
        "organisation_endpoints",
        sa.Column("organisation_id", sa.String(20), nullable=False),
        sa.Column("webhook_url", sa.String(500), nullable=False),
        sa.Column("webhook_secret", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("organisation_id", name="pk_organisation_endpoints"),
    )


def _read_model() -> None:
    op.create_table(
        "notifier_needs",
        sa.Column("need_id", sa.String(100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("institution_number", sa.String(6), nullable=False),
        sa.Column("school_name", sa.String(200), nullable=False),
        sa.Column("rtc_region", sa.String(40), nullable=False),
        sa.Column("contact_name", sa.String(120), nullable=False),
        sa.Column("contact_email", sa.String(254), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("quantity_met", sa.Integer(), nullable=False),
        sa.Column("wants_replacement", sa.Boolean(), nullable=False),
        sa.Column("linked_need_id", sa.String(100), nullable=True),
        sa.PrimaryKeyConstraint("need_id", name="pk_notifier_needs"),
    )
    op.create_index("ix_notifier_needs_linked_need_id", "notifier_needs", ["linked_need_id"])
    op.create_table(
        "notifier_offers",
        sa.Column("offer_id", sa.String(100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("enterprise_number", sa.String(12), nullable=False),
        sa.Column("provider_name", sa.String(200), nullable=False),
        sa.Column("contact_name", sa.String(120), nullable=False),
        sa.Column("contact_email", sa.String(254), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("capacity_used", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("offer_id", name="pk_notifier_offers"),
    )
    op.create_table(
        "notifier_suggestions",
        sa.Column("match_id", sa.String(100), nullable=False),
        sa.Column("need_id", sa.String(100), nullable=False),
        sa.Column("offer_id", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("distance_km", sa.Float(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("suggested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason_code", sa.String(20), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_event_id", sa.String(100), nullable=True),
        sa.Column("announced", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("match_id", name="pk_notifier_suggestions"),
    )
    op.create_index(
        "ix_notifier_suggestions_need_id_status", "notifier_suggestions", ["need_id", "status"]
    )
    op.create_index(
        "ix_notifier_suggestions_offer_id_status", "notifier_suggestions", ["offer_id", "status"]
    )
    op.create_index(
        "ix_notifier_suggestions_status_suggested_at",
        "notifier_suggestions",
        ["status", "suggested_at"],
    )


def _notifications() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("match_id", sa.String(100), nullable=False),
        sa.Column("recipient", sa.String(64), nullable=False),
        sa.Column("type", sa.String(24), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("payload", JSONB(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
        sa.UniqueConstraint(
            "match_id", "recipient", "type", name="uq_notifications_match_recipient"
        ),
    )
    op.create_index(
        "ix_notifications_recipient_created_at", "notifications", ["recipient", "created_at"]
    )
    op.create_table(
        "deliveries",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("notification_id", sa.BigInteger(), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("address", sa.String(254), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column(
            "next_attempt_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_deliveries"),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name="fk_deliveries_notification_id_notifications",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "notification_id", "channel", name="uq_deliveries_notification_channel"
        ),
    )
    op.create_index(
        "ix_deliveries_status_next_attempt_at", "deliveries", ["status", "next_attempt_at"]
    )


def upgrade() -> None:
    _recipients()
    _read_model()
    _notifications()


def downgrade() -> None:
    for table in (
        "deliveries",
        "notifications",
        "notifier_suggestions",
        "notifier_offers",
        "notifier_needs",
        "organisation_endpoints",
        "coordinators",
    ):
        op.drop_table(table)
