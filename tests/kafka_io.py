"""Test helpers that talk to the real test broker: produce raw events, tail topics."""

import asyncio
import json
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from shared.topics import TOPICS
from tests.stack import KAFKA_BOOTSTRAP


async def produce(topic: str, events: Sequence[tuple[str | None, bytes]]) -> None:
    """Send ``(key, value)`` pairs to ``topic`` as an external producer would."""
    producer = AIOKafkaProducer(
        bootstrap_servers=KAFKA_BOOTSTRAP,
        acks="all",
        enable_idempotence=True,
        max_request_size=8 * 1024 * 1024,
    )
    await producer.start()
    try:
        sends = [
            await producer.send(topic, key=key.encode() if key else None, value=value)
            for key, value in events
        ]
        await asyncio.gather(*sends)
    finally:
        await producer.stop()


def as_json(document: dict[str, Any]) -> bytes:
    """An event body as JSON bytes."""
    return json.dumps(document).encode()


@dataclass(frozen=True, slots=True)
class Received:
    """One record read back from a topic."""

    topic: str
    key: str | None
    value: dict[str, Any]
    headers: tuple[tuple[str, bytes], ...] = ()


class TopicTail:
    """Reads what arrives on topics after ``start`` (no consumer group, nothing committed)."""

    def __init__(self, *topics: str) -> None:
        self._topics = topics
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=KAFKA_BOOTSTRAP, enable_auto_commit=False
        )
        self.received: list[Received] = []

    async def __aenter__(self) -> "TopicTail":
        await self._consumer.start()
        counts = {spec.name: spec.partitions for spec in TOPICS}
        partitions = [
            TopicPartition(topic, partition)
            for topic in self._topics
            for partition in range(counts[topic])
        ]
        self._consumer.assign(partitions)
        await self._consumer.seek_to_end(*partitions)
        for partition in partitions:  # resolve the end positions now, before anything is produced
            await self._consumer.position(partition)
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._consumer.stop()

    async def collect(
        self, done: Callable[[list[Received]], bool], seconds: float = 60
    ) -> list[Received]:
        """Read until ``done(received)`` holds; fail with what arrived if it does not in time."""
        try:
            async with asyncio.timeout(seconds):
                while not done(self.received):
                    batches = await self._consumer.getmany(timeout_ms=500, max_records=5000)
                    for records in batches.values():
                        self.received.extend(
                            Received(
                                r.topic,
                                r.key.decode() if r.key else None,
                                json.loads(r.value),
                                tuple(r.headers),
                            )
                            for r in records
                        )
        except TimeoutError:
            arrived = Counter(message.topic for message in self.received)
            raise AssertionError(f"gave up waiting; received {dict(arrived)}") from None
        return self.received


async def caught_up(group_id: str, topic_names: Collection[str], seconds: float = 600) -> None:
    """Wait until ``group_id`` has committed every event already on ``topic_names``.

    Earlier tests of the session put thousands of events there; once a service has worked through
    them, each test waits for its own events only.
    """
    reader = AIOKafkaConsumer(bootstrap_servers=KAFKA_BOOTSTRAP)
    admin = AIOKafkaAdminClient(bootstrap_servers=KAFKA_BOOTSTRAP)
    await reader.start()
    await admin.start()
    try:
        partitions = [
            TopicPartition(spec.name, partition)
            for spec in TOPICS
            if spec.name in topic_names
            for partition in range(spec.partitions)
        ]
        ends = await reader.end_offsets(partitions)
        async with asyncio.timeout(seconds):
            while True:
                committed = await admin.list_consumer_group_offsets(group_id)
                if all(
                    end == 0 or (tp in committed and committed[tp].offset >= end)
                    for tp, end in ends.items()
                ):
                    return
                await asyncio.sleep(0.2)
    finally:
        await admin.close()
        await reader.stop()
