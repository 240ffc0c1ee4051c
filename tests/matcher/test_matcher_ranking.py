"""Top-k selection and admission of a newcomer into a need's list."""

import numpy as np

from services.matcher.domain import Suggestion
from services.matcher.ranking import admit, top_k


def held(offer_id: str, score: float) -> Suggestion:
    return Suggestion("n", offer_id, "guest_expert", score, 1, 1.0, "Limburg", {}, "")


def test_top_k_keeps_the_best_above_the_minimum_best_first() -> None:
    ids = ["a", "b", "c", "d", "e"]
    scores = np.array([0.5, 0.9, 0.2, 0.7, 0.6])

    assert top_k(ids, scores, 3, 0.3) == [1, 3, 4]
    assert top_k(ids, scores, 10, 0.55) == [1, 3, 4]


def test_top_k_breaks_ties_on_the_offer_id() -> None:
    assert top_k(["z", "y", "x"], np.array([0.5, 0.5, 0.5]), 2, 0.0) == [2, 1]


def test_newcomer_enters_a_short_list_at_its_rank() -> None:
    admission = admit([held("a", 0.9), held("b", 0.5)], "c", 0.7, 5, 0.3)

    assert admission is not None
    assert (admission.rank, admission.pushed_out) == (2, None)


def test_newcomer_beating_the_last_of_a_full_list_pushes_it_out() -> None:
    current = [held("a", 0.9), held("b", 0.8), held("c", 0.6)]

    admission = admit(current, "d", 0.7, 3, 0.3)

    assert admission is not None
    assert admission.rank == 3
    assert admission.pushed_out == current[2]


def test_newcomer_below_a_full_list_or_the_minimum_stays_out() -> None:
    current = [held("a", 0.9), held("b", 0.8)]

    assert admit(current, "c", 0.7, 2, 0.3) is None
    assert admit([], "c", 0.2, 5, 0.3) is None
