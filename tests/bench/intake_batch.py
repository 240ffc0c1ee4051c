"""Intake's fixed cost per batch: CPU, statements and round trips of ``IntakeService.handle``
for batches of 1 and of 8 valid needs, and of the outbox relay's round that follows each batch.

Runs in-process on uvloop against PostgreSQL (``TEST_DATABASE_URL``, migrated; else a fresh test
stack). The relay publishes to a broker that acknowledges at once: what is measured is its
database side and its own Python. CPU is this process's (``time.process_time``), statements are
counted by SQLAlchemy's ``before_cursor_execute``, both on direct connections; the PostgreSQL
server's CPU (all its processes, psutil) for a batch and its relay round together; round trips
in a shorter second pass through the counting proxy (``tests.bench.counting_proxy``). Writes
bench-results/intake_batch.json: ``python -m tests.bench.intake_batch``.
"""

import asyncio
import functools
import itertools
import json
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil
import uvloop
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from services.intake.inbound import Record
from services.intake.service import IntakeService
from shared import topics
from shared.db import make_engine, make_sessionmaker
from shared.outbox import OutboxRelay
from tests.bench.census import snapshot
from tests.bench.counting_proxy import CountingProxy
from tests.bench.on_stack import run_on_stack
from tests.builders import need_event
from tests.kafka_io import as_json
from tests.stack import database_url, external_database_url

BATCHES = {1: 300, 8: 100}  # batch size: batches measured
WARM_UP = 30
RESULTS = Path("bench-results/intake_batch.json")
_offsets = itertools.count()


class AcknowledgingBroker:
    """Stands in for the Kafka broker: every send is acknowledged at once."""

    async def publish(self, *_: Any, **__: Any) -> "asyncio.Future[None]":
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done


def _needs(size: int) -> list[Record]:
    now_ms = int(datetime.now(UTC).timestamp() * 1000)
    return [
        Record(topics.NEEDS_SUBMITTED, 0, next(_offsets), e["need_id"], as_json(e), now_ms)
        for e in (need_event() for _ in range(size))
    ]


class Counters:
    """CPU seconds, statements and round trips of the steps run through :meth:`run`."""

    def __init__(self, proxy: CountingProxy | None) -> None:
        self._proxy = proxy
        self.statements = 0
        self.totals: dict[str, list[float]] = {}

    def seen(self, *_: Any) -> None:
        self.statements += 1

    def _trips(self) -> int:
        return 0 if self._proxy is None else self._proxy.round_trips

    async def run(self, name: str, step: Callable[[], Awaitable[Any]]) -> None:
        cpu, statements, trips = time.process_time(), self.statements, self._trips()
        await step()
        totals = self.totals.setdefault(name, [0.0, 0, 0, 0])
        totals[0] += time.process_time() - cpu
        totals[1] += self.statements - statements
        totals[2] += self._trips() - trips
        totals[3] += 1

    def per_batch(self) -> dict[str, dict[str, float]]:
        return {
            name: {
                "cpu_ms": round(cpu * 1000 / n, 3),
                "statements": round(statements / n, 2),
                "round_trips": round(trips / n, 2),
            }
            for name, (cpu, statements, trips, n) in self.totals.items()
        }


async def _postmaster(engine: AsyncEngine) -> int:
    """The pid of the PostgreSQL server (the parent of the connection's backend)."""
    async with engine.connect() as connection:
        backend = await connection.scalar(text("SELECT pg_backend_pid()"))
    return psutil.Process(backend).ppid()


async def _batches(url: str, counters: Counters, scale: float) -> dict[str, float]:
    """Warm up, then run ``scale`` times ``BATCHES`` batches of each size, each followed by
    a relay round, counted in ``counters``; return the milliseconds of CPU the PostgreSQL
    server (every process of it) spent a batch and its relay round, by batch size."""
    engine = make_engine(url, ping_every_checkout=False)  # as the services make it
    server = {"postgres": await _postmaster(engine)}
    postgres = {}
    sessions = make_sessionmaker(engine)
    intake = IntakeService(sessions, max_message_bytes=1_000_000)
    relay = OutboxRelay(sessions, AcknowledgingBroker())  # type: ignore[arg-type]
    event.listen(engine.sync_engine, "before_cursor_execute", counters.seen)
    try:
        for size in BATCHES:
            for _ in range(WARM_UP):
                await intake.handle(_needs(size))
                await relay.relay_once()
        counters.totals.clear()
        for size, batches in BATCHES.items():
            before, n = snapshot(server)["postgres"], max(1, int(batches * scale))
            for _ in range(n):
                handle = functools.partial(intake.handle, _needs(size))
                await counters.run(f"intake, {size} needs", handle)
                await counters.run(f"relay, {size} needs", relay.relay_once)
            used = snapshot(server)["postgres"] - before
            postgres[f"{size} needs"] = round(used * 1000 / n, 3)
    finally:
        await engine.dispose()
    return postgres


async def measure() -> dict[str, Any]:
    """Per batch of each size: CPU and statements of intake and of the relay on a direct
    connection, then their round trips through the counting proxy (whose own CPU would count)."""
    target = make_url(database_url())
    direct = Counters(None)
    postgres = await _batches(target.render_as_string(False), direct, 1)
    proxy = CountingProxy(target.host or "127.0.0.1", target.port or 5432)
    counted = Counters(proxy)
    async with proxy.running():
        proxied = target.set(host="127.0.0.1", port=proxy.port).render_as_string(False)
        await _batches(proxied, counted, 0.1)
    per_batch = direct.per_batch()
    for name, figures in counted.per_batch().items():
        per_batch[name]["round_trips"] = figures["round_trips"]
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "batches": {str(size): n for size, n in BATCHES.items()},
        "per_batch": per_batch,
        "postgres_cpu_ms_per_batch_and_relay_round": postgres,
    }


def main() -> None:
    """Measure on the database of ``TEST_DATABASE_URL``, else on a fresh test stack."""
    if external_database_url() is None:
        run_on_stack(measure, RESULTS)
        return
    measured = uvloop.run(measure())
    RESULTS.write_text(json.dumps(measured, indent=2) + "\n")
    print(json.dumps(measured, indent=2))


if __name__ == "__main__":
    main()
