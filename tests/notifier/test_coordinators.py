"""The coordinators of each region, read for a batch, and how long the cache keeps them."""

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.notifier.coordinators import CoordinatorCache
from shared.accounts import UserRow
from tests.notifier.conftest import add_coordinator


async def _ids(
    cache: CoordinatorCache, sessions: async_sessionmaker[AsyncSession], region: str
) -> set[int]:
    async with sessions() as session:
        return {c.id for c in (await cache.of_regions(session, [region]))[region]}


async def test_an_added_or_disabled_coordinator_counts_once_the_region_expired(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    now = [0.0]
    cache = CoordinatorCache(30, clock=lambda: now[0])
    first = await add_coordinator(sessions, "Limburg")
    assert first.id in await _ids(cache, sessions, "Limburg")

    second = await add_coordinator(sessions, "Limburg")
    async with sessions.begin() as session:
        await session.execute(update(UserRow).where(UserRow.id == first.id).values(disabled=True))
    now[0] = 29.9
    cached = await _ids(cache, sessions, "Limburg")
    assert first.id in cached and second.id not in cached

    now[0] = 30
    fresh = await _ids(cache, sessions, "Limburg")
    assert first.id not in fresh and second.id in fresh


async def test_a_region_without_coordinators_has_none(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    cache = CoordinatorCache(0)
    async with sessions() as session:
        found = await cache.of_regions(session, ["Nergensland"])
    assert found == {"Nergensland": []}
