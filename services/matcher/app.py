"""Matcher composition root: ``faststream run services.matcher.app:app``."""

import asyncio
import logging
from datetime import UTC, datetime

from services.matcher.handlers import build_router
from services.matcher.service import MatcherService
from services.matcher.settings import MatcherSettings
from shared.runtime import ServiceRuntime
from shared.settings import Settings

log = logging.getLogger(__name__)
EXPIRY_INTERVAL_SECONDS = 3600


def build_runtime(
    settings: Settings, matcher_settings: MatcherSettings, http_port: int | None = None
) -> ServiceRuntime:
    """The matcher with its subscriber, outbox relay and hourly expiry job (and its operations
    endpoints on ``http_port``)."""
    runtime = ServiceRuntime(settings, http_port=http_port)
    service = MatcherService(runtime.sessions, matcher_settings)

    async def expire_hourly() -> None:
        while True:
            try:
                expired = await service.expire(datetime.now(UTC).date())
                log.info("withdrew %d suggestions of expired postings", len(expired.withdrawn))
            except Exception:  # an outage must not end the job
                log.exception("expiry round failed")
            await asyncio.sleep(EXPIRY_INTERVAL_SECONDS)

    runtime.broker.include_router(build_router(service, matcher_settings.batch_size))
    runtime.background_jobs.append(expire_hourly)
    return runtime


matcher_settings = MatcherSettings()
runtime = build_runtime(Settings(), matcher_settings, matcher_settings.http_port)
app = runtime.application(
    "Schakel matcher", "Scores open needs against open offers and suggests the best matches."
)
