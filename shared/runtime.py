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
from shared.kafka import make_broker
from shared.outbox import OutboxRelay
from shared.settings import Settings

BackgroundJob = Callable[[], Coroutine[Any, Any, None]]


class ServiceRuntime:
    """The I/O resources of one service process and their start/stop order."""

    def __init__(self, settings: Settings, background_jobs: tuple[BackgroundJob, ...] = ()) -> None:
        self.settings = settings
        self.engine = make_engine(settings.database_url)
        self.sessions = make_sessionmaker(self.engine)
        self.broker = make_broker(settings)
        self.relay = OutboxRelay(
            self.sessions,
            settings.kafka_bootstrap_servers,
            poll_seconds=settings.outbox_poll_seconds,
            batch_size=settings.outbox_batch_size,
        )
        self.background_jobs = list(background_jobs)

    @contextlib.asynccontextmanager
    async def lifespan(self) -> AsyncIterator[None]:
        """Relay and background jobs run while the broker consumes; the engine closes last."""
        await self.relay.start()
        tasks = [asyncio.create_task(job()) for job in self.background_jobs]
        try:
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
                await self.broker.stop()

    def application(self, title: str, description: str) -> FastStream:
        """The FastStream application ``faststream run`` starts, with its AsyncAPI description."""
        return FastStream(
            self.broker,
            lifespan=self.lifespan,
            specification=AsyncAPI(title=title, version="1.0.0", description=description),
        )
