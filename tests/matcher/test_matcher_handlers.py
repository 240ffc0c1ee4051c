"""The matcher subscriber in memory, on FastStream's TestKafkaBroker: each record parsed by its
topic's model, a record that does not parse dead-lettered. Milliseconds per test;
test_matcher_kafka.py runs the same subscriber on the real broker."""

import base64
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import cast

from faststream.kafka import KafkaBroker, TestKafkaBroker
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.matcher.batches import MatcherInput
from services.matcher.handlers import build_router
from services.matcher.service import MatcherService
from services.matcher.settings import MatcherSettings
from services.matcher.tables import MatchSuggestion
from shared import topics
from shared.contracts import DeadLetter, MatchReviewed
from shared.dead_letters import DeadLetters
from shared.processed_events import ProcessedEvent
from tests.matcher.events import fresh_period, need_event, offer_event
from tests.refusals import outgoing


class RecordingMatcher:
    """Stands in for MatcherService: keeps every batch it is handed."""

    def __init__(self) -> None:
        self.batches: list[list[MatcherInput]] = []

    async def handle(self, events: Sequence[MatcherInput]) -> None:
        self.batches.append(list(events))


def broker_with(
    matcher: RecordingMatcher | MatcherService, dead_letters: DeadLetters
) -> KafkaBroker:
    broker = KafkaBroker()
    router = build_router(cast(MatcherService, matcher), batch_size=100, dead_letters=dead_letters)
    broker.include_router(router)
    return broker


def dead_letters_of(db: async_sessionmaker[AsyncSession]) -> tuple[str, DeadLetters]:
    """Dead letters under a consumer name of this test alone (its claims tell its records)."""
    consumer = f"matcher-test-{uuid.uuid4().hex[:8]}"
    return consumer, DeadLetters(db, consumer)


def review(match_id: str) -> MatchReviewed:
    return MatchReviewed.model_validate(
        {
            "event_id": str(uuid.uuid4()),
            "match_id": match_id,
            "need_id": "need-1",
            "offer_id": "offer-1",
            "status": "rejected",
            "reason_code": "too_far",
            "reason": "te ver",
            "decided_by": "rtc-limburg@rtc.example",
            "need_quantity_met": 0,
            "offer_capacity_used": 0,
            "revision": 1,
            "reviewed_at": datetime.now(UTC).isoformat(),
        }
    )


async def test_each_record_is_parsed_by_the_model_of_its_topic(
    db: async_sessionmaker[AsyncSession],
) -> None:
    matcher = RecordingMatcher()
    _, dead_letters = dead_letters_of(db)
    period = fresh_period()
    need, offer = need_event(period), offer_event(period, "3600", "auto", "EV-werkplaats")
    decided = review("m-1")
    async with TestKafkaBroker(broker_with(matcher, dead_letters)) as broker:
        for topic, event in [
            (topics.NEEDS_REGISTERED, need),
            (topics.OFFERS_REGISTERED, offer),
            (topics.MATCHES_REVIEWED, decided),
        ]:
            await broker.publish(event.model_dump_json().encode(), topic)

    assert matcher.batches == [[need], [offer], [decided]]


async def test_a_record_that_does_not_parse_is_dead_lettered_and_the_rest_of_the_batch_applied(
    db: async_sessionmaker[AsyncSession],
) -> None:
    matcher = RecordingMatcher()
    consumer, dead_letters = dead_letters_of(db)
    period = fresh_period()
    first, second = need_event(period), need_event(period)
    batch = [
        first.model_dump_json().encode(),
        b'{"need_id": "kapot"}',
        second.model_dump_json().encode(),
    ]
    async with TestKafkaBroker(broker_with(matcher, dead_letters)) as broker:
        await broker.publish_batch(*batch, topic=topics.NEEDS_REGISTERED)

    assert matcher.batches == [[first, second]]
    async with db() as session:
        (claimed,) = await session.scalars(
            select(ProcessedEvent.event_id).where(ProcessedEvent.consumer == consumer)
        )
    (sent,) = await outgoing(db, topics.INTERNAL_DLQ, claimed)
    letter = DeadLetter.model_validate(sent)
    assert claimed.startswith(f"{topics.NEEDS_REGISTERED}:{letter.partition}:{letter.offset}")
    assert letter.reason.startswith("not a valid NeedRegistered: ")
    assert base64.b64decode(letter.raw_value_base64) == b'{"need_id": "kapot"}'


async def test_the_real_service_suggests_an_offer_for_a_need_it_fits(
    db: async_sessionmaker[AsyncSession],
) -> None:
    period = fresh_period()
    need, offer = need_event(period), offer_event(period, "3600", "auto", "EV-werkplaats")
    service = MatcherService(db, MatcherSettings())
    async with TestKafkaBroker(broker_with(service, dead_letters_of(db)[1])) as broker:
        await broker.publish(offer.model_dump_json().encode(), topics.OFFERS_REGISTERED)
        await broker.publish(need.model_dump_json().encode(), topics.NEEDS_REGISTERED)

    async with db() as session:
        rows = await session.execute(
            select(MatchSuggestion.offer_id, MatchSuggestion.status).where(
                MatchSuggestion.need_id == need.need_id
            )
        )
        assert rows.all() == [(offer.offer_id, "suggested")]
