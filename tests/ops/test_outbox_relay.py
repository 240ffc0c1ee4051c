"""The outbox relay publishes through the service's FastStream broker on the real Kafka: its sends
are counted by FastStream's Prometheus middleware on /metrics, arrive as the stored JSON bytes with
their key, and a row leaves the outbox only once every send of its batch has succeeded.

The test's rows are added inside one transaction that is committed at the end, so the other relays
of the test session (the outbox table is shared) cannot send them: only the relay under test can.
"""

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from aiokafka.errors import MessageSizeTooLargeError
from faststream.kafka import KafkaBroker
from prometheus_client.parser import text_string_to_metric_families
from pydantic import BaseModel
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared import topics
from shared.db import make_engine
from shared.health import ops_app
from shared.kafka import BROKER_MAX_MESSAGE_BYTES, make_broker
from shared.outbox import OutboxEvent, OutboxRelay, add_many_to_outbox, add_to_outbox
from shared.settings import Settings
from tests.kafka_io import TopicTail
from tests.stack import Stack

TOPIC = topics.POSTINGS_DLQ  # no service consumes it: a probe event disturbs nobody


class Probe(BaseModel):
    """A small event of the test's own."""

    event_id: str
    note: str


@pytest.fixture
async def hidden(stack: Stack) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions nested (savepoints) in one open transaction, committed when the test ends."""
    engine = make_engine(stack.database_url)
    async with engine.connect() as connection:
        await connection.begin()
        yield async_sessionmaker(
            connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        await connection.commit()
    await engine.dispose()


@pytest.fixture
async def broker(stack: Stack) -> AsyncIterator[KafkaBroker]:
    """A service's broker (the one builder), connected."""
    broker = make_broker(Settings(kafka_bootstrap_servers=stack.kafka_bootstrap))
    await broker.connect()
    yield broker
    await broker.stop()


async def exposed(name: str, **labels: str) -> float:
    """A sample as a service's /metrics serves it (0 when absent)."""
    transport = httpx.ASGITransport(app=ops_app({}))
    async with httpx.AsyncClient(transport=transport, base_url="http://ops") as client:
        text = (await client.get("/metrics")).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name and labels.items() <= sample.labels.items()
    )


async def pending(sessions: async_sessionmaker[AsyncSession], ids: list[int]) -> set[int]:
    """Which of the rows ``ids`` are still in the outbox."""
    async with sessions() as session:
        return set(await session.scalars(select(OutboxEvent.id).where(OutboxEvent.id.in_(ids))))


async def test_a_relayed_event_is_counted_and_its_row_goes_only_once_every_send_succeeded(
    hidden: async_sessionmaker[AsyncSession], broker: KafkaBroker
) -> None:
    relay = OutboxRelay(hidden, broker)
    while await relay.relay_once():  # what earlier tests left, so the batches below are ours
        pass
    key = f"relay-{uuid.uuid4().hex[:8]}"
    event = Probe(event_id=str(uuid.uuid4()), note="through the broker")
    async with hidden() as session, session.begin():
        add_to_outbox(session, TOPIC, key, event)
        too_large = OutboxEvent(topic=TOPIC, key=key, payload=b"0" * (BROKER_MAX_MESSAGE_BYTES + 1))
        session.add(too_large)
    async with hidden() as session:
        ids = list(await session.scalars(select(OutboxEvent.id).where(OutboxEvent.key == key)))
    published = {"app_name": "schakel", "broker": "kafka", "destination": TOPIC}
    succeeded = await exposed("faststream_published_messages_total", **published, status="success")
    refused = await exposed(
        "faststream_published_messages_exceptions_total",
        **published,
        exception_type="MessageSizeTooLargeError",
    )

    with pytest.raises(MessageSizeTooLargeError):  # the producer refuses the second send
        await relay.relay_once()
    assert await pending(hidden, ids) == set(ids), "a failed batch leaves all its rows"
    assert (
        await exposed(
            "faststream_published_messages_exceptions_total",
            **published,
            exception_type="MessageSizeTooLargeError",
        )
        == refused + 1
    )

    async with hidden() as session, session.begin():
        await session.execute(delete(OutboxEvent).where(OutboxEvent.id == too_large.id))
    async with TopicTail(TOPIC) as tail:
        assert await relay.relay_once() == 1
        received = await tail.collect(lambda r: any(m.key == key for m in r))
    assert await pending(hidden, ids) == set()
    ours = next(m for m in received if m.key == key)
    assert ours.value == json.loads(event.model_dump_json())
    assert ("content-type", b"application/json") in ours.headers
    # once in each round: the refused batch's first send was handed over too (at-least-once)
    after = await exposed("faststream_published_messages_total", **published, status="success")
    assert after >= succeeded + 2


async def test_a_commit_that_queued_events_wakes_the_relay_before_its_next_poll(
    hidden: async_sessionmaker[AsyncSession], broker: KafkaBroker
) -> None:
    # The hidden sessions share one connection: the relay's rounds and the test's take turns.
    turn = asyncio.Lock()

    @contextlib.asynccontextmanager
    async def in_turn() -> AsyncIterator[AsyncSession]:
        async with turn, hidden() as session:
            yield session

    relay = OutboxRelay(in_turn, broker, poll_seconds=3600)  # type: ignore[arg-type]
    while await relay.relay_once():
        pass
    key = f"wake-{uuid.uuid4().hex[:8]}"
    await relay.start()
    await asyncio.sleep(0)  # its first round takes the turn, finds nothing, then waits an hour
    try:
        async with TopicTail(TOPIC) as tail:
            async with in_turn() as session, session.begin():
                await add_many_to_outbox(
                    session, [(TOPIC, key, Probe(event_id=str(uuid.uuid4()), note="woken"))]
                )
            received = await tail.collect(lambda r: any(m.key == key for m in r))
    finally:
        async with turn:  # the round that sent it may still be deleting its row: let it end
            await relay.stop()
    assert [m.value["note"] for m in received if m.key == key] == ["woken"]
