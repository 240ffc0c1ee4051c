"""Test helpers for records the database refuses: a real CHECK constraint one value violates,
and what a consumer finally sent about a record."""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.outbox import OutboxEvent
from tests.kafka_io import Received, history


@asynccontextmanager
async def refusing(
    sessions: async_sessionmaker[AsyncSession], table: str, column: str, value: str
) -> AsyncIterator[str]:
    """While open, ``table`` has a CHECK constraint that a row whose ``column`` is ``value``
    violates (SQLSTATE 23514), and nothing else does; yields the constraint's name."""
    assert value.replace("-", "").isalnum()  # a test-made id, quoted into the DDL below
    name = f"ck_refuses_{uuid.uuid4().hex[:12]}"
    async with sessions.begin() as session:
        await session.execute(
            text(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({column} <> '{value}')")
        )
    try:
        yield name
    finally:
        async with sessions.begin() as session:
            await session.execute(text(f"ALTER TABLE {table} DROP CONSTRAINT {name}"))


async def sent(sessions: async_sessionmaker[AsyncSession], topic: str, key: str) -> list[Received]:
    """Every record on ``topic`` under ``key``, once the outbox holds none still to send."""
    pending = select(func.count()).where(OutboxEvent.topic == topic, OutboxEvent.key == key)
    async with asyncio.timeout(30):
        while True:
            async with sessions() as session:
                if not await session.scalar(pending):
                    break
            await asyncio.sleep(0.1)
    return [record for record in await history([topic]) if record.key == key]


async def outgoing(
    sessions: async_sessionmaker[AsyncSession], topic: str, key: str
) -> list[dict[str, Any]]:
    """What was sent on ``topic`` under ``key``: the outbox's rows while they wait, else the
    topic's records. A relay running beside the test (any service's) deletes a row only as Kafka
    acknowledged it, so every record is in one of the two places whenever this looks."""
    waiting = (
        select(OutboxEvent.payload)
        .where(OutboxEvent.topic == topic, OutboxEvent.key == key)
        .order_by(OutboxEvent.id)
    )
    async with sessions() as session:
        payloads = list(await session.scalars(waiting))
    if payloads:
        return [json.loads(payload) for payload in payloads]
    return [record.value for record in await history([topic]) if record.key == key]


async def until(condition: Callable[[], Awaitable[bool]], seconds: float = 60) -> None:
    """Poll ``condition`` until it holds; fail after ``seconds`` (the database has no feed)."""
    async with asyncio.timeout(seconds):
        while not await condition():  # noqa: ASYNC110
            await asyncio.sleep(0.1)
