"""The allocation proposal on a region as big as the biggest of the SPEC's world (14,500 needs,
29,000 offers, five suggestions a need: 72,500 candidates), now against the way before #22, in
the same run on the same rows. Per way, median of ``RUNS``: the seconds from asking to the JSON
answer, its size, the longest the event loop waited meanwhile (a 10 ms ticker beside it: the
floor every other request of the process sees) and how long database connections were held.

The way before is the ``services/review/proposals.py`` of commit ``BEFORE`` run as it was: every
candidate read with its titles and names in the request's session, held until the answer,
every pair of the round in the answer.
"""

import asyncio
import json
import statistics
import subprocess
import sys
import time
import types
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import asdict

from sqlalchemy import event, insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.review.proposals import propose
from services.review.tables import ReviewMatch, ReviewNeed, ReviewOffer
from shared.db import make_engine, make_sessionmaker

BEFORE = "548e0a3"  # integration before the proposal read lean, released and answered a window
BIG_NEEDS, BIG_OFFERS, RUNS = 14_500, 29_000, 3
Answer = Callable[[], Awaitable[tuple[bytes, float]]]  # the JSON and the seconds it held a link


def proposals_before() -> types.ModuleType:
    """The proposals module of ``BEFORE``, loaded from git."""
    source = subprocess.run(
        ["git", "show", f"{BEFORE}:services/review/proposals.py"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    module = types.ModuleType("proposals_before")
    sys.modules[module.__name__] = module
    exec(compile(source, "proposals_before.py", "exec"), module.__dict__)  # noqa: S102
    return module


async def stored_big_region(sessions: async_sessionmaker[AsyncSession]) -> tuple[str, int]:
    """A big region stored in the review state: its name and number of candidates."""
    from tests.bench.allocation import _match_rows, _need_rows, _offer_rows, region

    candidates = region(seed=2028, needs=BIG_NEEDS, offers=BIG_OFFERS)
    rtc_region = f"bench-{uuid.uuid4().hex[:8]}"
    async with sessions.begin() as session:
        for rows, table in (
            (_offer_rows, ReviewOffer), (_need_rows, ReviewNeed), (_match_rows, ReviewMatch)
        ):  # fmt: skip
            for chunk in _chunks(rows(candidates, rtc_region)):
                await session.execute(insert(table), chunk)
    return rtc_region, len(candidates.need)


async def big_region_case(database_url: str) -> dict[str, object]:
    """Both ways on one stored big region."""
    engine = make_engine(database_url)
    sessions = make_sessionmaker(engine)
    rtc_region, stored = await stored_big_region(sessions)
    before = proposals_before()

    clock = ConnectionClock()
    event.listen(engine.sync_engine.pool, "checkout", clock.checked_out)
    event.listen(engine.sync_engine.pool, "checkin", clock.checked_in)

    async def now() -> tuple[bytes, float]:
        clock.held = 0.0
        found = await propose(sessions, rtc_region)
        return json.dumps(asdict(found)).encode(), clock.held

    async def then() -> tuple[bytes, float]:
        clock.held = 0.0
        async with sessions() as session:
            found = await before.propose(session, rtc_region)
            body = json.dumps(asdict(found)).encode()
        return body, clock.held

    figures = {
        "needs": BIG_NEEDS, "offers": BIG_OFFERS, "candidates": stored,
        "now": await _measured(now), "before": await _measured(then),
    }  # fmt: skip
    await engine.dispose()
    return figures


async def _measured(answer: Answer) -> dict[str, object]:
    """Median seconds, answer bytes, longest loop wait and connection hold over ``RUNS``."""
    seconds, stalls, held = [], [], []
    body = b""
    for _ in range(RUNS):
        ticker = LoopTicker()
        ticking = asyncio.create_task(ticker.run())
        started = time.perf_counter()
        body, holding = await answer()
        seconds.append(time.perf_counter() - started)
        ticking.cancel()
        stalls.append(ticker.longest)
        held.append(holding)
    return {
        "seconds_median": round(statistics.median(seconds), 3),
        "answer_bytes": len(body),
        "loop_longest_wait_ms_median": round(1000 * statistics.median(stalls), 1),
        "connection_held_seconds_median": round(statistics.median(held), 3),
    }


class ConnectionClock:
    """Sums how long pooled connections stay checked out (``held``, in seconds)."""

    def __init__(self) -> None:
        self.held = 0.0
        self._since: dict[int, float] = {}

    def checked_out(self, connection: object, _record: object, _proxy: object) -> None:
        self._since[id(connection)] = time.perf_counter()

    def checked_in(self, connection: object, _record: object) -> None:
        self.held += time.perf_counter() - self._since.pop(id(connection), time.perf_counter())


class LoopTicker:
    """Ticks every 10 ms until cancelled, keeping the longest a tick came late."""

    def __init__(self) -> None:
        self.longest = 0.0

    async def run(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.01)
            self.longest = max(self.longest, time.perf_counter() - started - 0.01)


def _chunks(rows: list[dict[str, object]], size: int = 5_000) -> list[list[dict[str, object]]]:
    return [rows[start : start + size] for start in range(0, len(rows), size)]
