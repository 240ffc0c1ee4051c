"""An allocation round, pure: which open suggestions to accept, in which order, so that the total
weight of the units given is as large as the offers' capacities and the needs' quantities allow.

Each candidate pair (an open suggestion) gets ``x`` units; per need the units stay within what it
still lacks, per offer within what it has left; the round maximises the sum of weight x units.
That is a transportation problem: its constraint matrix (one row per need and per offer, two
ones per column) is totally unimodular, so every vertex of the linear program is integral and
HiGHS' dual simplex, which ends on a vertex, gives an exact integer optimum without branching.

Accepting goes through ``services.review.decisions.make_decision``, which gives a pair what its need
still lacks, at most what its offer has left, at the moment it is accepted. A vertex's chosen
pairs form a forest with at most one node left with slack per tree (a second one would close a
cycle through the slack), so taking, again and again, a pair that is the last one of a node with
no slack gives every pair exactly its planned units (``_acceptance_order``); ``given`` replays
that rule to report what the accepts will really take.
"""

from collections import deque
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.optimize import linprog

from services.review.rules import units_taken

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class RoundPairs:
    """The pairs of a round (per pair: need index, offer index, score and weight) and what each
    need still lacks and each offer has left."""

    need: Ints
    offer: Ints
    score: Floats
    weight: Floats
    need_left: Ints
    offer_left: Ints


@dataclass(frozen=True, slots=True)
class Allocation:
    """Pairs (indices into ``RoundPairs``) in the order to accept them, with the units each gets."""

    order: Ints
    units: Ints


@dataclass(frozen=True, slots=True)
class Totals:
    """What an allocation gives: needs with at least one unit, units, score and weight x units."""

    needs_matched: int
    units: int
    score: float
    weight: float


def given(candidates: RoundPairs, order: Ints) -> Ints:
    """The units each pair gets when the pairs are accepted one by one in ``order``."""
    need_left, offer_left = candidates.need_left.copy(), candidates.offer_left.copy()
    units = np.zeros(len(order), dtype=np.int64)
    for position, pair in enumerate(order.tolist()):
        need, offer = candidates.need[pair], candidates.offer[pair]
        units[position] = units_taken(int(need_left[need]), int(offer_left[offer]))
        need_left[need] -= units[position]
        offer_left[offer] -= units[position]
    return units


def greedy(candidates: RoundPairs) -> Allocation:
    """The baseline: each need, best weight first, takes its top suggestion if capacity remains."""
    by_need = np.lexsort((-candidates.weight, candidates.need))
    first = np.ones(len(by_need), dtype=bool)
    first[1:] = candidates.need[by_need[1:]] != candidates.need[by_need[:-1]]
    tops = by_need[first]
    order = tops[np.argsort(-candidates.weight[tops], kind="stable")].astype(np.int64)
    return _kept(order, given(candidates, order))


def optimal(candidates: RoundPairs) -> Allocation:
    """The allocation of greatest total weight, in an order that gives each pair its units."""
    plan = _solve(candidates)
    order = _acceptance_order(candidates, plan)
    return _kept(order, given(candidates, order))


def totals(candidates: RoundPairs, allocation: Allocation) -> Totals:
    """Needs matched, units, score and weight of ``allocation``."""
    units = allocation.units.astype(np.float64)
    return Totals(
        needs_matched=len(np.unique(candidates.need[allocation.order])),
        units=int(allocation.units.sum()),
        score=float(candidates.score[allocation.order] @ units),
        weight=float(candidates.weight[allocation.order] @ units),
    )


def _kept(order: Ints, units: Ints) -> Allocation:
    """Only the pairs that get something."""
    return Allocation(order[units > 0], units[units > 0])


def _solve(candidates: RoundPairs) -> Ints:
    """Planned units per pair: the dual simplex's vertex optimum, integral (see the docstring)."""
    pairs, needs = len(candidates.weight), len(candidates.need_left)
    if pairs == 0:
        return np.zeros(0, dtype=np.int64)
    columns = np.arange(pairs)
    rows = np.concatenate([candidates.need, needs + candidates.offer])
    matrix = sparse.csr_array(
        (np.ones(2 * pairs), (rows, np.concatenate([columns, columns]))),
        shape=(needs + len(candidates.offer_left), pairs),
    )
    result = linprog(
        -np.maximum(candidates.weight, 0.0),
        A_ub=matrix,
        b_ub=np.concatenate([candidates.need_left, candidates.offer_left]),
        bounds=(0, None),
        method="highs-ds",
    )
    if result.status != 0:
        raise RuntimeError(f"allocation round not solved: {result.message}")
    return np.rint(result.x).astype(np.int64)  # type: ignore[no-any-return]


def _acceptance_order(candidates: RoundPairs, plan: Ints) -> Ints:
    """The planned pairs, each one once it is the last pair of a need or offer with no slack;
    pairs left over (only if ``plan`` is not a vertex) follow, best weight first."""
    chosen = np.flatnonzero(plan > 0)
    needs = len(candidates.need_left)
    ends = {int(p): (int(candidates.need[p]), needs + int(candidates.offer[p])) for p in chosen}
    left = np.concatenate([candidates.need_left, candidates.offer_left])
    slack = left - np.bincount(
        np.concatenate([candidates.need[chosen], needs + candidates.offer[chosen]]),
        weights=np.concatenate([plan[chosen], plan[chosen]]),
        minlength=len(left),
    ).astype(np.int64)
    remaining: dict[int, set[int]] = {}
    for pair, nodes in ends.items():
        for node in nodes:
            remaining.setdefault(node, set()).add(pair)
    ready = deque(next(iter(p)) for n, p in remaining.items() if slack[n] == 0 and len(p) == 1)
    order: list[int] = []
    while ready:
        pair = ready.popleft()
        if pair not in ends:
            continue
        order.append(pair)
        for node in ends.pop(pair):
            remaining[node].discard(pair)
            if slack[node] == 0 and len(remaining[node]) == 1:
                ready.append(next(iter(remaining[node])))
    order.extend(sorted(ends, key=lambda p: -candidates.weight[p]))
    return np.array(order, dtype=np.int64)
