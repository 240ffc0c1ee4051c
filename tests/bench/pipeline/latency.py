"""Need-to-first-suggestion latency (issues #13 and #22), measured from outside the services.

Needs are produced on ``needs.submitted`` at a steady rate; a tail on ``needs.registered`` and
``matches.suggested`` sees each need come out of intake and its first suggestion come out of the
matcher. The latency is from the produce call to reading that first suggestion back. The records'
own timestamps (set by the relay's producer when it appended them, on this machine's clock) split
it into stages: intake (consume, store, commit, relay to Kafka), matcher (consume, score, store,
commit, relay) and delivery (broker to a reading consumer)."""

import asyncio
import statistics
import time
from typing import Any

from aiokafka import AIOKafkaProducer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.matcher.service import CONSUMER as MATCHER
from shared import topics
from tests.bench.pipeline import QUICK, data
from tests.bench.processes import Lag
from tests.kafka_io import Received, TopicTail
from tests.stack import KAFKA_BOOTSTRAP

SECONDS = 10 if QUICK else 30
GRACE_S = 30.0
INF = float("inf")


async def latency(
    lag: Lag, engine: AsyncEngine, rate: int, prefix: str, idle_before_s: float | None
) -> dict[str, Any]:
    """First-suggestion latency of needs produced at ``rate``/s for ``SECONDS`` seconds: from
    each need's produce call to its first ``matches.suggested`` read back. A need the matcher
    stored no suggestion for at all (no open offer fits it) has no latency: it is counted, not
    ranked; one suggested only after the grace ranks slower than every other."""
    records = data.needs(rate * SECONDS, prefix)
    sent: dict[str, float] = {}  # need id: wall-clock seconds of its produce call
    first: dict[str, Received] = {}
    arrived: dict[str, float] = {}  # need id: when its first suggestion was read back
    registered: dict[str, int] = {}  # need id: its needs.registered record's timestamp (ms)
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA_BOOTSTRAP, acks="all")
    finished: list[float] = []
    read = [0]  # records of ``received`` looked at

    async def pace() -> None:
        started = time.perf_counter()
        for number, (topic, key, value) in enumerate(records):
            await asyncio.sleep(max(0.0, started + number / rate - time.perf_counter()))
            sent[key] = time.time()
            await producer.send(topic, key=key.encode(), value=value)
        await producer.flush()
        finished.append(time.time())

    def done(received: list[Received]) -> bool:
        now = time.time()
        for message in received[read[0] :]:
            key = message.key or ""
            if message.topic == topics.NEEDS_REGISTERED:
                registered.setdefault(key, message.timestamp_ms)
            elif key not in first:
                first[key], arrived[key] = message, now
        read[0] = len(received)
        return bool(finished) and (all(key in first for key in sent) or now > finished[0] + GRACE_S)

    await producer.start()
    try:
        async with TopicTail(topics.NEEDS_REGISTERED, topics.MATCHES_SUGGESTED) as tail:
            pacing = asyncio.create_task(pace())
            await tail.collect(done, seconds=SECONDS * 3 + GRACE_S + 60)
            await pacing
    finally:
        await producer.stop()
    suggested = await _suggested_later(engine, [key for key in sent if key not in first])
    samples = sorted(
        (arrived[key] - at) * 1000 if key in first else INF
        for key, at in sent.items()
        if key in first or key in suggested
    )
    answered = [sample for sample in samples if sample < INF]
    return {
        "rate_per_s": rate, "seconds": SECONDS,
        "achieved_rate_per_s": round(len(records) / (finished[0] - min(sent.values())), 1),
        "idle_before_s": idle_before_s, "needs": len(records),
        "with_suggestion_within_grace": len(answered), "grace_s": GRACE_S,
        "without_any_suggestion": len(sent) - len(samples),
        **{f"p{q}_ms": rank(samples, q) for q in (50, 95, 99)},
        "max_ms": round(answered[-1], 1) if answered else None,
        "stages_ms": _stages(sent, registered, first, arrived),
        "matcher_lag_left": await lag.of(MATCHER),
    }  # fmt: skip


async def _suggested_later(engine: AsyncEngine, needs: list[str]) -> set[str]:
    """Of ``needs``, those the matcher stored a suggestion for (after the grace, or never)."""
    async with engine.connect() as connection:
        return set(
            await connection.scalars(
                text(
                    "SELECT DISTINCT need_id FROM match_suggestions "
                    "WHERE need_id = ANY(CAST(:ids AS text[]))"
                ),
                {"ids": needs},
            )
        )


def _stages(
    sent: dict[str, float],
    registered: dict[str, int],
    first: dict[str, Received],
    arrived: dict[str, float],
) -> dict[str, dict[str, float | None]]:
    """p50 and p99 of each stage of the needs that went all the way, in milliseconds."""
    through = [key for key in first if key in registered]
    stages = {
        "intake": [registered[key] - sent[key] * 1000 for key in through],
        "matcher": [first[key].timestamp_ms - registered[key] for key in through],
        "delivery": [arrived[key] * 1000 - first[key].timestamp_ms for key in through],
    }
    return {
        name: {f"p{q}": rank(sorted(values), q) for q in (50, 99)}
        for name, values in stages.items()
    }


def rank(samples: list[float], q: int) -> float | None:
    """The nearest-rank percentile of sorted ``samples``; None when it falls on a need without
    a suggestion."""
    if not samples:
        return None
    value = samples[min(len(samples) - 1, round(q / 100 * (len(samples) - 1)))]
    return None if value == INF else round(value, 1)


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The medians over repeated runs at one rate."""
    figures: dict[str, Any] = {"runs": len(runs)}
    for name in ("p50_ms", "p95_ms", "p99_ms"):
        values = [run[name] for run in runs]
        figures[f"{name}_median"] = None if None in values else statistics.median(values)
    censuses = [run["cpu_ms_per_need"] for run in runs if "cpu_ms_per_need" in run]
    if censuses:
        figures["cpu_ms_per_need_median"] = {
            group: statistics.median(census[group] for census in censuses) for group in censuses[0]
        }
    figures["each"] = runs
    return figures
