"""Held out by time, ranked per need: top-1 acceptance and nDCG@5 of two rankings. Pure."""

from dataclasses import dataclass

import numpy as np

NDCG_DEPTH = 5


@dataclass(frozen=True, slots=True)
class Metrics:
    """How well a ranking orders each need's decided pairs: the share of needs whose first pair
    was accepted, and the mean nDCG@5 (accepted = relevant), over ``needs`` needs."""

    top1_acceptance: float
    ndcg_at_5: float
    needs: int


def split_by_time(
    need_ids: np.ndarray, decided_at: np.ndarray, holdout_share: float
) -> tuple[np.ndarray, np.ndarray]:
    """Rows to train on and rows held out: the needs first decided at or after the moment that
    leaves ``holdout_share`` of the decisions behind it are held out, whole (no need on both
    sides, nothing held out older than what is trained on)."""
    if len(need_ids) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    cut = min(len(need_ids) - 1, int(len(need_ids) * (1 - holdout_share)))
    cutoff = np.sort(decided_at)[cut]
    needs, of_need = np.unique(need_ids, return_inverse=True)
    first = np.full(len(needs), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, of_need, decided_at.astype(np.int64))
    held = first[of_need] >= cutoff.astype(np.int64)
    return np.flatnonzero(~held), np.flatnonzero(held)


def ranking_metrics(
    need_ids: np.ndarray, relevance: np.ndarray, scores: np.ndarray, depth: int = NDCG_DEPTH
) -> Metrics:
    """Each need's pairs ordered by ``scores`` (best first; ties keep the given order), judged
    by ``relevance`` (1 accepted, 0 rejected, or a probability of acceptance). Needs with a
    single pair leave nothing to order and are not counted; a need without a relevant pair
    counts 0 for both figures."""
    order = np.lexsort((-scores, need_ids))
    ideal = np.lexsort((-relevance, need_ids))
    ranks, sizes = _ranks(need_ids[order])
    gain = np.where(ranks <= depth, relevance[order] / np.log2(ranks + 1), 0.0)
    best = np.where(ranks <= depth, relevance[ideal] / np.log2(ranks + 1), 0.0)
    groups = np.cumsum(ranks == 1) - 1
    dcg, idcg = np.bincount(groups, gain), np.bincount(groups, best)
    counted = sizes >= 2
    if not counted.any():
        return Metrics(0.0, 0.0, 0)
    top1 = relevance[order][ranks == 1]
    ndcg = np.divide(dcg, idcg, out=np.zeros_like(dcg), where=idcg > 0)
    return Metrics(
        round(float(top1[counted].mean()), 4),
        round(float(ndcg[counted].mean()), 4),
        int(counted.sum()),
    )


def ranks_by(need_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Each pair's 1-based rank within its need by ``scores`` (best first; ties keep the given
    order)."""
    order = np.lexsort((-scores, need_ids))
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = _ranks(need_ids[order])[0]
    return ranks


def _ranks(sorted_need_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """1-based position of each row within its need (rows grouped by need) and each need's size."""
    starts = np.flatnonzero(np.r_[True, sorted_need_ids[1:] != sorted_need_ids[:-1]])
    sizes = np.diff(np.r_[starts, len(sorted_need_ids)])
    return np.arange(len(sorted_need_ids)) - np.repeat(starts, sizes) + 1, sizes
