"""Scoring a batch leaves the event loop free: the outbox relay sends the previous batch's
suggestions meanwhile instead of waiting for the next batch to be scored. Groups score side by
side in threads, so what they share is given out under a lock."""

import asyncio
import threading
import time

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.matcher import scoring
from services.matcher.domain import Batch, Changes
from services.matcher.engine import Matcher
from services.matcher.service import MatcherService
from services.matcher.settings import MatcherSettings
from services.matcher.tables import MatchSuggestion
from tests.matcher.events import fresh_period, need_event, offer_event


async def test_the_event_loop_runs_other_work_while_a_batch_is_scored(
    db: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    loop_ran = threading.Event()  # set by a coroutine on the loop while the batch is scored
    waited: list[bool] = []
    apply = Matcher.apply

    def scored_while_loop_runs(matcher: Matcher, batch: Batch) -> Changes:
        waited.append(loop_ran.wait(timeout=5))  # on the loop's own thread this never comes
        return apply(matcher, batch)

    monkeypatch.setattr(Matcher, "apply", scored_while_loop_runs)

    async def other_work() -> None:
        while not waited:
            await asyncio.sleep(0.005)
            loop_ran.set()

    period = fresh_period()
    service = MatcherService(db, MatcherSettings())
    beside = asyncio.create_task(other_work())
    offer = offer_event(period, "3600", "auto", "Garage Genk")
    await service.handle([offer, need := need_event(period)])
    await beside

    assert waited == [True]
    async with db() as session:
        suggested = await session.scalars(
            select(MatchSuggestion.offer_id).where(MatchSuggestion.need_id == need.need_id)
        )
        assert list(suggested) == [offer.offer_id]


class _Yielding(str):
    """A region name whose hashing lets other threads run (as any switch of the GIL may)."""

    __slots__ = ()

    def __hash__(self) -> int:
        time.sleep(0)
        return super().__hash__()


def test_regions_first_seen_in_threads_side_by_side_get_codes_of_their_own() -> None:
    regions = [
        [_Yielding(f"region-{thread}-{n}-{id(object())}") for n in range(200)]
        for thread in range(8)
    ]
    codes: list[list[int]] = []
    threads = [
        threading.Thread(target=lambda r=r: codes.append(scoring._region_codes(r))) for r in regions
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    given = [code for of_thread in codes for code in of_thread]
    assert len(given) == 1_600 and len(set(given)) == 1_600
