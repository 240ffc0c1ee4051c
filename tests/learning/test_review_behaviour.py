"""The publishing gate under the ways coordinators review: a coordinator who follows the weights
and one who flips a coin never get a model published, one with preferences of its own gets one
whose true top-1 lift holds on the weeks after; each reviewing top-down with stopping and
deciding every pair.

First measured run (seed 7, 450 needs a week, six weeks decided, ~535 needs held out), the
debiased top-1 lift over the weights and its 95% interval:
- follows the weights: top-down -0.37 [-0.48, -0.23], every pair -0.01 [-0.03, +0.01];
- coin flip: top-down -0.01 [-0.16, +0.16], every pair +0.04 [-0.01, +0.10];
- own preferences: top-down +0.34 [+0.11, +0.61], every pair +0.20 [+0.16, +0.24], published.
Top-down the lift is over-estimated and its interval wide (an accepted pair low in the list
weighs up to 20 times): a model is published there only with enough needs held out. Six weeks
left the top-down interval's lower bound near zero for one seed in two or three (seeds 5 to 9,
with and without stemmed n-grams); eight weeks decided (~720 held out) clear it for all five.
"""

import pytest

from services.matcher.domain import NeedProfile
from services.matcher.engine import Matcher
from services.matcher.learning.model import LearnedModel
from services.matcher.learning.training import Trained, train
from tests.learning.coordinator import CoinFlipper, Coordinator, Judge, WeightsFollower
from tests.learning.reviewing import EVERY_PAIR, TOP_DOWN
from tests.learning.simulation import SETTINGS, decided_on, measured, ranked, region

SEED, DECIDED_WEEKS = 7, 8
TRUE_TOP1_GAIN = 0.08  # measured 0.11 (top-down) and 0.15 (every pair)
AREA = region(SEED, DECIDED_WEEKS + 2, needs_per_week=450, offers=2000)


@pytest.fixture(scope="module")
def lists() -> tuple[Matcher, list[NeedProfile]]:
    """The weights' lists of the decided weeks, made once."""
    return ranked(AREA, range(DECIDED_WEEKS))


def _trained(lists: tuple[Matcher, list[NeedProfile]], judge: Judge, review: str) -> Trained:
    decided = decided_on(AREA, range(DECIDED_WEEKS), lists, judge, SEED, review)
    return train(decided, SETTINGS.weights, min_decisions=500, holdout_share=0.2)


@pytest.mark.parametrize("review", [TOP_DOWN, EVERY_PAIR])
@pytest.mark.parametrize("judge", [WeightsFollower(SEED), CoinFlipper(SEED)], ids=repr)
def test_nothing_better_than_the_weights_is_never_published(
    lists: tuple[Matcher, list[NeedProfile]], judge: Judge, review: str
) -> None:
    trained = _trained(lists, judge, review)

    assert trained.pipeline is not None and not trained.publish, trained.verdict
    assert trained.verdict.endswith("not better, the weights stay")


@pytest.mark.parametrize("review", [TOP_DOWN, EVERY_PAIR])
def test_a_coordinator_with_preferences_gets_a_model_whose_lift_holds(
    lists: tuple[Matcher, list[NeedProfile]], review: str
) -> None:
    judge = Coordinator(SEED)
    trained = _trained(lists, judge, review)
    assert trained.pipeline is not None and trained.publish, trained.verdict

    later = range(DECIDED_WEEKS, DECIDED_WEEKS + 2)
    weights = measured(AREA, later, judge, None)
    learned = measured(AREA, later, judge, LearnedModel(1, trained.pipeline))
    assert learned.top1_acceptance >= weights.top1_acceptance + TRUE_TOP1_GAIN
    assert trained.metrics["debiased"]["lift_low"] > 0
