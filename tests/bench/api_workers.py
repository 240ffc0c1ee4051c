"""One uvicorn worker against two: the API as ``make up`` runs it (``uvicorn --workers N``, its
own processes), on the front door's world (``tests.bench.front_door.fill``,
``FRONT_DOOR_NEEDS`` needs), asked over real HTTP by ``BENCH_USERS`` users at once in a closed
loop for ``WORKERS_SECONDS`` seconds per route, ``GET /health`` the floor of the same run.

Writes bench-results/api_workers.json: per worker count and route, requests per second and the
median and 95th percentile in milliseconds.
"""

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from shared.db import make_engine, make_sessionmaker
from tests.api.builders import PASSWORD, Accounts
from tests.bench import front_door_world as world
from tests.bench.front_door import NEEDS, fill
from tests.bench.on_stack import run_on_stack
from tests.bench.timing import USERS, ask, figures
from tests.stack import REPO, database_url

SECONDS = float(os.environ.get("WORKERS_SECONDS", "15"))
PORT = int(os.environ.get("WORKERS_API_PORT", "28080"))
RESULTS = Path("bench-results/api_workers.json")
ROUTES = {
    "health": ("coordinator", "/health"),
    "queue_page": ("coordinator", "/beoordelen"),
    "api_matches_open": ("coordinator", "/api/matches?status=open"),
    "dashboard_admin": ("admin", "/dashboard"),
    "api_catalogue_search": ("coordinator", "/api/catalogue?q=lassen"),
    "school_page": ("school", "/school"),
    "inbox": ("school", "/inbox"),
}


def _serve(workers: int) -> subprocess.Popen[bytes]:
    uvicorn = [sys.executable, "-m", "uvicorn", "services.api.app:app"]
    address = ["--host", "127.0.0.1", "--port", str(PORT), "--log-level", "warning"]
    return subprocess.Popen(
        [*uvicorn, *address, "--workers", str(workers)], cwd=REPO, start_new_session=True
    )


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


async def _closed_loop(http: httpx.AsyncClient, path: str) -> dict[str, object]:
    samples: list[float] = []
    until = time.perf_counter() + SECONDS

    async def user() -> None:
        while time.perf_counter() < until:
            samples.append(await ask(http, path))

    await asyncio.gather(*(user() for _ in range(USERS)))
    return {"requests_per_s": round(len(samples) / SECONDS, 1), **figures(samples)}


async def _measure(workers: int, emails: dict[str, str]) -> dict[str, object]:
    server = _serve(workers)
    base = f"http://127.0.0.1:{PORT}"
    try:
        await _ready(base)
        clients = {who: httpx.AsyncClient(base_url=base, timeout=120) for who in emails}
        for who, email in emails.items():
            signed = await clients[who].post(
                "/api/session", json={"email": email, "password": PASSWORD}
            )
            assert signed.status_code == 200, signed.text
        measured = {
            name: await _closed_loop(clients[who], path) for name, (who, path) in ROUTES.items()
        }
        for client in clients.values():
            await client.aclose()
        return measured
    finally:
        os.killpg(server.pid, 15)
        server.wait(30)


async def _all_figures() -> dict[str, object]:
    await fill()
    accounts = Accounts(make_sessionmaker(make_engine(database_url())))
    emails = {
        "coordinator": (await accounts.create("coordinator", region="Limburg")).email,
        "admin": (await accounts.create("admin")).email,
        "school": (await accounts.create("school", world.SCHOOL)).email,
    }
    return {
        "needs": NEEDS,
        "users": USERS,
        "seconds_per_route": SECONDS,
        "one_worker": await _measure(1, emails),
        "two_workers": await _measure(2, emails),
    }


def main() -> None:
    """Measure on a fresh test stack; write and print the figures."""
    run_on_stack(_all_figures, RESULTS)


if __name__ == "__main__":
    main()
