"""Round trips to PostgreSQL per need at each stage of the pipeline (issue #22).

Latency on the shared 2-core machine moves by a factor of two from run to run; the number of
times a stage waits for the database does not. Intake, the outbox relays and the matcher run
in-process against the test stack, each on an engine made by ``shared.db.make_engine`` whose
connections go through a proxy counting the client's round trips: every Sync (extended
protocol: prepare, bind and execute) and Query (simple protocol: BEGIN, COMMIT, ROLLBACK) message
waits for the server's ReadyForQuery. Needs go one per batch, as they arrive at 50/s, after a
warm-up (prepared statements cached, every group's state loaded) on ``OFFERS`` open offers they
match. Writes bench-results/round_trips.json: ``python -m tests.bench.round_trips``.
"""

import statistics
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

from services.intake.inbound import Record
from services.intake.service import IntakeService
from services.matcher.batches import MatcherInput
from services.matcher.service import MatcherService
from services.matcher.settings import MatcherSettings
from shared import topics
from shared.contracts import NeedRegistered, OfferRegistered
from shared.runtime import ServiceRuntime
from shared.settings import Settings
from tests.bench.counting_proxy import CountingProxy
from tests.bench.on_stack import run_on_stack
from tests.builders import need_event, offer_event
from tests.kafka_io import as_json
from tests.stack import database_url

OFFERS = 50
WARM_UP = 5
NEEDS = 20
RESULTS = Path("bench-results/round_trips.json")


def _record(topic: str, event: dict[str, Any], offset: int) -> Record:
    key = event.get("need_id") or event.get("offer_id")
    now_ms = int(datetime.now(UTC).timestamp() * 1000)
    return Record(topic, 0, offset, key, as_json(event), now_ms)


class Pipeline:
    """Intake, its relay, the matcher and its relay, on engines through one counting proxy."""

    def __init__(self, proxy: CountingProxy, url: str) -> None:
        self._proxy = proxy
        runtime = ServiceRuntime(Settings(database_url=url))  # the services' engine and relay
        self._engine = runtime.engine
        self.intake = IntakeService(runtime.sessions, max_message_bytes=1_000_000)
        self.matcher = MatcherService(runtime.sessions, MatcherSettings())
        self.broker, self.relay = runtime.broker, runtime.relay
        self._offsets = iter(range(10**9))
        self.counts: dict[str, list[int]] = {}

    async def counted(self, stage: str, step: Callable[[], Awaitable[Any]]) -> Any:
        before = self._proxy.round_trips
        result = await step()
        self.counts.setdefault(stage, []).append(self._proxy.round_trips - before)
        return result

    async def registered(self) -> list[MatcherInput]:
        """What intake queued for the matcher (read before the relay sends and deletes it)."""
        async with self._engine.connect() as connection:
            rows = await connection.execute(
                text("SELECT topic, payload FROM outbox ORDER BY id"),
            )
            models = {
                topics.NEEDS_REGISTERED: NeedRegistered,
                topics.OFFERS_REGISTERED: OfferRegistered,
            }
            return [
                models[row.topic].model_validate_json(row.payload)
                for row in rows
                if row.topic in models
            ]

    async def one_need(self) -> None:
        event = need_event()
        need = _record(topics.NEEDS_SUBMITTED, event, next(self._offsets))
        await self.counted("intake", lambda: self.intake.handle([need]))
        registered = await self.registered()
        await self.counted("intake relay", self.relay.relay_once)
        await self.counted("matcher", lambda: self.matcher.handle(registered))
        await self.counted("matcher relay", self.relay.relay_once)

    async def close(self) -> None:
        await self.broker.stop()
        await self._engine.dispose()


async def measure() -> dict[str, Any]:
    """Round trips per need at each stage, the median and the range over ``NEEDS`` needs."""
    target = make_url(database_url())
    proxy = CountingProxy(target.host or "127.0.0.1", target.port or 5432)
    async with proxy.running():
        pipeline = Pipeline(
            proxy, target.set(host="127.0.0.1", port=proxy.port).render_as_string(False)
        )
        await pipeline.broker.connect()
        try:
            offers = [
                _record(topics.OFFERS_SUBMITTED, offer_event(), offset) for offset in range(OFFERS)
            ]
            await pipeline.intake.handle(offers)
            await pipeline.matcher.warm_up()
            await pipeline.matcher.handle(await pipeline.registered())
            while await pipeline.relay.relay_once():
                pass
            for _ in range(WARM_UP):
                await pipeline.one_need()
            pipeline.counts.clear()
            for _ in range(NEEDS):
                await pipeline.one_need()
            for _ in range(NEEDS):
                await pipeline.counted("relay poll, nothing to send", pipeline.relay.relay_once)
        finally:
            await pipeline.close()
    stages = {
        stage: {"median": statistics.median(counts), "min": min(counts), "max": max(counts)}
        for stage, counts in pipeline.counts.items()
    }
    path = ("intake", "intake relay", "matcher", "matcher relay")
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "needs": NEEDS, "open_offers": OFFERS, "per_need": stages,
        "need_to_suggestion_total": sum(stages[stage]["median"] for stage in path),
    }  # fmt: skip


def main() -> None:
    """Start the test stack, count, write and print the figures, stop the stack."""
    run_on_stack(measure, RESULTS)


if __name__ == "__main__":
    main()
