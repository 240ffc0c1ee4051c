"""The front door from outside: the API as ``make up`` runs it (``uvicorn --workers N``, its own
processes) on the front door's world (``tests.bench.front_door.fill``, ``FRONT_DOOR_NEEDS``
needs, ``FRONT_DOOR_FILL``), every route of ``tests.bench.front_door`` (``FRONT_DOOR_ROUTES``:
only those named) asked over real HTTP by the same people, ``GET /health`` the floor of the same
run: one user in a closed loop for a third of ``WORKERS_SECONDS``, then ``BENCH_USERS`` users at
once for ``WORKERS_SECONDS`` (default 15) per route, with each count of ``WORKERS`` worker
processes in turn (comma separated, default "1,2"), the pipeline's services running beside
it as ``make up`` runs them (intake, the matcher, the notifier and a mail sink; each works on
what the world gives it, else idles). ``WORKERS_FLOW`` (needs a second, default 0) has new needs
of every region produced on ``needs.submitted`` at that rate all the while, so the pages are
asked while postings flow through the pipeline (and change what the coordinator's queue shows).

Writes bench-results/api_workers.json (with a flow: api_workers_flowing.json): per worker count
and route, requests per second, the
median and 95th percentile in milliseconds, errors, and the CPU the API's processes and the
users' (this process: ``tests.bench.http_users``, a keep-alive connection each) spent on a
request of the one user.
"""

import asyncio
import contextlib
import itertools
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import psutil
from aiokafka import AIOKafkaProducer

from tests.api.builders import PASSWORD
from tests.bench import front_door_fill, postings, processes
from tests.bench.front_door import NEEDS, QUEUE, chosen_routes, fill, people, queue_version
from tests.bench.http_users import User
from tests.bench.on_stack import run_on_stack
from tests.bench.timing import USERS, figures
from tests.stack import KAFKA_BOOTSTRAP, REPO

SECONDS = float(os.environ.get("WORKERS_SECONDS", "15"))
WORKERS = [int(count) for count in os.environ.get("WORKERS", "1,2").split(",")]
PORT = int(os.environ.get("WORKERS_API_PORT", "28080"))
FLOW = float(os.environ.get("WORKERS_FLOW", "0"))  # new needs a second while the pages are asked
RESULTS = Path(f"bench-results/api_workers{'_flowing' if FLOW else ''}.json")


def _serve(workers: int) -> subprocess.Popen[bytes]:
    uvicorn = [sys.executable, "-m", "uvicorn", "services.api.app:app"]
    address = ["--host", "127.0.0.1", "--port", str(PORT), "--log-level", "warning"]
    return subprocess.Popen(
        [*uvicorn, *address, "--workers", str(workers)], cwd=REPO, start_new_session=True
    )


def _cpu_seconds(server: psutil.Process) -> float:
    """CPU seconds the API's processes (the server and its workers) have spent so far."""
    processes = [server, *server.children(recursive=True)]
    return sum(sum(process.cpu_times()[:2]) for process in processes)


async def _ready(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as http:
        for _ in range(240):
            try:
                if (await http.get("/ready")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.5)
    raise RuntimeError("the API did not get ready")


async def _asking(cookies: str, path: str, users: int, seconds: float) -> list[float]:
    """``users`` people asking ``path`` one answer after the other, each at least once and on
    for ``seconds``: the milliseconds of every answer (``User.ask``)."""
    people = [await User.connect("127.0.0.1", PORT, cookies) for _ in range(users)]
    samples: list[float] = []
    until = time.perf_counter() + seconds

    async def ask_on(user: User) -> None:
        samples.append(await user.ask(path))
        while time.perf_counter() < until:
            samples.append(await user.ask(path))

    try:
        await asyncio.gather(*(ask_on(user) for user in people))
    finally:
        for user in people:
            user.close()
    return samples


async def _closed_loop(cookies: str, path: str, users: int, seconds: float) -> dict[str, float]:
    samples = await _asking(cookies, path, users, seconds)
    return {"requests_per_s": round(len(samples) / seconds, 1), **figures(samples)}


async def _route(
    cookies: str, path: str, server: psutil.Process, workers: int
) -> dict[str, object]:
    """``path`` alone and with ``USERS`` users, after a request per worker and one more (each
    worker's first request fills what it remembers, as its first user's would)."""
    await _asking(cookies, path, workers + 1, 0)
    cpu_started, asking_started = _cpu_seconds(server), time.process_time()
    alone = await _closed_loop(cookies, path, 1, SECONDS / 3)
    requests = alone["requests_per_s"] * SECONDS / 3
    cpu_ms = (_cpu_seconds(server) - cpu_started) * 1000 / requests
    asking_ms = (time.process_time() - asking_started) * 1000 / requests
    return {
        "one_user": {**alone, "api_cpu_ms": round(cpu_ms, 1), "client_cpu_ms": round(asking_ms, 1)},
        f"{USERS}_users": await _closed_loop(cookies, path, USERS, SECONDS),
    }


async def _signed_in(base: str, email: str) -> str:
    """The cookies of a browser that signed in as ``email``, as a ``Cookie`` header's value."""
    async with httpx.AsyncClient(base_url=base) as http:
        signed = await http.post("/api/session", json={"email": email, "password": PASSWORD})
        assert signed.status_code == 200, signed.text
        return "; ".join(f"{name}={value}" for name, value in http.cookies.items())


async def _measure(workers: int, emails: dict[str, str]) -> dict[str, object]:
    server = _serve(workers)
    base = f"http://127.0.0.1:{PORT}"
    try:
        await _ready(base)
        cookies = {who: await _signed_in(base, email) for who, email in emails.items()}
        async with httpx.AsyncClient(
            base_url=base, headers={"Cookie": cookies["coordinator"]}
        ) as http:
            listing = await http.get(f"{QUEUE}/lijst", params={"status": "open"})
        version = queue_version(listing.text)
        api = psutil.Process(server.pid)
        return {
            name: await _route(cookies[who], path.format(version=version), api, workers)
            for name, (who, path) in chosen_routes(baseline=False).items()
        }
    finally:
        os.killpg(server.pid, 15)
        server.wait(30)


@contextlib.asynccontextmanager
async def _flowing(rate: float) -> AsyncIterator[dict[str, float]]:
    """New needs produced at ``rate`` a second until the block ends (none at 0); yields the
    figures of the flow, filled in when it ends."""
    flow: dict[str, float] = {}
    if not rate:
        yield flow
        return
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA_BOOTSTRAP, acks="all")
    await producer.start()
    started, sent = time.perf_counter(), 0

    async def produce() -> None:
        nonlocal sent
        for chunk in itertools.count():  # paced, a thousand needs at a time, until cancelled
            for topic, key, value in postings.needs(1_000, f"flowing-{chunk}", seed=chunk):
                await asyncio.sleep(max(0.0, started + sent / rate - time.perf_counter()))
                await producer.send(topic, key=key.encode(), value=value)
                sent += 1

    task = asyncio.create_task(produce())
    try:
        yield flow
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await producer.stop()
        seconds = time.perf_counter() - started
        flow |= {"needs_produced": sent, "needs_per_s": round(sent / seconds, 1)}


async def _all_figures() -> dict[str, object]:
    """Fill the world, start the pipeline's services beside the API as ``make up`` runs them
    (``FRONT_DOOR_SERVICE_PORT`` moves their HTTP ports), then measure each count of workers."""
    world = await fill()
    emails = await people()
    services = processes.pipeline(front_door_fill.PORTS)
    figures_by_workers: dict[str, object] = {
        "world": world,
        "needs": NEEDS,
        "users": USERS,
        "seconds_per_route": SECONDS,
        "services_running": [service.name for service in services],
    }
    async with processes.running(services), _flowing(FLOW) as flow:
        for workers in WORKERS:
            figures_by_workers[f"{workers}_workers"] = await _measure(workers, emails)
    return figures_by_workers | ({"postings_flowing": flow} if flow else {})


def main() -> None:
    """Measure on a fresh test stack; write and print the figures."""
    run_on_stack(_all_figures, RESULTS)


if __name__ == "__main__":
    main()
