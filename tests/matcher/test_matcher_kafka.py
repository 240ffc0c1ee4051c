"""The matcher end to end on the real Kafka and PostgreSQL: registered postings in,
matches.suggested / matches.withdrawn out, exactly once."""

import asyncio
import uuid
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.matcher.tables import MatcherPosting, MatchSuggestion
from shared import topics
from shared.contracts import NeedRegistered, OfferRegistered
from tests.kafka_io import Received, TopicTail, produce
from tests.matcher.events import fresh_period, need_event, offer_event

SUGGESTED_FIELDS = {
    "event_id", "match_id", "need_id", "offer_id", "kind", "score", "rank", "distance_km",
    "rtc_region", "components", "explanation", "suggested_at", "revision", "ranked_by",
    "model_version",
}  # fmt: skip


async def publish(topic: str, *events: NeedRegistered | OfferRegistered) -> None:
    await produce(topic, [(_key(e), e.model_dump_json().encode()) for e in events])


def _key(event: NeedRegistered | OfferRegistered) -> str:
    return event.need_id if isinstance(event, NeedRegistered) else event.offer_id


def of_need(need_id: str, topic: str) -> Callable[[list[Received]], list[Received]]:
    """Picks the records of one need on one topic."""
    return lambda received: [
        r for r in received if r.topic == topic and r.value["need_id"] == need_id
    ]


async def test_need_gets_suggestions_in_rank_order_with_the_contract_fields(
    matcher: None, db: async_sessionmaker[AsyncSession]
) -> None:
    period = fresh_period()
    workshop = offer_event(period, "3600", "auto", "EV-werkplaats diagnose elektrische voertuigen")
    mechatronics = offer_event(period, "3500", "elektromechanica", "Industriële automatisering")
    chemical = offer_event(period, "2000", "chemie", "Chemische procesindustrie")
    far_garage = offer_event(period, "9300", "auto", "Garage elektrische voertuigen")
    need = need_event(period)
    suggested = of_need(need.need_id, topics.MATCHES_SUGGESTED)

    async with TopicTail(topics.MATCHES_SUGGESTED) as tail:
        await publish(topics.OFFERS_REGISTERED, workshop, mechatronics, chemical, far_garage)
        for offer in (workshop, mechatronics, chemical, far_garage):  # all open before the need
            await _until_stored(db, "offer", offer.offer_id, 1)
        await publish(topics.NEEDS_REGISTERED, need)
        received = suggested(await tail.collect(lambda r: len(suggested(r)) >= 2))

    by_rank = sorted((r.value for r in received), key=lambda value: value["rank"])
    assert [v["offer_id"] for v in by_rank] == [workshop.offer_id, mechatronics.offer_id]
    assert [v["rank"] for v in by_rank] == [1, 2]
    first = by_rank[0]
    assert set(first) == SUGGESTED_FIELDS
    assert first["score"] > by_rank[1]["score"]
    assert (first["kind"], first["rtc_region"], first["distance_km"]) == (
        "teacher_internship", "Limburg", 12.1,
    )  # fmt: skip
    assert first["components"]["field"] == 1.0
    assert first["explanation"].startswith("Zelfde vakgebied (auto), 12 km")
    assert (first["ranked_by"], first["model_version"]) == ("rule", None)  # no model published
    assert all(r.key == need.need_id for r in received)


async def test_withdrawn_offer_withdraws_its_suggestion(matcher: None) -> None:
    period = fresh_period()
    workshop = offer_event(period, "3600", "auto", "EV-werkplaats")
    need = need_event(period)
    suggested = of_need(need.need_id, topics.MATCHES_SUGGESTED)
    withdrawn = of_need(need.need_id, topics.MATCHES_WITHDRAWN)

    async with TopicTail(topics.MATCHES_SUGGESTED, topics.MATCHES_WITHDRAWN) as tail:
        await publish(topics.OFFERS_REGISTERED, workshop)
        await publish(topics.NEEDS_REGISTERED, need)
        [suggestion] = suggested(await tail.collect(lambda r: len(suggested(r)) >= 1))
        gone = workshop.model_copy(
            update={"event_id": uuid.uuid4(), "version": 2, "status": "withdrawn"}
        )
        await publish(topics.OFFERS_REGISTERED, gone)
        [withdrawal] = withdrawn(await tail.collect(lambda r: len(withdrawn(r)) >= 1))

    assert withdrawal.value["match_id"] == suggestion.value["match_id"]
    assert withdrawal.value["offer_id"] == workshop.offer_id
    assert withdrawal.value["reason"] == "offer_withdrawn"


async def test_redelivered_event_yields_no_duplicate_suggestion(
    matcher: None, db: async_sessionmaker[AsyncSession]
) -> None:
    period = fresh_period()
    workshop = offer_event(period, "3600", "auto", "EV-werkplaats")
    need = need_event(period)
    suggested = of_need(need.need_id, topics.MATCHES_SUGGESTED)

    async with TopicTail(topics.MATCHES_SUGGESTED) as tail:
        await publish(topics.OFFERS_REGISTERED, workshop)
        await publish(topics.NEEDS_REGISTERED, need)
        await tail.collect(lambda r: len(suggested(r)) >= 1)
    before = await _suggestion_revisions(db, need.need_id)
    # The same event again, then a later version behind it on the same partition: once the
    # later version is stored, the redelivered event has been handled.
    later = need.model_copy(update={"event_id": uuid.uuid4(), "version": 2})
    await publish(topics.NEEDS_REGISTERED, need, later)
    await _until_stored(db, "need", need.need_id, 2)

    assert len(before) == 1
    assert await _suggestion_revisions(db, need.need_id) == before


async def _suggestion_revisions(db: async_sessionmaker[AsyncSession], need_id: str) -> list[int]:
    """Every write to a suggestion row takes a new revision: equal lists mean nothing rewrote it."""
    async with db() as session:
        rows = await session.scalars(
            select(MatchSuggestion.revision).where(MatchSuggestion.need_id == need_id)
        )
        return list(rows.all())


async def _until_stored(
    db: async_sessionmaker[AsyncSession], side: str, posting_id: str, version: int
) -> None:
    async with asyncio.timeout(60):
        while True:
            async with db() as session:
                stored = await session.scalar(
                    select(MatcherPosting.version).where(
                        MatcherPosting.side == side, MatcherPosting.posting_id == posting_id
                    )
                )
            if stored == version:
                return
            await asyncio.sleep(0.1)
