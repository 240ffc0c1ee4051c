"""A figure that may lag one computation behind (the dashboard's) answers the one computed last
while the next is computed; a figure that may not makes its askers wait for the new one."""

import asyncio
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.review.known_postings import store_need
from services.review.remembered import remembered
from tests.notifier import events
from tests.review.conftest import Sessions

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


async def _region_moves(sessions: Sessions) -> None:
    async with sessions.begin() as session:
        await store_need(session, events.need("3500"))  # Hasselt, Limburg


async def _asked_while_computing(sessions: Sessions, lagging: bool) -> int:
    """What a second asker gets while the first computes the figure after a change (the first
    gets the new one, and so does everyone after it)."""
    figures, name = Figures(), f"figure {uuid.uuid4()}"
    async with sessions() as session:
        assert await remembered(session, name, REGION, figures.compute, lagging) == 1
    await _region_moves(sessions)
    async with sessions() as first_session, sessions() as second_session:
        first = asyncio.create_task(
            remembered(first_session, name, REGION, figures.compute, lagging)
        )
        await figures.started.wait()
        second = asyncio.create_task(
            remembered(second_session, name, REGION, figures.compute, lagging)
        )
        if lagging:  # answered while the computation still waits (else this times out)
            got = await asyncio.wait_for(second, 30)
        else:
            await asyncio.sleep(0.2)
            assert not second.done()  # waits for the computation
        figures.release.set()
        got = await second
        assert await first == 2
    async with sessions() as session:  # once computed, the new figure, not computed again
        assert await remembered(session, name, REGION, figures.compute, lagging) == 2
    assert figures.computed == 2
    return got


async def test_a_lagging_figure_answers_the_last_one_at_once_while_the_next_is_computed(
    sessions: Sessions,
) -> None:
    assert await _asked_while_computing(sessions, lagging=True) == 1


async def test_any_other_figure_waits_for_the_one_being_computed(sessions: Sessions) -> None:
    assert await _asked_while_computing(sessions, lagging=False) == 2
