"""A learned ranking as the engine applies it: over candidates that passed every hard rule."""

from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np

from services.matcher.domain import NeedProfile, OfferProfile
from services.matcher.explain import explain, placed_by_model
from services.matcher.open_postings import OpenPostings, ScoredPairs


class LearnedRanking(Protocol):
    """An order learned from coordinators' decisions (``services.matcher.learning``), applied
    only to pairs that already passed every hard rule: it re-orders, it never admits."""

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
    ranking: LearnedRanking,
    postings: OpenPostings,
    pools: Sequence[tuple[ScoredPairs, np.ndarray]],
) -> list[np.ndarray]:
    """Per (candidates, positions), the ranking's probabilities of the pairs at the positions
    (rounded like the hand-set scores), over their components and distance as published; the
    ranking is asked once for all of them."""
    chosen = [(candidates, positions) for candidates, positions in pools if len(positions)]
    if not chosen:
        return [np.zeros(0) for _ in pools]
    needs, offers = [], []
    for candidates, positions in chosen:
        needs += [postings.needs[candidates.need_ids[at]] for at in positions.tolist()]
        offers += [postings.offers[candidates.offer_ids[at]] for at in positions.tolist()]
    names = chosen[0][0].scored.components
    learned = ranking.scores(
        needs,
        offers,
        {name: np.round(_joined(chosen, name), 3) for name in names},
        np.round(np.concatenate([c.scored.distance_km[at] for c, at in chosen]), 1),
    )
    parts = iter(np.split(np.round(learned, 4), np.cumsum([len(at) for _, at in chosen])[:-1]))
    return [next(parts) if len(positions) else np.zeros(0) for _, positions in pools]


def _joined(pools: Sequence[tuple[ScoredPairs, np.ndarray]], name: str) -> np.ndarray:
    return np.concatenate([candidates.scored.components[name][at] for candidates, at in pools])


def explained(
    need: NeedProfile, offer: OfferProfile, distance: float, overlap: int, version: int | None
) -> str:
    """The pair's explanation, saying so when a learned ranking (``version``) placed it."""
    explanation = explain(need, offer, distance, overlap)
    return explanation if version is None else placed_by_model(explanation, version)
