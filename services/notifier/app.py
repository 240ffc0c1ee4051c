"""Composition root: ``faststream run services.notifier.app:app``.

Consumes needs.registered, offers.registered and matches.suggested/withdrawn/decided/reviewed,
keeping the review state (``services.review``) up to date; refusals of outside decisions go to
postings.rejected through the outbox; sends mail and webhooks from a background dispatcher.
"""

import contextlib
import os

from services.notifier import gauges
from services.notifier.coordinators import CoordinatorCache
from services.notifier.dispatcher import Dispatcher
from services.notifier.handlers import build_router
from services.notifier.service import CONSUMER, NotifierService
from services.notifier.settings import NotifierSettings
from shared.dead_letters import DeadLetters
from shared.runtime import BackgroundJob, ServiceRuntime


def build_runtime(settings: NotifierSettings, http_port: int | None = None) -> ServiceRuntime:
    """The notifier's broker, sessions, outbox relay and dispatcher, not started (operations
    endpoints on ``http_port``)."""
    runtime = ServiceRuntime(settings, http_port=http_port)
    runtime.probes.append(gauges.review_probe(runtime.sessions))
    coordinators = CoordinatorCache(settings.coordinator_cache_seconds)
    service = NotifierService(runtime.sessions, coordinators)
    dead_letters = DeadLetters(runtime.sessions, CONSUMER)
    runtime.broker.include_router(build_router(service, settings, dead_letters))
    runtime.background_jobs.append(Dispatcher(runtime.sessions, settings).run)
    runtime.startup_jobs.append(yielding(settings.niceness))
    return runtime


def yielding(niceness: int) -> BackgroundJob:
    """A start-up job raising the CPU niceness of every thread of the process to ``niceness``
    (threads started later inherit it); a thread already nicer stays as it is."""

    async def yield_cores() -> None:
        for thread in _threads():
            # a thread that ended since it was listed has nothing left to yield
            with contextlib.suppress(ProcessLookupError):
                if niceness > os.getpriority(os.PRIO_PROCESS, thread):
                    os.setpriority(os.PRIO_PROCESS, thread, niceness)

    return yield_cores


def _threads() -> list[int]:
    """The ids of this process's threads: on Linux niceness belongs to each thread; elsewhere
    (0) to the process."""
    try:
        return [int(thread) for thread in os.listdir("/proc/self/task")]
    except FileNotFoundError:
        return [0]


settings = NotifierSettings()
runtime = build_runtime(settings, settings.http_port)
app = runtime.application(
    "Schakel notifier",
    "Tells RTC coordinators about suggestions and schools and providers about accepted matches.",
)
