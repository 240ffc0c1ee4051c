"""A learned ranking as the engine applies it: over candidates that passed every hard rule."""

from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np

from services.matcher.domain import NeedProfile, OfferProfile
from services.matcher.explain import explain, placed_by_model
from services.matcher.postings import Candidates, OpenPostings


class LearnedRanking(Protocol):
    """An order learned from coordinators' decisions (``services.learning``), applied only to
    pairs that already passed every hard rule: it re-orders, it never admits."""

    @property
    def version(self) -> int:
        """The published model version, named in the explanation."""
        ...

    def scores(
        self,
        needs: Sequence[NeedProfile],
        offers: Sequence[OfferProfile],
        components: Mapping[str, np.ndarray],
        distance_km: np.ndarray,
    ) -> np.ndarray:
        """Per pair (``needs[i]``, ``offers[i]``), the probability the coordinator accepts it."""
        ...


def learned_scores(
    ranking: LearnedRanking, postings: OpenPostings, candidates: Candidates, positions: np.ndarray
) -> np.ndarray:
    """The ranking's probabilities of the candidate pairs at ``positions`` (rounded like the
    hand-set scores), over their components and distance as published."""
    if len(positions) == 0:
        return np.zeros(0)
    scored, at = candidates.scored, positions.tolist()
    learned = ranking.scores(
        [postings.needs[candidates.need_ids[position]] for position in at],
        [postings.offers[candidates.offer_ids[position]] for position in at],
        {name: np.round(values[positions], 3) for name, values in scored.components.items()},
        np.round(scored.distance_km[positions], 1),
    )
    rounded: np.ndarray = np.round(learned, 4)
    return rounded


def explained(
    need: NeedProfile, offer: OfferProfile, distance: float, overlap: int, version: int | None
) -> str:
    """The pair's explanation, saying so when a learned ranking (``version``) placed it."""
    explanation = explain(need, offer, distance, overlap)
    return explanation if version is None else placed_by_model(explanation, version)
