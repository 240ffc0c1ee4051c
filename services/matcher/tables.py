"""The matcher's tables: its copy of the open postings, every suggestion it made, and one row
per kind group (``shared.taxonomy.kind_group``).

The state is partitioned by kind group: a need only ever meets offers of its own group, so
instances work on different groups side by side. A transaction on a group locks its
``matcher_groups`` row, and every write takes a fresh ``revision`` from one sequence; the row's
revision, drawn anew by a transaction that wrote to the group (with its first write, or last),
tells an instance whether others wrote to the group since it last looked, and the rows'
revisions above the one it saw what (every later writer draws higher ones).
"""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Float,
    Identity,
    Index,
    Integer,
    Sequence,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import Base

REVISION = Sequence("matcher_revision", metadata=Base.metadata)


class MatcherPosting(Base):
    """A need or offer as last registered; ``used`` counts what accepted matches took of it."""

    __tablename__ = "matcher_postings"
    __table_args__ = (
        CheckConstraint("side IN ('need', 'offer')", name="side"),
        Index("ix_matcher_postings_revision", "revision"),
    )

    side: Mapped[str] = mapped_column(String(5), primary_key=True)
    posting_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    kind_group: Mapped[str] = mapped_column(String(40))
    # The group the posting last left (its kind changed): instances of that group drop it.
    former_group: Mapped[str | None] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    used: Mapped[int] = mapped_column(Integer, server_default="0")
    # The review revision ``used`` is as of (matches.reviewed of one posting arrive unordered).
    used_revision: Mapped[int] = mapped_column(BigInteger, server_default="0")
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    # Offers: [first, last, units] runs of units in use, as of ``used_revision`` (NULL: not
    # known; the counter ``used`` alone).
    in_use: Mapped[list[list[Any]] | None] = mapped_column(JSONB)
    revision: Mapped[int] = mapped_column(BigInteger, server_default=REVISION.next_value())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class MatchSuggestion(Base):
    """A pair the matcher suggested, and where it stands."""

    __tablename__ = "match_suggestions"
    __table_args__ = (
        CheckConstraint(
            "status IN ('suggested', 'withdrawn', 'accepted', 'rejected', 'revoked')",
            name="status",
        ),
        Index("ix_match_suggestions_need_id", "need_id"),
        Index("ix_match_suggestions_offer_id", "offer_id"),
        Index("ix_match_suggestions_group_revision", "kind_group", "revision"),
    )

    match_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind_group: Mapped[str] = mapped_column(String(40))
    need_id: Mapped[str] = mapped_column(String(120))
    offer_id: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(40))
    score: Mapped[float] = mapped_column(Float)
    rank: Mapped[int] = mapped_column(Integer)
    distance_km: Mapped[float] = mapped_column(Float)
    rtc_region: Mapped[str] = mapped_column(String(40))
    components: Mapped[dict[str, float]] = mapped_column(JSONB)
    explanation: Mapped[str] = mapped_column(Text)
    # The learned ranking that placed it (None: the hand-set weights).
    model_version: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(40))
    revision: Mapped[int] = mapped_column(BigInteger, server_default=REVISION.next_value())
    suggested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class MatcherGroup(Base):
    """A kind group: locked by every transaction on it; ``revision`` is the last one written;
    ``ranking_version`` the published model its lists were last re-ranked with (None: the
    hand-set weights)."""

    __tablename__ = "matcher_groups"

    kind_group: Mapped[str] = mapped_column(String(40), primary_key=True)
    revision: Mapped[int] = mapped_column(BigInteger, server_default="0")
    ranking_version: Mapped[int | None] = mapped_column(Integer)


class MatcherTermPair(Base):
    """Two terms an administrator added to the vocabulary's reviewed base for a field; a removed
    pair keeps its row (``removed_at``). Every change takes a fresh ``revision``, so the highest
    one tells a process whether the vocabulary it matches with is still current."""

    __tablename__ = "matcher_term_pairs"
    __table_args__ = (Index("ix_matcher_term_pairs_revision", "revision"),)

    pair_id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    field: Mapped[str] = mapped_column(String(60))
    term: Mapped[str] = mapped_column(String(80))
    other: Mapped[str] = mapped_column(String(80))
    added_by: Mapped[str] = mapped_column(String(254))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revision: Mapped[int] = mapped_column(BigInteger, server_default=REVISION.next_value())


class MatcherDismissedTerms(Base):
    """A proposed pair (a need's term, an offer's term in a field) an administrator dismissed:
    never proposed again."""

    __tablename__ = "matcher_dismissed_terms"

    field: Mapped[str] = mapped_column(String(60), primary_key=True)
    need_term: Mapped[str] = mapped_column(String(80), primary_key=True)
    offer_term: Mapped[str] = mapped_column(String(80), primary_key=True)
    dismissed_by: Mapped[str] = mapped_column(String(254))
    dismissed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
