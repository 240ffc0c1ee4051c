"""Top-k lists per need: which offers make the list and which one a newcomer pushes out."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from services.matcher.domain import Suggestion


@dataclass(frozen=True, slots=True)
class Admission:
    """Where a newcomer enters a need's list (1-based rank) and whom it pushes out."""

    rank: int
    pushed_out: Suggestion | None


def order_key(score: float, offer_id: str) -> tuple[float, str]:
    """Best first; equal scores fall back to the offer id so every instance ranks alike."""
    return (-score, offer_id)


def top_k(offer_ids: Sequence[str], scores: np.ndarray, k: int, min_score: float) -> list[int]:
    """Positions of the best ``k`` scores at or above ``min_score``, best first."""
    eligible = np.flatnonzero(scores >= min_score)
    if len(eligible) > k:
        # Partitioning narrows to the k best plus every tie with the k-th, then sort exactly.
        kth = -np.partition(-scores[eligible], k - 1)[k - 1]
        eligible = eligible[scores[eligible] >= kth]
    ranked = sorted(
        eligible.tolist(),
        key=lambda position: order_key(float(scores[position]), offer_ids[position]),
    )
    return ranked[:k]


def best_per_need(
    need_rows: np.ndarray, scores: np.ndarray, offer_ids: np.ndarray, k: int, floor: float
) -> tuple[np.ndarray, np.ndarray]:
    """Positions of each need row's ``k`` best scores at or above ``floor`` (ties: offer id),
    grouped by need row, best first, and their 1-based ranks."""
    order = np.lexsort((offer_ids, -scores, need_rows))
    order = order[scores[order] >= floor]
    rows = need_rows[order]
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    firsts = np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    ranks = np.arange(len(order)) - firsts + 1
    top = ranks <= k
    return order[top], ranks[top]


def admit(
    current: Sequence[Suggestion], offer_id: str, score: float, k: int, min_score: float
) -> Admission | None:
    """Whether an offer scoring ``score`` enters a need's ``current`` list (sorted best first)."""
    if score < min_score:
        return None
    key = order_key(score, offer_id)
    rank = 1 + sum(order_key(held.score, held.offer_id) < key for held in current)
    if rank > k:
        return None
    return Admission(rank, current[k - 1] if len(current) >= k else None)
