"""How the page benches time a route: ``REQUESTS`` requests one after the other, then ``USERS``
users at once (two requests each), medians and 95th percentiles in milliseconds, and how many
answers were errors (a 503 when the connection pool stayed full, say); and the CPU time this
process (the API and its callers) spent on a request alone."""

import asyncio
import os
import statistics
import time

import httpx

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "20"))
USERS = int(os.environ.get("BENCH_USERS", "20"))


async def ask(http: httpx.AsyncClient, path: str) -> float:
    """Milliseconds one GET of ``path`` took, negative when it answered neither 200 nor 204."""
    started = time.perf_counter()
    answer = await http.get(path)
    took = (time.perf_counter() - started) * 1000
    return took if answer.status_code in (200, 204) else -took


def figures(samples: list[float]) -> dict[str, float]:
    """Median and 95th percentile of all answers, and the errors among them."""
    ordered = sorted(abs(sample) for sample in samples)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        "errors": sum(1 for sample in samples if sample < 0),
    }


async def route_figures(http: httpx.AsyncClient, path: str) -> dict[str, object]:
    """``path`` timed alone and with ``USERS`` users at once."""
    cpu_started = time.process_time()
    alone = [await ask(http, path) for _ in range(REQUESTS)]
    cpu_ms = (time.process_time() - cpu_started) * 1000 / REQUESTS
    together: list[float] = []

    async def user() -> None:
        for _ in range(2):
            together.append(await ask(http, path))

    await asyncio.gather(*(user() for _ in range(USERS)))
    return {
        "one_user": {**figures(alone), "cpu_ms": round(cpu_ms, 1)},
        f"{USERS}_users": figures(together),
    }
