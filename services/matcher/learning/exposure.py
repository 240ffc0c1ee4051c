"""Judging a ranking on decisions taken under another, the way coordinators really decide: they
read a need's list from the top and stop at the first match that suits, and what they never
looked at is never decided. Pure.

Position-based model: a pair shown at rank r is looked at (decided) with probability theta_r,
its examination propensity, estimated from the logged ranks as the share of the pairs shown at r
that were decided (over the needs with a decision). A ranking's value on a need is the
acceptance of the pair it puts first, weighted by 1 / theta of the rank that pair was shown at
(inverse propensity weighting): a pair never decided counts 0, an accepted one shown lower down
counts for every time a pair there was not looked at. Every need with a decision counts, a
single accepted pair included. The lift of a candidate over the ranking in force is the mean
over needs of the difference of their values; a bootstrap over needs gives its interval, and
the candidate may replace the ranking in force only when the interval's lower bound is above
the margin.

Limit: theta_r is one figure per rank. Under stopping, whether rank r is looked at also depends
on the pairs above it; a candidate that moves a pair up exactly where the pair above is weak is
credited a little too much. The margin and the lower bound are the guard.
"""

from dataclasses import dataclass

import numpy as np

MIN_PROPENSITY = 0.05
ROUNDS = 1000
CONFIDENCE = 0.95
_CHUNK = 50  # bootstrap rounds drawn at once


@dataclass(frozen=True, slots=True)
class Shown:
    """Pairs as they were shown, one entry per pair: the need, the rank in its list (1: top),
    whether a coordinator decided it, and whether it was accepted."""

    need_ids: np.ndarray
    ranks: np.ndarray
    decided: np.ndarray
    accepted: np.ndarray

    def __len__(self) -> int:
        return len(self.need_ids)

    def with_decision(self) -> np.ndarray:
        """The rows of the needs on which at least one pair was decided."""
        return np.isin(self.need_ids, np.unique(self.need_ids[self.decided]))


@dataclass(frozen=True, slots=True)
class Lift:
    """A candidate ranking against the ranking in force: each one's debiased top-1 acceptance,
    the lift (candidate minus in force) and its bootstrap interval, over ``needs`` needs."""

    candidate: float
    incumbent: float
    lift: float
    low: float
    high: float
    needs: int

    def holds(self, margin: float = 0.0) -> bool:
        """Better beyond noise: the interval's lower bound is above ``margin``."""
        return self.needs > 0 and self.low > margin

    def figures(self) -> dict[str, float | int]:
        """Rounded, for storing with the model and showing."""
        return {
            "candidate_top1": round(self.candidate, 4),
            "incumbent_top1": round(self.incumbent, 4),
            "lift": round(self.lift, 4),
            "lift_low": round(self.low, 4),
            "lift_high": round(self.high, 4),
            "needs": self.needs,
        }


def propensities(shown: Shown) -> np.ndarray:
    """theta_r for r = 1 .. the deepest rank shown (at index r - 1): the share of pairs shown at
    rank r that were decided, over the needs with a decision; at least ``MIN_PROPENSITY``."""
    rows = shown.with_decision()
    ranks, decided = shown.ranks[rows].astype(np.int64), shown.decided[rows]
    depth = int(ranks.max()) if len(ranks) else 1
    shown_at = np.bincount(ranks - 1, minlength=depth).astype(np.float64)
    decided_at = np.bincount(ranks - 1, weights=decided.astype(np.float64), minlength=depth)
    share = np.divide(decided_at, shown_at, out=np.zeros(depth), where=shown_at > 0)
    theta: np.ndarray = np.maximum(share, MIN_PROPENSITY)
    return theta


def top_values(
    shown: Shown, scores: np.ndarray, theta: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The needs with a decision (sorted) and, per need, the inverse-propensity-weighted
    acceptance of the pair ``scores`` put first (ties: the one shown higher)."""
    rows = np.flatnonzero(shown.with_decision())
    need_ids, ranks = shown.need_ids[rows], shown.ranks[rows].astype(np.int64)
    order = np.lexsort((ranks, -scores[rows], need_ids))
    grouped = need_ids[order]
    first = order[np.r_[True, grouped[1:] != grouped[:-1]]] if len(order) else order
    top = rows[first]
    at = np.minimum(shown.ranks[top].astype(np.int64), len(theta)) - 1
    hit = shown.decided[top] & shown.accepted[top]
    return shown.need_ids[top], np.where(hit, 1.0 / theta[at], 0.0)


def debiased_lift(
    shown: Shown,
    candidate: np.ndarray,
    incumbent: np.ndarray,
    seed: int = 0,
    rounds: int = ROUNDS,
    confidence: float = CONFIDENCE,
) -> Lift:
    """The lift in debiased top-1 acceptance of the ranking by ``candidate`` scores over the one
    by ``incumbent`` scores (one score per shown pair, higher first), with a bootstrap interval
    over needs at ``confidence`` (two-sided)."""
    theta = propensities(shown)
    _, mine = top_values(shown, candidate, theta)
    _, theirs = top_values(shown, incumbent, theta)
    if len(mine) == 0:
        return Lift(0.0, 0.0, 0.0, 0.0, 0.0, 0)
    differences = mine - theirs
    means = _bootstrap_means(differences, rounds, np.random.default_rng(seed))
    tail = (1 - confidence) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    return Lift(
        float(mine.mean()),
        float(theirs.mean()),
        float(differences.mean()),
        float(low),
        float(high),
        len(differences),
    )


def _bootstrap_means(values: np.ndarray, rounds: int, draw: np.random.Generator) -> np.ndarray:
    """The mean of ``values`` in each of ``rounds`` resamples with replacement."""
    means = []
    for start in range(0, rounds, _CHUNK):
        picks = draw.integers(0, len(values), size=(min(_CHUNK, rounds - start), len(values)))
        means.append(values[picks].mean(axis=1))
    return np.concatenate(means)
