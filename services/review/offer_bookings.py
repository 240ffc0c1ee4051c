"""An offer's bookings in the review state: what its accepted matches booked and still hold (a
cancelled one only the days before its cancellation; read under the
offer's lock by ``services.review.decisions``) and what they leave free, which the offer shows
as ``capacity_used`` and ``matches.reviewed`` tells the matcher."""

from datetime import date
from typing import Any, Protocol

from sqlalchemy import SQLColumnExpression, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.selectable import LateralFromClause

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


def accepted_bookings(offer_id: SQLColumnExpression[str]) -> LateralFromClause:
    """What the accepted matches of the offer ``offer_id`` (a column of the caller's query)
    booked, as one row of arrays (``booked_from``, ``booked_until``, ``booked_units``,
    ``cancelled_on``; NULL when none) to join to that query: ``free_in`` reads them."""
    held = aliased(ReviewMatch)
    return (
        select(
            func.array_agg(held.booked_from).label("booked_from"),
            func.array_agg(held.booked_until).label("booked_until"),
            func.array_agg(held.units).label("booked_units"),
            func.array_agg(held.cancelled_on).label("cancelled_on"),
        )
        .where(held.offer_id == offer_id, held.status == "accepted")
        .lateral("accepted_bookings")
    )


def free_in(offer: Any) -> list[Stretch] | None:
    """The stretches of the offer's period with a unit free, for an offer row read with
    ``accepted_bookings`` (and its capacity, turnaround and period); None when nothing booked
    holds days of it, or its period is not known (free all its period, as far as it says)."""
    window = window_of(offer)
    if window is None or offer.booked_from is None:
        return None
    columns = (offer.booked_from, offer.booked_until, offer.booked_units, offer.cancelled_on)
    booked = [held for row in zip(*columns, strict=True) if (held := _held(*row)) is not None]
    if not booked:
        return None
    return free_stretches(offer.capacity, booked, offer.turnaround_days, window)


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
        if (held := _held(first, last, units, cancelled_on)) is not None:
            booked.setdefault(offer_id, []).append(held)
    return booked


def _held(
    first: date | None, last: date | None, units: int, cancelled_on: date | None
) -> Booking | None:
    """What an accepted match's booking still holds (None: no days)."""
    if first is None or last is None:
        return None
    return kept(Booking(first, last, units), cancelled_on)


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
