"""Matcher composition root: ``faststream run services.matcher.app:app``."""

import asyncio
import logging
from datetime import UTC, datetime

from threadpoolctl import threadpool_limits

from services.matcher.handlers import build_router
from services.matcher.learning.service import train_and_store
from services.matcher.learning.settings import LearningSettings
from services.matcher.service import CONSUMER, MatcherService
from services.matcher.settings import MatcherSettings
from shared.dead_letters import DeadLetters
from shared.runtime import ServiceRuntime
from shared.settings import Settings

log = logging.getLogger(__name__)
EXPIRY_INTERVAL_SECONDS = 3600
RETRAIN_CHECK_SECONDS = 3600  # how often an instance asks whether a retraining is due


def build_runtime(
    settings: Settings,
    matcher_settings: MatcherSettings,
    learning: LearningSettings | None = None,
    http_port: int | None = None,
) -> ServiceRuntime:
    """The matcher with its subscriber, outbox relay, hourly expiry job, the watch for a newly
    published model, the periodic retraining (and its operations endpoints on ``http_port``)."""
    runtime = ServiceRuntime(settings, http_port=http_port)
    service = MatcherService(runtime.sessions, matcher_settings)
    learning = learning or LearningSettings()

    async def expire_hourly() -> None:
        while True:
            try:
                expired = await service.expire(datetime.now(UTC).date())
                log.info("withdrew %d suggestions of expired postings", len(expired.withdrawn))
            except Exception:  # an outage must not end the job
                log.exception("expiry round failed")
            await asyncio.sleep(EXPIRY_INTERVAL_SECONDS)

    async def watch_models() -> None:
        while True:
            await asyncio.sleep(matcher_settings.model_poll_seconds)
            try:
                await service.follow_ranking()
            except Exception:
                log.exception("looking for a published model failed")

    async def retrain() -> None:
        while True:
            try:
                report = await train_and_store(
                    runtime.sessions, learning, matcher_settings.weights, due_only=True
                )
                log.info("retraining: %s (version %s)", report.verdict, report.version)
            except Exception:
                log.exception("retraining failed")
            await asyncio.sleep(min(RETRAIN_CHECK_SECONDS, learning.retrain_hours * 3600))

    dead_letters = DeadLetters(runtime.sessions, CONSUMER)
    runtime.broker.include_router(build_router(service, matcher_settings.batch_size, dead_letters))
    runtime.startup_jobs.append(service.warm_up)
    runtime.background_jobs += [expire_hourly, watch_models]
    if learning.retrain_hours > 0:
        runtime.background_jobs.append(retrain)
    return runtime


# One thread in numpy's, scipy's and OpenMP's native pools: matchers scale out as processes, one
# per core, and pools of threads that spin-wait for each other took the cores other instances and
# services needed (two instances on two cores worked off a backlog 1.1x as fast as one; 1.6x so).
threadpool_limits(1)
matcher_settings = MatcherSettings()
runtime = build_runtime(Settings(), matcher_settings, http_port=matcher_settings.http_port)
app = runtime.application(
    "Schakel matcher", "Scores open needs against open offers and suggests the best matches."
)
