"""Submissions and withdrawals on their two topics through the real broker: the one produced
last wins, whatever order intake receives them in (issue #9 item 4)."""

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from typing import Any

from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.intake.tables import NeedRow, OfferRow, TombstoneRow
from shared import topics
from tests.builders import need_event, offer_event
from tests.kafka_io import as_json
from tests.stack import KAFKA_BOOTSTRAP

PAIRS = 1000
Send = tuple[str, str, dict[str, Any], int | None]  # topic, key, event, record time (ms)


async def produce_in_order(sends: Sequence[Send]) -> None:
    """Send each event in turn on its own topic, as one producer does, at the given record time."""
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA_BOOTSTRAP, acks="all")
    await producer.start()
    try:
        futures = [
            await producer.send(topic, key=key.encode(), value=as_json(event), timestamp_ms=at)
            for topic, key, event, at in sends
        ]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def statuses(db: async_sessionmaker[AsyncSession], run: str) -> Counter[str]:
    async with db() as session:
        needs = await session.scalars(
            select(NeedRow.status).where(NeedRow.need_id.like(f"{run}-%"))
        )
        offers = await session.scalars(
            select(OfferRow.status).where(OfferRow.offer_id.like(f"{run}-%"))
        )
        return Counter([*needs, *offers])


async def wait_for(
    db: async_sessionmaker[AsyncSession], run: str, expected: dict[str, int]
) -> None:
    async with asyncio.timeout(120):
        while await statuses(db, run) != expected:  # noqa: ASYNC110 - polls another task's work
            await asyncio.sleep(0.2)


async def wait_for_tombstones(db: async_sessionmaker[AsyncSession], run: str, count: int) -> None:
    waiting = select(func.count()).where(TombstoneRow.posting_id.like(f"{run}-%"))
    async with asyncio.timeout(60):
        while True:
            async with db() as session:
                if await session.scalar(waiting) == count:
                    return
            await asyncio.sleep(0.1)


def withdrawal(id_field: str, posting_id: str) -> dict[str, Any]:
    return {"event_id": str(uuid.uuid4()), id_field: posting_id}


async def test_a_thousand_submit_then_withdraw_pairs_back_to_back_leave_nothing_open(
    intake: None, db: async_sessionmaker[AsyncSession]
) -> None:
    run = f"pairs-{uuid.uuid4().hex[:8]}"
    sends: list[Send] = []
    for i in range(PAIRS):
        if i % 2:
            offer = offer_event(offer_id=f"{run}-o{i:04d}")
            sends.append((topics.OFFERS_SUBMITTED, offer["offer_id"], offer, None))
            sends.append(
                (
                    topics.OFFERS_WITHDRAWN,
                    offer["offer_id"],
                    withdrawal("offer_id", offer["offer_id"]),
                    None,
                )
            )
        else:
            need = need_event(need_id=f"{run}-n{i:04d}")
            sends.append((topics.NEEDS_SUBMITTED, need["need_id"], need, None))
            sends.append(
                (
                    topics.NEEDS_WITHDRAWN,
                    need["need_id"],
                    withdrawal("need_id", need["need_id"]),
                    None,
                )
            )
    await produce_in_order(sends)
    await wait_for(db, run, {"withdrawn": PAIRS})


async def test_record_times_decide_when_the_withdrawal_is_delivered_first(
    intake: None, db: async_sessionmaker[AsyncSession]
) -> None:
    run = f"late-{uuid.uuid4().hex[:8]}"
    now = int(time.time() * 1000)
    withdrawn_later = offer_event(offer_id=f"{run}-withdrawn")
    withdrawn_earlier = offer_event(offer_id=f"{run}-open")
    # The withdrawals reach the broker first; their record times say which came after the offer.
    await produce_in_order(
        [
            (
                topics.OFFERS_WITHDRAWN,
                f"{run}-withdrawn",
                withdrawal("offer_id", f"{run}-withdrawn"),
                now,
            ),
            (
                topics.OFFERS_WITHDRAWN,
                f"{run}-open",
                withdrawal("offer_id", f"{run}-open"),
                now - 1000,
            ),
        ]
    )
    await wait_for_tombstones(db, run, 2)
    await produce_in_order(
        [
            (topics.OFFERS_SUBMITTED, f"{run}-withdrawn", withdrawn_later, now - 500),
            (topics.OFFERS_SUBMITTED, f"{run}-open", withdrawn_earlier, now - 500),
        ]
    )
    await wait_for(db, run, {"withdrawn": 1, "open": 1})
    async with db() as session:
        offer = await session.get(OfferRow, f"{run}-open")
    assert offer is not None and offer.status == "open"
