"""Held out by time, ranked per need: top-1 acceptance and nDCG@5."""

import numpy as np
import pytest

from services.matcher.learning.evaluation import Metrics, ranking_metrics, split_by_time

NEEDS = np.array(["a", "a", "a", "b", "b", "c"])
ACCEPTED = np.array([0, 1, 0, 1, 0, 1.0])


def test_the_needs_decided_last_are_held_out_whole() -> None:
    need_ids = np.array(["a", "b", "a", "c", "b", "c", "d"])
    decided_at = np.array([1, 2, 3, 4, 5, 6, 7])

    trained, held = split_by_time(need_ids, decided_at, 0.4)

    # The cut falls at t=5: c (first decided at 4) stays, b straddles it but started before.
    assert trained.tolist() == [0, 1, 2, 3, 4, 5]
    assert held.tolist() == [6]
    assert set(need_ids[trained]).isdisjoint(need_ids[held])


def test_empty_split() -> None:
    trained, held = split_by_time(np.array([], dtype=str), np.array([], dtype=np.int64), 0.2)
    assert (len(trained), len(held)) == (0, 0)


def test_perfect_order_scores_one() -> None:
    metrics = ranking_metrics(NEEDS, ACCEPTED, np.array([1, 2, 1, 2, 1, 5.0]))
    assert metrics == Metrics(1.0, 1.0, 2)  # c has a single pair: nothing to order


def test_accepted_pair_second_halves_top_one_and_discounts_ndcg() -> None:
    metrics = ranking_metrics(NEEDS, ACCEPTED, np.array([3, 2, 1, 2, 1, 5.0]))
    assert metrics.top1_acceptance == 0.5
    assert metrics.ndcg_at_5 == pytest.approx((1 / np.log2(3) + 1) / 2, abs=1e-4)


def test_only_the_first_five_count_and_needs_without_acceptance_count_zero() -> None:
    need_ids = np.array(["a"] * 7 + ["b", "b"])
    relevance = np.array([0, 0, 0, 0, 0, 1, 0, 0, 0.0])
    metrics = ranking_metrics(need_ids, relevance, -np.arange(9.0))
    assert metrics == Metrics(0.0, 0.0, 2)
