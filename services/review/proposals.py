"""Proposing an allocation round for one RTC region (optionally one kind).

The candidates are the region's open suggestions whose need and offer are open, with quantity
and capacity left: the matcher only suggests pairs that keep every hard rule, so no proposal can
hold a forbidden pair. Each unit a pair gives weighs its score, optionally raised for schools
that never had an accepted match and for needs of grades 1 and 2 (``RoundOptions``). The
proposal comes with what taking each need's top suggestion greedily would give, to compare.
Reading only: accepting is ``services.review.rounds.accept_proposal``.

The solving runs in a worker thread: a big region's round takes the CPU for seconds, and on
the event loop it would stall every other request of the process meanwhile. A thread is
enough: HiGHS gives the GIL up while it solves (measured on a 6,000-need, 60,000-pair round:
the loop thread never waited more than ~30 ms during a 0.6 s solve).
"""

import asyncio
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.allocation import RoundPairs, Totals, greedy, optimal, totals
from services.review.tables import ReviewMatch, ReviewNeed, ReviewOffer
from shared.contracts import OPEN_STATUSES

EARLY_GRADES = ("G1", "G2")
Candidate = Row[Any]  # one open suggestion with what the round needs of its need and offer


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
    """The round's pairs, in the order that gives each its units, beside greedy top-1."""

    rtc_region: str
    kind: str | None
    options: RoundOptions
    pairs: list[ProposedPair]
    proposed: Totals
    greedy: Totals
    candidates: int
    open_needs: int
    extra_needs_matched: int = field(init=False)

    def __post_init__(self) -> None:
        extra = self.proposed.needs_matched - self.greedy.needs_matched
        object.__setattr__(self, "extra_needs_matched", extra)


async def propose(
    session: AsyncSession,
    rtc_region: str,
    kind: str | None = None,
    options: RoundOptions = RoundOptions(),
) -> Proposal:
    """The allocation round of ``rtc_region`` (of needs of ``kind``, if given), solved off the
    event loop."""
    rows = await _candidate_rows(session, rtc_region, kind)
    served = await _served_schools(session, rtc_region)
    return await asyncio.to_thread(_proposal, rows, served, rtc_region, kind, options)


def _proposal(
    rows: list[Candidate],
    served: set[str],
    rtc_region: str,
    kind: str | None,
    options: RoundOptions,
) -> Proposal:
    """The round over ``rows``, pure and CPU-bound."""
    candidates = _candidates(rows, served, options)
    proposal = optimal(candidates)
    pairs = [
        _pair(rows[p], int(units), float(candidates.weight[p]))
        for p, units in zip(proposal.order.tolist(), proposal.units.tolist(), strict=True)
    ]
    return Proposal(
        rtc_region=rtc_region,
        kind=kind,
        options=options,
        pairs=pairs,
        proposed=totals(candidates, proposal),
        greedy=totals(candidates, greedy(candidates)),
        candidates=len(rows),
        open_needs=len(candidates.need_left),
    )


async def _candidate_rows(
    session: AsyncSession, rtc_region: str, kind: str | None
) -> list[Candidate]:
    query = (
        select(
            ReviewMatch.match_id,
            ReviewMatch.score,
            ReviewNeed.need_id,
            ReviewNeed.title.label("need_title"),
            ReviewNeed.school_name,
            ReviewNeed.institution_number,
            ReviewNeed.grades,
            (ReviewNeed.quantity - ReviewNeed.quantity_met).label("need_left"),
            ReviewOffer.offer_id,
            ReviewOffer.title.label("offer_title"),
            ReviewOffer.provider_name,
            (ReviewOffer.capacity - ReviewOffer.capacity_used).label("offer_left"),
        )
        .join(ReviewNeed, ReviewNeed.need_id == ReviewMatch.need_id)
        .join(ReviewOffer, ReviewOffer.offer_id == ReviewMatch.offer_id)
        .where(
            ReviewMatch.status == "open",
            ReviewMatch.score.is_not(None),
            ReviewNeed.rtc_region == rtc_region,
            ReviewNeed.status.in_(OPEN_STATUSES),
            ReviewOffer.status.in_(OPEN_STATUSES),
            ReviewNeed.quantity > ReviewNeed.quantity_met,
            ReviewOffer.capacity > ReviewOffer.capacity_used,
        )
        .order_by(ReviewMatch.match_id)
    )
    if kind is not None:
        query = query.where(ReviewNeed.kind == kind)
    return list((await session.execute(query)).all())


async def _served_schools(session: AsyncSession, rtc_region: str) -> set[str]:
    """Schools of the region with an accepted match (revoked ones do not count)."""
    query = (
        select(ReviewNeed.institution_number)
        .join(ReviewMatch, ReviewMatch.need_id == ReviewNeed.need_id)
        .where(ReviewNeed.rtc_region == rtc_region, ReviewMatch.status == "accepted")
        .distinct()
    )
    return set((await session.scalars(query)).all())


def _candidates(rows: list[Candidate], served: set[str], options: RoundOptions) -> RoundPairs:
    needs = {need_id: i for i, need_id in enumerate(dict.fromkeys(r.need_id for r in rows))}
    offers = {offer_id: i for i, offer_id in enumerate(dict.fromkeys(r.offer_id for r in rows))}
    need_left, offer_left = np.zeros(len(needs), np.int64), np.zeros(len(offers), np.int64)
    for row in rows:
        need_left[needs[row.need_id]] = row.need_left
        offer_left[offers[row.offer_id]] = row.offer_left
    score = np.array([r.score for r in rows], dtype=np.float64)
    return RoundPairs(
        need=np.array([needs[r.need_id] for r in rows], dtype=np.int64),
        offer=np.array([offers[r.offer_id] for r in rows], dtype=np.int64),
        score=score,
        weight=np.array([_weight(r, served, options) for r in rows], dtype=np.float64),
        need_left=need_left,
        offer_left=offer_left,
    )


def _weight(row: Candidate, served: set[str], options: RoundOptions) -> float:
    """What one unit of the pair in ``row`` weighs under ``options``."""
    early = options.early_grades_up and not set(row.grades).isdisjoint(EARLY_GRADES)
    new = options.new_schools_first and row.institution_number not in served
    return float(row.score) * (options.early_grade_factor if early else 1.0) + (
        options.new_school_bonus if new else 0.0
    )


def _pair(row: Candidate, units: int, weight: float) -> ProposedPair:
    return ProposedPair(
        match_id=row.match_id,
        need_id=row.need_id,
        need_title=row.need_title,
        school_name=row.school_name,
        offer_id=row.offer_id,
        offer_title=row.offer_title,
        provider_name=row.provider_name,
        units=units,
        score=float(row.score),
        weight=weight,
    )
