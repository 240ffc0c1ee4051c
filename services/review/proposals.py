"""Proposing an allocation round for one RTC region (optionally one kind).

The candidates (``services.review.round_candidates``) are read in a short session of their own,
whose connection goes back to the pool before the solving starts; the names of the pairs shown
are read in a second one afterwards. Each unit a pair gives weighs its score, optionally raised
for schools that never had an accepted match and for needs of grades 1 and 2 (``RoundOptions``).
The proposal comes with what taking each need's top suggestion greedily would give, to compare,
and its totals; it carries the pairs of one window (``Shown``) only, in acceptance order: a big
region's round has thousands. Reading only: accepting is ``services.review.rounds``.

The solving runs in a worker thread: a big region's round takes the CPU for seconds, and on
the event loop it would stall every other request of the process meanwhile. A thread is
enough: HiGHS gives the GIL up while it solves (measured on a 6,000-need, 60,000-pair round:
the loop thread never waited more than ~30 ms during a 0.6 s solve).
"""

import asyncio
from dataclasses import asdict, dataclass, field

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.review.allocation import Allocation, Floats, Totals, greedy, optimal, totals
from services.review.round_candidates import RoundCandidates, pair_names, read_candidates

SHOWN_AT_MOST = 500


@dataclass(frozen=True, slots=True)
class RoundOptions:
    """How a round weighs a unit: ``score * early_grade_factor`` (needs with G1 or G2, when
    ``early_grades_up``) ``+ new_school_bonus`` (schools without any accepted match, when
    ``new_schools_first``). A bonus above the largest weighed score puts those schools first
    wherever they compete for a place. Defaults: the score alone."""

    new_schools_first: bool = False
    early_grades_up: bool = False
    new_school_bonus: float = 2.0
    early_grade_factor: float = 1.5


@dataclass(frozen=True, slots=True)
class Shown:
    """The window of the proposal's pairs it carries: ``limit`` pairs from ``offset`` (in
    acceptance order), at most ``SHOWN_AT_MOST``."""

    offset: int = 0
    limit: int = 100

    def __post_init__(self) -> None:
        if self.offset < 0 or not 0 <= self.limit <= SHOWN_AT_MOST:
            raise ValueError(f"offset >= 0 and limit 0..{SHOWN_AT_MOST}")


@dataclass(frozen=True, slots=True)
class ProposedPair:
    """One suggestion of the proposal, with the units accepting it gives."""

    match_id: str
    need_id: str
    need_title: str
    school_name: str
    offer_id: str
    offer_title: str
    provider_name: str
    units: int
    score: float
    weight: float


@dataclass(frozen=True, slots=True)
class Proposal:
    """A window of the round's pairs (``offset`` on, in the order that gives each its units) and
    how many it has in all (``pairs_total``), beside greedy top-1."""

    rtc_region: str
    kind: str | None
    options: RoundOptions
    pairs: list[ProposedPair]
    pairs_total: int
    offset: int
    proposed: Totals
    greedy: Totals
    candidates: int
    open_needs: int
    extra_needs_matched: int = field(init=False)

    def __post_init__(self) -> None:
        extra = self.proposed.needs_matched - self.greedy.needs_matched
        object.__setattr__(self, "extra_needs_matched", extra)


@dataclass(frozen=True, slots=True)
class _Solved:
    """A round solved, before its shown pairs are named."""

    allocation: Allocation
    weight: Floats
    proposed: Totals
    greedy: Totals
    open_needs: int


async def propose(
    sessions: async_sessionmaker[AsyncSession],
    rtc_region: str,
    kind: str | None = None,
    options: RoundOptions = RoundOptions(),
    shown: Shown = Shown(),
) -> Proposal:
    """The allocation round of ``rtc_region`` (of needs of ``kind``, if given), solved off the
    event loop without holding a database connection meanwhile."""
    async with sessions() as session:
        candidates = await read_candidates(session, rtc_region, kind)
    solved = await asyncio.to_thread(_solve, candidates, options)
    window = slice(shown.offset, shown.offset + shown.limit)
    order, units = solved.allocation.order[window], solved.allocation.units[window]
    match_ids = [candidates.match_ids[p] for p in order.tolist()]
    async with sessions() as session:
        names = await pair_names(session, match_ids)
    pairs = [
        ProposedPair(
            match_id,
            **asdict(names[match_id]),
            units=int(given),
            score=float(candidates.score[p]),
            weight=float(solved.weight[p]),
        )
        for match_id, p, given in zip(match_ids, order.tolist(), units.tolist(), strict=True)
        if match_id in names
    ]
    return Proposal(
        rtc_region=rtc_region,
        kind=kind,
        options=options,
        pairs=pairs,
        pairs_total=len(solved.allocation.order),
        offset=shown.offset,
        proposed=solved.proposed,
        greedy=solved.greedy,
        candidates=len(candidates),
        open_needs=solved.open_needs,
    )


def _solve(candidates: RoundCandidates, options: RoundOptions) -> _Solved:
    """The round over ``candidates``, pure and CPU-bound."""
    weight = _weights(candidates, options)
    pairs = candidates.pairs(weight)
    allocation = optimal(pairs)
    return _Solved(
        allocation=allocation,
        weight=weight,
        proposed=totals(pairs, allocation),
        greedy=totals(pairs, greedy(pairs)),
        open_needs=len(pairs.need_left),
    )


def _weights(candidates: RoundCandidates, options: RoundOptions) -> Floats:
    """What one unit of each candidate weighs under ``options``."""
    weight = candidates.score.copy()
    if options.early_grades_up:
        weight[candidates.early_grade] *= options.early_grade_factor
    if options.new_schools_first:
        weight += np.where(candidates.new_school(), options.new_school_bonus, 0.0)
    return weight
