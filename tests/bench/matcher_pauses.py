"""The matcher's two pauses behind the latency's tail (#22), measured in one process without the
stack: a full pass of the garbage collector over the postings held (before and after they are
frozen, ``services.matcher.heap``), and how long the event loop is held while one group's batch
is scored on it or in a worker thread (``MatcherService``), with the CPU per need of each.

``python -m tests.bench.matcher_pauses``; writes bench-results/matcher_pauses.json."""

import asyncio
import gc
import json
import statistics
import time
from pathlib import Path
from typing import Any

from threadpoolctl import threadpool_limits

from services.matcher.domain import Batch, StoredState
from services.matcher.engine import Matcher
from services.matcher.settings import MatcherSettings
from tests.bench.generate import Generator

OFFERS = 100_000  # the bench's world, for the collector's pass
NEEDS = 2_000
GROUP_OFFERS = 20_000  # about one kind group's share of it, for the loop
BATCHES = (1, 10, 50)
ROUNDS = 8
RESULTS = Path("bench-results/matcher_pauses.json")


def _full_pass() -> dict[str, float]:
    """Wall and CPU milliseconds of one full collection."""
    wall, cpu = time.perf_counter(), time.process_time()
    gc.collect()
    return {
        "wall_ms": round((time.perf_counter() - wall) * 1000, 1),
        "cpu_ms": round((time.process_time() - cpu) * 1000, 1),
    }


def collector(generator: Generator) -> dict[str, Any]:
    """Full passes with ``OFFERS`` offers and ``NEEDS`` needs held, then frozen and 300 needs on."""
    matcher = Matcher(MatcherSettings())
    matcher.load(
        StoredState(open_needs=generator.needs(NEEDS, "held"), open_offers=generator.offers(OFFERS))
    )
    before = {"tracked": len(gc.get_objects()), "passes": [_full_pass() for _ in range(3)]}
    gc.freeze()
    for need in generator.needs(300, "after"):
        matcher.apply(Batch(needs=[need]))
    after = {"tracked": len(gc.get_objects()), "passes": [_full_pass() for _ in range(3)]}
    gc.unfreeze()
    return {"unfrozen": before, "frozen": after}


async def _held(matcher: Matcher, batch: Batch, threaded: bool) -> tuple[float, float]:
    """How late a coroutine due every millisecond ran at worst while ``batch`` was scored, and
    the CPU per need (ms)."""
    worst, scoring = 0.0, True

    async def ticking() -> None:
        nonlocal worst
        while scoring:
            due = time.perf_counter() + 0.001
            await asyncio.sleep(0.001)
            worst = max(worst, time.perf_counter() - due)

    ticker = asyncio.create_task(ticking())
    await asyncio.sleep(0.005)
    cpu = time.process_time()
    if threaded:
        await asyncio.to_thread(matcher.apply, batch)
    else:
        matcher.apply(batch)
    cpu = (time.process_time() - cpu) * 1000 / len(batch.needs)
    await asyncio.sleep(0.005)
    scoring = False
    await ticker
    return worst * 1000, cpu


async def loop_held(generator: Generator) -> dict[str, Any]:
    """Per batch size, inline and threaded alternated: medians of ``ROUNDS`` batches each."""
    matcher = Matcher(MatcherSettings())
    matcher.load(StoredState(open_offers=generator.offers(GROUP_OFFERS, "group")))
    needs = iter(generator.needs(2 * ROUNDS * sum(BATCHES), "scored"))
    figures: dict[str, Any] = {}
    for size in BATCHES:
        runs: dict[str, list[tuple[float, float]]] = {"inline": [], "thread": []}
        for _ in range(ROUNDS):
            for way in runs:
                batch = Batch(needs=[next(needs) for _ in range(size)])
                runs[way].append(await _held(matcher, batch, way == "thread"))
        figures[f"batch_of_{size}"] = {
            way: {
                "loop_held_ms_median": round(statistics.median(h for h, _ in done), 1),
                "loop_held_ms_max": round(max(h for h, _ in done), 1),
                "cpu_ms_per_need_median": round(statistics.median(c for _, c in done), 2),
            }
            for way, done in runs.items()
        }
    return figures


def main() -> None:
    threadpool_limits(1)  # as the matcher runs
    figures = {
        "collector": collector(Generator(7)),
        "loop_held": asyncio.run(loop_held(Generator(11))),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
