"""Matching in time: an offer whose units accepted matches booked (``OfferProfile.free``, the
stretches of its period with a unit free, as the review state tells them) is suggested to a need
only while one of those stretches holds the working days the need asks inside their overlap.
Days are counted by the one calendar (``shared.calendar.working_days``). Pure."""

from collections.abc import Sequence
from datetime import date

import numpy as np

from services.matcher.profiles import FreeDays
from shared.calendar import working_days


def free_working_days(free: Sequence[FreeDays], first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Per pair: the most working days one free stretch of its offer (``free``; None: all of the
    period is free) holds from ``first`` to ``last`` (day numbers or dates)."""
    first, last = np.asarray(first, "datetime64[D]"), np.asarray(last, "datetime64[D]")
    whole = np.array([days is None for days in free], dtype=bool)
    stretches = [days or () for days in free]
    pair = np.repeat(np.arange(len(stretches)), [len(days) for days in stretches])
    starts = np.array([s for days in stretches for s, _ in days], dtype="datetime64[D]")
    ends = np.array([e for days in stretches for _, e in days], dtype="datetime64[D]")
    held = working_days(np.maximum(first[pair], starts), np.minimum(last[pair], ends))
    best = np.zeros(len(stretches), dtype=np.int64)
    np.maximum.at(best, pair, held)
    best[whole] = working_days(first[whole], last[whole])
    return best


def first_free(free: FreeDays, start: date, end: date, days: int) -> tuple[date, date] | None:
    """The first free stretch that holds ``days`` working days of ``start``..``end``, cut to
    it (None: no bookings, or none does): the days an explanation names."""
    for first, last in free or ():
        cut = max(first, start), min(last, end)
        if working_days(*cut) >= days:
            return cut
    return None
