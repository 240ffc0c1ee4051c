"""The rotation plan of one offer, pure: the allocation round in time. Of an offer's requests
(open suggestions), which to accept, in which order, so that as many needs as possible get their
units for a stretch of days, then the greatest total score, within the offer's capacity on
every day, turnaround included.

What an acceptance books is the decision rule's own (``services.review.rules.book_units``): the
whole overlap, or the earliest stretch of the days asked with the units free. So a plan is an
order of acceptances, and its stretches are that rule replayed (``replay``). The set to serve
comes from an integer program over every stretch each request could book (HiGHS): one stretch
per request at most, per day the units held within what is free; solved twice, for the most
needs served, then for the most score among schedules serving that many (one weighted objective
would leave the score to the solver's relative gap). Replaying the chosen
requests in the order of their stretches' starts books each of them (the rule finds a stretch
starting no later, with the same units: by induction, every earlier booking then starts and
ends no later than planned, so it holds no day the plan left free), so the plan reaches the
program's optimum. ``tests/review/test_rotation.py`` checks it against every order of every
subset on small cases.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from services.review.bookings import Booking, Stretch, in_use
from services.review.rules import Asked, OfferInTime, book_units, placements

SOLVE_SECONDS = 10.0  # per stage; beyond it, the best plan HiGHS found so far


@dataclass(frozen=True, slots=True)
class Request:
    """An open suggestion of the offer: its key (the match id), score, what its need still
    lacks and what an acceptance asks of the offer."""

    key: str
    score: float
    need_left: int
    asked: Asked

    def units(self, capacity: int) -> int:
        """The units serving it takes: what the need lacks, at most the offer's capacity."""
        return min(max(1, self.need_left), capacity)


@dataclass(frozen=True, slots=True)
class Placed:
    """A request the plan serves and what accepting it books."""

    request: Request
    booking: Booking


@dataclass(frozen=True, slots=True)
class Rotation:
    """The requests a plan serves, in the order to accept them; ``proven``: HiGHS proved the
    plan optimal within ``SOLVE_SECONDS`` (otherwise it is the best one found by then)."""

    placed: list[Placed]
    proven: bool = True


def plan(offer: OfferInTime, requests: Sequence[Request]) -> Rotation:
    """The optimal rotation, in the order to accept it (each acceptance books what is shown)."""
    order, proven = _chosen_in_order(offer, requests)
    return Rotation(replay(offer, [requests[i] for i in order]), proven)


def replay(offer: OfferInTime, requests: Sequence[Request]) -> list[Placed]:
    """Accept ``requests`` one by one under the decision rule; those that would not get all
    their units are left out (and book nothing)."""
    bookings = list(offer.bookings)
    placed = []
    for request in requests:
        now = OfferInTime(offer.capacity, offer.turnaround_days, bookings)
        booking = book_units(request.need_left, now, request.asked)
        if booking is not None and booking.units == request.units(offer.capacity):
            bookings.append(booking)
            placed.append(Placed(request, booking))
    return placed


def value(placed: Sequence[Placed]) -> tuple[int, float]:
    """What a plan gives: needs served, then the total score of the units booked."""
    return len(placed), sum(p.request.score * p.booking.units for p in placed)


def unit_rows(bookings: Sequence[Booking], turnaround_days: int) -> list[list[int]]:
    """Which units (rows from 0) each booking holds, in ``bookings`` order: by start, each takes
    the lowest rows free on its first day (bookings within capacity on every day always fit)."""
    free_from: list[np.datetime64] = []  # per row: first day it is free again
    rows: list[list[int]] = [[] for _ in bookings]
    for index in sorted(range(len(bookings)), key=lambda i: bookings[i].first):
        booking = bookings[index]
        first = np.datetime64(booking.first, "D")
        held_until = np.datetime64(booking.held(turnaround_days).last, "D") + 1
        for row, free in enumerate(free_from):
            if len(rows[index]) < booking.units and free <= first:
                rows[index].append(row)
                free_from[row] = held_until
        while len(rows[index]) < booking.units:
            rows[index].append(len(free_from))
            free_from.append(held_until)
    return rows


def _chosen_in_order(offer: OfferInTime, requests: Sequence[Request]) -> tuple[list[int], bool]:
    """The requests an optimal schedule serves, by the start of their stretch in it: the most
    needs served first, then, among schedules serving that many, the most score; whether both
    were proven optimal."""
    columns = [
        (index, stretch)
        for index, request in enumerate(requests)
        for stretch in placements(request.asked)
    ]
    if not columns:
        return [], True
    turnaround = offer.turnaround_days
    span = Stretch(
        min(s.first for _, s in columns),
        max(Booking(s.first, s.last, 0).held(turnaround).last for _, s in columns),
    )
    free = np.maximum(offer.capacity - in_use(offer.bookings, turnaround, span), 0)
    units = np.array([requests[i].units(offer.capacity) for i, _ in columns], dtype=np.int64)
    first = np.array([(s.first - span.first).days for _, s in columns], dtype=np.int64)
    length = np.array([(s.last - s.first).days + 1 + turnaround for _, s in columns])
    score = np.array([requests[i].score for i, _ in columns], dtype=np.float64) * units
    request = np.array([i for i, _ in columns], dtype=np.int64)
    matrix, upper = _constraints(request, first, length, units, free, len(requests))
    served, most = _solved(-np.ones(len(columns)), matrix, upper, None)
    at_least = sparse.vstack([matrix, -np.ones((1, len(columns)))])  # as many needs served
    best, scored = _solved(-score, at_least, np.append(upper, -served.sum()), served)
    chosen = np.flatnonzero(best > 0.5)
    chosen = chosen[np.lexsort((first[chosen] + length[chosen], first[chosen]))]
    return [columns[c][0] for c in chosen.tolist()], most and scored


def _solved(
    cost: np.ndarray, matrix: sparse.sparray, upper: np.ndarray, known: np.ndarray | None
) -> tuple[np.ndarray, bool]:
    """The 0/1 columns of least ``cost`` within ``matrix @ x <= upper`` (HiGHS), and whether
    that is proven; ``known``, a feasible answer, if HiGHS finds none within ``SOLVE_SECONDS``."""
    result = milp(
        cost,
        constraints=LinearConstraint(matrix, -np.inf, upper),
        integrality=np.ones(len(cost)),
        bounds=Bounds(0, 1),
        options={"time_limit": SOLVE_SECONDS, "mip_rel_gap": 1e-9},
    )
    if result.x is not None:
        solution: np.ndarray = np.rint(result.x)
        return solution, result.status == 0
    if known is None:
        raise RuntimeError(f"rotation plan not solved: {result.message}")
    return known, False


def _constraints(
    request: np.ndarray,
    first: np.ndarray,
    length: np.ndarray,
    units: np.ndarray,
    free: np.ndarray,
    requests: int,
) -> tuple[sparse.csr_array, np.ndarray]:
    """One row per request (its stretches, at most one chosen), then one per day on which a
    stretch starts or what is free changes (the units of the stretches holding it, within what
    is free): between two such days no stretch starts, so no day holds more. The rows and their
    upper bounds."""
    column = np.arange(len(request))
    day_column = np.repeat(column, length)
    day = np.repeat(first - np.cumsum(length) + length, length) + np.arange(int(length.sum()))
    every_day = sparse.csr_array(
        (units[day_column].astype(np.float64), (day, day_column)), shape=(len(free), len(request))
    )
    days = np.unique(np.concatenate([first, [0], np.flatnonzero(np.diff(free)) + 1]))
    once = sparse.csr_array(
        (np.ones(len(request)), (request, column)), shape=(requests, len(request))
    )
    return sparse.vstack([once, every_day[days]], format="csr"), np.concatenate(
        [np.ones(requests), free[days]]
    )
