"""The matcher with a learned ranking: it re-orders pairs past the hard rules and never admits
one a hard rule forbids; without a model the lists are exactly the weights'."""

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
import pytest

from services.matcher.domain import NeedProfile, OfferProfile, StoredState
from services.matcher.engine import Matcher
from services.matcher.learning.features import hand_scores, pairs_of
from services.matcher.learning.model import LearnedModel
from services.matcher.learning.training import train
from tests.bench.naive import fit
from tests.learning.coordinator import Coordinator
from tests.learning.simulation import SETTINGS, Region, decisions, ranked, region

AREA = region(seed=11, weeks=6, needs_per_week=80, offers=1500)
CLAUSE = "Gerangschikt door het geleerde model (versie {})."


class Perverse:
    """A ranking that prefers what the weights like least: the farthest, least fitting pair."""

    version = 99

    def scores(
        self,
        needs: Sequence[NeedProfile],
        offers: Sequence[OfferProfile],
        components: Mapping[str, np.ndarray],
        distance_km: np.ndarray,
    ) -> np.ndarray:
        return 1 - hand_scores(pairs_of(needs, offers, components, distance_km), SETTINGS.weights)


@pytest.fixture(scope="module")
def model() -> LearnedModel:
    trained = train(decisions(AREA, range(4), Coordinator(11), seed=11), SETTINGS.weights, 500, 0.2)
    assert trained.pipeline is not None
    return LearnedModel(3, trained.pipeline)


def forbidden(area: Region, matcher: Matcher, needs: Sequence[NeedProfile]) -> list[str]:
    """The suggestions breaking a hard rule or under the minimum score."""
    offers = {offer.offer_id: offer for offer in area.offers}
    broken = []
    for need in needs:
        for s in matcher.suggestions(need.need_id):
            offer = offers[s.offer_id]
            hand = hand_scores(
                pairs_of([need], [offer], {n: np.array([v]) for n, v in s.components.items()},
                         np.array([s.distance_km])),
                SETTINGS.weights,
            )[0]  # fmt: skip
            if fit(need, offer) is None or hand < SETTINGS.min_score - 2e-3:
                broken.append(
                    s.match_id if hasattr(s, "match_id") else f"{need.need_id}/{s.offer_id}"
                )
    return broken


@pytest.mark.parametrize("ranking", ["model", "perverse"])
def test_a_learned_ranking_never_suggests_a_forbidden_pair(
    ranking: str, model: LearnedModel
) -> None:
    chosen = model if ranking == "model" else Perverse()
    matcher, needs = ranked(AREA, range(4, 6), chosen)
    suggested = [s for need in needs for s in matcher.suggestions(need.need_id)]

    assert len(suggested) > 3 * len(needs)
    assert forbidden(AREA, matcher, needs) == []
    assert all(s.explanation.endswith(CLAUSE.format(chosen.version)) for s in suggested)
    assert all(len(matcher.suggestions(n.need_id)) <= SETTINGS.k for n in needs)


def test_perverse_ranking_changes_the_order_but_only_within_the_pool() -> None:
    weights, needs = ranked(AREA, range(4, 6))
    pool, _ = ranked(AREA, range(4, 6), k=SETTINGS.rerank_depth * SETTINGS.k)
    perverse, _ = ranked(AREA, range(4, 6), Perverse())

    changed = 0
    for need in needs:
        listed = [s.offer_id for s in perverse.suggestions(need.need_id)]
        assert set(listed) <= {s.offer_id for s in pool.suggestions(need.need_id)}
        changed += listed != [s.offer_id for s in weights.suggestions(need.need_id)]
    assert changed > len(needs) / 2


def test_without_a_model_the_lists_are_the_weights() -> None:
    needs = [need for week in AREA.weeks[:2] for need in week]
    plain, unset = Matcher(SETTINGS), Matcher(SETTINGS, None)
    for matcher in (plain, unset):
        matcher.load(StoredState(open_needs=needs, open_offers=AREA.offers))
        matcher.rematch()

    assert unset.use_ranking(None, rerank=False).suggested == []
    for need in needs:
        assert plain.suggestions(need.need_id) == unset.suggestions(need.need_id)
        assert not any("geleerde model" in s.explanation for s in plain.suggestions(need.need_id))
        assert all(s.model_version is None for s in plain.suggestions(need.need_id))


def test_taking_up_a_model_republishes_what_it_changed_and_new_offers_rank_by_it(
    model: LearnedModel,
) -> None:
    matcher, needs = ranked(AREA, range(4, 6))
    before = {n.need_id: matcher.suggestions(n.need_id) for n in needs}

    changes = matcher.use_ranking(model)

    republished = {(s.need_id, s.offer_id) for s in changes.suggested}
    assert len(republished) == sum(len(held) for held in before.values())  # explanations changed
    assert all(s.explanation.endswith(CLAUSE.format(3)) for s in changes.suggested)
    assert {s.model_version for s in changes.suggested} == {3}
    assert matcher.use_ranking(model).suggested == []  # the same model again changes nothing

    entered = matcher.register_offer(replace(AREA.offers[0], offer_id="newcomer")).suggested
    assert all(s.explanation.endswith(CLAUSE.format(3)) and 0 <= s.score <= 1 for s in entered)
