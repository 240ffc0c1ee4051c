"""``/health``, ``/ready`` and ``/metrics`` of a service, and the checks behind ``/ready``.

A service is ready when its database answers, its broker is reachable, every consumer of its
subscribers holds partitions, and the database schema is at the head revision of
deploy/migrations. Each check answers ``None`` when it passes, or what is wrong.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import uvicorn
from alembic.config import Config
from alembic.script import ScriptDirectory
from faststream.kafka import KafkaBroker
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from shared.metrics import CONSUMER_LAG, OwnLabels

log = logging.getLogger(__name__)
Check = Callable[[], Awaitable[str | None]]
CHECK_TIMEOUT_SECONDS = 3.0


@cache
def head_revision(alembic_ini: str) -> str | None:
    """The head revision of the migrations ``alembic_ini`` points at."""
    return ScriptDirectory.from_config(Config(alembic_ini)).get_current_head()


def database_check(engine: AsyncEngine, alembic_ini: str) -> Check:
    """The database answers and its ``alembic_version`` is the migrations' head."""

    config = str(Path(alembic_ini).resolve())

    async def check() -> str | None:
        async with engine.connect() as connection:
            stored = await connection.scalar(text("SELECT version_num FROM alembic_version"))
        head = head_revision(config)
        return None if stored == head else f"schema at {stored}, migrations head is {head}"

    return check


def consumers(broker: KafkaBroker) -> Iterator[Any]:
    """The started aiokafka consumers behind the broker's subscribers."""
    for subscriber in broker.subscribers:
        group = getattr(subscriber, "consumer_subgroup", None) or [
            getattr(subscriber, "consumer", None)
        ]
        yield from (consumer for consumer in group if consumer is not None)


def broker_check(broker: KafkaBroker) -> Check:
    """The broker answers and every subscriber's consumer has partitions assigned."""

    async def check() -> str | None:
        if not await broker.ping(timeout=CHECK_TIMEOUT_SECONDS):
            return "broker not reachable"
        started = list(consumers(broker))
        if len(started) < len(list(broker.subscribers)):
            return "subscribers not started"
        if not all(consumer.assignment() for consumer in started):
            return "no partitions assigned yet"
        return None

    return check


def lag_probe(broker: KafkaBroker) -> Callable[[], Awaitable[None]]:
    """A metrics probe: per group and partition, end offset minus committed offset."""
    shown = OwnLabels(CONSUMER_LAG)

    async def probe() -> None:
        rows: list[tuple[tuple[str, ...], float]] = []
        for consumer in consumers(broker):
            assigned = list(consumer.assignment())
            if not assigned:
                continue
            ends = await consumer.end_offsets(assigned)
            for partition in assigned:
                committed = await consumer.committed(partition) or 0
                labels = (str(consumer._group_id), partition.topic, str(partition.partition))
                rows.append((labels, max(ends[partition] - committed, 0)))
        shown.replace(rows)

    return probe


async def failures(checks: Mapping[str, Check]) -> dict[str, str]:
    """What is wrong, by check name; empty when all pass."""

    async def run(check: Check) -> str | None:
        try:
            return await asyncio.wait_for(check(), CHECK_TIMEOUT_SECONDS * 2)
        except Exception as error:  # an unreachable dependency is an answer, not a crash
            return f"{type(error).__name__}: {error}"

    results = await asyncio.gather(*(run(check) for check in checks.values()))
    return {name: result for name, result in zip(checks, results, strict=True) if result}


def ops_app(checks: Mapping[str, Check]) -> Starlette:
    """The ASGI app of a service's operations port."""

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def ready(request: Request) -> JSONResponse:
        failed = await failures(checks)
        body = {"status": "not ready" if failed else "ready", "failed": failed}
        return JSONResponse(body, status_code=503 if failed else 200)

    async def metrics(request: Request) -> Response:
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    routes = [Route("/health", health), Route("/ready", ready), Route("/metrics", metrics)]
    return Starlette(routes=routes)


class _QuietServer(uvicorn.Server):
    """Leaves signals to the service (FastStream or the test), which stops this server."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.asynccontextmanager
async def serving(app: Starlette, host: str, port: int) -> AsyncIterator[None]:
    """Serve ``app`` on ``host:port`` while the block runs."""
    server = _QuietServer(
        uvicorn.Config(app, host=host, port=port, log_config=None, lifespan="off")
    )
    task = asyncio.create_task(server.serve(), name=f"ops-http-{port}")
    while not server.started and not task.done():  # noqa: ASYNC110 (uvicorn offers a flag only)
        await asyncio.sleep(0.02)
    if task.done():
        task.result()  # re-raise why it could not start (port in use)
        raise RuntimeError(f"ops server on port {port} did not start")
    try:
        yield
    finally:
        server.should_exit = True
        await task
