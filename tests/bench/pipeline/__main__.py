"""The pipeline benchmark of issue #13: the services as separate processes on their own Kafka and
PostgreSQL, measured from the outside (topics, consumer-group lag, /ready, table reads).

In one run, each beside the floor of the same run (raw Kafka and PostgreSQL, ``floor``):
sustained throughput of mixed postings with 10,000 and 100,000 open offers stored; need-to-first-
suggestion latency at 20 and 50 needs/s on 100,000 open offers (``latency``, split by stage); a
burst of offers until every group's lag is 0; the matcher's start-up on 100,000 offers and 50,000
needs; one against two matcher instances working off a backlog. Every wait is capped: a figure
that does not finish says so, with the lag left. The issue's targets stand next to the figures
with pass or fail. Writes bench-results/pipeline.json.

``python -m tests.bench.pipeline`` (BENCH_QUICK=1: one run per figure, fewer events);
``python -m tests.bench.pipeline latency``: the world, the latency and the throughput beside it
alone (bench-results/latency.json). The package's ``__init__`` sets the bench's own ports
before ``tests.stack`` is imported.
"""

import asyncio
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from services.intake.service import CONSUMER as INTAKE
from services.matcher.service import CONSUMER as MATCHER
from services.notifier.handlers import GROUP_ID as NOTIFIER
from tests.bench import census, processes
from tests.bench.on_stack import run_on_stack
from tests.bench.pipeline import (
    INTAKE_HTTP_PORT,
    MATCHER_HTTP_PORTS,
    NOTIFIER_HTTP_PORT,
    QUICK,
    SMTP_PORT,
    data,
)
from tests.bench.pipeline.floor import floor
from tests.bench.pipeline.latency import SECONDS, latency, summary
from tests.bench.postings import Record, send
from tests.bench.processes import Lag, Service, running
from tests.stack import database_url

RUNS = 1 if QUICK else 3
BURST = 2_000 if QUICK else 10_000
POSTINGS = 300 if QUICK else 1_000
BACKLOG = 2_000 if QUICK else 5_000  # registered postings the matcher instances work off
LATENCY_RATES = (20, 50)
LATENCY_RUNS = 1 if QUICK else 3  # at 50 needs/s, on 100,000 open offers; 20/s once
OPEN_OFFERS = (10_000, 100_000)
STARTUP_NEEDS = 50_000
CAP_S = 120 if QUICK else 300  # the longest any one wait for lag 0 takes
IDLE_CENSUS_S = 10  # the services' CPU while no posting comes
STARTUP_CAP_S = 300  # the matcher's start-up is measured in full even in a quick run
PORTS = processes.Ports(INTAKE_HTTP_PORT, MATCHER_HTTP_PORTS, NOTIFIER_HTTP_PORT, SMTP_PORT)
RESULTS = Path("bench-results/pipeline.json")
LATENCY_RESULTS = Path("bench-results/latency.json")
TARGETS = {
    "sustained_postings_per_s": ">= 500",
    "latency_p99_ms_at_50_per_s": "< 250",
    "burst_drained_s": "< 60",
    "matcher_startup_s": "< 30",
    "matcher_two_over_one": ">= 1.3",  # "clearly more"
}


def matcher(instance: int = 0) -> Service:
    """A matcher process on the bench's ports."""
    return processes.matcher(PORTS, instance)


def pipeline() -> list[Service]:
    """The mail sink and the services on the bench's ports."""
    return processes.pipeline(PORTS)


async def idle(lag: Lag) -> float | None:
    """Wait (at most CAP_S) until every group's lag is 0, so a figure starts on an idle
    pipeline; the seconds that took (None: it did not, the figure runs on a backlog)."""
    return _slowest(await lag.drained(time.perf_counter(), CAP_S))["drained_s"]


async def burst(lag: Lag, records: list[Record]) -> dict[str, Any]:
    """Seconds until each group's lag was 0 after producing ``records`` at once."""
    waited = await idle(lag)
    started = time.perf_counter()
    await send(records)
    groups = await lag.drained(started, CAP_S)
    return {"events": len(records), "idle_before_s": waited, "groups": groups, **_slowest(groups)}


def _slowest(groups: dict[str, dict[str, Any]]) -> dict[str, Any]:
    timed_out = [group for group, result in groups.items() if "seconds" not in result]
    if timed_out:
        return {"drained_s": None, "timed_out": timed_out}
    return {"drained_s": max(result["seconds"] for result in groups.values())}


async def sustained(lag: Lag, prefix: str, runs: int = RUNS) -> dict[str, Any]:
    """Postings/s of ``POSTINGS`` mixed postings until intake and matcher lag was 0, and until
    the notifier's was; the median of ``runs``. A run that timed out ends the series: its
    backlog would only slow the next one down."""
    results: list[dict[str, Any]] = []
    while len(results) < runs and (not results or results[-1]["drained_s"] is not None):
        results.append(await burst(lag, data.mixed(POSTINGS, f"{prefix}-{len(results)}")))
    figures: dict[str, Any] = {"postings": POSTINGS, "runs": len(results), "each": results}
    for name, groups in (("intake_and_matcher", (INTAKE, MATCHER)), ("notifier", (NOTIFIER,))):
        seconds = [
            max(r["groups"][g].get("seconds", float("inf")) for g in groups) for r in results
        ]
        median = statistics.median(seconds)
        figures[f"{name}_postings_per_s_median"] = (
            round(POSTINGS / median, 1) if median != float("inf") else None
        )
    return figures


async def backlog_drained(lag: Lag, backlog: list[data.Routed], instances: int) -> dict[str, Any]:
    """Registered events per second a group of ``instances`` matchers works off ``backlog`` at,
    from producing it (all at once, as fast as Kafka takes it) until the group's lag is 0. The
    instances are up and idle before; intake and notifier do not run, so the matchers share the
    machine with Kafka and PostgreSQL only."""
    async with running([matcher(n) for n in range(instances)]):
        await asyncio.sleep(5)  # every instance holds its partitions and has caught up
        await lag.drained(time.perf_counter(), CAP_S, (MATCHER,))
        started = time.perf_counter()
        await data.produce_routed(backlog)
        drained = (await lag.drained(started, CAP_S, (MATCHER,)))[MATCHER]
    seconds = drained.get("seconds")
    rate = round(len(backlog) / seconds, 1) if seconds else None
    return {"instances": instances, "backlog_events": len(backlog), **drained, "events_per_s": rate}


async def matcher_instances(lag: Lag, engine: AsyncEngine) -> dict[str, Any]:
    """One matcher against two in one consumer group, each on a backlog of ``BACKLOG`` postings
    the pipeline registered earlier, produced again under new ids."""
    async with engine.connect() as connection:
        one = await backlog_drained(lag, await data.registered_again(connection, BACKLOG), 1)
        two = await backlog_drained(lag, await data.registered_again(connection, BACKLOG), 2)
    return {
        "one_matcher": one, "two_matchers": two,
        "speedup": _ratio(two["events_per_s"], one["events_per_s"] or 0),
    }  # fmt: skip


async def startup(lag: Lag, engine: AsyncEngine) -> dict[str, Any]:
    """With STARTUP_NEEDS needs and the open offers stored (more needs copied in the tables):
    from starting a matcher process to its /ready, and to its first batch done (its group's
    first commit; one need is produced before it starts); its peak RSS then."""
    async with engine.begin() as connection:
        stored = await connection.scalar(
            text("SELECT count(*) FROM matcher_postings WHERE side = 'need'")
        )
        await data.multiply(connection, "need", "bench-", STARTUP_NEEDS - stored)
    async with running([pipeline()[1]]):  # intake: the probe need reaches needs.registered
        await send(data.needs(1, "bench-startup-probe"))
        await lag.drained(time.perf_counter(), CAP_S, (INTAKE,))
        before = await lag.committed(MATCHER)
        process = matcher(0)
        process.start()
        stored = {"needs_stored": STARTUP_NEEDS, "offers_stored": OPEN_OFFERS[1]}
        try:
            ready = await process.ready(STARTUP_CAP_S)
            batch = await lag.first_commit(MATCHER, before, process.started, CAP_S)
        except RuntimeError as failed:  # a figure of its own, not the end of the run
            return stored | {"failed": str(failed), "peak_rss_mib": process.peak_rss_mb()}
        finally:
            rss = process.peak_rss_mb()
            process.stop()
    return stored | {"ready_s": round(ready, 2), "first_batch": batch, "peak_rss_mib": rss}


def _ratio(value: float | None, floor_value: float) -> float | None:
    return None if value is None or not floor_value else round(value / floor_value, 5)


async def world(lag: Lag, engine: AsyncEngine, figures: dict[str, Any]) -> None:
    """The burst of offers, then 10,000 open offers and throughput on them, then 100,000 (the
    SPEC's world) taken up by the running services."""
    figures["burst"] = await burst(lag, data.offers(BURST, "bench-offer"))
    async with engine.begin() as connection:
        await data.multiply(connection, "offer", "bench-offer", OPEN_OFFERS[0] - BURST)
    figures["sustained_10k_offers"] = await sustained(lag, "bench-s10k")
    async with engine.begin() as connection:
        await data.multiply(connection, "offer", "bench-offer", OPEN_OFFERS[1] - OPEN_OFFERS[0])
    # The running services take up the copies on their next batch: not on the clock.
    figures["catch_up_100k_offers"] = await sustained(lag, "bench-warm", runs=1)


async def latencies(lag: Lag, engine: AsyncEngine, services: list[Service]) -> dict[str, Any]:
    """The services' CPU while idle, then latency at each of ``LATENCY_RATES`` (the last
    ``LATENCY_RUNS`` times), each run started on an idle pipeline, with its CPU census."""
    roots = census.stack_roots() | {s.name: s.pid for s in services}
    await idle(lag)
    before = census.snapshot(roots)
    await asyncio.sleep(IDLE_CENSUS_S)
    figures: dict[str, Any] = {
        "idle_cpu_ms_per_s": census.per_second(before, census.snapshot(roots), IDLE_CENSUS_S)
    }
    for rate in LATENCY_RATES:
        runs = LATENCY_RUNS if rate == LATENCY_RATES[-1] else 1
        each = [
            await _censused(lag, engine, rate, f"bench-l{rate}-{run}", roots) for run in range(runs)
        ]
        figures[f"{rate}_per_s"] = summary(each)
    return figures


async def _censused(
    lag: Lag, engine: AsyncEngine, rate: int, prefix: str, roots: dict[str, int]
) -> dict[str, Any]:
    """One latency run, and every process group's CPU per need from its first need produced
    until every group's lag is 0 again (the notifier's work for its needs included; not the
    grace a run waits for needs no offer fits)."""
    waited, load = await idle(lag), census.load_average()
    before, started = census.snapshot(roots), time.perf_counter()
    run = asyncio.create_task(latency(lag, engine, rate, prefix, waited))
    await asyncio.sleep(SECONDS)
    drained = await idle(lag)
    after, seconds = census.snapshot(roots), time.perf_counter() - started
    figures = await run
    return figures | {
        "load_average_at_start": load,
        "cpu_census": {"seconds": round(seconds, 1), "drained_after_s": drained},
        "cpu_ms_per_need": census.per_need(before, after, figures["needs"]),
    }


async def on_pipeline(engine: AsyncEngine, figures: dict[str, Any]) -> None:
    """With intake, matcher and notifier running: the world, the latency on it, then the
    throughput on 100,000 open offers."""
    async with Lag() as lag, running(pipeline()) as services:
        await world(lag, engine, figures)
        figures["latency_100k_offers"] = await latencies(lag, engine, services)
        figures["sustained_100k_offers"] = await sustained(lag, "bench-s100k")


async def measure() -> dict[str, Any]:
    """Every figure of the issue in one run, in an order that grows the stored state."""
    figures: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"), "quick": QUICK, "runs": RUNS,
        "cap_per_figure_s": CAP_S,
    }  # fmt: skip
    figures["floor"] = await floor(
        data.offers(BURST, "bench-offer") + data.mixed(POSTINGS, "bench-floor"), RUNS
    )
    engine = create_async_engine(database_url())
    try:
        await on_pipeline(engine, figures)
        async with Lag() as lag:
            figures["matcher_instances"] = await matcher_instances(lag, engine)
            figures["matcher_startup"] = await startup(lag, engine)
    finally:
        await engine.dispose()
    return _judged(figures)


async def measure_latency() -> dict[str, Any]:
    """#22's figures alone: the world of 100,000 open offers, the latency on it and the
    throughput beside it (sustained postings and the burst), in one run."""
    figures: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"), "quick": QUICK, "runs": RUNS,
    }  # fmt: skip
    engine = create_async_engine(database_url())
    try:
        await on_pipeline(engine, figures)
    finally:
        await engine.dispose()
    return figures


def _judged(figures: dict[str, Any]) -> dict[str, Any]:
    """The figures with their ratios to the floor and the issue's targets, pass or fail."""
    kafka, copy = (
        figures["floor"]["kafka_produce_messages_per_s"],
        figures["floor"]["pg_copy_rows_per_s"],
    )
    key = "intake_and_matcher_postings_per_s_median"
    rates = {name: figures[name][key] for name in ("sustained_10k_offers", "sustained_100k_offers")}
    rates |= {
        f"matcher_instances.{n}": figures["matcher_instances"][n]["events_per_s"]
        for n in ("one_matcher", "two_matchers")
    }
    burst_s = figures["burst"]["drained_s"]
    if burst_s:
        rates["burst"] = figures["burst"]["events"] / burst_s
    figures["ratio_to_floor"] = {
        name: {"over_kafka_produce": _ratio(rate, kafka), "over_pg_copy": _ratio(rate, copy)}
        for name, rate in rates.items()
    }
    p99 = figures["latency_100k_offers"][f"{LATENCY_RATES[-1]}_per_s"]["p99_ms_median"]
    startup_s = figures["matcher_startup"]["first_batch"].get("seconds")
    worst = [rates["sustained_10k_offers"], rates["sustained_100k_offers"]]
    measured = {
        "sustained_postings_per_s": None if None in worst else min(worst),
        "latency_p99_ms_at_50_per_s": p99,
        "burst_drained_s": burst_s,
        "matcher_startup_s": startup_s,
        "matcher_two_over_one": figures["matcher_instances"]["speedup"],
    }
    figures["targets"] = {
        name: {
            "target": target,
            "measured": measured[name],
            "pass": measured[name] is not None and eval(f"{measured[name]} {target}"),  # noqa: S307 (our own constants)
        }
        for name, target in TARGETS.items()
    }
    return figures


def main() -> None:
    """Start the test stack, measure, write and print the figures, stop the stack; with the
    argument ``latency``, #22's latency figures alone (bench-results/latency.json)."""
    if sys.argv[1:] == ["latency"]:
        run_on_stack(measure_latency, LATENCY_RESULTS)
    else:
        run_on_stack(measure, RESULTS)


if __name__ == "__main__":
    main()
