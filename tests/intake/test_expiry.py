"""Postings whose period has ended expire, and the matcher hears of it through the outbox."""

import json
import uuid
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.intake.inbound import Record
from services.intake.service import IntakeService
from services.intake.tables import OfferRow
from shared import topics
from shared.outbox import OutboxEvent
from tests.builders import offer_event
from tests.kafka_io import as_json


async def test_an_offer_past_its_period_expires_once_with_a_registered_event(
    db: async_sessionmaker[AsyncSession],
) -> None:
    intake = IntakeService(db, max_message_bytes=1_000_000)
    offer = offer_event(offer_id=f"expiry-{uuid.uuid4().hex[:8]}")
    record = Record(topics.OFFERS_SUBMITTED, 0, 0, offer["offer_id"], as_json(offer))
    await intake.handle([record])
    async with db() as session, session.begin():
        await session.execute(
            update(OfferRow)
            .where(OfferRow.offer_id == offer["offer_id"])
            .values(period_end=date(2020, 6, 30))
        )

    assert await intake.expire() >= 1
    assert await intake.expire() == 0

    async with db() as session:
        row = await session.get(OfferRow, offer["offer_id"])
        queued = (
            await session.scalars(
                select(OutboxEvent.payload).where(OutboxEvent.key == offer["offer_id"])
            )
        ).all()
    assert row is not None and (row.status, row.version) == ("expired", 2)
    assert [json.loads(p)["status"] for p in queued] == ["open", "expired"]
