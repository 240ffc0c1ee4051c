"""A model published while the matcher runs is picked up: the lists are re-ranked with it and
published again, their explanations and ``model_version`` naming the version; withdrawn, the
weights rank again."""

from collections.abc import AsyncIterator

import pytest
from sklearn.pipeline import Pipeline

from services.matcher.app import build_runtime
from services.matcher.handlers import INBOUND
from services.matcher.learning.model import dump, signature
from services.matcher.learning.registry import withdraw
from services.matcher.learning.settings import LearningSettings
from services.matcher.learning.tables import RankingModel
from services.matcher.service import CONSUMER
from services.matcher.settings import MatcherSettings
from shared import topics
from shared.settings import Settings
from tests.kafka_io import Received, TopicTail, caught_up, produce
from tests.learning.conftest import Sessions
from tests.matcher.events import fresh_period, need_event, offer_event


@pytest.fixture(scope="module")
async def matcher(sessions: Sessions) -> AsyncIterator[None]:
    """The matcher, looking for a published model every 0.2 s, not retraining itself."""
    settings = MatcherSettings(model_poll_seconds=0.2)
    async with build_runtime(Settings(), settings, LearningSettings(retrain_hours=0)).running():
        await caught_up(CONSUMER, INBOUND)
        yield


async def test_a_model_published_while_running_re_ranks_the_lists(
    matcher: None, sessions: Sessions, pipeline: Pipeline
) -> None:
    period = fresh_period()
    offers = [
        offer_event(period, postal_code, "auto", "Werkplaats elektrische voertuigen")
        for postal_code in ("3600", "3590", "3800")
    ]
    need = need_event(period)

    def of_need(received: list[Received]) -> list[Received]:
        return [
            r for r in received
            if r.topic == topics.MATCHES_SUGGESTED and r.value["need_id"] == need.need_id
        ]  # fmt: skip

    async with TopicTail(topics.MATCHES_SUGGESTED) as tail:
        await produce(
            topics.OFFERS_REGISTERED, [(o.offer_id, o.model_dump_json().encode()) for o in offers]
        )
        await produce(topics.NEEDS_REGISTERED, [(need.need_id, need.model_dump_json().encode())])
        by_weights = of_need(await tail.collect(lambda r: len(of_need(r)) >= 3))
        assert not any("geleerde model" in r.value["explanation"] for r in by_weights)
        assert {(r.value["ranked_by"], r.value["model_version"]) for r in by_weights} == {
            ("rule", None)
        }

        async with sessions.begin() as session:
            model = RankingModel(trained_on=1, metrics={}, published=True, model=dump(pipeline))
            session.add(model)
            await session.flush()
            key = LearningSettings().model_signing_key
            model.signature = signature(key, model.version, model.model)
        clause = f"Gerangschikt door het geleerde model (versie {model.version})."
        received = await tail.collect(lambda r: len(of_need(r)) >= 6, seconds=60)
        republished = of_need(received)[3:6]

        async with sessions.begin() as session:
            await withdraw(session, model.version, "worse than the weights on live decisions")
        received = await tail.collect(lambda r: len(of_need(r)) >= 9, seconds=60)

    assert {r.value["offer_id"] for r in republished} == {o.offer_id for o in offers}
    assert all(r.value["explanation"].endswith(clause) for r in republished)
    assert sorted(r.value["rank"] for r in republished) == [1, 2, 3]
    placed = {(r.value["ranked_by"], r.value["model_version"]) for r in republished}
    assert placed == {("model", model.version)}
    by_weights_again = of_need(received)[6:]
    assert {(r.value["ranked_by"], r.value["model_version"]) for r in by_weights_again} == {
        ("rule", None)
    }
    assert not any("geleerde model" in r.value["explanation"] for r in by_weights_again)
    async with sessions() as session:
        stored = await session.get(RankingModel, model.version)
        assert stored is not None and stored.applied_at is not None
        assert stored.withdrawn_at is not None
