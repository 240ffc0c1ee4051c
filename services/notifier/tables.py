"""The notifier's own tables: recipients, its read model of postings and matches, notifications.

The read model is built from needs.registered, offers.registered and the match topics only; the
notifier never reads another service's tables.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
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


class CoordinatorRow(Base):
    """An RTC coordinator: configured data (see ``python -m services.notifier.cli``)."""

    __tablename__ = "coordinators"
    __table_args__ = (CheckConstraint("digest IN ('immediate', 'daily')", name="digest"),)

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    rtc_region: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    digest: Mapped[str] = mapped_column(String(10), default="immediate")


class OrganisationEndpointRow(Base):
    """The webhook of a school (institution number) or provider (enterprise number)."""

    __tablename__ = "organisation_endpoints"

    organisation_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    webhook_url: Mapped[str] = mapped_column(String(500))
    webhook_secret: Mapped[str] = mapped_column(String(200))


class NeedView(Base):
    """A need as the notifier knows it: school, region, contact and how much is met."""

    __tablename__ = "notifier_needs"

    need_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(40))
    field: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    institution_number: Mapped[str] = mapped_column(String(6))
    school_name: Mapped[str] = mapped_column(String(200))
    rtc_region: Mapped[str] = mapped_column(String(40))
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254))
    quantity: Mapped[int] = mapped_column(Integer)
    quantity_met: Mapped[int] = mapped_column(Integer, default=0)
    wants_replacement: Mapped[bool] = mapped_column(Boolean, default=False)
    linked_need_id: Mapped[str | None] = mapped_column(String(100), index=True)


class OfferView(Base):
    """An offer as the notifier knows it: provider, contact, capacity used by accepted matches."""

    __tablename__ = "notifier_offers"

    offer_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    enterprise_number: Mapped[str] = mapped_column(String(12))
    provider_name: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254))
    capacity: Mapped[int] = mapped_column(Integer)
    capacity_used: Mapped[int] = mapped_column(Integer, default=0)


class SuggestionView(Base):
    """A suggested match and its fate: open, withdrawn, accepted or rejected (with reason)."""

    __tablename__ = "notifier_suggestions"
    __table_args__ = (
        Index("ix_notifier_suggestions_need_id_status", "need_id", "status"),
        Index("ix_notifier_suggestions_offer_id_status", "offer_id", "status"),
        Index("ix_notifier_suggestions_status_suggested_at", "status", "suggested_at"),
    )

    match_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    need_id: Mapped[str] = mapped_column(String(100))
    offer_id: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40))
    score: Mapped[float] = mapped_column(Float)
    rank: Mapped[int] = mapped_column(Integer)
    distance_km: Mapped[float] = mapped_column(Float)
    explanation: Mapped[str] = mapped_column(Text)
    suggested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), default="open")
    reason_code: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_event_id: Mapped[str | None] = mapped_column(String(100))
    announced: Mapped[bool] = mapped_column(Boolean, default=False)


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
