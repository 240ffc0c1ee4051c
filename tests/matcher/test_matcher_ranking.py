"""Top-k selection and admission of a newcomer into a need's list."""

import numpy as np

from services.matcher.domain import Suggestion
from services.matcher.ranking import admit, best_per_need


def held(offer_id: str, score: float) -> Suggestion:
    return Suggestion("n", offer_id, "guest_expert", score, 1, 1.0, "Limburg", {}, "")


def test_best_per_need_keeps_each_needs_best_above_the_floor_best_first() -> None:
    rows = np.array([0, 0, 0, 1, 1, 1])
    scores = np.array([0.5, 0.9, 0.2, 0.7, 0.6, 0.3])
    ids = np.array(["a", "b", "c", "d", "e", "f"])

    positions, ranks = best_per_need(rows, scores, ids, 2, 0.3)

    assert positions.tolist() == [1, 0, 3, 4]
    assert ranks.tolist() == [1, 2, 1, 2]


def test_best_per_need_breaks_ties_on_the_offer_id() -> None:
    positions, _ = best_per_need(
        np.zeros(3, dtype=int), np.array([0.5, 0.5, 0.5]), np.array(["z", "y", "x"]), 2, 0.0
    )

    assert positions.tolist() == [2, 1]


def test_newcomer_enters_a_short_list_at_its_rank() -> None:
    assert admit([held("a", 0.9), held("b", 0.5)], "c", 0.7, 5, 0.3) == 2


def test_newcomer_beating_the_last_of_a_full_list_takes_its_place() -> None:
    current = [held("a", 0.9), held("b", 0.8), held("c", 0.6)]

    assert admit(current, "d", 0.7, 3, 0.3) == 3


def test_newcomer_below_a_full_list_or_the_minimum_stays_out() -> None:
    current = [held("a", 0.9), held("b", 0.8)]

    assert admit(current, "c", 0.7, 2, 0.3) is None
    assert admit([], "c", 0.2, 5, 0.3) is None
