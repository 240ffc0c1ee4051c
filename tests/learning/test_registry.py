"""Decided pairs read from PostgreSQL with the features the matcher scored them on; a training
run stores its model with its figures, and below the minimum stores nothing."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import delete, select

from services.matcher.learning.registry import decided_pairs, newest_published
from services.matcher.learning.service import train_and_store
from services.matcher.learning.settings import LearningSettings
from services.matcher.learning.tables import RankingModel
from services.matcher.settings import MatcherSettings
from services.matcher.store import MatcherStore
from services.matcher.tables import MatcherPosting
from services.review.tables import ReviewMatch
from shared.taxonomy import kind_group
from tests.learning.conftest import Sessions
from tests.matcher.events import fresh_period, need_event, offer_event

WEIGHTS = MatcherSettings().weights
NEEDS = 30


@pytest.fixture
async def decided(sessions: Sessions) -> AsyncIterator[list[str]]:
    """30 needs, each with a near offer accepted and a far one rejected as too far, decided a
    minute apart; removed afterwards."""
    period, now = fresh_period(), datetime.now(UTC)
    match_ids, posting_ids = [], []
    async with sessions.begin() as session:
        store = MatcherStore(session)
        for number in range(NEEDS):
            need = need_event(period, grades=["G2", "G3"])
            near = offer_event(period, "3600", "auto", "Garage")
            far = offer_event(period, "9000", "mechanica", "Metaal")
            far = far.model_copy(
                update={"provider": far.provider.model_copy(update={"type": "training_centre"})}
            )
            for side, posting in (("need", need), ("offer", near), ("offer", far)):
                posting_id = posting.need_id if side == "need" else posting.offer_id
                payload = posting.model_dump(mode="json")
                group = kind_group(posting.kind)
                await store.save_postings(group, [(side, posting_id, 1, "open", payload)])
                posting_ids.append(posting_id)
            for second, (offer, km, status, code) in enumerate(
                ((near, 12.0, "accepted", None), (far, 70.0, "rejected", "too_far"))
            ):
                match_ids.append(f"learn-{uuid.uuid4()}")
                session.add(ReviewMatch(
                    match_id=match_ids[-1], need_id=need.need_id, offer_id=offer.offer_id,
                    status=status, kind="teacher_internship", score=0.5, rank=1,
                    distance_km=km, components={"distance": round(np.exp(-km / 50), 3),
                    "field": 1.0 if status == "accepted" else 0.7, "grade": 0.8, "period": 1.0,
                    "text": 0.3}, reason_code=code, units=0, announced=True,
                    decided_at=now - timedelta(minutes=NEEDS - number) + timedelta(seconds=second),
                ))  # fmt: skip
    yield match_ids
    async with sessions.begin() as session:
        await session.execute(delete(ReviewMatch).where(ReviewMatch.match_id.in_(match_ids)))
        await session.execute(
            delete(MatcherPosting).where(MatcherPosting.posting_id.in_(posting_ids))
        )


async def test_decided_pairs_carry_outcome_reason_and_both_postings_features(
    sessions: Sessions, decided: list[str]
) -> None:
    async with sessions() as session:
        decisions = await decided_pairs(session)
        our_needs = list(
            await session.scalars(
                select(ReviewMatch.need_id).where(ReviewMatch.match_id.in_(decided)).distinct()
            )
        )

    # Other tests decide too: ours are the pairs of the needs this test stored.
    ours = np.flatnonzero(np.isin(decisions.need_ids, our_needs))
    assert len(ours) == 2 * NEEDS
    mine = decisions.take(ours)
    assert mine.outcomes.tolist()[:2] == ["accepted", "too_far"]
    assert np.all(np.diff(mine.decided_at) >= 0)  # oldest first
    pairs = mine.pairs
    assert (pairs.need_kind[0], pairs.need_field[0], pairs.offer_field[1]) == (
        "teacher_internship", "auto", "mechanica",
    )  # fmt: skip
    assert set(pairs.need_grades[0]) == {"G2", "G3"}
    assert (pairs.provider_type[0], pairs.provider_type[1]) == ("company", "training_centre")
    assert pairs.offer_capacity[0] == 2 and pairs.distance_km[1] == 70.0
    assert np.isnan(pairs.components["capacity"][0])  # not in the stored components


async def test_below_the_minimum_nothing_is_stored(sessions: Sessions, decided: list[str]) -> None:
    report = await train_and_store(sessions, LearningSettings(min_decisions=100_000), WEIGHTS)

    assert (report.version, report.published) == (None, False)
    assert "fewer than 100000" in report.verdict


async def test_a_training_run_stores_its_model_and_figures(
    sessions: Sessions, decided: list[str]
) -> None:
    report = await train_and_store(sessions, LearningSettings(min_decisions=20), WEIGHTS)

    assert report.version is not None
    async with sessions() as session:
        stored = await session.scalar(
            select(RankingModel).where(RankingModel.version == report.version)
        )
        assert stored is not None
        assert stored.published == report.published
        assert stored.metrics["decisions"] >= 2 * NEEDS and "verdict" in stored.metrics
        assert set(stored.metrics["learned"]) == {"top1_acceptance", "ndcg_at_5", "needs"}
        in_force = await newest_published(session)
        assert (in_force is not None and in_force[0] == report.version) == report.published
        await session.execute(delete(RankingModel).where(RankingModel.version == report.version))
        await session.commit()


async def test_a_retraining_that_is_not_due_is_skipped(sessions: Sessions) -> None:
    async with sessions.begin() as session:
        session.add(RankingModel(trained_on=0, metrics={}, published=False, model=b""))

    report = await train_and_store(
        sessions, LearningSettings(retrain_hours=24), WEIGHTS, due_only=True
    )

    assert report.verdict == "trained recently"
