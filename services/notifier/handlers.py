"""Where events enter the notifier: one durable batch subscriber, one transaction per batch.

A single consumer in group ``notifier`` reads all six topics (one group member per process, so
no rebalance storms). A batch is applied in one transaction and its offsets are committed only
after it succeeded (``durable``); each event's inbox claim makes a redelivery a no-op.
"""

import logging
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from faststream import NoCast
from faststream.kafka import KafkaRouter
from faststream.message import StreamMessage
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.notifier import consequences, service
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
from shared.logs import event_context

log = logging.getLogger(__name__)
GROUP_ID = "notifier"
Event = (
    NeedRegistered
    | OfferRegistered
    | MatchSuggested
    | MatchWithdrawn
    | MatchDecided
    | MatchReviewed
)
UseCase = Callable[[AsyncSession, Any], Awaitable[None]]
# topic -> (event model, use case)
INBOUND: dict[str, tuple[type[Event], UseCase]] = {
    topics.NEEDS_REGISTERED: (NeedRegistered, service.need_registered),
    topics.OFFERS_REGISTERED: (OfferRegistered, service.offer_registered),
    topics.MATCHES_SUGGESTED: (MatchSuggested, service.match_suggested),
    topics.MATCHES_WITHDRAWN: (MatchWithdrawn, service.match_withdrawn),
    topics.MATCHES_DECIDED: (MatchDecided, consequences.match_decided),
    topics.MATCHES_REVIEWED: (MatchReviewed, consequences.match_reviewed),
}
Routed = tuple[str, Event]


MODELS = {topic: model for topic, (model, _) in INBOUND.items()}


async def routed_events(message: StreamMessage[object]) -> list[Routed]:
    """The batch's events with their topics, each parsed by its topic's model."""
    return parse_by_topic(message, MODELS)


def build_router(sessions: async_sessionmaker[AsyncSession], batch_size: int) -> KafkaRouter:
    """The notifier's subscriber, bound to its sessions."""
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
        async with sessions.begin() as session:
            for topic, event in batch:
                _, use_case = INBOUND[topic]
                with event_context(event):
                    log.info("%s event", topic)
                    await use_case(session, event)

    return router
