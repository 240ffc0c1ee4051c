"""A figure that may lag (the dashboard's) answers the one computed last while it is fresh
enough and computes the next in the background; an older one, or a figure that may not lag,
makes its askers wait for the new one.

The queue version is the test's own here (``changes.queue_version`` replaced): the figures are
remembered per version, and a real region's version may move at any time under other writers."""

import asyncio
import uuid

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from services.review import changes, remembered
from services.review.actors import Actor

REGION = "Limburg"
# The figures read nothing: their sessions' engine never connects.
UNUSED = create_async_engine("postgresql+asyncpg://unused@localhost/unused")


class Figures:
    """A figure counting its computations; the second says it ``started`` and waits until
    ``release`` is set."""

    def __init__(self) -> None:
        self.computed = 0
        self.started, self.release = asyncio.Event(), asyncio.Event()
        self.name = f"figure {uuid.uuid4()}"

    async def compute(self, _session: AsyncSession, _region: str | None) -> int:
        self.computed += 1
        number = self.computed
        if number == 2:
            self.started.set()
            await self.release.wait()
        return number

    async def asked(self, lagging: bool) -> int:
        """The figure, asked in a session (a transaction) of its own."""
        async with AsyncSession(UNUSED) as session:
            return await remembered.remembered(session, self.name, REGION, self.compute, lagging)


class Versions:
    """The queue versions the figures go by: one per test, moved when the test says so."""

    def __init__(self) -> None:
        self.version = uuid.uuid4().hex

    def move(self) -> None:
        self.version = uuid.uuid4().hex

    async def read(self, _session: AsyncSession, viewer: Actor) -> str:
        assert viewer.rtc_region == REGION
        return self.version


@pytest.fixture
def versions(monkeypatch: pytest.MonkeyPatch) -> Versions:
    own = Versions()
    monkeypatch.setattr(changes, "queue_version", own.read)
    return own


async def _computed_once_then_moved(figures: Figures, versions: Versions, lagging: bool) -> None:
    assert await figures.asked(lagging) == 1
    assert await figures.asked(lagging) == 1  # remembered while the version holds
    versions.move()


async def test_a_fresh_lagging_figure_is_answered_while_the_next_is_computed_in_the_background(
    versions: Versions,
) -> None:
    figures = Figures()
    await _computed_once_then_moved(figures, versions, lagging=True)
    assert await asyncio.wait_for(figures.asked(lagging=True), 30) == 1  # not waiting for it
    await asyncio.wait_for(figures.started.wait(), 30)  # computed meanwhile
    assert await asyncio.wait_for(figures.asked(lagging=True), 30) == 1  # not a second time
    figures.release.set()
    for _ in range(300):
        if await figures.asked(lagging=True) == 2:
            break
        await asyncio.sleep(0.1)
    assert await figures.asked(lagging=True) == 2  # once computed, the new one, kept
    assert figures.computed == 2


async def test_an_older_lagging_figure_is_not_answered(
    versions: Versions, monkeypatch: pytest.MonkeyPatch
) -> None:
    figures = Figures()
    await _computed_once_then_moved(figures, versions, lagging=True)
    monkeypatch.setattr(remembered, "FRESH_ENOUGH_S", 0.0)
    assert await _waits_for_the_new_one(figures, lagging=True) == 2


async def test_any_other_figure_waits_for_the_new_one(versions: Versions) -> None:
    figures = Figures()
    await _computed_once_then_moved(figures, versions, lagging=False)
    assert await _waits_for_the_new_one(figures, lagging=False) == 2


async def _waits_for_the_new_one(figures: Figures, lagging: bool) -> int:
    """What a second asker gets while the first computes the figure after a change."""
    first = asyncio.create_task(figures.asked(lagging))
    await asyncio.wait_for(figures.started.wait(), 30)
    second = asyncio.create_task(figures.asked(lagging))
    await asyncio.sleep(0.2)
    assert not first.done() and not second.done()  # both wait for the computation
    figures.release.set()
    assert await first == 2
    got = await second
    assert await figures.asked(lagging) == 2
    assert figures.computed == 2
    return got
