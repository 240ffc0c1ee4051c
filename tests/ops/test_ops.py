"""Operations endpoints and metrics of a running stack: intake, matcher and notifier in-process
on the real broker and database, each serving /health, /ready and /metrics on its own port."""

import asyncio
import contextlib
import logging
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from prometheus_client import REGISTRY

from services.api.app import create_app
from services.api.settings import ApiSettings
from services.intake.app import build_runtime as intake_runtime
from services.matcher.app import build_runtime as matcher_runtime
from services.matcher.settings import MatcherSettings
from services.notifier.app import build_runtime as notifier_runtime
from services.notifier.settings import NotifierSettings
from shared import topics
from shared.settings import Settings
from tests.builders import need_event, offer_event
from tests.kafka_io import as_json, produce
from tests.pipeline import pipeline_caught_up
from tests.stack import Stack

SERVICES = ("intake", "matcher", "notifier")
FAST = {"metrics_interval_seconds": 0.2, "outbox_poll_seconds": 0.1}


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def eventually(condition: Callable[[], Awaitable[bool]], seconds: float = 90) -> None:
    """Wait until ``condition`` holds."""
    deadline = time.monotonic() + seconds
    while not await condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.2)


@pytest.fixture(scope="module")
async def ports(stack: Stack) -> AsyncIterator[dict[str, int]]:
    """The three services running, each with its operations port."""
    ports = {name: free_port() for name in SERVICES}
    runtimes = (
        intake_runtime(Settings(**FAST), ports["intake"]),
        matcher_runtime(Settings(**FAST), MatcherSettings(), http_port=ports["matcher"]),
        notifier_runtime(NotifierSettings(**FAST, dispatch_poll_seconds=0.1), ports["notifier"]),
    )
    async with contextlib.AsyncExitStack() as running:
        for runtime in runtimes:
            await running.enter_async_context(runtime.running())
        await pipeline_caught_up()
        yield ports


async def get(port: int, path: str) -> httpx.Response:
    """GET a path of a service's operations port."""
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        return await client.get(path)


@pytest.mark.parametrize("service", SERVICES)
async def test_every_service_is_alive_ready_and_measured(
    ports: dict[str, int], service: str
) -> None:
    port = ports[service]
    assert (await get(port, "/health")).json() == {"status": "ok"}

    async def ready() -> bool:
        return (await get(port, "/ready")).status_code == 200

    await eventually(ready)
    assert (await get(port, "/ready")).json() == {"status": "ready", "failed": {}}
    metrics = await get(port, "/metrics")
    assert metrics.headers["content-type"].startswith("text/plain")
    for name in ("schakel_outbox_depth", "schakel_consumer_lag", "faststream_"):
        assert name in metrics.text


async def test_gateway_is_ready_and_measured(stack: Stack) -> None:
    app = create_app(ApiSettings())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
            ready = await client.get("/ready")
            assert ready.status_code == 200, ready.text
            metrics = await client.get("/metrics")
            assert "schakel_decisions" in metrics.text


def sample(name: str, **labels: str) -> float:
    """A sample of the default registry (0 when absent)."""
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_postings_move_latency_and_lag_and_carry_event_ids_in_logs(
    ports: dict[str, int], caplog: pytest.LogCaptureFixture
) -> None:
    await pipeline_caught_up()  # the need's way is then not behind earlier tests' streams
    caplog.set_level(logging.INFO)
    for service in ("services.matcher", "services.notifier"):  # events at DEBUG, batches at INFO
        caplog.set_level(logging.DEBUG, service)
    latencies = sample("schakel_need_to_suggestion_seconds_count")
    offer, need = offer_event(), need_event()
    await produce(topics.OFFERS_SUBMITTED, [(offer["offer_id"], as_json(offer))])
    await asyncio.sleep(1)
    await produce(topics.NEEDS_SUBMITTED, [(need["need_id"], as_json(need))])

    async def suggested() -> bool:
        return sample("schakel_need_to_suggestion_seconds_count") > latencies

    await eventually(suggested)

    async def lag_measured() -> bool:
        metric = REGISTRY.get_sample_value
        return any(
            metric("schakel_consumer_lag", {"group": g, "topic": t, "partition": str(p)})
            is not None
            for g, t in (("intake", topics.NEEDS_SUBMITTED), ("matcher", topics.NEEDS_REGISTERED))
            for p in range(12)
        )

    await eventually(lag_measured)

    async def open_suggestions_counted() -> bool:  # the notifier's probe of the review state
        return sample("schakel_suggestions_open", rtc_region="Limburg") >= 1

    await eventually(open_suggestions_counted, 30)
    assert REGISTRY.get_sample_value("schakel_outbox_depth") is not None

    async def every_service_logged_the_need() -> bool:
        loggers = {
            record.name.split(".")[1]
            for record in caplog.records
            if getattr(record, "context", {}).get("posting_id") == need["need_id"]
        }
        return {"intake", "matcher", "notifier"} <= loggers

    await eventually(every_service_logged_the_need)
    intake_lines = [
        r for r in caplog.records if getattr(r, "context", {}).get("event_id") == need["event_id"]
    ]
    assert intake_lines, "intake logs the submitted event's id"
