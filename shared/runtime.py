"""What every service process holds: engine, sessions, Kafka broker and outbox relay.

A service builds one ``ServiceRuntime``, includes its routers in ``runtime.broker`` and hands
``runtime.lifespan`` to ``FastStream``; tests use ``async with runtime.running():`` to run the same
service in-process against the real broker and database.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

from faststream import FastStream
from faststream.specification import AsyncAPI

from shared.db import make_engine, make_sessionmaker
from shared.health import broker_check, database_check, lag_probe, ops_app, serving
from shared.kafka import make_broker
from shared.logs import configure_logging
from shared.metrics import Probe, outbox_probe, refresh_forever
from shared.outbox import OutboxRelay
from shared.settings import Settings

BackgroundJob = Callable[[], Coroutine[Any, Any, None]]


class ServiceRuntime:
    """The I/O resources of one service process and their start/stop order."""

    def __init__(
        self,
        settings: Settings,
        background_jobs: tuple[BackgroundJob, ...] = (),
        http_port: int | None = None,
    ) -> None:
        """``http_port`` serves /health, /ready and /metrics while the service runs (None: not
        served; tests reach ``ops_app`` in-process or pass a free port)."""
        configure_logging()
        self.settings = settings
        self.http_port = http_port
        # Consumers redeliver a failed batch and the relay retries its round: no ping on each
        # checkout (three round trips each, on every batch's way).
        self.engine = make_engine(settings.database_url, ping_every_checkout=False)
        self.sessions = make_sessionmaker(self.engine)
        self.broker = make_broker(settings)
        self.relay = OutboxRelay(
            self.sessions,
            self.broker,
            poll_seconds=settings.outbox_poll_seconds,
            batch_size=settings.outbox_batch_size,
        )
        self.background_jobs = list(background_jobs)
        # Awaited in turn before the subscribers start (state to build before consuming).
        self.startup_jobs: list[BackgroundJob] = []
        self.probes: list[Probe] = [outbox_probe(self.sessions), lag_probe(self.broker)]
        self.checks = {
            "database": database_check(self.engine, settings.alembic_config),
            "broker": broker_check(self.broker),
        }
        self.ops_app = ops_app(self.checks)

    async def _refresh_metrics(self) -> None:
        await refresh_forever(self.probes, self.settings.metrics_interval_seconds)

    @contextlib.asynccontextmanager
    async def lifespan(self) -> AsyncIterator[None]:
        """Relay and background jobs run while the broker consumes; the engine closes last.

        Start-up jobs run first, with /health already served and /ready not yet true; the
        background jobs start after them.

        The relay connects the broker it publishes through; FastStream (or :meth:`running`) starts
        the subscribers after this and stops the relay before the broker (``on_shutdown``).
        """
        await self.relay.start()
        tasks = [asyncio.create_task(self._refresh_metrics())]
        try:
            async with contextlib.AsyncExitStack() as ops:
                if self.http_port is not None:
                    await ops.enter_async_context(
                        serving(self.ops_app, self.settings.http_host, self.http_port)
                    )
                for startup in self.startup_jobs:
                    await startup()
                tasks += [asyncio.create_task(job()) for job in self.background_jobs]
                yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self.relay.stop()
            await self.engine.dispose()

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator["ServiceRuntime"]:
        """Run the whole service in-process (tests, CLI tools)."""
        async with self.lifespan():
            await self.broker.start()
            try:
                yield self
            finally:
                await self.relay.stop()  # as FastStream's on_shutdown does
                await self.broker.stop()

    def application(self, title: str, description: str) -> FastStream:
        """The FastStream application ``faststream run`` starts, with its AsyncAPI description."""
        return FastStream(
            self.broker,
            lifespan=self.lifespan,
            on_shutdown=[self.relay.stop],  # publishes through the broker: stops before it
            specification=AsyncAPI(title=title, version="1.0.0", description=description),
        )
