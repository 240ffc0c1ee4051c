"""The services' pooled connections without a ping on every checkout: a connection the server
closed while it sat idle in the pool is replaced before anyone uses it, and one it closed while
in steady use fails one transaction only; the retry (a consumer's redelivery, the relay's next
round) gets a fresh connection. The API's, pinged on every checkout, replaces one closed in
steady use before anyone uses it."""

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from shared import db
from shared.db import make_engine
from tests.stack import Stack

_PID = text("SELECT pg_backend_pid()")


@pytest.fixture
async def engine(stack: Stack) -> AsyncIterator[AsyncEngine]:
    """An engine as the services make it, with one pooled connection."""
    engine = make_engine(stack.database_url, ping_every_checkout=False)
    yield engine
    await engine.dispose()


async def _pid(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(_PID)).scalar_one())


async def _terminate(stack: Stack, pid: int) -> None:
    other = make_engine(stack.database_url)
    try:
        async with other.connect() as connection:
            await connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        await other.dispose()


async def test_a_connection_closed_while_idle_in_the_pool_is_replaced_unnoticed(
    stack: Stack, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await _pid(engine)
    await _terminate(stack, first)
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)  # it has been idle long enough

    assert await _pid(engine) != first


async def test_a_connection_closed_in_steady_use_fails_once_then_is_replaced(
    stack: Stack, engine: AsyncEngine
) -> None:
    first = await _pid(engine)
    await _terminate(stack, first)

    with pytest.raises(DBAPIError):  # no ping: the transaction finds out
        await _pid(engine)
    assert await _pid(engine) != first


async def test_the_apis_engine_replaces_a_connection_closed_in_steady_use_unnoticed(
    stack: Stack,
) -> None:
    engine = make_engine(stack.database_url)  # the API's: a ping on every checkout
    try:
        first = await _pid(engine)
        await _terminate(stack, first)

        assert await _pid(engine) != first
    finally:
        await engine.dispose()
