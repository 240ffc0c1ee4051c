"""The matcher's CPU and statements per batch of needs, on the pipeline bench's world: batches
of 1 and of 8 needs (of mixed kinds, as the pipeline bench makes them: ``postings.needs``) against
100,000 open offers, split into scoring (``Matcher.apply``, in its worker thread) and the event
loop's thread (routing and the groups' transactions), with the statements (SQLAlchemy's
``before_cursor_execute``) and the round trips (``round_trips.CountingProxy``) of each batch.

``python -m tests.bench.matcher_batches fill`` starts the test stack, registers 10,000 offers
through intake and the matcher, copies them to 100,000 and leaves the stack running;
``python -m tests.bench.matcher_batches`` then measures on it (another checkout's code too, on
the same database: old and new in one session) and ``... stop`` stops the stack. Needs go
through intake first, off the clock; the outbox is emptied between batches as the relay would.
"""

import collections
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from unittest import mock

import uvloop
from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from threadpoolctl import threadpool_limits

from services.intake.inbound import Record
from services.intake.service import IntakeService
from services.matcher.batches import MatcherInput
from services.matcher.domain import Batch, Changes
from services.matcher.engine import Matcher
from services.matcher.service import MatcherService
from services.matcher.settings import MatcherSettings
from shared import topics
from shared.contracts import NeedRegistered, OfferRegistered
from shared.db import make_engine, make_sessionmaker
from tests.bench import postings
from tests.bench.round_trips import CountingProxy
from tests.stack import database_url, export_env, start_stack, stop_stack

TEMPLATES = 10_000  # offers registered through intake and the matcher, as the bench's burst
OPEN_OFFERS = 100_000
CHUNK = 500  # records a batch while filling
SIZES = {1: 30, 8: 12}  # batch size -> batches measured (after two warm-up batches)
_REGISTERED = {topics.NEEDS_REGISTERED: NeedRegistered, topics.OFFERS_REGISTERED: OfferRegistered}
_COPY = text(
    "INSERT INTO matcher_postings (side, posting_id, kind_group, former_group, version, status, "
    "used, used_revision, payload, in_use, updated_at) "
    "SELECT side, posting_id || '-c' || k, kind_group, former_group, version, status, used, "
    "used_revision, jsonb_set(payload, '{offer_id}', to_jsonb(posting_id || '-c' || k)), in_use, "
    "updated_at FROM matcher_postings CROSS JOIN generate_series(1, :copies) AS k "
    "WHERE side = 'offer' AND posting_id LIKE 'bench-offer-%' AND posting_id NOT LIKE '%-c%'"
)


def _records(records: Sequence[postings.Record]) -> list[Record]:
    now_ms = int(datetime.now(UTC).timestamp() * 1000)
    offset = time.monotonic_ns()
    return [
        Record(topic, 0, offset + number, key, value, now_ms)
        for number, (topic, key, value) in enumerate(records)
    ]


async def _registered(sessions: async_sessionmaker[AsyncSession]) -> list[MatcherInput]:
    """What intake queued for the matcher; the outbox emptied (as the relay would)."""
    async with sessions() as session, session.begin():
        rows = await session.execute(text("DELETE FROM outbox RETURNING id, topic, payload"))
        ordered = sorted(rows, key=lambda row: row.id)
    return [
        _REGISTERED[row.topic].model_validate_json(row.payload)
        for row in ordered
        if row.topic in _REGISTERED
    ]


async def fill() -> None:
    """The world: ``TEMPLATES`` offers registered, copied in the matcher's table."""
    start_stack()
    engine = make_engine(database_url())
    sessions = make_sessionmaker(engine)
    intake = IntakeService(sessions, max_message_bytes=1_000_000)
    matcher = MatcherService(sessions, MatcherSettings())
    offers = postings.offers(TEMPLATES, "bench-offer")
    for at in range(0, len(offers), CHUNK):
        await intake.handle(_records(offers[at : at + CHUNK]))
        await matcher.handle(await _registered(sessions))
    async with engine.begin() as connection:
        await connection.execute(_COPY, {"copies": OPEN_OFFERS // TEMPLATES - 1})
        await connection.execute(text("ANALYZE"))
    await engine.dispose()


class Census:
    """Statements sent and the CPU ``Matcher.apply`` spent, while counting."""

    def __init__(self) -> None:
        self.statements: collections.Counter[str] = collections.Counter()
        self.scoring_s = 0.0

    def seen(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.startswith("DELETE FROM outbox"):
            self.statements[" ".join(statement.split()[:6])[:70]] += 1

    def timed(self, apply: Callable[[Matcher, Batch], Changes]) -> Callable[..., Changes]:
        def timed_apply(matcher: Matcher, batch: Batch) -> Changes:
            started = time.thread_time()
            try:
                return apply(matcher, batch)
            finally:
                self.scoring_s += time.thread_time() - started

        return timed_apply


@dataclass
class Rounds:
    """What each measured batch of one size cost."""

    cpu_ms: list[float] = field(default_factory=list)
    scoring_ms: list[float] = field(default_factory=list)
    loop_ms: list[float] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    round_trips: list[int] = field(default_factory=list)
    kinds: collections.Counter[str] = field(default_factory=collections.Counter)

    def summary(self, size: int) -> str:
        median = statistics.median
        return (
            f"batch of {size}: CPU median {median(self.cpu_ms):6.1f} ms (scoring "
            f"{median(self.scoring_ms):5.1f}, event loop {median(self.loop_ms):5.1f}), lowest "
            f"{min(self.cpu_ms):6.1f} ms; statements median {median(self.statements)} (min "
            f"{min(self.statements)}, max {max(self.statements)}); round trips median "
            f"{median(self.round_trips)} (min {min(self.round_trips)}, max "
            f"{max(self.round_trips)})"
        )


class Bench:
    """Intake and a warmed-up matcher, the matcher's sessions on a direct engine or on one
    through a proxy counting round trips (whose CPU, in this process, is not measured)."""

    def __init__(self, proxy: CountingProxy, proxied: AsyncEngine) -> None:
        self._engine = make_engine(database_url())
        self._direct = make_engine(database_url(), ping_every_checkout=False)
        self._proxy, self._proxied = proxy, proxied
        self._sessions = make_sessionmaker(self._engine)
        self._intake = IntakeService(self._sessions, max_message_bytes=1_000_000)
        self._matcher_sessions = make_sessionmaker(self._direct)
        self._matcher = MatcherService(self._matcher_sessions, MatcherSettings())
        self.census = Census()

    async def start(self) -> None:
        """An empty outbox and a warmed-up matcher; statements counted from now on."""
        await _registered(self._sessions)
        started = time.perf_counter()
        await self._matcher.warm_up()
        held = self._matcher.postings_held()
        print(f"warm-up {time.perf_counter() - started:.1f} s, {held} postings held")
        event.listen(Engine, "before_cursor_execute", self.census.seen)

    async def run(self, size: int, count: int, prefix: str, rounds: Rounds) -> None:
        """``count`` batches of ``size`` needs after two of warm-up, CPU first, then as many
        through the proxy for the round trips (its first two open the proxied connections)."""
        census = self.census
        needs = postings.needs(2 * (count + 2) * size, f"{prefix}-{size}")
        batches = [needs[at : at + size] for at in range(0, len(needs), size)]
        for number, batch in enumerate(batches):
            proxied = number >= count + 2
            self._matcher_sessions.configure(bind=self._proxied if proxied else self._direct)
            await self._intake.handle(_records(batch))
            events = await _registered(self._sessions)
            census.statements.clear()
            census.scoring_s = 0.0
            round_trips = self._proxy.round_trips
            cpu, loop = time.process_time(), time.thread_time()
            await self._matcher.handle(events)
            cpu, loop = time.process_time() - cpu, time.thread_time() - loop
            round_trips = self._proxy.round_trips - round_trips
            await _registered(self._sessions)
            if proxied and number >= count + 4:
                rounds.round_trips.append(round_trips)
            elif 2 <= number < count + 2:
                rounds.cpu_ms.append(cpu * 1000)
                rounds.scoring_ms.append(census.scoring_s * 1000)
                rounds.loop_ms.append(loop * 1000)
                rounds.statements.append(sum(census.statements.values()))
                rounds.kinds = collections.Counter(census.statements)

    async def close(self) -> None:
        for engine in (self._engine, self._direct, self._proxied):
            await engine.dispose()


async def measure() -> None:
    """Print per batch size the median CPU a batch (all; scoring in its worker thread; the event
    loop's thread: routing and the groups' transactions), its statements and round trips, and
    the statements of the last batch."""
    target = make_url(database_url())
    proxy = CountingProxy(target.host or "127.0.0.1", target.port or 5432)
    async with proxy.running():
        proxied = target.set(host="127.0.0.1", port=proxy.port).render_as_string(False)
        bench = Bench(proxy, make_engine(proxied, ping_every_checkout=False))
        await bench.start()
        prefix = f"cpu-{time.time_ns() % 10**8}"
        with mock.patch.object(Matcher, "apply", bench.census.timed(Matcher.apply)):
            for size, count in SIZES.items():
                rounds = Rounds()
                await bench.run(size, count, prefix, rounds)
                print(rounds.summary(size))
                for statement, times in sorted(rounds.kinds.items(), key=lambda item: -item[1]):
                    print(f"    {times:3} x {statement}")
        await bench.close()


def main() -> None:
    threadpool_limits(1)  # as the matcher runs
    export_env()
    if sys.argv[1:2] == ["fill"]:
        uvloop.run(fill())
    elif sys.argv[1:2] == ["stop"]:
        stop_stack()
    else:
        uvloop.run(measure())


if __name__ == "__main__":
    main()
