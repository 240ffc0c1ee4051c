"""The allocation round's solver against a brute-force optimum, and against greedy top-1."""

import itertools
import random

import numpy as np
import pytest

from services.review.allocation import RoundPairs, given, greedy, optimal, totals


def _candidates(
    pairs: list[tuple[int, int, float]], need_left: list[int], offer_left: list[int]
) -> RoundPairs:
    scores = np.array([w for _, _, w in pairs], dtype=np.float64)
    return RoundPairs(
        need=np.array([n for n, _, _ in pairs], dtype=np.int64),
        offer=np.array([o for _, o, _ in pairs], dtype=np.int64),
        score=scores,
        weight=scores,
        need_left=np.array(need_left, dtype=np.int64),
        offer_left=np.array(offer_left, dtype=np.int64),
    )


def _random_case(rng: random.Random) -> RoundPairs:
    needs, offers = rng.randint(1, 4), rng.randint(1, 3)
    every = [(n, o) for n in range(needs) for o in range(offers)]
    chosen = rng.sample(every, rng.randint(1, min(6, len(every))))
    return _candidates(
        [(n, o, round(rng.uniform(0.3, 1.0), 2)) for n, o in chosen],
        [rng.choice((1, 1, 2, 3)) for _ in range(needs)],
        [rng.choice((1, 1, 2, 3)) for _ in range(offers)],
    )


def _brute_force(candidates: RoundPairs) -> float:
    """The best weight x units over every assignment of units to pairs that fits."""
    bounds = [
        range(min(candidates.need_left[n], candidates.offer_left[o]) + 1)
        for n, o in zip(candidates.need, candidates.offer, strict=True)
    ]
    best = 0.0
    for units in itertools.product(*bounds):
        x = np.array(units, dtype=np.int64)
        if _fits(candidates, np.arange(len(x)), x):
            best = max(best, float(candidates.weight @ x))
    return best


def _fits(candidates: RoundPairs, order: np.ndarray, units: np.ndarray) -> bool:
    per_need = np.bincount(candidates.need[order], units, len(candidates.need_left))
    per_offer = np.bincount(candidates.offer[order], units, len(candidates.offer_left))
    within = (per_need <= candidates.need_left).all() and (per_offer <= candidates.offer_left).all()
    return bool(within)


@pytest.mark.parametrize("seed", range(300))
def test_the_round_reaches_the_brute_force_optimum_and_never_overbooks(seed: int) -> None:
    candidates = _random_case(random.Random(seed))

    proposal, baseline = optimal(candidates), greedy(candidates)

    assert totals(candidates, proposal).weight == pytest.approx(_brute_force(candidates))
    for allocation in (proposal, baseline):
        assert _fits(candidates, allocation.order, allocation.units)
        assert (allocation.units > 0).all()
        assert len(set(allocation.order.tolist())) == len(allocation.order)
    assert totals(candidates, proposal).weight >= totals(candidates, baseline).weight - 1e-9


def test_greedy_top_one_leaves_a_need_unmatched_where_the_round_matches_both() -> None:
    # Need 0 likes offer 0 best but could go to offer 1; need 1 can only go to offer 0.
    candidates = _candidates([(0, 0, 0.9), (0, 1, 0.8), (1, 0, 0.85)], [1, 1], [1, 1])

    baseline = totals(candidates, greedy(candidates))
    proposal = totals(candidates, optimal(candidates))

    assert (baseline.needs_matched, proposal.needs_matched) == (1, 2)
    assert (baseline.score, proposal.score) == (pytest.approx(0.9), pytest.approx(1.65))


def test_a_need_of_several_units_is_split_over_offers_in_an_order_that_keeps_the_plan() -> None:
    # Need 0 lacks 3: offer 0 (2 left) must also serve need 1, offer 1 has 1 left. Accepting
    # need 0 on offer 0 first would take both of offer 0's places and leave need 1 without.
    candidates = _candidates(
        [(0, 0, 0.9), (0, 1, 0.7), (1, 0, 1.0)], need_left=[3, 1], offer_left=[2, 1]
    )

    proposal = optimal(candidates)

    assert proposal.order.tolist()[-1] == 0
    planned = dict(zip(proposal.order.tolist(), proposal.units.tolist(), strict=True))
    assert planned == {0: 1, 1: 1, 2: 1}
    assert given(candidates, np.array([0, 1, 2])).tolist() == [2, 1, 0]


def test_an_empty_round_proposes_nothing() -> None:
    candidates = _candidates([], [], [])

    assert len(optimal(candidates).order) == 0
    assert totals(candidates, greedy(candidates)).needs_matched == 0
