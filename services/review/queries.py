"""Reading the review state for the people who may see it.

Every query takes an ``Actor``: a school sees the matches of its needs, a provider those of its
offers, a reviewer those of the regions it reviews (``Actor.region_filter``). A match outside
that scope is reported exactly like one that does not exist.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import chain
from typing import Any, Literal, TypeVar

from sqlalchemy import (
    CTE,
    ColumnElement,
    Select,
    SQLColumnExpression,
    String,
    bindparam,
    literal_column,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from services.review.actors import Actor
from services.review.counting import Count, counted
from services.review.remembered import remembered
from services.review.tables import ReviewMatch, ReviewNeed, ReviewOffer

Listed = tuple[ReviewMatch, ReviewNeed, ReviewOffer]
# A listed match's need: its id, the internship it replaces, its replacement (``bundles``).
ListedNeed = tuple[str, str | None, str | None]
Row = TypeVar("Row", bound=tuple[Any, ...])
# The rows a listing returns, read only for the caller: their types are part of this face.
__all__ = ["Count", "Listed", "MatchFilter", "ReviewMatch", "ReviewNeed", "ReviewOffer"]
__all__ += ["EXACT_UP_TO", "bundles", "find_match", "in_scope", "list_matches", "narrowed"]
__all__ += ["listed_needs", "listing", "listing_order", "region_schools"]
__all__ += ["ListedNeed", "school_matches"]
EXACT_UP_TO = 1_000  # totals above are estimated (the caller may choose another bound)
# The statuses as SQL constants: a partial index on the open queue serves only a query whose
# condition is the index's own (a parameter is unknown when a generic plan is made).
_STATUS_SQL: dict[str, ColumnElement[str]] = {
    status: literal_column(f"'{status}'", String())
    for status in ("open", "withdrawn", "accepted", "rejected", "revoked")
}


@dataclass(frozen=True, slots=True)
class MatchFilter:
    """What a listing narrows to; ``None`` leaves a criterion out."""

    status: str | None = None
    kind: str | None = None
    field: str | None = None
    grade: str | None = None
    school: str | None = None  # part of the school's name or number, any case
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


def listing(viewer: Actor) -> Select[tuple[ReviewMatch, ReviewNeed, ReviewOffer]]:
    """The matches ``viewer`` may see, with their need and offer."""
    return (
        select(ReviewMatch, ReviewNeed, ReviewOffer)
        .join(ReviewNeed, ReviewNeed.need_id == ReviewMatch.need_id)
        .join(ReviewOffer, ReviewOffer.offer_id == ReviewMatch.offer_id)
        .where(ReviewMatch.kind.is_not(None), in_scope(viewer))
    )


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def school_matches(
    text: str,
    number: SQLColumnExpression[str] = ReviewNeed.institution_number,
    name: SQLColumnExpression[str] = ReviewNeed.school_name,
) -> ColumnElement[bool]:
    """The needs (or ``region_schools``) of a school named by ``text``: a whole institution
    number (six digits) exactly, else any school whose name or number holds ``text`` in any case
    ("vti" finds "VTI Brugge")."""
    if len(text) == 6 and text.isdecimal():
        return number == text
    pattern = _like(text)
    return name.ilike(pattern) | number.like(pattern)


def region_schools(viewer: Actor) -> CTE:
    """The schools (``institution_number``, ``school_name``) with needs in ``viewer``'s regions,
    each once before any pattern is tried (a region has thousands of needs, a hundred schools)."""
    found = select(ReviewNeed.institution_number, ReviewNeed.school_name).where(
        viewer.region_filter(ReviewNeed.rtc_region)
    )
    return found.distinct().cte("region_schools").prefix_with("MATERIALIZED")


def narrowed(query: Select[Row], wanted: MatchFilter) -> Select[Row]:
    """``query`` (over matches, needs and offers) narrowed to what ``wanted`` asks for."""
    if wanted.status in _STATUS_SQL:
        query = query.where(ReviewMatch.status == _STATUS_SQL[wanted.status])
    elif wanted.status is not None:
        query = query.where(ReviewMatch.status == wanted.status)
    criteria = {
        ReviewMatch.kind: wanted.kind,
        ReviewNeed.field: wanted.field,
        ReviewMatch.need_id: wanted.need_id,
        ReviewMatch.offer_id: wanted.offer_id,
    }
    for column, value in criteria.items():
        if value is not None:
            query = query.where(column == value)
    if wanted.grade is not None:
        query = query.where(ReviewNeed.grades.contains([wanted.grade]))
    if wanted.school is not None:
        query = query.where(school_matches(wanted.school))
    if wanted.text:
        pattern = _like(wanted.text)
        query = query.where(
            ReviewNeed.title.ilike(pattern)
            | ReviewOffer.title.ilike(pattern)
            | ReviewNeed.school_name.ilike(pattern)
            | ReviewOffer.provider_name.ilike(pattern)
        )
    return query


def listing_order(sort: Literal["score", "age"]) -> tuple[SQLColumnExpression[Any], ...]:
    """The order of a listing (and of the open queue's partial indexes)."""
    if sort == "score":
        return ReviewMatch.score.desc(), ReviewMatch.rank, ReviewMatch.match_id
    return ReviewMatch.suggested_at, ReviewMatch.match_id


async def list_matches(
    session: AsyncSession,
    viewer: Actor,
    wanted: MatchFilter,
    offset: int,
    limit: int,
    exact_up_to: int = EXACT_UP_TO,
    shared_rows: bool = False,
) -> tuple[list[Listed], Count]:
    """One page of the matches ``viewer`` may see, and how many there are in all: exact up to
    ``exact_up_to``, estimated above (``Count.exact``). A reviewer's total over choices alone
    (no words, school, need or offer) is remembered until its queues change
    (``services.review.remembered``), and with ``shared_rows`` its page of rows too: detached
    from ``session``, read them only, and only where ``session`` changed nothing (a change
    moves the version only as it commits)."""
    query = await _scoped(session, viewer, wanted)

    async def page(session: AsyncSession, _region: str | None) -> list[Listed]:
        rows = await session.execute(
            query.order_by(*listing_order(wanted.sort)).offset(offset).limit(limit)
        )
        return [(m, n, o) for m, n, o in rows.tuples()]

    async def shared_page(session: AsyncSession, region: str | None) -> list[Listed]:
        listed = await page(session, region)
        for instance in set(chain.from_iterable(listed)):  # no rollback of ``session`` expires
            session.expunge(instance)  # what other sessions read
        return listed

    if not _remembered_total(viewer, wanted):
        return await page(session, None), await _total(session, viewer, wanted, query, exact_up_to)
    total = await _total(session, viewer, wanted, query, exact_up_to)
    if not shared_rows:
        return await page(session, None), total
    region = viewer.region_shown(None)
    rows = await remembered(session, f"match page {wanted} {offset} {limit}", region, shared_page)
    return list(rows), total


async def listed_needs(
    session: AsyncSession,
    viewer: Actor,
    wanted: MatchFilter,
    offset: int,
    limit: int,
    exact_up_to: int = EXACT_UP_TO,
) -> tuple[list[ListedNeed], Count]:
    """The need of each match of one page of ``list_matches`` (its id, the teacher internship
    it is the replacement activity of, its replacement activity: ``bundles`` of them), in listing
    order, and the same total."""
    query = await _scoped(session, viewer, wanted)
    total = await _total(session, viewer, wanted, query, exact_up_to)  # versioned: read first
    rows = await session.execute(
        _need_page(query, wanted.sort), {"rows_before": offset, "page_size": limit}
    )
    return [(need_id, internship, replacement) for need_id, internship, replacement in rows], total


async def _scoped(session: AsyncSession, viewer: Actor, wanted: MatchFilter) -> Select[Listed]:
    """The matches ``viewer`` may see as ``wanted``."""
    schools = None
    if wanted.school is not None and viewer.reviews:
        schools = tuple(await _schools(session, viewer, wanted.school))
    return _filtered(replace(viewer, email=""), wanted, schools)


# Built once per scope (not per person) and filters: a statement's cache key is worked out once.
@lru_cache(maxsize=256)
def _filtered(
    viewer: Actor, wanted: MatchFilter, schools: tuple[str, ...] | None
) -> Select[Listed]:
    query = narrowed(listing(viewer), wanted)
    if schools is not None:  # named by their numbers (``_schools``)
        query = query.where(ReviewNeed.institution_number.in_(schools))
    return query


@lru_cache(maxsize=256)
def _need_page(query: Select[Listed], sort: Literal["score", "age"]) -> Select[ListedNeed]:
    replacement = aliased(ReviewNeed)
    replaced_by = (
        select(replacement.need_id)
        .where(replacement.linked_need_id == ReviewNeed.need_id)
        .limit(1)
        .scalar_subquery()
    )
    return (
        query.with_only_columns(ReviewMatch.need_id, ReviewNeed.linked_need_id, replaced_by)
        .order_by(*listing_order(sort))
        .offset(bindparam("rows_before"))
        .limit(bindparam("page_size"))
    )


def _remembered_total(viewer: Actor, wanted: MatchFilter) -> bool:
    """Whether the total is a reviewer's over choices alone (remembered per queue version)."""
    return (
        viewer.reviews and wanted.text is wanted.school is wanted.need_id is wanted.offer_id is None
    )


async def _total(
    session: AsyncSession, viewer: Actor, wanted: MatchFilter, query: Select[Any], exact_up_to: int
) -> Count:
    """How many matches ``query`` (``wanted``, as ``viewer`` may see) finds."""
    matches = query.with_only_columns(ReviewMatch.match_id)

    async def count(session: AsyncSession, _region: str | None) -> Count:
        return await counted(session, matches, exact_up_to)

    if not _remembered_total(viewer, wanted):
        return await count(session, None)
    region = viewer.region_shown(None)
    return await remembered(session, f"match total {wanted} {exact_up_to}", region, count)


async def _schools(session: AsyncSession, viewer: Actor, school: str) -> list[str]:
    """The numbers of the schools of ``viewer``'s regions that ``school`` names. Named by their
    numbers, a listing starts at those schools' needs when they are few: a pattern alone tells
    the planner nothing, and it would walk the region's whole queue in order instead."""
    schools = region_schools(viewer)
    found = await session.scalars(
        select(schools.c.institution_number)
        .where(school_matches(school, schools.c.institution_number, schools.c.school_name))
        .distinct()
    )
    return list(found)


async def find_match(session: AsyncSession, viewer: Actor, match_id: str) -> Listed | None:
    """One match if ``viewer`` may see it."""
    row = (await session.execute(listing(viewer).where(ReviewMatch.match_id == match_id))).first()
    return None if row is None else (row[0], row[1], row[2])


def bundles(listed: Iterable[ListedNeed]) -> dict[str, tuple[str, str]]:
    """Need id -> its bundle (the teacher internship, the replacement activity intake linked to
    it), for those of the ``listed_needs`` that are in one."""
    found: dict[str, tuple[str, str]] = {}
    for need_id, internship, replacement in listed:
        if internship is not None:
            found[internship] = found[need_id] = (internship, need_id)
        elif replacement is not None:
            found[need_id] = found[replacement] = (need_id, replacement)
    return found
