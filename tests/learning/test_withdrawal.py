"""A published model is judged on its own live decisions: when coordinators accept its first
pair less often than the weights' first, beyond noise, it is withdrawn, the ranking before it
comes back and the operator is told why; one that holds stays in force."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sklearn.pipeline import Pipeline
from sqlalchemy import delete

from services.matcher.learning.model import dump, signature
from services.matcher.learning.registry import decided_pairs, newest_published, published_models
from services.matcher.learning.service import ranking_status, train_and_store
from services.matcher.learning.settings import LearningSettings
from services.matcher.learning.standing import in_dutch, ranking_standing
from services.matcher.learning.tables import RankingModel
from services.matcher.learning.training import UNDECIDED
from services.matcher.settings import MatcherSettings
from services.matcher.store import MatcherStore
from services.matcher.tables import MatcherPosting
from services.review.tables import ReviewMatch
from shared.taxonomy import kind_group
from tests.learning.conftest import Sessions
from tests.matcher.events import fresh_period, need_event, offer_event

WEIGHTS = MatcherSettings().weights
NEEDS = 40
SETTINGS = LearningSettings(min_decisions=1_000_000, min_live_needs=NEEDS)
POOR = {"distance": 0.2, "field": 0.3, "grade": 0.5, "period": 0.5, "text": 0.1}
GOOD = {"distance": 0.9, "field": 1.0, "grade": 1.0, "period": 1.0, "text": 0.5}


@pytest.fixture
async def in_force(sessions: Sessions, pipeline: Pipeline) -> AsyncIterator[int]:
    """A published, signed model; removed afterwards with every model."""
    async with sessions.begin() as session:
        model = RankingModel(trained_on=1, metrics={}, published=True, model=dump(pipeline))
        session.add(model)
        await session.flush()
        model.signature = signature(SETTINGS.model_signing_key, model.version, model.model)
    yield model.version
    async with sessions.begin() as session:
        await session.execute(delete(RankingModel))


async def _live(sessions: Sessions, version: int, first_accepted: bool) -> list[str]:
    """``NEEDS`` needs whose lists the model ranked: first a pair the weights score poorly, then
    one they score well, then another never decided. The coordinator accepts the first
    (``first_accepted``) or rejects it and accepts the second. Returns the ids stored."""
    period, now = fresh_period(), datetime.now(UTC)
    match_ids: list[str] = []
    async with sessions.begin() as session:
        store = MatcherStore(session)
        for number in range(NEEDS):
            need = need_event(period)
            offers = [offer_event(period, "3600", "auto", f"Garage {n}") for n in range(3)]
            for side, posting in (("need", need), *(("offer", o) for o in offers)):
                posting_id = posting.need_id if side == "need" else posting.offer_id
                match_ids.append(posting_id)  # removed with the matches
                await store.save_postings(
                    kind_group(posting.kind),
                    [(side, posting_id, 1, "open", posting.model_dump(mode="json"))],
                )
            fates = ["accepted", "withdrawn"] if first_accepted else ["rejected", "accepted"]
            for rank, (offer, parts, status) in enumerate(
                zip(offers, (POOR, GOOD, GOOD), [*fates, "withdrawn"], strict=True), start=1
            ):
                match_ids.append(f"live-{uuid.uuid4()}")
                decided = status in ("accepted", "rejected")
                session.add(ReviewMatch(
                    match_id=match_ids[-1], need_id=need.need_id, offer_id=offer.offer_id,
                    status=status, kind=need.kind, score=0.5, rank=rank, ranked_by="model",
                    model_version=version, distance_km=10.0, components=parts, units=0,
                    reason_code=None if status != "rejected" else "quality", announced=True,
                    decided_at=now - timedelta(minutes=NEEDS - number) if decided else None,
                ))  # fmt: skip
    return match_ids


async def _forget(sessions: Sessions, match_ids: list[str]) -> None:
    """Remove the matches and postings ``_live`` stored (their ids)."""
    async with sessions.begin() as session:
        await session.execute(delete(ReviewMatch).where(ReviewMatch.match_id.in_(match_ids)))
        await session.execute(
            delete(MatcherPosting).where(MatcherPosting.posting_id.in_(match_ids))
        )


async def test_a_model_worse_than_the_weights_live_is_withdrawn(
    sessions: Sessions, in_force: int
) -> None:
    match_ids = await _live(sessions, in_force, first_accepted=False)
    try:
        async with sessions() as session:
            live = await decided_pairs(session, model_version=in_force)
        assert len(live) == 3 * NEEDS and (live.outcomes == UNDECIDED).sum() == NEEDS
        assert live.ranks is not None and sorted(set(live.ranks.tolist())) == [1, 2, 3]

        report = await train_and_store(sessions, SETTINGS, WEIGHTS)

        assert report.withdrawn is not None and f"model {in_force} live" in report.withdrawn
        async with sessions() as session:
            assert await newest_published(session) is None  # the weights rank again
            lines = ranking_status(await published_models(session))
        assert lines[0] == "in force: the hand-set weights"
        assert f"model {in_force}" in lines[1] and "worse than the weights, withdrawn" in lines[1]
        async with sessions() as session:
            told = in_dutch(await ranking_standing(session))  # on the dashboard
        assert told[0].startswith("De voorstellen worden gerangschikt met de vaste gewichten")
        assert told[1].startswith(f"Model {in_force} werd op ")
    finally:
        await _forget(sessions, match_ids)


async def test_a_model_that_holds_live_stays_in_force(sessions: Sessions, in_force: int) -> None:
    match_ids = await _live(sessions, in_force, first_accepted=True)
    try:
        report = await train_and_store(sessions, SETTINGS, WEIGHTS)

        assert report.withdrawn is None
        async with sessions() as session:
            assert await newest_published(session) == (in_force, False)
            lines = ranking_status(await published_models(session))
        assert lines[0].startswith(f"in force: model {in_force} since ")
        async with sessions() as session:
            assert f"(versie {in_force})" in in_dutch(await ranking_standing(session))[0]
    finally:
        await _forget(sessions, match_ids)
