"""Where events enter the notifier: one durable batch subscriber, one transaction per batch.

A single consumer in group ``notifier`` reads all six topics (one group member per process, so
no rebalance storms). A batch is applied in one transaction (``service``) and its offsets are
committed only after it succeeded (``durable``); the inbox claim makes a redelivery a no-op.
"""

from typing import Annotated

from faststream import NoCast
from faststream.kafka import KafkaRouter
from faststream.message import StreamMessage
from pydantic import BaseModel

from services.notifier.service import CONSUMER, NotifierService, Routed
from shared import topics
from shared.contracts import (
    MatchDecided,
    MatchReviewed,
    MatchSuggested,
    MatchWithdrawn,
    NeedRegistered,
    OfferRegistered,
    PostingRejected,
)
from shared.kafka import durable, parse_by_topic

GROUP_ID = CONSUMER
INBOUND: dict[str, type[BaseModel]] = {
    topics.NEEDS_REGISTERED: NeedRegistered,
    topics.OFFERS_REGISTERED: OfferRegistered,
    topics.MATCHES_SUGGESTED: MatchSuggested,
    topics.MATCHES_WITHDRAWN: MatchWithdrawn,
    topics.MATCHES_DECIDED: MatchDecided,
    topics.MATCHES_REVIEWED: MatchReviewed,
}


async def routed_events(message: StreamMessage[object]) -> list[Routed]:
    """The batch's events with their topics, each parsed by its topic's model."""
    return parse_by_topic(message, INBOUND)


def build_router(service: NotifierService, batch_size: int) -> KafkaRouter:
    """The notifier's subscriber, bound to its service."""
    router = KafkaRouter()
    router.publisher(
        topics.POSTINGS_REJECTED,
        schema=PostingRejected,
        description="A matches.decided from outside that the review rules refused.",
    )

    @router.subscriber(
        *INBOUND,
        batch=True,
        max_records=batch_size,
        decoder=routed_events,
        title="notifier-postings-and-matches",
        description="Registered postings, suggestions, withdrawals, decisions and their review.",
        **durable(GROUP_ID),
    )
    async def on_events(batch: Annotated[list[Routed], NoCast]) -> None:
        await service.handle(batch)

    return router
