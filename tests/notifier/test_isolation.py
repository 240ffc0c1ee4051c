"""A registered need the database refuses cannot stall the notifier: on the real broker and
database it is dead-lettered once on internal.dlq with the reason, every other record of its
partition lands, and a replay of it changes nothing."""

import base64
import json

from aiokafka import AIOKafkaProducer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.notifier.handlers import GROUP_ID, INBOUND
from services.review.tables import ReviewNeed
from shared import topics
from shared.contracts import NeedRegistered
from shared.runtime import ServiceRuntime
from tests.kafka_io import caught_up
from tests.notifier import events
from tests.refusals import refusing, sent, until
from tests.stack import Stack


async def stored(sessions: async_sessionmaker[AsyncSession], need_ids: set[str]) -> set[str]:
    async with sessions() as session:
        rows = await session.scalars(
            select(ReviewNeed.need_id).where(ReviewNeed.need_id.in_(need_ids))
        )
        return set(rows)


async def publish_on_one_partition(bootstrap: str, needs: list[NeedRegistered]) -> None:
    """The needs on partition 0, in one go: the refused one among the records it used to stall."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for need in needs:
            await producer.send(
                topics.NEEDS_REGISTERED,
                key=need.need_id.encode(),
                value=need.model_dump_json().encode(),
                partition=0,
            )
        await producer.flush()
    finally:
        await producer.stop()


async def test_a_need_the_database_refuses_is_dead_lettered_once_and_the_rest_is_kept(
    notifier: ServiceRuntime, stack: Stack
) -> None:
    sessions = notifier.sessions
    needs = [events.need() for _ in range(7)]
    poison, later = needs[3], events.need()
    good = {need.need_id for need in [*needs, later] if need is not poison}

    async with refusing(sessions, "review_needs", "need_id", poison.need_id) as constraint:
        await publish_on_one_partition(stack.kafka_bootstrap, needs)
        await publish_on_one_partition(stack.kafka_bootstrap, [poison, later])  # replay, later

        async def all_stored() -> bool:
            return await stored(sessions, good) == good

        await until(all_stored)
        await caught_up(GROUP_ID, INBOUND)
        letters = await sent(sessions, topics.INTERNAL_DLQ, poison.need_id)

    assert await stored(sessions, {poison.need_id}) == set()
    assert len(letters) == 1
    letter = letters[0].value
    assert letter["source_topic"] == topics.NEEDS_REGISTERED
    assert letter["partition"] == 0
    assert letter["reason"].startswith("23514: ")
    assert constraint in letter["reason"]
    raw = json.loads(base64.b64decode(letter["raw_value_base64"]))
    assert raw["event_id"] == str(poison.event_id)
