"""The intake subscriber in memory, on FastStream's TestKafkaBroker: which records reach the
service, as what. Milliseconds per test; test_intake_kafka.py runs the same subscriber on the
real broker."""

import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import cast

import pytest
from faststream.kafka import KafkaBroker, TestKafkaBroker
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.intake.handlers import INBOUND_TOPICS, build_router
from services.intake.inbound import Record
from services.intake.service import CONSUMER, IntakeService
from services.intake.tables import NeedRow
from shared import topics
from shared.processed_events import ProcessedEvent
from tests.builders import need_event
from tests.kafka_io import as_json


class RecordingIntake:
    """Stands in for IntakeService: keeps every batch it is handed."""

    def __init__(self) -> None:
        self.batches: list[list[Record]] = []

    async def handle(self, records: Sequence[Record]) -> None:
        self.batches.append(list(records))

    async def refuse(self, record: Record, reason: str) -> None:
        raise AssertionError(f"no record of these tests is refused: {record}, {reason}")


def broker_with(intake: RecordingIntake | IntakeService) -> KafkaBroker:
    broker = KafkaBroker()
    broker.include_router(build_router(cast(IntakeService, intake), batch_size=100))
    return broker


async def test_a_record_reaches_the_service_as_its_raw_bytes_topic_and_key() -> None:
    intake = RecordingIntake()
    need = need_event()
    async with TestKafkaBroker(broker_with(intake)) as broker:
        await broker.publish(as_json(need), topics.NEEDS_SUBMITTED, key=need["need_id"].encode())
        await broker.publish(b"\xff{not json", topics.OFFERS_SUBMITTED)

    assert all(record.timestamp > 0 for batch in intake.batches for record in batch)
    assert [[replace(record, timestamp=0) for record in batch] for batch in intake.batches] == [
        [Record(topics.NEEDS_SUBMITTED, 0, 0, need["need_id"], as_json(need))],
        [Record(topics.OFFERS_SUBMITTED, 0, 0, None, b"\xff{not json")],
    ]


@pytest.mark.parametrize("topic", INBOUND_TOPICS)
async def test_a_batch_on_each_inbound_topic_arrives_whole_and_in_order(topic: str) -> None:
    intake = RecordingIntake()
    values = [b'{"event_id": "1"}', b"", b"[1, 2, 3]"]
    async with TestKafkaBroker(broker_with(intake)) as broker:
        await broker.publish_batch(*values, topic=topic, partition=2)

    [batch] = intake.batches
    assert [(r.topic, r.partition, r.value) for r in batch] == [(topic, 2, v) for v in values]


async def test_the_real_service_stores_a_submitted_need_once_however_often_it_arrives(
    db: async_sessionmaker[AsyncSession],
) -> None:
    need = need_event(need_id=f"fast-{uuid.uuid4().hex[:8]}")
    async with TestKafkaBroker(broker_with(IntakeService(db, 1_000_000))) as broker:
        for _ in range(2):
            await broker.publish(
                as_json(need), topics.NEEDS_SUBMITTED, key=need["need_id"].encode()
            )

    async with db() as session:
        row = await session.get(NeedRow, need["need_id"])
        claims = await session.scalars(
            select(ProcessedEvent.event_id).where(
                ProcessedEvent.consumer == CONSUMER, ProcessedEvent.event_id == need["event_id"]
            )
        )
        assert row is not None and (row.version, row.status) == (1, "open")
        assert claims.all() == [need["event_id"]]
