"""Intake composition root: ``faststream run services.intake.app:app``."""

import asyncio
import logging

from services.intake.handlers import build_router
from services.intake.service import IntakeService
from services.intake.settings import IntakeSettings
from shared.runtime import ServiceRuntime
from shared.settings import Settings

log = logging.getLogger(__name__)
EXPIRY_INTERVAL_SECONDS = 3600


def build_runtime(settings: Settings, http_port: int | None = None) -> ServiceRuntime:
    """The intake service with its subscriber, outbox relay and hourly expiry job (and its
    operations endpoints on ``http_port``)."""
    runtime = ServiceRuntime(settings, http_port=http_port)
    intake = IntakeService(runtime.sessions, settings.max_message_bytes)

    async def expire_hourly() -> None:
        while True:
            try:
                log.info("expired %d postings", await intake.expire())
            except Exception:  # an outage must not end the job
                log.exception("expiry round failed")
            await asyncio.sleep(EXPIRY_INTERVAL_SECONDS)

    runtime.broker.include_router(build_router(intake, settings.intake_batch_size))
    runtime.background_jobs.append(expire_hourly)
    return runtime


settings = IntakeSettings()
runtime = build_runtime(settings, settings.http_port)
app = runtime.application(
    "Schakel intake", "Validates, normalises and stores needs and offers; registers them onward."
)
