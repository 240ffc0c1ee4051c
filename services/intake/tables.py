"""Intake's tables: needs and offers (key columns for queries, the registered posting as JSON),
withdrawals waiting for their submission, and every rejection intake emitted."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    SmallInteger,
    String,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, deferred, mapped_column

from shared.db import Base

# Column widths of rejections, which hold what the producer sent, truncated to fit.
REJECTED_POSTING_ID_LENGTH = 120
REJECTED_EVENT_ID_LENGTH = 200

# An offer's words for the catalogue's full-text search, in Dutch (stemmed, stop words left out):
# the title weighs most (A), then the keywords and the field (B), then the description (C).
# "<" and ">" read as spaces: PostgreSQL's parser takes "<b> ..." for markup and drops it.
OFFER_SEARCH_VECTOR = (
    "setweight(to_tsvector('dutch', "
    "translate(coalesce(registered->>'title', ''), '<>', '  ')), 'A') || "
    "setweight(to_tsvector('dutch', "
    "translate(coalesce(registered->>'keywords', ''), '<>', '  ') || ' ' || "
    "replace(field, '-', ' ')), 'B') || "
    "setweight(to_tsvector('dutch', "
    "translate(coalesce(registered->>'description', ''), '<>', '  ')), 'C')"
)


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
    # Kafka record time of the submission that created the posting (NULL: stored before 0005).
    first_submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Record time of the submission whose content ``registered`` holds (NULL: not known).
    content_produced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Record time of the withdrawal (or moment of the expiry) that closed it (NULL: open, or
    # closed before 0014).
    closed_produced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
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
        Index("ix_offers_search", "search", postgresql_using="gin"),
        Index("ix_offers_period_start_offer_id", "period_start", "offer_id"),
    )

    offer_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    enterprise_number: Mapped[str] = mapped_column(String(12))
    # Kept by PostgreSQL from the columns above (0022); read only by the catalogue's search.
    search: Mapped[Any] = deferred(
        mapped_column(TSVECTOR, Computed(OFFER_SEARCH_VECTOR, persisted=True))
    )


class TombstoneRow(Base):
    """A withdrawal of a posting not known yet, applied when its submission arrives."""

    __tablename__ = "posting_tombstones"
    __table_args__ = (
        CheckConstraint("side IN ('need', 'offer')", name="side"),
        Index("ix_posting_tombstones_side_posting_id", "side", "posting_id"),
    )

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    side: Mapped[str] = mapped_column(String(5))
    posting_id: Mapped[str] = mapped_column(String(120))
    requested_by: Mapped[str | None] = mapped_column(String(20))
    produced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class RejectionRow(Base):
    """A ``postings.rejected`` event intake emitted, stored with it for the HTTP API."""

    __tablename__ = "posting_rejections"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    posting_id: Mapped[str | None] = mapped_column(String(REJECTED_POSTING_ID_LENGTH), index=True)
    source_topic: Mapped[str] = mapped_column(String(100))
    source_event_id: Mapped[str | None] = mapped_column(
        String(REJECTED_EVENT_ID_LENGTH), index=True
    )
    errors: Mapped[list[dict[str, str]]] = mapped_column(JSONB)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CatalogueVersionRow(Base):
    """The catalogue's version (one row): a trigger on ``offers`` (migration 0034) draws it anew
    at the commit of every transaction that changes an offer."""

    __tablename__ = "catalogue_versions"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
