"""Ratings: once a match took place (a loan: returned and checked), each side rates it, 1 to 5
and one short sentence, kept as data (the learned ranking may read them later). What schools
said of a provider is its track record, which the coordinator sees. A side rating again
replaces its rating."""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pydantic_core import PydanticCustomError
from sqlalchemy import Select, SQLColumnExpression, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.actors import Actor
from services.review.journey import took_place
from services.review.rules import DecisionRefused
from services.review.steps import lock_for_party
from services.review.tables import RATING_COMMENT_LENGTH as RATING_COMMENT_LENGTH
from services.review.tables import ReviewRating
from shared.validation import plain_text

SCORES = range(1, 6)


@dataclass(frozen=True, slots=True)
class TrackRecord:
    """What schools said of a provider: the average of their scores and how many rated."""

    average: float
    count: int


@dataclass(frozen=True, slots=True)
class Rating:
    """One side's rating of a match."""

    side: str
    score: int
    comment: str


def check_rating(score: int, comment: str) -> str:
    """The comment as stored; raise ``DecisionRefused`` unless the score is 1 to 5 and the
    comment one short line of text."""
    text = comment.strip()
    if score not in SCORES or len(text) > RATING_COMMENT_LENGTH:
        raise DecisionRefused("invalid_rating", "a score from 1 to 5 and at most a sentence")
    try:
        return plain_text(text)
    except PydanticCustomError as invalid:
        raise DecisionRefused("invalid_rating", invalid.message()) from None


async def rate(
    session: AsyncSession, match_id: str, score: int, comment: str, actor: Actor
) -> None:
    """Store ``actor``'s side's rating of a match that took place. The caller commits."""
    text = check_rating(score, comment)
    held, side = await lock_for_party(session, match_id, actor)
    if not took_place(held.match.kind or held.need.kind, held.match.step or "accepted"):
        raise DecisionRefused("not_rateable", "a match is rated once it took place")
    values = {
        "score": score,
        "comment": text,
        "rated_by": actor.email,
        "rated_at": datetime.now(UTC),
    }
    await session.execute(
        insert(ReviewRating)
        .values(
            match_id=match_id, side=side, enterprise_number=held.offer.enterprise_number, **values
        )
        .on_conflict_do_update(index_elements=["match_id", "side"], set_=values)
    )


async def ratings_of(session: AsyncSession, match_id: str) -> list[Rating]:
    """The ratings of a match (the caller has checked it may see the match)."""
    rows = await session.execute(
        select(ReviewRating.side, ReviewRating.score, ReviewRating.comment)
        .where(ReviewRating.match_id == match_id)
        .order_by(ReviewRating.side)
    )
    return [Rating(*row) for row in rows.tuples()]


def school_ratings(enterprise_number: SQLColumnExpression[str] | str) -> Select[Any]:
    """The average and number (``average``, ``count``) of the schools' scores of a provider:
    ``enterprise_number`` a number, or a column of the caller's query (then a ``lateral`` of
    it); always one row, a count of 0 when no school rated it."""
    return select(func.avg(ReviewRating.score).label("average"), func.count().label("count")).where(
        ReviewRating.enterprise_number == enterprise_number, ReviewRating.side == "school"
    )


def as_track_record(average: Decimal | float | None, count: int) -> TrackRecord | None:
    """The track record of a row of ``school_ratings`` (None: no school rated the provider)."""
    return TrackRecord(float(average), count) if count and average is not None else None


async def track_record(session: AsyncSession, enterprise_number: str) -> TrackRecord | None:
    """What schools said of a provider (None: no school rated it yet)."""
    average, count = (await session.execute(school_ratings(enterprise_number))).tuples().one()
    return as_track_record(average, count)
