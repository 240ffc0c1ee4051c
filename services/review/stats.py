"""Counts over the review state for coordinators: where needs go unserved."""

from dataclasses import dataclass

from sqlalchemy import func, literal, select
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.tables import ReviewNeed

# The grades existing offers reach least; the radar always shows them (SPEC section 3).
ALWAYS_SHOWN = ("G1", "G2")
NO_GRADE = "-"


@dataclass(frozen=True, slots=True)
class ShortageCell:
    """How many open needs of one region, field and grade no accepted match serves yet."""

    rtc_region: str
    field: str
    grade: str
    open_needs: int


async def shortage(session: AsyncSession, rtc_region: str | None) -> list[ShortageCell]:
    """The shortage radar of one region (``None``: all), with grades 1 and 2 always present."""
    grade = func.unnest(
        func.coalesce(
            func.nullif(ReviewNeed.grades, literal([], ReviewNeed.grades.type)), array([NO_GRADE])
        )
    ).label("grade")
    query = (
        select(ReviewNeed.rtc_region, ReviewNeed.field, grade, func.count())
        .where(ReviewNeed.status == "open", ReviewNeed.quantity_met == 0)
        .group_by(ReviewNeed.rtc_region, ReviewNeed.field, grade)
    )
    if rtc_region is not None:
        query = query.where(ReviewNeed.rtc_region == rtc_region)
    counted = {(r, f, g): n for r, f, g, n in (await session.execute(query)).tuples()}
    for region, field in {(r, f) for r, f, _ in counted}:
        for shown in ALWAYS_SHOWN:
            counted.setdefault((region, field, shown), 0)
    return [ShortageCell(r, f, g, n) for (r, f, g), n in sorted(counted.items())]
