"""Schakel's own Prometheus metrics, next to FastStream's ``KafkaPrometheusMiddleware`` ones.

Counters and histograms move where the thing happens; gauges that describe stored state (outbox,
deliveries, open suggestions) and consumer lag are refreshed by :func:`refresh_forever` while a
service runs. Everything lives in prometheus-client's default registry, served on ``/metrics``.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime

from prometheus_client import REGISTRY, Counter, Gauge, Histogram
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

log = logging.getLogger(__name__)
Probe = Callable[[], Awaitable[None]]

OUTBOX_DEPTH = Gauge("schakel_outbox_depth", "Events in the outbox waiting to be relayed.")
OUTBOX_OLDEST_AGE = Gauge(
    "schakel_outbox_oldest_age_seconds", "Age of the oldest event waiting in the outbox (0: none)."
)
CONSUMER_LAG = Gauge(
    "schakel_consumer_lag",
    "Records behind the end of a partition this instance consumes (end minus committed offset).",
    ["group", "topic", "partition"],
)
NEED_TO_SUGGESTION = Histogram(
    "schakel_need_to_suggestion_seconds",
    "Time from a need's registration to its first queued matches.suggested.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600),
)
DELIVERIES = Gauge(
    "schakel_deliveries", "Notification deliveries by channel and status.", ["channel", "status"]
)
SUGGESTIONS_OPEN = Gauge(
    "schakel_suggestions_open", "Undecided suggestions per RTC region.", ["rtc_region"]
)
DECISIONS = Counter("schakel_decisions", "Decisions taken on suggestions, by kind.", ["decision"])
RANKING_IN_FORCE = Gauge(
    "schakel_ranking_model_version",
    "The learned model version this matcher ranks with (0: the hand-set weights).",
)
RANKINGS_WITHDRAWN = Counter(
    "schakel_ranking_withdrawals",
    "Published models withdrawn because their live decisions were worse than the weights'.",
)

__all__ = ["DECISIONS", "NEED_TO_SUGGESTION", "REGISTRY"]


def observe_first_suggestion(registered_at: datetime, now: datetime | None = None) -> None:
    """Record how long a need waited for its first suggestion."""
    waited = ((now or datetime.now(UTC)) - registered_at).total_seconds()
    NEED_TO_SUGGESTION.observe(max(waited, 0.0))


def outbox_probe(sessions: async_sessionmaker[AsyncSession]) -> Probe:
    """A probe setting the outbox depth and the age of its oldest row."""

    async def probe() -> None:
        async with sessions() as session:
            depth, age = (
                await session.execute(
                    text(
                        "SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)"
                        " FROM outbox"
                    )
                )
            ).one()
        OUTBOX_DEPTH.set(depth)
        OUTBOX_OLDEST_AGE.set(float(age))

    return probe


class OwnLabels:
    """The labelled values one owner (a probe) keeps on a gauge, which others may set too (the
    services run in one process, as in the tests): a replacement drops only the labels this owner
    set before and no longer sees, never another owner's."""

    def __init__(self, gauge: Gauge) -> None:
        self._gauge = gauge
        self._shown: set[tuple[str, ...]] = set()

    def replace(self, rows: Iterable[tuple[tuple[str, ...], float]]) -> None:
        """Set ``rows``; this owner's labels not among them drop to absent."""
        rows = list(rows)
        seen = {labels for labels, _ in rows}
        for labels in self._shown - seen:
            with contextlib.suppress(KeyError):  # another owner took the partition and left it
                self._gauge.remove(*labels)
        for labels, value in rows:
            self._gauge.labels(*labels).set(value)
        self._shown = seen


async def refresh_forever(probes: list[Probe], interval_seconds: float) -> None:
    """Run every probe each ``interval_seconds``; a failing probe is logged and retried."""
    while True:
        for probe in probes:
            try:
                await probe()
            except Exception:  # a broker or database outage must not end the loop
                log.warning("metrics probe %s failed", getattr(probe, "__qualname__", probe))
        await asyncio.sleep(interval_seconds)
