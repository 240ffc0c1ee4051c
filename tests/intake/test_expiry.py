"""Postings whose period has ended expire, and the matcher hears of it through the outbox.

The test reads its own posting only: the outbox table is shared with every service's relay (a
notifier started by an earlier test keeps draining it), and the expiry round closes every ended
posting in the database, not just this test's. So the events are read back from Kafka, where they
arrive whichever relay sends them, and the row says how often the posting was closed.
"""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.intake.inbound import Record
from services.intake.service import IntakeService
from services.intake.tables import OfferRow
from shared import topics
from shared.kafka import make_broker
from shared.outbox import OutboxRelay
from shared.settings import Settings
from tests.builders import in_days, offer_event
from tests.kafka_io import Received, TopicTail, as_json
from tests.stack import Stack


@asynccontextmanager
async def relaying(db: async_sessionmaker[AsyncSession], stack: Stack) -> AsyncIterator[None]:
    """An outbox relay of our own, so the events go out even when no service runs."""
    broker = make_broker(Settings(kafka_bootstrap_servers=stack.kafka_bootstrap))
    relay = OutboxRelay(db, broker, poll_seconds=0.1)
    await relay.start()
    try:
        yield
    finally:
        await relay.stop()
        await broker.stop()


async def end_period(db: async_sessionmaker[AsyncSession], offer_id: str, end: date) -> None:
    """Move a stored offer's period end (intake refuses to register an ended period)."""
    async with db() as session, session.begin():
        await session.execute(
            update(OfferRow).where(OfferRow.offer_id == offer_id).values(period_end=end)
        )


async def test_an_offer_past_its_period_expires_once_with_a_registered_event(
    db: async_sessionmaker[AsyncSession], stack: Stack
) -> None:
    intake = IntakeService(db, max_message_bytes=1_000_000)
    offer = offer_event(offer_id=f"expiry-{uuid.uuid4().hex[:8]}")
    record = Record(topics.OFFERS_SUBMITTED, 0, 0, offer["offer_id"], as_json(offer))

    def ours(received: list[Received]) -> list[tuple[int, str]]:
        return [
            (m.value["version"], m.value["status"]) for m in received if m.key == offer["offer_id"]
        ]

    async with TopicTail(topics.OFFERS_REGISTERED) as tail, relaying(db, stack):
        await intake.handle([record])
        await end_period(db, offer["offer_id"], in_days(-1))
        assert await intake.expire() >= 1  # ours, and any other ended posting in the database
        await intake.expire()  # a second round must leave ours alone
        received = await tail.collect(lambda r: (2, "expired") in ours(r))

    async with db() as session:
        row = await session.get(OfferRow, offer["offer_id"])
    assert row is not None and (row.status, row.version) == ("expired", 2)
    assert ours(received) == [(1, "open"), (2, "expired")]
