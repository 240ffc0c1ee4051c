"""API fixtures: the ASGI app with its lifespan against the real test stack, clients, intake."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api.settings import ApiSettings
from services.intake.app import build_runtime
from shared.db import make_engine, make_sessionmaker
from shared.settings import Settings
from tests.api.builders import Accounts, running_app
from tests.stack import Stack


@pytest.fixture(scope="module")
async def app(stack: Stack) -> AsyncIterator[FastAPI]:
    """The API with its lifespan running (engine, outbox relay)."""
    async with running_app(ApiSettings()) as application:
        yield application


@pytest.fixture(scope="module")
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the app in-process."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://schakel.test") as http:
        yield http


@pytest.fixture(scope="module")
async def db(stack: Stack) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on the test database, for arranging and asserting."""
    engine = make_engine(stack.database_url)
    yield make_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture(scope="module")
def accounts(db: async_sessionmaker[AsyncSession]) -> Accounts:
    """Creates users (with tokens) of every role."""
    return Accounts(db)


@pytest.fixture(scope="module")
async def intake(stack: Stack) -> AsyncIterator[None]:
    """The intake service consuming from the real broker, so postings get registered."""
    async with build_runtime(Settings()).running():
        yield
