"""The whole pipeline in-process, as ``make up`` starts it: intake, matcher and notifier on the
test stack's Kafka and PostgreSQL."""

import contextlib
from collections.abc import AsyncIterator

from services.intake.app import build_runtime as intake_runtime
from services.intake.handlers import INBOUND_TOPICS as INTAKE_TOPICS
from services.intake.service import CONSUMER as INTAKE_GROUP
from services.matcher.app import build_runtime as matcher_runtime
from services.matcher.handlers import INBOUND as MATCHER_TOPICS
from services.matcher.service import CONSUMER as MATCHER_GROUP
from services.matcher.settings import MatcherSettings
from services.notifier.app import build_runtime as notifier_runtime
from services.notifier.handlers import GROUP_ID as NOTIFIER_GROUP
from services.notifier.handlers import INBOUND as NOTIFIER_TOPICS
from services.notifier.settings import NotifierSettings
from shared.settings import Settings
from tests.kafka_io import caught_up
from tests.stack import KAFKA_BOOTSTRAP

# Each consumer group of the pipeline with the topics it reads, in the order they feed each other.
CONSUMERS = (
    (INTAKE_GROUP, INTAKE_TOPICS),
    (MATCHER_GROUP, MATCHER_TOPICS),
    (NOTIFIER_GROUP, NOTIFIER_TOPICS),
)


@contextlib.asynccontextmanager
async def running_pipeline(smtp_port: int = 25) -> AsyncIterator[None]:
    """Intake, matcher and notifier consuming; digests and reminders left to the tests. The
    notifier mails to the SMTP server on 127.0.0.1:``smtp_port`` (a test's mail sink)."""
    notifier = NotifierSettings(
        periodic_seconds=10**6, coordinator_cache_seconds=0, smtp_port=smtp_port,
        smtp_timeout_seconds=5,
    )  # fmt: skip
    async with (
        intake_runtime(Settings()).running(),
        matcher_runtime(Settings(), MatcherSettings()).running(),
        notifier_runtime(notifier).running(),
    ):
        yield


async def pipeline_caught_up(bootstrap: str = KAFKA_BOOTSTRAP, seconds: float = 600) -> None:
    """Wait until intake, matcher and notifier, in that order, have worked through what is on
    their topics now (earlier tests of the session stream thousands of events there)."""
    for group, topic_names in CONSUMERS:
        await caught_up(group, topic_names, seconds, bootstrap)
