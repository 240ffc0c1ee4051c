"""Trained rankings, versioned, with their held-out figures; the newest published one ranks."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Identity,
    Integer,
    LargeBinary,
    Select,
    String,
    Text,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import Base


class RankingModel(Base):
    """One trained model: a pickled scikit-learn pipeline (``services.matcher.learning.model``)
    and its HMAC-SHA256 ``signature`` under ``MODEL_SIGNING_KEY``, verified before it is
    unpickled.
    ``applied_at`` is when a matcher first re-ranked every list with it; ``withdrawn_at`` when
    its live decisions showed it worse than the weights (it ranks no more, ``withdrawn_reason``
    says why)."""

    __tablename__ = "ranking_models"

    version: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    trained_on: Mapped[int] = mapped_column(Integer)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSONB)
    published: Mapped[bool] = mapped_column(Boolean)
    model: Mapped[bytes] = mapped_column(LargeBinary)
    signature: Mapped[str | None] = mapped_column(String(64))
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)


def in_force() -> Select[tuple[int]]:
    """The version in force: the newest published one not withdrawn (no row: the weights rank)."""
    return (
        select(RankingModel.version)
        .where(RankingModel.published, RankingModel.withdrawn_at.is_(None))
        .order_by(RankingModel.version.desc())
        .limit(1)
    )
