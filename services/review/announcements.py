"""What the notifier reads of the review state: suggestions to announce, to remind of and to
tell the parties about, with their need and offer.

The rows are read-only for the caller (their types are ``services.review.queries``'); the
changes the notifier makes, marking suggestions announced and reminded, are
``suggestions.mark_announced`` and ``suggestions.mark_reminded``.
"""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.queries import Listed
from services.review.remembered import remembered
from services.review.tables import ReviewMatch, ReviewNeed, ReviewOffer
from shared.db import one_of


async def with_postings(session: AsyncSession, match_ids: Sequence[str]) -> list[Listed]:
    """The suggested matches among ``match_ids`` whose need and offer are both known."""
    return await _suggested(session, ReviewMatch.match_id.in_(match_ids))


async def to_announce(
    session: AsyncSession,
    match_ids: Sequence[str],
    need_ids: Sequence[str],
    offer_ids: Sequence[str],
) -> list[Listed]:
    """Open suggestions not announced yet among ``match_ids`` or waiting for one of the
    postings: a suggestion whose need or offer was not registered yet waits for it."""
    return await _suggested(
        session,
        or_(
            one_of(ReviewMatch.match_id, match_ids),
            one_of(ReviewMatch.need_id, need_ids),
            one_of(ReviewMatch.offer_id, offer_ids),
        ),
        ReviewMatch.status == "open",
        ~ReviewMatch.announced,
    )


async def to_remind(
    session: AsyncSession, suggested_by: datetime, rtc_regions: Sequence[str], limit: int
) -> list[Listed]:
    """The ``limit`` oldest announced suggestions still open that were suggested by
    ``suggested_by`` for a need in one of ``rtc_regions`` and no one was reminded of yet."""
    return await _suggested(
        session,
        ReviewMatch.status == "open",
        ReviewMatch.announced.expression,
        ~ReviewMatch.reminded,
        ReviewMatch.suggested_at <= suggested_by,
        ReviewNeed.rtc_region.in_(rtc_regions),
        limit=limit,
    )


async def decision_event_of(session: AsyncSession, match_id: str) -> str | None:
    """The id of the event whose decision the match carries, if it is known and decided."""
    return await session.scalar(
        select(ReviewMatch.decision_event_id).where(ReviewMatch.match_id == match_id)
    )


async def replacement_accepted(session: AsyncSession, need_id: str) -> bool:
    """Whether a replacement activity linked to teacher internship ``need_id`` was accepted."""
    linked = select(ReviewNeed.need_id).where(ReviewNeed.linked_need_id == need_id)
    accepted = exists().where(ReviewMatch.status == "accepted", ReviewMatch.need_id.in_(linked))
    return bool(await session.scalar(select(accepted)))


async def next_in_rotation(session: AsyncSession, match_id: str) -> Listed | None:
    """The accepted match that books the same offer next after ``match_id`` (not cancelled,
    the earliest to begin after it began): the school its unit goes to now."""
    this = await session.get(ReviewMatch, match_id)
    if this is None or this.booked_from is None:
        return None
    found = await _suggested(
        session,
        ReviewMatch.offer_id == this.offer_id,
        ReviewMatch.status == "accepted",
        ReviewMatch.match_id != match_id,
        ReviewMatch.cancelled_on.is_(None),
        ReviewMatch.booked_from > this.booked_from,
    )
    return min(found, key=lambda row: (row[0].booked_from, row[0].match_id), default=None)


async def open_per_region(session: AsyncSession) -> list[tuple[str, int]]:
    """How many suggestions wait for a decision, per RTC region of their need: counted again
    only when a queue has changed since the last count (``remembered``)."""
    return await remembered(session, "open_per_region", None, _count_open)


async def _count_open(session: AsyncSession, _every_region: str | None) -> list[tuple[str, int]]:
    rows = await session.execute(
        select(ReviewNeed.rtc_region, func.count())
        .select_from(ReviewMatch)
        .join(ReviewNeed, ReviewNeed.need_id == ReviewMatch.need_id)
        .where(ReviewMatch.status == "open")
        .group_by(ReviewNeed.rtc_region)
    )
    return [(region, count) for region, count in rows.tuples()]


async def _suggested(
    session: AsyncSession, *criteria: ColumnElement[bool], limit: int | None = None
) -> list[Listed]:
    """Suggested matches meeting ``criteria`` whose need and offer are both known, oldest
    suggestion first, the first ``limit`` if given (one query)."""
    rows = await session.execute(
        select(ReviewMatch, ReviewNeed, ReviewOffer)
        .join(ReviewNeed, ReviewNeed.need_id == ReviewMatch.need_id)
        .join(ReviewOffer, ReviewOffer.offer_id == ReviewMatch.offer_id)
        .where(*criteria, ReviewMatch.kind.is_not(None))
        .order_by(ReviewMatch.suggested_at, ReviewMatch.match_id)
        .limit(limit)
    )
    return [(match, need, offer) for match, need, offer in rows.tuples()]
