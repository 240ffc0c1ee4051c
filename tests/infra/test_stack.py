"""The test stack is real: Kafka round trip through a consumer group, and PostgreSQL answers."""

from __future__ import annotations

import asyncio
import json
import uuid

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from tests.stack import Stack

TOPIC = "needs.submitted"


async def test_kafka_round_trip_through_consumer_group(stack: Stack) -> None:
    # Unique key; the value is a deliberately incomplete event, so a service consuming this topic
    # in another test rejects it instead of storing a posting.
    key = f"infra-test-{uuid.uuid4()}"
    value = {"event_id": str(uuid.uuid4()), "need_id": key}
    producer = AIOKafkaProducer(
        bootstrap_servers=stack.kafka_bootstrap, acks="all", enable_idempotence=True
    )
    await producer.start()
    try:
        sent = await producer.send_and_wait(
            TOPIC, key=key.encode(), value=json.dumps(value).encode()
        )
    finally:
        await producer.stop()

    consumer = AIOKafkaConsumer(
        TOPIC,
        bootstrap_servers=stack.kafka_bootstrap,
        group_id=f"infra-test-{uuid.uuid4()}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        received = None
        async with asyncio.timeout(30):
            while received is None:
                batches = await consumer.getmany(timeout_ms=1000)
                for records in batches.values():
                    for record in records:
                        if record.key == key.encode():
                            received = record
        await consumer.commit()
        tp = TopicPartition(TOPIC, sent.partition)
        committed = await consumer.committed(tp)
    finally:
        await consumer.stop()

    assert received.partition == sent.partition
    assert received.offset == sent.offset
    assert json.loads(received.value) == value
    assert committed is not None and committed > sent.offset


async def test_database_answers(stack: Stack) -> None:
    dsn = stack.database_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    conn = await asyncpg.connect(dsn)
    try:
        assert await conn.fetchval("select 1") == 1
    finally:
        await conn.close()
