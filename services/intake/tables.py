"""Stored needs and offers: key columns for queries, the registered posting as JSON."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import Base


class PostingRow:
    """Columns needs and offers share."""

    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(40))
    field: Mapped[str] = mapped_column(String(40))
    rtc_region: Mapped[str] = mapped_column(String(40))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    registered: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class NeedRow(PostingRow, Base):
    """A school's need; ``registered`` holds the last NeedRegistered event."""

    __tablename__ = "needs"
    __table_args__ = (
        Index("ix_needs_status_period_end", "status", "period_end"),
        Index("ix_needs_institution_number", "institution_number"),
    )

    need_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    institution_number: Mapped[str] = mapped_column(String(6))
    linked_need_id: Mapped[str | None] = mapped_column(
        String(120), ForeignKey("needs.need_id", ondelete="SET NULL")
    )


class OfferRow(PostingRow, Base):
    """A provider's offer; ``registered`` holds the last OfferRegistered event."""

    __tablename__ = "offers"
    __table_args__ = (
        Index("ix_offers_status_period_end", "status", "period_end"),
        Index("ix_offers_enterprise_number", "enterprise_number"),
    )

    offer_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    enterprise_number: Mapped[str] = mapped_column(String(12))
