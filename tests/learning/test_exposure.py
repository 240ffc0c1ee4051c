"""Judging a ranking on decisions taken top-down with stopping: the examination propensities are
recovered, a ranking that is worse in truth never passes the gate (the old evaluation passed
it), one that is better does, and a coin-flipping coordinator gets nothing past it."""

import numpy as np
import pytest

from services.matcher.learning.evaluation import ranking_metrics
from services.matcher.learning.exposure import Shown, debiased_lift, propensities
from tests.learning.reviewing import EVERY_PAIR, TOP_DOWN, Lists, lists, reviewed

SEEDS = (1, 2, 3)


def position_bias_only(shown: Shown) -> np.ndarray:
    """What a model learns from the needs with two or more decisions, the only ones the old
    evaluation counted: where acceptances were, by position. Under top-down review the first
    pair of those needs was always rejected, so it learns that the second place wins."""
    counted = np.isin(shown.need_ids, _needs_with(shown, 2))
    at = shown.decided & counted
    rate = np.bincount(shown.ranks[at], weights=shown.accepted[at]) / np.maximum(
        np.bincount(shown.ranks[at]), 1
    )
    return np.asarray(rate[shown.ranks], dtype=np.float64)


def _needs_with(shown: Shown, decisions: int) -> np.ndarray:
    needs, counts = np.unique(shown.need_ids[shown.decided], return_counts=True)
    return needs[counts >= decisions]


def _old_evaluation_publishes(shown: Shown, scores: np.ndarray, rule: np.ndarray) -> bool:
    decided, relevance = shown.decided, shown.accepted.astype(np.float64)
    # The gate before #26: better nDCG@5 on the decided pairs, no worse top-1 acceptance.
    new = ranking_metrics(shown.need_ids[decided], relevance[decided], scores[decided])
    old = ranking_metrics(shown.need_ids[decided], relevance[decided], rule[decided])
    return new.ndcg_at_5 > old.ndcg_at_5 and new.top1_acceptance >= old.top1_acceptance


def test_examination_propensities_are_recovered() -> None:
    world = lists(seed=4)
    always = np.zeros(len(world.truth))  # nobody accepts: only patience ends a review
    shown = reviewed(world, TOP_DOWN, seed=4, patience=0.8, acceptance=always)

    assert propensities(shown) == pytest.approx(0.8 ** np.arange(5), abs=0.02)
    every = reviewed(world, EVERY_PAIR, seed=4)
    assert propensities(every).tolist() == [1.0] * 5


@pytest.mark.parametrize("seed", SEEDS)
def test_a_model_that_only_learned_position_bias_does_not_pass(seed: int) -> None:
    world = lists(seed)
    shown = reviewed(world, TOP_DOWN, seed)
    learned = position_bias_only(shown)
    assert world.true_top1(learned) < world.true_top1(world.rule)  # worse in truth

    lift = debiased_lift(shown, learned, world.rule, seed=seed)

    assert _old_evaluation_publishes(shown, learned, world.rule)  # the bug of the old gate
    assert not lift.holds() and lift.high < 0


@pytest.mark.parametrize("behaviour", [TOP_DOWN, EVERY_PAIR])
@pytest.mark.parametrize("seed", SEEDS)
def test_a_noisier_model_does_not_pass(behaviour: str, seed: int) -> None:
    world = lists(seed)
    noisy = world.truth + np.random.default_rng(seed).normal(0, 0.3, len(world.truth))
    assert world.true_top1(noisy) < world.true_top1(world.rule)

    assert not debiased_lift(reviewed(world, behaviour, seed), noisy, world.rule).holds()


@pytest.mark.parametrize("seed", SEEDS)
def test_the_ranking_in_force_against_itself_does_not_pass(seed: int) -> None:
    world = lists(seed)
    lift = debiased_lift(reviewed(world, TOP_DOWN, seed), world.rule, world.rule)

    assert (lift.lift, lift.holds()) == (0.0, False)
    assert lift.needs == 3000  # every need with a decision, single accepted ones included


@pytest.mark.parametrize("behaviour", [TOP_DOWN, EVERY_PAIR])
@pytest.mark.parametrize("seed", SEEDS)
def test_a_better_model_passes(behaviour: str, seed: int) -> None:
    world = lists(seed)
    true_lift = world.true_top1(world.truth) - world.true_top1(world.rule)

    lift = debiased_lift(reviewed(world, behaviour, seed), world.truth, world.rule, seed=seed)

    assert lift.holds()
    if behaviour == EVERY_PAIR:  # nothing unseen: the interval holds the truth
        assert lift.low <= true_lift <= lift.high


@pytest.mark.parametrize("behaviour", [TOP_DOWN, EVERY_PAIR])
@pytest.mark.parametrize("seed", SEEDS)
def test_a_coin_flipping_coordinator_gets_nothing_past_the_gate(behaviour: str, seed: int) -> None:
    world = lists(seed)
    coin = np.full(len(world.truth), 0.5)
    shown = reviewed(world, behaviour, seed, acceptance=coin)
    draw = np.random.default_rng(seed)

    for candidate in (world.truth, draw.random(len(coin)), position_bias_only(shown)):
        assert not debiased_lift(shown, candidate, world.rule, seed=seed).holds()


def test_no_decision_no_lift() -> None:
    world: Lists = lists(seed=1, needs=10)
    nothing = Shown(world.need_ids, world.ranks, np.zeros(50, bool), np.zeros(50, bool))

    lift = debiased_lift(nothing, world.truth, world.rule)

    assert (lift.needs, lift.holds()) == (0, False)
