"""A submission the database refuses cannot stall intake: on the real broker and database, it is
rejected once on postings.rejected with the reason, and every other record lands."""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.intake.handlers import INBOUND_TOPICS
from services.intake.service import CONSUMER
from services.intake.tables import NeedRow, RejectionRow
from shared import topics
from tests.builders import need_event
from tests.kafka_io import Received, TopicTail, as_json, caught_up, produce
from tests.refusals import refusing, sent


def registered(received: list[Received], need_ids: set[str]) -> set[str]:
    return {
        message.key or ""
        for message in received
        if message.topic == topics.NEEDS_REGISTERED and message.key in need_ids
    }


async def stored_needs(sessions: async_sessionmaker[AsyncSession], need_ids: set[str]) -> set[str]:
    async with sessions() as session:
        return set(
            await session.scalars(select(NeedRow.need_id).where(NeedRow.need_id.in_(need_ids)))
        )


async def test_a_need_the_database_refuses_is_rejected_once_and_the_rest_of_its_partition_lands(
    intake: None, db: async_sessionmaker[AsyncSession]
) -> None:
    run = uuid.uuid4().hex[:8]
    poison = need_event(need_id=f"{run}-poison")
    before = [need_event(need_id=f"{run}-before-{n}") for n in range(3)]
    after = [need_event(need_id=f"{run}-after-{n}") for n in range(3)]
    batch = [*before, poison, *after]
    later = need_event(need_id=f"{run}-later")
    good = {need["need_id"] for need in [*before, *after, later]}

    async with refusing(db, "needs", "need_id", poison["need_id"]) as constraint:
        async with TopicTail(topics.NEEDS_REGISTERED) as tail:
            # one partition: the poison sits in the middle of the records it used to stall
            await produce(
                topics.NEEDS_SUBMITTED,
                [(need["need_id"], as_json(need)) for need in batch],
                partitions=[0] * len(batch),
            )
            await produce(
                topics.NEEDS_SUBMITTED,
                [(poison["need_id"], as_json(poison)), (later["need_id"], as_json(later))],
                partitions=[0, 0],
            )  # the same event again (a replay), then a later one
            await tail.collect(lambda received: registered(received, good) == good)
        await caught_up(CONSUMER, INBOUND_TOPICS)

        assert await stored_needs(db, good | {poison["need_id"]}) == good
        rejections = await sent(db, topics.POSTINGS_REJECTED, poison["need_id"])
        async with db() as session:
            rows = (
                await session.scalars(
                    select(RejectionRow).where(RejectionRow.posting_id == poison["need_id"])
                )
            ).all()

    assert len(rejections) == 1
    (error,) = rejections[0].value["errors"]
    assert error["field"] == "(event)"
    assert error["message"].startswith("the database refuses this event: 23514: ")
    assert constraint in error["message"]
    assert rejections[0].value["source_event_id"] == poison["event_id"]
    assert [row.errors for row in rows] == [rejections[0].value["errors"]]
