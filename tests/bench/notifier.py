"""Notifier throughput on the real stack: a burst of 5,000 ``matches.suggested``.

Batched transactions (NOTIFIER_CONSUMER_BATCH_SIZE, default 100) against a one-event-per-
transaction baseline (a burst of 1,000) measured in the same run, each from the first suggestion
produced until every one is announced in the review state. Needs and offers are registered
before the clock starts; every region has a coordinator wanting mail at once, and mail goes to an
SMTP sink, so the notifications and the dispatcher's work are those of production. Writes
bench-results/notifier.json.
"""

import asyncio
import contextlib
import statistics
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.notifier.app import build_runtime
from services.notifier.settings import NotifierSettings
from services.review.tables import ReviewMatch, ReviewNeed, ReviewOffer
from shared import topics
from shared.db import make_engine, make_sessionmaker, one_of
from tests.bench.on_stack import run_on_stack
from tests.kafka_io import produce
from tests.mail_sink import SmtpServer
from tests.notifier import events
from tests.notifier.conftest import add_coordinator
from tests.stack import database_url

BURST = 5_000
BASELINE_BURST = 1_000
POSTINGS = 500  # needs and offers the burst pairs up
RUNS = 3
POLL_IDS = 1_000  # ids asked for per poll
POSTAL_CODES = ("2000", "3500", "9000", "3000", "8000")  # one of each RTC region
RESULTS = Path("bench-results/notifier.json")
Sessions = async_sessionmaker[AsyncSession]
# A notifier consuming with a batch size while the context is open.
Notifier = Callable[[int], AbstractAsyncContextManager[None]]


def in_process(smtp_port: int) -> Notifier:
    """This checkout's notifier, in this process."""

    @contextlib.asynccontextmanager
    async def running(batch_size: int) -> AsyncIterator[None]:
        settings = NotifierSettings(
            consumer_batch_size=batch_size, smtp_port=smtp_port, periodic_seconds=10**6
        )
        async with build_runtime(settings).running():
            yield

    return running


async def _until(sessions: Sessions, column: Any, ids: list[str], *where: Any) -> None:
    """Wait until every one of ``ids`` is in ``column`` (and meets ``where``, for good). Each
    poll asks for the first ``POLL_IDS`` not seen yet, as one array parameter: polling a burst
    of 20,000 ids whole took this process (the notifier's too) more CPU than the notifier."""
    left = list(ids)
    async with asyncio.timeout(1800):
        while left:
            head = left[:POLL_IDS]
            async with sessions() as session:
                seen = set(
                    await session.scalars(select(column).where(one_of(column, head), *where))
                )
            left = [id_ for id_ in head if id_ not in seen] + left[POLL_IDS:]
            if len(seen) < len(head):
                await asyncio.sleep(0.5)


async def drain_seconds(
    sessions: Sessions, notifier: Notifier, batch_size: int, suggestions: int
) -> float:
    """Seconds from producing a burst of ``suggestions`` to all of them announced."""
    needs = [events.need(POSTAL_CODES[i % len(POSTAL_CODES)]) for i in range(POSTINGS)]
    offers = [events.offer() for _ in range(POSTINGS)]
    burst = [
        events.suggested(needs[i % POSTINGS], offers[(i * 7 + i // POSTINGS) % POSTINGS])
        for i in range(suggestions)
    ]
    async with notifier(batch_size):
        await produce(topics.NEEDS_REGISTERED, [(n.need_id, _json(n)) for n in needs])
        await produce(topics.OFFERS_REGISTERED, [(o.offer_id, _json(o)) for o in offers])
        await _until(sessions, ReviewNeed.need_id, [n.need_id for n in needs])
        await _until(sessions, ReviewOffer.offer_id, [o.offer_id for o in offers])
        started = time.perf_counter()
        await produce(topics.MATCHES_SUGGESTED, [(m.need_id, _json(m)) for m in burst])
        match_ids = [m.match_id for m in burst]
        await _until(sessions, ReviewMatch.match_id, match_ids, ReviewMatch.announced)
        return time.perf_counter() - started


def _json(event: Any) -> bytes:
    return event.model_dump_json().encode()


async def measure(variants: dict[str, tuple[Notifier, int, int]]) -> dict[str, list[float]]:
    """Events per second of each variant (notifier, batch size, burst), ``RUNS`` times, the
    variants taking turns."""
    sessions = make_sessionmaker(make_engine(database_url()))
    for postal_code in POSTAL_CODES:
        await add_coordinator(sessions, events.need(postal_code).place.rtc_region)
    rates: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(RUNS):
        for name, (notifier, batch_size, suggestions) in variants.items():
            seconds = await drain_seconds(sessions, notifier, batch_size, suggestions)
            rates[name].append(suggestions / seconds)
    return rates


async def _figures() -> dict[str, object]:
    smtp = SmtpServer()
    await smtp.start()
    try:
        notifier = in_process(smtp.port)
        variants = {
            "batched": (notifier, 100, BURST),
            "one_by_one": (notifier, 1, BASELINE_BURST),
        }
        rates = await measure(variants)
    finally:
        await smtp.stop()
    batched, single = (statistics.median(rates[name]) for name in ("batched", "one_by_one"))
    return {
        "burst_suggestions": BURST,
        "batched_events_per_second_median": round(batched, 1),
        "baseline_suggestions": BASELINE_BURST,
        "one_by_one_events_per_second_median": round(single, 1),
        "speedup_median": round(batched / single, 1),
        "runs": RUNS,
    }


def main() -> None:
    """Measure on a fresh test stack; write and print the figures."""
    run_on_stack(_figures, RESULTS)


if __name__ == "__main__":
    main()
