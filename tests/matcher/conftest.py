"""Matcher fixtures: the service running in-process against the real test stack."""

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.matcher.app import build_runtime
from services.matcher.handlers import INBOUND
from services.matcher.service import CONSUMER
from services.matcher.settings import MatcherSettings
from shared.db import make_engine, make_sessionmaker
from shared.settings import Settings
from tests.kafka_io import caught_up
from tests.stack import Stack


@pytest.fixture(scope="module")
async def matcher(stack: Stack) -> AsyncIterator[None]:
    """The matcher consuming from the real broker for the tests of one module."""
    async with build_runtime(Settings(), MatcherSettings()).running():
        await caught_up(CONSUMER, INBOUND)
        yield


@pytest.fixture(scope="module")
async def db(stack: Stack) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on the test database, for assertions."""
    engine = make_engine(stack.database_url)
    yield make_sessionmaker(engine)
    await engine.dispose()
