"""An offer's bookings in the review state: what its accepted matches booked and still hold (a
cancelled one only the days before its cancellation; read under the
offer's lock by ``services.review.decisions``) and what they leave free, which the offer shows
as ``capacity_used`` and ``matches.reviewed`` tells the matcher."""

from collections.abc import Iterable
from datetime import date
from typing import Any, Protocol

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.bookings import (
    Booking,
    Stretch,
    free_stretches,
    freest_day_use,
    kept,
    overlap,
    use_runs,
)
from services.review.tables import ReviewMatch, ReviewNeed, ReviewOffer
from shared.contracts.matches import UnitsInUse
from shared.db import one_of


async def bookings_of(session: AsyncSession, offer_id: str) -> list[Booking]:
    """What the offer's accepted matches booked."""
    return (await _booked(session, [offer_id])).get(offer_id, [])


async def free_of(
    session: AsyncSession, offers: Iterable[ReviewOffer | Row[Any]]
) -> dict[str, list[Stretch]]:
    """Offer id -> the stretches of its period with a unit free, for those of ``offers`` (entities,
    or rows with their id, capacity, turnaround and period) that accepted matches booked (the
    others are free all their period)."""
    by_id = {offer.offer_id: offer for offer in offers}
    booked = await _booked(session, list(by_id))
    return {
        offer_id: free_stretches(offer.capacity, booked[offer_id], offer.turnaround_days, window)
        for offer_id, offer in by_id.items()
        if offer_id in booked and (window := window_of(offer)) is not None
    }


def busiest_day_use(bookings: list[Booking], turnaround_days: int) -> int:
    """The most units ``bookings`` have in use on one day (turnaround included)."""
    return max((units for _, units in use_runs(bookings, turnaround_days)), default=0)


async def _booked(session: AsyncSession, offer_ids: list[str]) -> dict[str, list[Booking]]:
    rows = await session.execute(
        select(
            ReviewMatch.offer_id,
            ReviewMatch.booked_from,
            ReviewMatch.booked_until,
            ReviewMatch.units,
            ReviewMatch.cancelled_on,
        ).where(one_of(ReviewMatch.offer_id, offer_ids), ReviewMatch.status == "accepted")
    )
    booked: dict[str, list[Booking]] = {}
    for offer_id, first, last, units, cancelled_on in rows.tuples():
        if first is not None and last is not None:
            held = kept(Booking(first, last, units), cancelled_on)
            if held is not None:
                booked.setdefault(offer_id, []).append(held)
    return booked


class Dated(Protocol):
    """A posting with a period (a need's or offer's row, or what a page reads of one)."""

    @property
    def period_start(self) -> date | None: ...
    @property
    def period_end(self) -> date | None: ...


def window_of(posting: Dated) -> Stretch | None:
    """The posting's period (None: not known, which no posting registered since 0016 is)."""
    start, end = posting.period_start, posting.period_end
    return Stretch(start, end) if start is not None and end is not None else None


def common_period(need: ReviewNeed, offer: ReviewOffer) -> Stretch | None:
    """The days both periods share (one unknown: the other's; None: they do not meet)."""
    need_days, offer_days = window_of(need), window_of(offer)
    return overlap(need_days, offer_days) if need_days and offer_days else need_days or offer_days


def show_booked(offer: ReviewOffer, bookings: list[Booking]) -> list[UnitsInUse]:
    """Set the offer's ``capacity_used`` to the units in use on the freest day of its period
    (period not known: every booking counts); the units in use, run by run of days."""
    window = window_of(offer)
    offer.capacity_used = (
        freest_day_use(bookings, offer.turnaround_days, window)
        if window
        else sum(booking.units for booking in bookings)
    )
    return [
        UnitsInUse(first=stretch.first, last=stretch.last, units=units)
        for stretch, units in use_runs(bookings, offer.turnaround_days)
    ]
