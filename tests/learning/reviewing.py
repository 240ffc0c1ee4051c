"""A synthetic world where the truth is known: needs with a list of pairs, each with the
probability a coordinator accepts it, ranked by a rule that sees that probability through noise;
and coordinators who review such a list in the ways people do."""

from dataclasses import dataclass

import numpy as np

from services.matcher.learning.exposure import Shown

TOP_DOWN, EVERY_PAIR = "top-down with stopping", "every pair"


@dataclass(frozen=True, slots=True)
class Lists:
    """``needs`` lists of ``depth`` pairs, row-major by need then rank: each pair's need, its
    rank under the rule, its true probability of acceptance and the rule's score."""

    need_ids: np.ndarray
    ranks: np.ndarray
    truth: np.ndarray
    rule: np.ndarray

    def true_top1(self, scores: np.ndarray) -> float:
        """The mean true acceptance of the pair ``scores`` put first in each list (ties: the
        one shown higher)."""
        order = np.lexsort((self.ranks, -scores, self.need_ids))
        grouped = self.need_ids[order]
        first = order[np.r_[True, grouped[1:] != grouped[:-1]]]
        return float(self.truth[first].mean())


def lists(seed: int, needs: int = 3000, depth: int = 5, noise: float = 0.15) -> Lists:
    """Lists ranked by a rule that sees the truth with ``noise``."""
    draw = np.random.default_rng(seed)
    truth = draw.beta(2, 3, size=(needs, depth))
    rule = truth + draw.normal(0, noise, size=truth.shape)
    order = np.argsort(-rule, axis=1)
    truth, rule = np.take_along_axis(truth, order, 1), np.take_along_axis(rule, order, 1)
    return Lists(
        np.repeat(np.arange(needs), depth).astype(str),
        np.tile(np.arange(1, depth + 1), needs),
        truth.ravel(),
        rule.ravel(),
    )


def reviewed(
    shown: Lists,
    behaviour: str,
    seed: int,
    patience: float = 0.85,
    acceptance: np.ndarray | None = None,
) -> Shown:
    """The coordinator's decisions on the rule's lists: ``TOP_DOWN`` reads from the top, stops at
    the first acceptance and moves on to the next pair only with probability ``patience``
    (position bias); ``EVERY_PAIR`` decides all. ``acceptance`` replaces the truth (a
    coin-flipping coordinator)."""
    draw = np.random.default_rng(seed)
    chance = shown.truth if acceptance is None else acceptance
    accepted = draw.random(len(chance)) < chance
    if behaviour == EVERY_PAIR:
        return Shown(shown.need_ids, shown.ranks, np.ones(len(chance), bool), accepted)
    depth = int(shown.ranks.max())
    per_need = accepted.reshape(-1, depth)
    goes_on = draw.random(per_need.shape) < patience
    goes_on[:, 0] = True  # a list with a decision is looked at from the top
    before = np.cumsum(per_need, axis=1) - per_need  # acceptances above each pair
    looked = (np.cumprod(goes_on, axis=1) > 0) & (before == 0)
    return Shown(shown.need_ids, shown.ranks, looked.ravel(), accepted & looked.ravel())
