"""Features of a pair: one row per pair, categories as codes, and the weights' score recomputed."""

import numpy as np
import pytest

from services.matcher.domain import StoredState
from services.matcher.engine import Matcher
from services.matcher.learning.features import (
    CATEGORICAL,
    FEATURES,
    feature_matrix,
    hand_scores,
    pairs_of,
)
from tests.bench.generate import Generator
from tests.matcher.builders import SETTINGS, a_need, an_offer


def test_one_row_per_pair_with_grades_codes_and_missing_components() -> None:
    need = a_need(grades=frozenset({"G2", "OV3"}))
    offer = an_offer("o", provider_type="sector_organisation", capacity=4)
    pairs = pairs_of(
        [need, need],
        [offer, an_offer("p", field="elektromechanica", provider_type="unknown")],
        {"distance": np.array([0.9, 0.5]), "field": np.array([1.0, 0.7])},
        np.array([12.0, 30.5]),
    )

    rows = feature_matrix(pairs)

    assert rows.shape == (2, len(FEATURES))
    column = {name: rows[:, at] for at, name in enumerate(FEATURES)}
    assert column["distance"].tolist() == [0.9, 0.5]
    assert column["text"].tolist() == [0.0, 0.0]  # not given
    assert column["capacity"].tolist() == [1.0, 1.0]  # not given: not limiting
    assert column["need_G2"].tolist() == [1.0, 1.0] and column["need_G3"].tolist() == [0.0, 0.0]
    assert column["offer_capacity"][0] == pytest.approx(np.log1p(4))
    assert column["provider_type"][0] == 1.0 and np.isnan(column["provider_type"][1])
    assert column["need_field"][0] == column["offer_field"][0] != column["offer_field"][1]
    assert CATEGORICAL.sum() == 5 and CATEGORICAL[-5:].all()


def test_take_keeps_pairs_together() -> None:
    pairs = pairs_of(
        [a_need(kind="pupil_placement"), a_need()],
        [an_offer("o", capacity=1), an_offer("p", capacity=7)],
        {"distance": np.array([0.1, 0.2])},
        np.array([1.0, 2.0]),
    )

    taken = pairs.take(np.array([1]))

    assert (taken.need_kind, taken.offer_capacity.tolist()) == (["teacher_internship"], [7.0])
    assert taken.components["distance"].tolist() == [0.2]


def test_hand_scores_are_the_matchers_scores() -> None:
    generator = Generator(5)
    matcher = Matcher(SETTINGS)
    needs, offers = generator.needs(80), generator.offers(800)
    matcher.load(StoredState(open_needs=needs, open_offers=offers))
    matcher.rematch()
    by_id = {offer.offer_id: offer for offer in offers}
    shown = [(n, s) for n in needs for s in matcher.suggestions(n.need_id)]
    assert len(shown) > 100

    pairs = pairs_of(
        [need for need, _ in shown],
        [by_id[s.offer_id] for _, s in shown],
        {name: np.array([s.components[name] for _, s in shown]) for name in shown[0][1].components},
        np.array([s.distance_km for _, s in shown]),
    )

    # Published components are rounded to 3 decimals: the recomputed score is that close.
    assert hand_scores(pairs, SETTINGS.weights) == pytest.approx(
        [s.score for _, s in shown], abs=2e-3
    )
