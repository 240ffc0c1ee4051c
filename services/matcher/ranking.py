"""Top-k lists per need: which offers make each list, and where a newcomer enters one."""

from collections.abc import Sequence

import numpy as np

from services.matcher.domain import Suggestion


def order_key(score: float, offer_id: str) -> tuple[float, str]:
    """Best first; equal scores fall back to the offer id so every instance ranks alike."""
    return (-score, offer_id)


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
) -> int | None:
    """The 1-based rank at which an offer scoring ``score`` enters a need's ``current`` list
    (sorted best first); None when it stays out."""
    if score < min_score:
        return None
    key = order_key(score, offer_id)
    rank = 1 + sum(order_key(held.score, held.offer_id) < key for held in current)
    return rank if rank <= k else None
