"""What an allocation round reads of the review state: its candidates in lean columns, and the
names of the few pairs a proposal shows.

The candidates are the region's open suggestions whose need and offer are open, with quantity
and capacity left: the matcher only suggests pairs that keep every hard rule, so no proposal can
hold a forbidden pair. A big region has tens of thousands of them, so only what the solver needs
is read (ids, score, what is left, whether the need is of grade 1 or 2, whether its school was
served), as one row of column arrays; titles and names are read for the pairs shown only.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.allocation import Floats, Ints, RoundPairs
from services.review.tables import ReviewMatch, ReviewNeed, ReviewOffer
from shared.contracts import OPEN_STATUSES

EARLY_GRADES = ("G1", "G2")
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class RoundCandidates:
    """The round's candidates, one entry per open suggestion (in match id order); ``served``:
    the need's school already has an accepted match in the region (revoked ones do not count)."""

    match_ids: list[str]
    need_ids: list[str]
    offer_ids: list[str]
    score: Floats
    need_left: list[int]
    offer_left: list[int]
    early_grade: Bools
    served: Bools

    def __len__(self) -> int:
        return len(self.match_ids)

    def pairs(self, weight: Floats) -> RoundPairs:
        """The solver's view: needs and offers as indices, with what each has left."""
        need, need_left = _indexed(self.need_ids, self.need_left)
        offer, offer_left = _indexed(self.offer_ids, self.offer_left)
        return RoundPairs(need, offer, self.score, weight, need_left, offer_left)

    def new_school(self) -> Bools:
        """Per candidate: its school has no accepted match in the region yet."""
        return ~self.served


@dataclass(frozen=True, slots=True)
class PairNames:
    """What a proposal shows of one pair besides its units and score."""

    need_id: str
    need_title: str
    school_name: str
    offer_id: str
    offer_title: str
    provider_name: str


async def read_candidates(
    session: AsyncSession, rtc_region: str, kind: str | None
) -> RoundCandidates:
    """The open candidates of ``rtc_region`` (of needs of ``kind``, if given), read as one row of
    column arrays: no row object per candidate."""
    served = (
        select(ReviewNeed.institution_number)
        .join(ReviewMatch, ReviewMatch.need_id == ReviewNeed.need_id)
        .where(ReviewNeed.rtc_region == rtc_region, ReviewMatch.status == "accepted")
    )
    rows = (
        select(
            ReviewMatch.match_id,
            ReviewMatch.need_id,
            ReviewMatch.offer_id,
            ReviewMatch.score,
            (ReviewNeed.quantity - ReviewNeed.quantity_met).label("need_left"),
            (ReviewOffer.capacity - ReviewOffer.capacity_used).label("offer_left"),
            ReviewNeed.grades.overlap(array(EARLY_GRADES)).label("early_grade"),
            ReviewNeed.institution_number.in_(served).label("served"),
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
        rows = rows.where(ReviewNeed.kind == kind)
    listed = rows.subquery()
    columns = (await session.execute(select(*(func.array_agg(c) for c in listed.c)))).one()
    match_ids, need_ids, offer_ids, score, need_left, offer_left, early, old = (
        column or [] for column in columns
    )
    return RoundCandidates(
        match_ids=match_ids,
        need_ids=need_ids,
        offer_ids=offer_ids,
        score=np.array(score, dtype=np.float64),
        need_left=need_left,
        offer_left=offer_left,
        early_grade=np.array(early, dtype=bool),
        served=np.array(old, dtype=bool),
    )


async def pair_names(session: AsyncSession, match_ids: Sequence[str]) -> dict[str, PairNames]:
    """The names of the pairs ``match_ids``, by match id."""
    if not match_ids:
        return {}
    query = (
        select(
            ReviewMatch.match_id,
            ReviewNeed.need_id,
            ReviewNeed.title,
            ReviewNeed.school_name,
            ReviewOffer.offer_id,
            ReviewOffer.title,
            ReviewOffer.provider_name,
        )
        .join(ReviewNeed, ReviewNeed.need_id == ReviewMatch.need_id)
        .join(ReviewOffer, ReviewOffer.offer_id == ReviewMatch.offer_id)
        .where(ReviewMatch.match_id.in_(match_ids))
    )
    rows = (await session.execute(query)).tuples().all()
    return {match_id: PairNames(*names) for match_id, *names in rows}


def _indexed(ids: list[str], left: list[int]) -> tuple[Ints, Ints]:
    """Each entry's index among the distinct ``ids`` (first seen first), and what each has left."""
    index: dict[str, int] = {}
    positions = np.array([index.setdefault(i, len(index)) for i in ids], dtype=np.int64)
    remaining = np.zeros(len(index), dtype=np.int64)
    remaining[positions] = np.array(left, dtype=np.int64)
    return positions, remaining
