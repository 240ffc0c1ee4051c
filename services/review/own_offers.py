"""A provider's own offers as its page shows them, for a page of offers: from each offer's shown
columns (read beside its matches) and the bookings of its accepted matches (one statement for
any number of offers, Core rows, no entities), each offer's progress
(``services.review.progress``) and, booked, its timeline (``services.review.rotation_plans``),
both remembered by the rows they come from."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.progress import Progress, offer_progress
from services.review.rotation_plans import (
    HELD_COLUMNS,
    Held,
    ShownOffer,
    Timeline,
    still_held,
    timeline_of,
)
from services.review.tables import ReviewMatch, ReviewNeed
from shared.db import one_of


@dataclass(frozen=True, slots=True)
class OwnOffers:
    """Offer id -> its progress (every offer the review state knows), its timeline (those with
    a booking)."""

    progress: dict[str, Progress]
    timelines: dict[str, Timeline]


async def own_offers(session: AsyncSession, shown: Collection[ShownOffer]) -> OwnOffers:
    """The progress and timelines of the offers ``shown``: a provider's own, read with
    ``OFFER_COLUMNS`` (``services.review.own_matches.postings_with_matches`` reads them beside their
    matches)."""
    held = await _held(session, [offer.offer_id for offer in shown])
    today = date.today()  # a timeline without days of its own shows today
    seen = {o.offer_id: _seen(o, tuple(held.get(o.offer_id, ())), today) for o in shown}
    return OwnOffers(
        progress={offer_id: progress for offer_id, (progress, _) in seen.items()},
        timelines={offer_id: tl for offer_id, (_, tl) in seen.items() if tl is not None},
    )


@lru_cache(maxsize=1024)
def _seen(
    offer: ShownOffer, held: tuple[Held, ...], today: date
) -> tuple[Progress, Timeline | None]:
    """The progress of ``offer`` and its timeline (None: no booking), remembered by what they
    are drawn from (a page of offers with hundreds of bookings, asked again and again)."""
    del today  # a key only
    bookings = [booking for match in held if (booking := still_held(match)) is not None]
    return offer_progress(offer, bookings), timeline_of(offer, list(held)) if held else None


async def _held(session: AsyncSession, offer_ids: list[str]) -> dict[str, list[Held]]:
    """Offer id -> what its accepted matches booked, by first day (an accepted match always has
    a kind: only a withdrawal leaves a row without one)."""
    if not offer_ids:
        return {}
    rows = await session.execute(
        select(ReviewMatch.offer_id, *HELD_COLUMNS)
        .join(ReviewNeed, ReviewNeed.need_id == ReviewMatch.need_id)
        .where(
            one_of(ReviewMatch.offer_id, offer_ids),
            ReviewMatch.status == "accepted",
            ReviewMatch.booked_from.is_not(None),
        )
        .order_by(ReviewMatch.booked_from, ReviewMatch.match_id)
    )
    held: dict[str, list[Held]] = {}
    for offer_id, *columns in rows:
        held.setdefault(offer_id, []).append(Held(*columns))
    return held
