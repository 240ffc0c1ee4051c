"""The notifier's own tables: webhook endpoints, notifications and their deliveries.

What the notifications are about (needs, offers, matches) is the review state
(``services.review.tables``), which the notifier's consumer keeps up to date.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import Base


class OrganisationEndpointRow(Base):
    """The webhook of a school (institution number) or provider (enterprise number)."""

    __tablename__ = "organisation_endpoints"

    organisation_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    webhook_url: Mapped[str] = mapped_column(String(500))
    webhook_secret: Mapped[str] = mapped_column(String(200))
    # The pings of the current minute, counted from the first (``endpoints.ping`` limits them).
    pings_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    pings: Mapped[int] = mapped_column(Integer, server_default="0")


class NotificationRow(Base):
    """One notification per (match, recipient, type): the in-app inbox entry and mail content."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("match_id", "recipient", "type", name="uq_notifications_match_recipient"),
        Index("ix_notifications_recipient_created_at", "recipient", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    match_id: Mapped[str] = mapped_column(String(100))
    recipient: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(24))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DeliveryRow(Base):
    """Sending one notification over one channel; retried with backoff until sent or given up."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("notification_id", "channel", name="uq_deliveries_notification_channel"),
        Index("ix_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("notifications.id", ondelete="CASCADE")
    )
    channel: Mapped[str] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
