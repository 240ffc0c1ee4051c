"""Where events enter the matcher: one batch subscriber on registered postings and decisions."""

import logging
from typing import Annotated

from faststream import NoCast
from faststream.kafka import KafkaRouter
from faststream.message import StreamMessage
from pydantic import ValidationError

from services.matcher.service import CONSUMER, Event, MatcherService
from shared import topics
from shared.contracts import (
    MatchDecided,
    MatchSuggested,
    MatchWithdrawn,
    NeedRegistered,
    OfferRegistered,
)
from shared.kafka import durable

log = logging.getLogger(__name__)
INBOUND: dict[str, type[Event]] = {
    topics.NEEDS_REGISTERED: NeedRegistered,
    topics.OFFERS_REGISTERED: OfferRegistered,
    topics.MATCHES_DECIDED: MatchDecided,
}
# What the matcher emits through its outbox; declared so AsyncAPI documents it.
OUTBOUND = {topics.MATCHES_SUGGESTED: MatchSuggested, topics.MATCHES_WITHDRAWN: MatchWithdrawn}


async def events(message: StreamMessage[object]) -> list[Event]:
    """Parse each record by its topic; an internal event that does not parse is logged and
    skipped rather than redelivered forever."""
    consumed = message.raw_message if isinstance(message.raw_message, tuple) else ()
    parsed: list[Event] = []
    for record in consumed:
        try:
            parsed.append(INBOUND[record.topic].model_validate_json(record.value or b""))
        except ValidationError:
            log.exception(
                "skipping undecodable %s record at offset %s", record.topic, record.offset
            )
    return parsed


def build_router(service: MatcherService, batch_size: int) -> KafkaRouter:
    """The matcher subscriber, bound to its use cases."""
    router = KafkaRouter()
    for topic, model in OUTBOUND.items():
        router.publisher(topic, schema=model, description=model.__doc__)

    @router.subscriber(
        *INBOUND,
        batch=True,
        max_records=batch_size,
        decoder=events,
        title="matcher-postings-and-decisions",
        description="Registered needs and offers, and coordinators' decisions.",
        **durable(CONSUMER),
    )
    async def on_events(batch: Annotated[list[Event], NoCast]) -> None:
        await service.handle(batch)

    return router
