"""The review state: needs and offers as far as decisions need them, and every suggested match.

Built from needs.registered, offers.registered, matches.suggested and matches.withdrawn (kept by
the notifier's consumer) and changed by decisions (``services.review.decisions``).
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    Sequence,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import Base

# A suggestion waiting for a decision (a row only a withdrawal made has no kind).
OPEN_SUGGESTION = "status = 'open' AND kind IS NOT NULL"
REVIEW_REVISION = Sequence("review_revision", metadata=Base.metadata)
MATCH_STATUSES = ("open", "withdrawn", "accepted", "rejected", "revoked")


class ReviewNeed(Base):
    """A need: school, region, contact, and how much accepted matches have given it."""

    __tablename__ = "review_needs"

    need_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(40))
    field: Mapped[str] = mapped_column(String(40))
    grades: Mapped[list[str]] = mapped_column(ARRAY(String(4)))
    title: Mapped[str] = mapped_column(String(200))
    institution_number: Mapped[str] = mapped_column(String(6), index=True)
    school_name: Mapped[str] = mapped_column(String(200))
    # The school's postal code: where the shortage radar's map places the need.
    postal_code: Mapped[str | None] = mapped_column(String(4))
    rtc_region: Mapped[str] = mapped_column(String(40), index=True)
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254))
    quantity: Mapped[int] = mapped_column(Integer)
    quantity_met: Mapped[int] = mapped_column(Integer, default=0)
    wants_replacement: Mapped[bool] = mapped_column(Boolean, default=False)
    linked_need_id: Mapped[str | None] = mapped_column(String(120), index=True)
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    # Days the need asks inside its period (NULL: all of it).
    period_days: Mapped[int | None] = mapped_column(Integer)


class ReviewOffer(Base):
    """An offer: provider, contact, its units at a time and what accepted matches booked.

    ``capacity_used`` is the units in use on the freest day of the offer's window (the bookings
    are the accepted matches' ``booked_from``/``booked_until``): the offer is fully booked when
    no day of its window has a unit left."""

    __tablename__ = "review_offers"

    offer_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    enterprise_number: Mapped[str] = mapped_column(String(12), index=True)
    provider_name: Mapped[str] = mapped_column(String(200))
    provider_type: Mapped[str] = mapped_column(String(24))
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254))
    capacity: Mapped[int] = mapped_column(Integer)
    capacity_used: Mapped[int] = mapped_column(Integer, default=0)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    # Calendar days a unit stays unavailable after each booking.
    turnaround_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ReviewMatch(Base):
    """A suggested pair and its fate. ``matcher_revision`` orders what the matcher said about it
    (suggested, withdrawn); a decision is final and outranks the matcher."""

    __tablename__ = "review_matches"
    __table_args__ = (
        CheckConstraint(
            "status IN ('open', 'withdrawn', 'accepted', 'rejected', 'revoked')", name="status"
        ),
        Index("ix_review_matches_need_id_status", "need_id", "status"),
        Index("ix_review_matches_offer_id_status", "offer_id", "status"),
        Index("ix_review_matches_status_suggested_at", "status", "suggested_at"),
    )

    match_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    need_id: Mapped[str] = mapped_column(String(120))
    offer_id: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(10))
    matcher_revision: Mapped[int] = mapped_column(BigInteger, default=0)
    # What the suggestion said; empty while only a withdrawal has arrived.
    kind: Mapped[str | None] = mapped_column(String(40))
    score: Mapped[float | None] = mapped_column(Float)
    rank: Mapped[int | None] = mapped_column(Integer)
    # What ordered the list it was shown in: rule (the weights) or model (``model_version``).
    ranked_by: Mapped[str | None] = mapped_column(String(5))
    model_version: Mapped[int | None] = mapped_column(Integer)
    distance_km: Mapped[float | None] = mapped_column(Float)
    components: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    explanation: Mapped[str | None] = mapped_column(Text)
    suggested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_reason: Mapped[str | None] = mapped_column(String(40))
    announced: Mapped[bool] = mapped_column(Boolean, default=False)
    # The region's coordinators were reminded of it (it waited too long undecided).
    reminded: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    # The decision, and its revocation.
    reason_code: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(254))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_event_id: Mapped[str | None] = mapped_column(String(100))
    units: Mapped[int] = mapped_column(Integer, default=0)
    # The days an acceptance books its units, both included (NULL: not accepted).
    booked_from: Mapped[date | None] = mapped_column(Date)
    booked_until: Mapped[date | None] = mapped_column(Date)
    revoked_by: Mapped[str | None] = mapped_column(String(254))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    # The journey after acceptance (``services.review.journey``): the step reached (NULL: just
    # accepted), who marked it and when; a cancellation frees the booking from ``cancelled_on``.
    step: Mapped[str | None] = mapped_column(String(16))
    step_by: Mapped[str | None] = mapped_column(String(254))
    step_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_on: Mapped[date | None] = mapped_column(Date)
    cancel_reason: Mapped[str | None] = mapped_column(Text)


RATING_COMMENT_LENGTH = 300


class ReviewRating(Base):
    """One side's rating of a match that took place: 1 to 5 and a sentence (data for the learned
    ranking; the school's ratings of a provider are its track record)."""

    __tablename__ = "review_ratings"
    __table_args__ = (
        CheckConstraint("score BETWEEN 1 AND 5", name="score"),
        CheckConstraint("side IN ('school', 'provider')", name="side"),
        Index("ix_review_ratings_enterprise_number_side", "enterprise_number", "side"),
    )

    match_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    side: Mapped[str] = mapped_column(String(8), primary_key=True)
    # The provider rated or rating, so a track record is one indexed read.
    enterprise_number: Mapped[str] = mapped_column(String(12))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(String(RATING_COMMENT_LENGTH))
    rated_by: Mapped[str] = mapped_column(String(254))
    rated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# The open queue in both of its orders: walked from the top, a page stops after a few rows,
# whatever the region's size.
Index(
    "ix_review_matches_open_by_score",
    ReviewMatch.score.desc(),
    ReviewMatch.rank,
    ReviewMatch.match_id,
    postgresql_where=text(OPEN_SUGGESTION),
)
Index(
    "ix_review_matches_open_by_age",
    ReviewMatch.suggested_at,
    ReviewMatch.match_id,
    postgresql_where=text(OPEN_SUGGESTION),
)
# Announced suggestions no one was reminded of yet, oldest first: the notifier's reminders walk
# only these, however many were reminded before.
Index(
    "ix_review_matches_to_remind",
    ReviewMatch.suggested_at,
    ReviewMatch.match_id,
    postgresql_where=text(f"{OPEN_SUGGESTION} AND announced AND NOT reminded"),
)
# Any other status's listing (decided, withdrawn) in score order, walked the same way.
Index(
    "ix_review_matches_status_by_score",
    ReviewMatch.status,
    ReviewMatch.score.desc(),
    ReviewMatch.rank,
    ReviewMatch.match_id,
)


class ReviewQueueVersion(Base):
    """How often a region's review queue has changed: bumped in the transaction of every change
    (``services.review.changes``), so a poll compares one number instead of building the queue."""

    __tablename__ = "review_queue_versions"

    rtc_region: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
