"""Where events enter the notifier: one durable batch subscriber, one transaction per batch.

A single consumer in group ``notifier`` reads all six topics (one group member per process, so
no rebalance storms). A batch is applied in one transaction (``service``) and its offsets are
committed only after it succeeded (``durable``); the processed-events claim makes a redelivery
a no-op. After a batch that was not full the consumer lingers a moment, so that a steady
trickle of events is applied in a few transactions rather than one each.
A record that does not parse, or whose data the database refuses, is dead-lettered
(``shared.dead_letters``); the rest of its batch is applied.
"""

import asyncio
from collections.abc import Sequence
from typing import Annotated

from faststream import NoCast
from faststream.kafka import KafkaRouter
from faststream.message import StreamMessage
from pydantic import BaseModel

from services.notifier.service import CONSUMER, NotifierService
from services.notifier.settings import NotifierSettings
from shared import topics
from shared.contracts import (
    DeadLetter,
    MatchDecided,
    MatchReviewed,
    MatchSuggested,
    MatchWithdrawn,
    NeedRegistered,
    OfferRegistered,
    PostingRejected,
)
from shared.dead_letters import DeadLetters
from shared.deliveries import Delivery, Parsed, on_the_wire, parse_by_topic
from shared.kafka import durable

GROUP_ID = CONSUMER
INBOUND: dict[str, type[BaseModel]] = {
    topics.NEEDS_REGISTERED: NeedRegistered,
    topics.OFFERS_REGISTERED: OfferRegistered,
    topics.MATCHES_SUGGESTED: MatchSuggested,
    topics.MATCHES_WITHDRAWN: MatchWithdrawn,
    topics.MATCHES_DECIDED: MatchDecided,
    topics.MATCHES_REVIEWED: MatchReviewed,
}


async def deliveries(message: StreamMessage[object]) -> list[Delivery]:
    """The batch's records, each parsed by its topic's model where it can be."""
    return list(parse_by_topic(message, INBOUND))


def build_router(
    service: NotifierService, settings: NotifierSettings, dead_letters: DeadLetters
) -> KafkaRouter:
    """The notifier's subscriber, bound to its service and its dead letters; after a batch
    that was not full it lingers (``consumer_linger_seconds``) so the next one gathers more."""
    batch_size, linger = settings.consumer_batch_size, settings.consumer_linger_seconds
    router = KafkaRouter()
    router.publisher(
        topics.POSTINGS_REJECTED,
        schema=PostingRejected,
        description="A matches.decided from outside that the review rules refused.",
    )
    router.publisher(topics.INTERNAL_DLQ, schema=DeadLetter, description=DeadLetter.__doc__)

    @router.subscriber(
        *INBOUND,
        batch=True,
        max_records=batch_size,
        decoder=deliveries,
        title="notifier-postings-and-matches",
        description="Registered postings, suggestions, withdrawals, decisions and their review.",
        **durable(GROUP_ID),
    )
    async def on_events(
        batch: Annotated[list[Delivery], NoCast, on_the_wire(*INBOUND.values())],
    ) -> None:
        await dead_letters.consume(batch, apply)
        if len(batch) < batch_size:
            await asyncio.sleep(linger)

    async def apply(part: Sequence[Parsed[BaseModel]]) -> None:
        await service.handle([(delivery.record.topic, delivery.event) for delivery in part])

    return router
