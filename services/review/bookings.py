"""Capacity in time: an offer has ``capacity`` units (cars, places, teachers) at the same time
during its window; each accepted match books its units for a stretch of days, and the offer's
turnaround keeps them unavailable for that many calendar days after it (inspection, transport).

A booking fits when, on every day it holds its units (turnaround included), the units already in
use plus the ones asked stay within the capacity. Days are counted by the shared calendar
(``shared.calendar``). Pure: no I/O.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from shared.calendar import Days

DayCounter = Callable[[Days, Days], np.ndarray]  # ``shared.calendar.days_counter``


@dataclass(frozen=True, slots=True)
class Stretch:
    """Days from ``first`` to ``last``, both included."""

    first: date
    last: date

    @property
    def length(self) -> int:
        """Calendar days in the stretch (0 when ``last`` comes before ``first``)."""
        return max(0, (self.last - self.first).days + 1)


@dataclass(frozen=True, slots=True)
class Booking:
    """``units`` booked from ``first`` to ``last`` (both included), before the turnaround."""

    first: date
    last: date
    units: int

    def held(self, turnaround_days: int) -> Stretch:
        """The days the units are unavailable: the booking and its turnaround."""
        return Stretch(self.first, self.last + timedelta(days=turnaround_days))


def kept(booking: Booking, cancelled_on: date | None) -> Booking | None:
    """What a booking still holds: all of it, or once cancelled the days before ``cancelled_on``
    (None: it had not begun; the turnaround follows the days kept)."""
    if cancelled_on is None or cancelled_on > booking.last:
        return booking
    if cancelled_on <= booking.first:
        return None
    return Booking(booking.first, cancelled_on - timedelta(days=1), booking.units)


def overlap(a: Stretch, b: Stretch) -> Stretch | None:
    """The days ``a`` and ``b`` share, or None."""
    shared = Stretch(max(a.first, b.first), min(a.last, b.last))
    return shared if shared.length else None


def in_use(bookings: Sequence[Booking], turnaround_days: int, days: Stretch) -> np.ndarray:
    """Units held on each day of ``days`` (one number a day)."""
    change = np.zeros(days.length + 1, dtype=np.int64)
    for booking in bookings:
        held = overlap(booking.held(turnaround_days), days)
        if held is not None:
            change[(held.first - days.first).days] += booking.units
            change[(held.last - days.first).days + 1] -= booking.units
    used: np.ndarray = np.cumsum(change[:-1])
    return used


def units_free(
    capacity: int, bookings: Sequence[Booking], turnaround_days: int, days: Stretch
) -> int:
    """Units free on every day of ``days`` and of the turnaround after it."""
    held = Stretch(days.first, days.last + timedelta(days=turnaround_days))
    return max(0, capacity - int(in_use(bookings, turnaround_days, held).max(initial=0)))


def freest_day_use(bookings: Sequence[Booking], turnaround_days: int, window: Stretch) -> int:
    """Units in use on the freest day of ``window``: the offer is fully booked when that is its
    capacity (no day of its window has a unit left)."""
    used = in_use(bookings, turnaround_days, window)
    return int(used.min()) if used.size else 0


def earliest_stretch(
    capacity: int,
    bookings: Sequence[Booking],
    turnaround_days: int,
    window: Stretch,
    days: int,
    units: int,
    counted: DayCounter,
) -> Stretch | None:
    """The earliest stretch inside ``window`` that starts on a counted day, holds ``days``
    counted days and has ``units`` free on each of its days and turnaround; None if none."""
    starts, ends = _stretch_bounds(window, days, counted)
    held = Stretch(window.first, window.last + timedelta(days=turnaround_days))
    blocked = in_use(bookings, turnaround_days, held) + units > capacity
    blocked_before = np.concatenate([[0], np.cumsum(blocked)])
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        if end >= window.length:
            return None  # later starts end later still
        if blocked_before[end + turnaround_days + 1] == blocked_before[start]:
            return Stretch(window.first + timedelta(days=start), window.first + timedelta(days=end))
    return None


def stretches(window: Stretch, days: int, counted: DayCounter) -> list[Stretch]:
    """Every stretch inside ``window`` that starts on a counted day and holds ``days`` counted
    days, earliest first: where a booking of that many days can lie."""
    starts, ends = _stretch_bounds(window, days, counted)
    return [
        Stretch(window.first + timedelta(days=start), window.first + timedelta(days=end))
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True)
        if end < window.length
    ]


def _stretch_bounds(window: Stretch, days: int, counted: DayCounter) -> tuple[np.ndarray, ...]:
    """Per counted day of ``window`` (index from its first day), the index of the day by which
    a stretch starting there holds ``days`` counted days (``window.length`` or more: never)."""
    dates = np.datetime64(window.first, "D") + np.arange(window.length)
    through = counted(np.full(window.length, dates[0]), dates)  # counted days up to each day
    is_counted = counted(dates, dates) > 0
    before = through - is_counted
    starts = np.flatnonzero(is_counted)
    return starts, np.searchsorted(through, before[starts] + days)  # first index with enough


def use_runs(bookings: Sequence[Booking], turnaround_days: int) -> list[tuple[Stretch, int]]:
    """The units in use, as runs of days with the same number (none: no unit in use), turnaround
    included, in order: what the matcher compares with the offer's capacity."""
    if not bookings:
        return []
    span = Stretch(
        min(b.first for b in bookings), max(b.held(turnaround_days).last for b in bookings)
    )
    used = in_use(bookings, turnaround_days, span)
    starts = np.flatnonzero(np.concatenate([[True], used[1:] != used[:-1]]))
    ends = np.concatenate([starts[1:], [len(used)]]) - 1
    return [
        (Stretch(span.first + timedelta(days=int(s)), span.first + timedelta(days=int(e))), units)
        for s, e, units in zip(starts, ends, used[starts].tolist(), strict=True)
        if units
    ]


def free_stretches(
    capacity: int, bookings: Sequence[Booking], turnaround_days: int, window: Stretch
) -> list[Stretch]:
    """The stretches of ``window`` on which at least one unit is free, in order."""
    free = np.concatenate([[False], in_use(bookings, turnaround_days, window) < capacity, [False]])
    edges = np.flatnonzero(free[1:] != free[:-1])  # starts and ends, alternating
    return [
        Stretch(
            window.first + timedelta(days=int(start)), window.first + timedelta(days=int(end) - 1)
        )
        for start, end in zip(edges[::2], edges[1::2], strict=True)
    ]
