"""A figure that may lag (the dashboard's) answers the one computed last after a change while it
is a few seconds old, or while the next is computed; a figure that may not makes its askers wait
for the new one.

The queue version is the test's own here (``changes.queue_version`` replaced): the figures are
remembered per version, and a real region's version may move at any time under other writers."""

import asyncio
import uuid

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from services.review import changes, remembered
from services.review.actors import Actor

REGION = "Limburg"


class Figures:
    """A figure counting its computations; the second says it ``started`` and waits until
    ``release`` is set."""

    def __init__(self) -> None:
        self.computed = 0
        self.started, self.release = asyncio.Event(), asyncio.Event()

    async def compute(self, _session: AsyncSession, _region: str | None) -> int:
        self.computed += 1
        number = self.computed
        if number == 2:
            self.started.set()
            await self.release.wait()
        return number


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


async def _asked(name: str, figures: Figures, lagging: bool) -> int:
    """The figure, asked in a session (a transaction) of its own."""
    async with AsyncSession() as session:
        return await remembered.remembered(session, name, REGION, figures.compute, lagging)


async def _asked_while_computing(versions: Versions, lagging: bool) -> int:
    """What a second asker gets while the first computes the figure after a change (the first
    gets the new one, and so does everyone after it)."""
    figures, name = Figures(), f"figure {uuid.uuid4()}"
    assert await _asked(name, figures, lagging) == 1
    assert await _asked(name, figures, lagging) == 1  # remembered while the version holds
    versions.move()
    first = asyncio.create_task(_asked(name, figures, lagging))
    await figures.started.wait()
    second = asyncio.create_task(_asked(name, figures, lagging))
    if lagging:  # answered while the computation still waits (else this times out)
        await asyncio.wait_for(asyncio.shield(second), 30)
    else:
        await asyncio.sleep(0.2)
        assert not second.done()  # waits for the computation
    figures.release.set()
    got = await second
    assert await first == 2
    assert await _asked(name, figures, lagging) == 2  # once computed, the new one, kept
    assert figures.computed == 2
    return got


async def test_a_lagging_figure_computed_seconds_ago_is_answered_after_a_change(
    versions: Versions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(remembered, "FRESH_ENOUGH_S", 60.0)
    figures, name = Figures(), f"figure {uuid.uuid4()}"
    figures.release.set()  # nothing holds the second computation
    assert await _asked(name, figures, lagging=True) == 1
    versions.move()
    assert await _asked(name, figures, lagging=True) == 1
    assert await _asked(name, figures, lagging=False) == 2  # a figure that may not lag
    assert figures.computed == 2


async def test_an_older_lagging_figure_is_answered_only_while_the_next_is_computed(
    versions: Versions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(remembered, "FRESH_ENOUGH_S", 0.0)
    assert await _asked_while_computing(versions, lagging=True) == 1


async def test_any_other_figure_waits_for_the_one_being_computed(versions: Versions) -> None:
    assert await _asked_while_computing(versions, lagging=False) == 2
