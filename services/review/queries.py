"""Reading the review state for the people who may see it.

Every query takes an ``Actor``: a school sees the matches of its needs, a provider those of its
offers, a reviewer those of the regions it reviews (``Actor.region_filter``). A match outside
that scope is reported exactly like one that does not exist.
"""

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.actors import Actor
from services.review.tables import ReviewMatch, ReviewNeed, ReviewOffer

Listed = tuple[ReviewMatch, ReviewNeed, ReviewOffer]
# The rows a listing returns, read only for the caller: their types are part of this face.
__all__ = ["Listed", "MatchFilter", "ReviewMatch", "ReviewNeed", "ReviewOffer", "bundles"]
__all__ += ["find_match", "in_scope", "list_matches"]


@dataclass(frozen=True, slots=True)
class MatchFilter:
    """What a listing narrows to; ``None`` leaves a criterion out."""

    status: str | None = None
    kind: str | None = None
    field: str | None = None
    grade: str | None = None
    school: str | None = None  # institution number
    need_id: str | None = None
    text: str | None = None
    sort: Literal["score", "age"] = "score"
    offer_id: str | None = None


def in_scope(viewer: Actor) -> ColumnElement[bool]:
    """The matches ``viewer`` may see."""
    if viewer.role == "school":
        return ReviewNeed.institution_number == viewer.organisation_number
    if viewer.role == "provider":
        return ReviewOffer.enterprise_number == viewer.organisation_number
    return viewer.region_filter(ReviewNeed.rtc_region)


def _listing(viewer: Actor) -> Select[tuple[ReviewMatch, ReviewNeed, ReviewOffer]]:
    return (
        select(ReviewMatch, ReviewNeed, ReviewOffer)
        .join(ReviewNeed, ReviewNeed.need_id == ReviewMatch.need_id)
        .join(ReviewOffer, ReviewOffer.offer_id == ReviewMatch.offer_id)
        .where(ReviewMatch.kind.is_not(None), in_scope(viewer))
    )


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _narrowed(
    query: Select[tuple[ReviewMatch, ReviewNeed, ReviewOffer]], wanted: MatchFilter
) -> Select[tuple[ReviewMatch, ReviewNeed, ReviewOffer]]:
    criteria = {
        ReviewMatch.status: wanted.status,
        ReviewMatch.kind: wanted.kind,
        ReviewNeed.field: wanted.field,
        ReviewNeed.institution_number: wanted.school,
        ReviewMatch.need_id: wanted.need_id,
        ReviewMatch.offer_id: wanted.offer_id,
    }
    for column, value in criteria.items():
        if value is not None:
            query = query.where(column == value)
    if wanted.grade is not None:
        query = query.where(ReviewNeed.grades.contains([wanted.grade]))
    if wanted.text:
        pattern = _like(wanted.text)
        query = query.where(
            ReviewNeed.title.ilike(pattern)
            | ReviewOffer.title.ilike(pattern)
            | ReviewNeed.school_name.ilike(pattern)
            | ReviewOffer.provider_name.ilike(pattern)
        )
    return query


async def list_matches(
    session: AsyncSession, viewer: Actor, wanted: MatchFilter, offset: int, limit: int
) -> tuple[list[Listed], int]:
    """One page of the matches ``viewer`` may see, and how many there are in all."""
    query = _narrowed(_listing(viewer), wanted)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    order = (
        (ReviewMatch.score.desc(), ReviewMatch.rank, ReviewMatch.match_id)
        if wanted.sort == "score"
        else (ReviewMatch.suggested_at, ReviewMatch.match_id)
    )
    rows = await session.execute(query.order_by(*order).offset(offset).limit(limit))
    return [(m, n, o) for m, n, o in rows.tuples()], total or 0


async def find_match(session: AsyncSession, viewer: Actor, match_id: str) -> Listed | None:
    """One match if ``viewer`` may see it."""
    row = (await session.execute(_listing(viewer).where(ReviewMatch.match_id == match_id))).first()
    return None if row is None else (row[0], row[1], row[2])


async def bundles(session: AsyncSession, need_ids: Collection[str]) -> dict[str, tuple[str, str]]:
    """Need id -> its bundle (the teacher internship, the replacement activity intake linked to
    it), for those of ``need_ids`` that are in one."""
    ids = list(need_ids)
    rows = await session.execute(
        select(ReviewNeed.linked_need_id, ReviewNeed.need_id).where(
            ReviewNeed.linked_need_id.is_not(None),
            ReviewNeed.need_id.in_(ids) | ReviewNeed.linked_need_id.in_(ids),
        )
    )
    found: dict[str, tuple[str, str]] = {}
    for internship, replacement in rows.tuples():
        if internship is not None:
            found[internship] = found[replacement] = (internship, replacement)
    return found
