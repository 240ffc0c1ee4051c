"""Where events enter the matcher: one batch subscriber on registered postings and decisions."""

from typing import Annotated

from aiokafka.coordinator.assignors.range import RangePartitionAssignor
from aiokafka.coordinator.assignors.roundrobin import RoundRobinPartitionAssignor
from faststream import NoCast
from faststream.kafka import KafkaRouter
from faststream.message import StreamMessage

from services.matcher.service import CONSUMER, Event, MatcherService
from shared import topics
from shared.contracts import (
    MatchReviewed,
    MatchSuggested,
    MatchWithdrawn,
    NeedRegistered,
    OfferRegistered,
)
from shared.kafka import durable, parse_by_topic

INBOUND: dict[str, type[Event]] = {
    topics.NEEDS_REGISTERED: NeedRegistered,
    topics.OFFERS_REGISTERED: OfferRegistered,
    topics.MATCHES_REVIEWED: MatchReviewed,
}
# What the matcher emits through its outbox; declared so AsyncAPI documents it.
OUTBOUND = {topics.MATCHES_SUGGESTED: MatchSuggested, topics.MATCHES_WITHDRAWN: MatchWithdrawn}


async def events(message: StreamMessage[object]) -> list[Event]:
    """The batch's events, each parsed by its topic's model."""
    return [event for _, event in parse_by_topic(message, INBOUND)]


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
        # Partition n of every topic to one instance: events travel by kind group
        # (``topics.kind_partition``), so each instance holds whole groups. Round robin, the
        # former strategy, stays accepted while older instances are still in the group.
        partition_assignment_strategy=(RangePartitionAssignor, RoundRobinPartitionAssignor),
        title="matcher-postings-and-decisions",
        description="Registered needs and offers, and decisions as the review took them.",
        **durable(CONSUMER),
    )
    async def on_events(batch: Annotated[list[Event], NoCast]) -> None:
        await service.handle(batch)

    return router
