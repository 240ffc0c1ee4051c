"""Learning fixtures: sessions on the test database, a model trained on a simulated region, and
no ranking model left behind for the tests of other services."""

from collections.abc import AsyncIterator

import pytest
from sklearn.pipeline import Pipeline
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.matcher.learning.tables import RankingModel
from services.matcher.learning.training import train
from shared.db import make_engine, make_sessionmaker
from tests.learning.coordinator import Coordinator
from tests.learning.simulation import SETTINGS, decisions, region
from tests.stack import Stack

Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture(scope="module")
async def sessions(stack: Stack) -> AsyncIterator[Sessions]:
    """Sessions on the test database; every ranking model is removed afterwards, so a matcher
    started by a later test ranks by the weights."""
    engine = make_engine(stack.database_url)
    made = make_sessionmaker(engine)
    yield made
    async with made.begin() as session:
        await session.execute(delete(RankingModel))
    await engine.dispose()


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    """A model the simulated coordinator's decisions make worth publishing."""
    area = region(seed=5, weeks=4, needs_per_week=80, offers=1500)
    trained = train(decisions(area, range(4), Coordinator(5), 5), SETTINGS.weights, 100, 0.2)
    assert trained.pipeline is not None
    return trained.pipeline
