"""Matching in time: an offer whose units accepted matches booked (``OfferProfile.in_use``, the
units in use run by run of days, as the review state tells them) is suggested to a need only
while one stretch of days without a full run holds the working days the need asks inside their
overlap. The offer's current capacity decides which runs are full, so a changed capacity or
period counts at once. Days are counted by the one calendar (``shared.calendar.working_days``).
Pure."""

from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np

from services.matcher.profiles import InUse
from shared.calendar import working_days

_DAY = timedelta(days=1)


def free_gaps(in_use: InUse, capacity: int) -> list[tuple[date, date]]:
    """The stretches between the runs on which all ``capacity`` units are in use (the first and
    the last unbounded: ``date.min``, ``date.max``)."""
    full = [(first, last) for first, last, units in in_use or () if units >= capacity]
    starts = [date.min, *(last + _DAY for _, last in full)]
    ends = [*(first - _DAY for first, _ in full), date.max]
    return list(zip(starts, ends, strict=True))


def free_working_days(
    offers: Sequence[tuple[InUse, int]],
    offer_of_pair: np.ndarray,
    first: np.ndarray,
    last: np.ndarray,
) -> np.ndarray:
    """Per pair of an offer (an index into ``offers``: its units in use and capacity) and a
    first and last common day (day numbers or dates): the most working days one free stretch
    holds between them. The stretches are worked out once per offer, not per pair."""
    first, last = np.asarray(first, "datetime64[D]"), np.asarray(last, "datetime64[D]")
    gaps = [free_gaps(in_use, capacity) for in_use, capacity in offers]
    counts = np.array([len(each) for each in gaps], dtype=np.int64)
    starts = np.array([start for each in gaps for start, _ in each], dtype="datetime64[D]")
    ends = np.array([end for each in gaps for _, end in each], dtype="datetime64[D]")
    per_pair = counts[offer_of_pair]  # at least one gap each
    pair_at = np.cumsum(per_pair) - per_pair  # where each pair's gaps begin
    pair = np.repeat(np.arange(len(per_pair)), per_pair)
    first_gap = (np.cumsum(counts) - counts)[offer_of_pair]
    gap = first_gap[pair] + np.arange(int(per_pair.sum())) - pair_at[pair]
    held = working_days(np.maximum(first[pair], starts[gap]), np.minimum(last[pair], ends[gap]))
    best: np.ndarray = np.maximum.reduceat(held, pair_at) if len(pair_at) else held
    return best


def first_free(
    in_use: InUse, capacity: int, start: date, end: date, days: int
) -> tuple[date, date] | None:
    """The first free stretch that holds ``days`` working days of ``start``..``end``, cut to
    it (None: no day has all units in use, or none does): the days an explanation names."""
    gaps = free_gaps(in_use, capacity)
    if len(gaps) == 1:  # free all along: nothing to say
        return None
    for gap_start, gap_end in gaps:
        cut = max(gap_start, start), min(gap_end, end)
        if working_days(*cut) >= days:
            return cut
    return None
