"""Counts over the review state for coordinators: where needs go unserved, how fast and how
often suggestions are decided, which schools were never matched. ``overview`` gives them all at
once, remembered until the region's queue changes (``services.review.remembered``)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, select
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from services.review.remembered import remembered
from services.review.tables import ReviewMatch, ReviewNeed
from shared.contracts import DECIDED_STATUSES, OPEN_STATUSES

# The grades existing offers reach least; the radar always shows them (SPEC section 3).
ALWAYS_SHOWN = ("G1", "G2")
NO_GRADE = "-"
NeedOf = aliased(ReviewNeed)  # the school's needs, counted beside the matched ones


@dataclass(frozen=True, slots=True)
class ShortageCell:
    """How many open needs of one region, field and grade no accepted match serves yet."""

    rtc_region: str
    field: str
    grade: str
    open_needs: int


def _unserved(rtc_region: str | None) -> list[ColumnElement[bool]]:
    """Open needs no accepted match serves yet, of one region (``None``: all)."""
    where = [ReviewNeed.status.in_(OPEN_STATUSES), ReviewNeed.quantity_met == 0]
    return where if rtc_region is None else [*where, ReviewNeed.rtc_region == rtc_region]


async def shortage(session: AsyncSession, rtc_region: str | None) -> list[ShortageCell]:
    """The shortage radar of one region (``None``: all), with grades 1 and 2 always present."""
    grade = func.unnest(
        func.coalesce(
            func.nullif(ReviewNeed.grades, literal([], ReviewNeed.grades.type)), array([NO_GRADE])
        )
    ).label("grade")
    query = (
        select(ReviewNeed.rtc_region, ReviewNeed.field, grade, func.count())
        .where(*_unserved(rtc_region))
        .group_by(ReviewNeed.rtc_region, ReviewNeed.field, grade)
    )
    counted = {(r, f, g): n for r, f, g, n in (await session.execute(query)).tuples()}
    for region, field in {(r, f) for r, f, _ in counted}:
        for shown in ALWAYS_SHOWN:
            counted.setdefault((region, field, shown), 0)
    return [ShortageCell(r, f, g, n) for (r, f, g), n in sorted(counted.items())]


async def unserved_per_postal_code(session: AsyncSession, rtc_region: str | None) -> dict[str, int]:
    """School postal code -> how many needs the shortage radar counts there (to place them on
    its map; "" for needs registered without one), remembered until the region's queue moves."""
    return await remembered(session, "unserved places", rtc_region, _unserved_places_now)


async def _unserved_places_now(session: AsyncSession, rtc_region: str | None) -> dict[str, int]:
    code = func.coalesce(ReviewNeed.postal_code, "")
    rows = await session.execute(
        select(code, func.count()).where(*_unserved(rtc_region)).group_by(code)
    )
    return dict(rows.tuples().all())


@dataclass(frozen=True, slots=True)
class WeekDecisions:
    """Suggestions decided in one week (Monday), by outcome; a revoked one counts as accepted
    in the week it was accepted."""

    week: date
    accepted: int
    rejected: int


@dataclass(frozen=True, slots=True)
class KindAcceptance:
    """Decided suggestions of one kind and how many of them were accepted."""

    kind: str
    decided: int
    accepted: int

    @property
    def rate(self) -> float:
        """Accepted share of the decided ones."""
        return self.accepted / self.decided if self.decided else 0.0


@dataclass(frozen=True, slots=True)
class UnmatchedSchool:
    """A school with needs of which none was ever accepted."""

    institution_number: str
    school_name: str
    needs: int


_ACCEPTED = ("accepted", "revoked")


def _decided_in(rtc_region: str | None) -> Select[Any]:
    query = (
        select(ReviewMatch)
        .join(ReviewNeed, ReviewNeed.need_id == ReviewMatch.need_id)
        .where(ReviewMatch.status.in_(DECIDED_STATUSES), ReviewMatch.decided_at.is_not(None))
    )
    return query if rtc_region is None else query.where(ReviewNeed.rtc_region == rtc_region)


async def decided_per_week(session: AsyncSession, rtc_region: str | None) -> list[WeekDecisions]:
    """Suggestions decided per week, oldest first (weeks without a decision left out)."""
    decided = _decided_in(rtc_region).subquery()
    week = func.date_trunc("week", decided.c.decided_at).label("week")
    accepted = func.count().filter(decided.c.status.in_(_ACCEPTED))
    rows = await session.execute(
        select(week, accepted, func.count().filter(decided.c.status == "rejected"))
        .group_by(week)
        .order_by(week)
    )
    return [WeekDecisions(w.date(), a, r) for w, a, r in rows.tuples()]


async def median_hours_to_decision(session: AsyncSession, rtc_region: str | None) -> float | None:
    """Median time from suggestion to decision, in hours (``None`` before any decision)."""
    decided = _decided_in(rtc_region).where(ReviewMatch.suggested_at.is_not(None)).subquery()
    waited = func.extract("epoch", decided.c.decided_at - decided.c.suggested_at) / 3600
    median = await session.scalar(select(func.percentile_cont(0.5).within_group(waited)))
    return None if median is None else float(median)


async def acceptance_by_kind(session: AsyncSession, rtc_region: str | None) -> list[KindAcceptance]:
    """Per kind: decided suggestions and accepted ones."""
    decided = _decided_in(rtc_region).subquery()
    rows = await session.execute(
        select(decided.c.kind, func.count(), func.count().filter(decided.c.status.in_(_ACCEPTED)))
        .group_by(decided.c.kind)
        .order_by(decided.c.kind)
    )
    return [KindAcceptance(k or "", n, a) for k, n, a in rows.tuples()]


async def schools_never_matched(
    session: AsyncSession, rtc_region: str | None, limit: int = 50
) -> list[UnmatchedSchool]:
    """Schools with needs none of which ever had an accepted match, most needs first."""
    accepted = (
        select(ReviewMatch.match_id)
        .join(ReviewNeed, ReviewNeed.need_id == ReviewMatch.need_id)
        .where(ReviewMatch.status.in_(_ACCEPTED))
        .where(ReviewNeed.institution_number == NeedOf.institution_number)
    )
    query = (
        select(NeedOf.institution_number, func.max(NeedOf.school_name), func.count())
        .where(~accepted.exists())
        .group_by(NeedOf.institution_number)
        .order_by(func.count().desc(), NeedOf.institution_number)
        .limit(limit)
    )
    if rtc_region is not None:
        query = query.where(NeedOf.rtc_region == rtc_region)
    rows = await session.execute(query)
    return [UnmatchedSchool(i, s, n) for i, s, n in rows.tuples()]


@dataclass(frozen=True, slots=True)
class Overview:
    """Everything the dashboard shows of one region (or of all)."""

    shortage: list[ShortageCell]
    weeks: list[WeekDecisions]
    kinds: list[KindAcceptance]
    median_hours: float | None
    unmatched: list[UnmatchedSchool]


async def _overview_now(session: AsyncSession, rtc_region: str | None) -> Overview:
    return Overview(
        shortage=await shortage(session, rtc_region),
        weeks=await decided_per_week(session, rtc_region),
        kinds=await acceptance_by_kind(session, rtc_region),
        median_hours=await median_hours_to_decision(session, rtc_region),
        unmatched=await schools_never_matched(session, rtc_region),
    )


async def overview(session: AsyncSession, rtc_region: str | None) -> Overview:
    """The counts of ``rtc_region`` (``None``: every region) as of its queue's current version,
    computed again only when that version has moved (read-only: shared between requests)."""
    return await remembered(session, "overview", rtc_region, _overview_now)
