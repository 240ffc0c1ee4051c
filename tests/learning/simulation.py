"""A seeded synthetic region over simulated weeks: each week new needs arrive, the matcher ranks
them (by the weights, or by a learned ranking) and the coordinator decides on each need's top
suggestions. Offers stay open and keep their capacity: the simulation is about order, not booking.
"""

import random
from dataclasses import dataclass, replace

import numpy as np

from services.matcher.domain import NeedProfile, OfferProfile, StoredState
from services.matcher.engine import Matcher
from services.matcher.learned import LearnedRanking
from services.matcher.learning.evaluation import NDCG_DEPTH, Metrics
from services.matcher.learning.features import COMPONENTS, pairs_of
from services.matcher.learning.model import LearnedModel
from services.matcher.learning.training import ACCEPTED, UNDECIDED, Decisions, train
from services.matcher.settings import MatcherSettings
from tests.bench.generate import Generator
from tests.learning.coordinator import Coordinator, Judge
from tests.learning.reviewing import EVERY_PAIR, TOP_DOWN

SETTINGS = MatcherSettings()
NEED_KINDS = {
    "pupil_placement": 4, "replacement_activity": 3, "teacher_internship": 2, "guest_expert": 1,
}  # fmt: skip
PROVIDERS = {
    "replacement_activity": {"sector_organisation": 1, "training_centre": 1, "company": 1},
    "other": {"company": 8, "sector_organisation": 1, "training_centre": 1},
}
WEEK_US = 7 * 24 * 3600 * 1_000_000


@dataclass(frozen=True, slots=True)
class Region:
    """Open offers and, per simulated week, the needs that arrive."""

    offers: list[OfferProfile]
    weeks: list[list[NeedProfile]]


def region(seed: int, weeks: int, needs_per_week: int, offers: int) -> Region:
    """A seeded region; pupil placements and replacement activities are common in it."""
    generator, draw = Generator(seed), random.Random(seed)
    kinds = list(NEED_KINDS)
    stock = [
        replace(offer, kind=kind, provider_type=_provider(kind, draw), capacity=offer.capacity_left)
        for offer in generator.offers(offers)
        for kind in [draw.choices(kinds, weights=list(NEED_KINDS.values()))[0]]
    ]
    arrivals = [
        [
            replace(
                need,
                kind=draw.choices(kinds, weights=list(NEED_KINDS.values()))[0],
                max_distance_km=float(draw.choice([30, 40, 50, 60])),
            )
            for need in generator.needs(needs_per_week, prefix=f"week{week}")
        ]
        for week in range(weeks)
    ]
    return Region(stock, arrivals)


def _provider(kind: str, draw: random.Random) -> str:
    mix = PROVIDERS.get(kind, PROVIDERS["other"])
    return draw.choices(list(mix), weights=list(mix.values()))[0]


def ranked(
    area: Region, weeks: range, ranking: LearnedRanking | None = None, k: int = SETTINGS.k
) -> tuple[Matcher, list[NeedProfile]]:
    """A matcher over the region's offers and the needs of ``weeks``, every list computed."""
    needs = [need for week in weeks for need in area.weeks[week]]
    matcher = Matcher(SETTINGS.model_copy(update={"k": k}), ranking)
    matcher.load(StoredState(open_needs=needs, open_offers=area.offers))
    matcher.rematch()
    return matcher, needs


def decisions(
    area: Region,
    weeks: range,
    coordinator: Judge,
    seed: int,
    review: str = EVERY_PAIR,
    ranking: LearnedRanking | None = None,
) -> Decisions:
    """The coordinator's decisions on the suggestions of the needs of ``weeks``, ranked by the
    weights (or ``ranking``), decided in the week the need arrived: on every pair, or
    ``TOP_DOWN``: from the top, stopping at the first acceptance (the rest stay undecided)."""
    return decided_on(area, weeks, ranked(area, weeks, ranking), coordinator, seed, review)


def decided_on(
    area: Region,
    weeks: range,
    lists: tuple[Matcher, list[NeedProfile]],
    coordinator: Judge,
    seed: int,
    review: str = EVERY_PAIR,
) -> Decisions:
    """``decisions`` on lists already made (``ranked``)."""
    draw = random.Random(seed)
    matcher, needs = lists
    offers = {offer.offer_id: offer for offer in area.offers}
    week_of = {need.need_id: week for week in weeks for need in area.weeks[week]}
    shown = [(need, s) for need in needs for s in matcher.suggestions(need.need_id)]
    outcomes: list[str] = []
    filled: set[str] = set()
    for need, suggestion in shown:
        if review == TOP_DOWN and need.need_id in filled:
            outcomes.append(UNDECIDED)
            continue
        outcomes.append(coordinator.decide(need, offers[suggestion.offer_id], suggestion, draw))
        if outcomes[-1] == ACCEPTED:
            filled.add(need.need_id)
    return Decisions(
        need_ids=np.array([need.need_id for need, _ in shown], dtype=str),
        decided_at=np.array(
            [week_of[need.need_id] * WEEK_US + row for row, (need, _) in enumerate(shown)],
            dtype=np.int64,
        ),
        outcomes=np.array(outcomes, dtype=str),
        pairs=pairs_of(
            [need for need, _ in shown],
            [offers[s.offer_id] for _, s in shown],
            {name: np.array([s.components[name] for _, s in shown]) for name in COMPONENTS},
            np.array([s.distance_km for _, s in shown]),
        ),
        ranks=np.array([s.rank for _, s in shown], dtype=np.int64),
    )


def measured(
    area: Region, weeks: range, coordinator: Coordinator, ranking: LearnedRanking | None
) -> Metrics:
    """Top-1 acceptance and nDCG@5 of the lists the matcher makes for the needs of ``weeks``,
    judged by the coordinator's probability of accepting each pair; the ideal order is that of
    the best 4 x k candidates by hand-set score (all a learned ranking may choose from)."""
    matcher, needs = ranked(area, weeks, ranking)
    pool, _ = ranked(area, weeks, k=SETTINGS.rerank_depth * SETTINGS.k)
    offers = {offer.offer_id: offer for offer in area.offers}

    def judged(lists: Matcher, need: NeedProfile) -> list[float]:
        return [
            coordinator.acceptance(need, offers[s.offer_id], s)
            for s in lists.suggestions(need.need_id)
        ]

    scored = [(judged(matcher, need), judged(pool, need)) for need in needs]
    scored = [(listed, ideal) for listed, ideal in scored if listed]
    return Metrics(
        round(float(np.mean([listed[0] for listed, _ in scored])), 4),
        round(
            float(np.mean([_dcg(listed) / _dcg(sorted(ideal)[::-1]) for listed, ideal in scored])),
            4,
        ),
        len(scored),
    )


def _dcg(relevance: list[float]) -> float:
    return sum(gain / np.log2(rank + 2) for rank, gain in enumerate(relevance[:NDCG_DEPTH]))


@dataclass(frozen=True, slots=True)
class Proof:
    """The weights against the learned ranking on held-out weeks, and the training verdict."""

    weights: Metrics
    learned: Metrics
    decisions: int
    verdict: str


def proof(seed: int = 7, weeks: int = 12, trained_weeks: int = 8) -> Proof:
    """Decide ``trained_weeks`` weeks by the weights, train, then measure both rankings on the
    needs of the later weeks (which no training decision saw)."""
    area, coordinator = region(seed, weeks, needs_per_week=150, offers=3000), Coordinator(seed)
    decided = decisions(area, range(trained_weeks), coordinator, seed)
    trained = train(decided, SETTINGS.weights, min_decisions=500, holdout_share=0.2)
    assert trained.pipeline is not None and trained.publish, trained.verdict
    held_out = range(trained_weeks, weeks)
    return Proof(
        measured(area, held_out, coordinator, None),
        measured(area, held_out, coordinator, LearnedModel(1, trained.pipeline)),
        len(decided),
        trained.verdict,
    )
