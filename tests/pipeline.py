"""The whole pipeline in-process, as ``make up`` starts it: intake, matcher and notifier on the
test stack's Kafka and PostgreSQL."""

import contextlib
from collections.abc import AsyncIterator

from services.intake.app import build_runtime as intake_runtime
from services.matcher.app import build_runtime as matcher_runtime
from services.matcher.settings import MatcherSettings
from services.notifier.app import build_runtime as notifier_runtime
from services.notifier.settings import NotifierSettings
from shared.settings import Settings


@contextlib.asynccontextmanager
async def running_pipeline() -> AsyncIterator[None]:
    """Intake, matcher and notifier consuming; digests and reminders left to the tests."""
    async with (
        intake_runtime(Settings()).running(),
        matcher_runtime(Settings(), MatcherSettings()).running(),
        notifier_runtime(NotifierSettings(periodic_seconds=10**6)).running(),
    ):
        yield
