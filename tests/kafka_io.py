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


async def produce(
    topic: str,
    events: Sequence[tuple[str | None, bytes]],
    bootstrap: str = KAFKA_BOOTSTRAP,
    partitions: Sequence[int] | None = None,
) -> None:
    """Send ``(key, value)`` pairs to ``topic`` as an external producer would (each on its
    key's partition, or on the one ``partitions`` names for it)."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        enable_idempotence=True,
        max_request_size=8 * 1024 * 1024,
    )
    await producer.start()
    try:
        chosen = partitions if partitions is not None else [None] * len(events)
        sends = [
            await producer.send(
                topic, key=key.encode() if key else None, value=value, partition=partition
            )
            for (key, value), partition in zip(events, chosen, strict=True)
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
    partition: int = 0
    timestamp_ms: int = 0  # the record's, as its producer set it (epoch milliseconds)


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
                                r.partition,
                                r.timestamp,
                            )
                            for r in records
                        )
        except TimeoutError:
            arrived = Counter(message.topic for message in self.received)
            raise AssertionError(f"gave up waiting; received {dict(arrived)}") from None
        return self.received


def _partitions(topic_names: Collection[str]) -> list[TopicPartition]:
    return [
        TopicPartition(spec.name, partition)
        for spec in TOPICS
        if spec.name in topic_names
        for partition in range(spec.partitions)
    ]


async def caught_up(
    group_id: str,
    topic_names: Collection[str],
    seconds: float = 600,
    bootstrap: str = KAFKA_BOOTSTRAP,
) -> None:
    """Wait until ``group_id`` has committed every event already on ``topic_names``; say how far
    it got per topic if it does not in time.

    Earlier tests of the session put thousands of events there; once a service has worked through
    them, each test waits for its own events only.
    """
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await reader.start()
    await admin.start()
    try:
        ends = await reader.end_offsets(_partitions(topic_names))
        behind: Counter[str] = Counter()
        try:
            async with asyncio.timeout(seconds):
                while True:
                    committed = await admin.list_consumer_group_offsets(group_id)
                    behind = Counter()
                    for tp, end in ends.items():
                        done = committed[tp].offset if tp in committed else 0
                        behind[tp.topic] += max(0, end - max(done, 0))
                    if not +behind:
                        return
                    await asyncio.sleep(0.2)
        except TimeoutError:
            raise AssertionError(
                f"consumer group {group_id!r} still behind after {seconds:.0f} s "
                f"(events not committed per topic): {dict(+behind)}"
            ) from None
    finally:
        await admin.close()
        await reader.stop()


async def history(topic_names: Collection[str], bootstrap: str = KAFKA_BOOTSTRAP) -> list[Received]:
    """Every record on ``topic_names`` now, from the first (no consumer group)."""
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await reader.start()
    try:
        partitions = _partitions(topic_names)
        reader.assign(partitions)
        await reader.seek_to_beginning(*partitions)
        ends = await reader.end_offsets(partitions)
        records: list[Received] = []
        while [tp for tp, end in ends.items() if await reader.position(tp) < end]:
            batches = await reader.getmany(timeout_ms=500, max_records=5000)
            records += [
                Received(
                    r.topic,
                    r.key.decode() if r.key else None,
                    json.loads(r.value),
                    tuple(r.headers),
                    r.partition,
                )
                for batch in batches.values()
                for r in batch
            ]
        return records
    finally:
        await reader.stop()
