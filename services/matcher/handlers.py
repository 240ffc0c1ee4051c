"""Where events enter the matcher: one batch subscriber on registered postings and decisions.

A record that does not parse, or whose data the database refuses, is dead-lettered
(``shared.dead_letters``); the rest of its batch is applied."""

from collections.abc import Sequence
from typing import Annotated

from aiokafka.coordinator.assignors.range import RangePartitionAssignor
from aiokafka.coordinator.assignors.roundrobin import RoundRobinPartitionAssignor
from faststream import NoCast
from faststream.kafka import KafkaRouter
from faststream.message import StreamMessage

from services.matcher.batches import MatcherInput
from services.matcher.service import CONSUMER, MatcherService
from shared import topics
from shared.contracts import (
    DeadLetter,
    MatchReviewed,
    MatchSuggested,
    MatchWithdrawn,
    NeedRegistered,
    OfferRegistered,
)
from shared.dead_letters import DeadLetters
from shared.deliveries import Delivery, Parsed, on_the_wire, parse_by_topic
from shared.kafka import durable

INBOUND: dict[str, type[MatcherInput]] = {
    topics.NEEDS_REGISTERED: NeedRegistered,
    topics.OFFERS_REGISTERED: OfferRegistered,
    topics.MATCHES_REVIEWED: MatchReviewed,
}
# What the matcher emits through its outbox; declared so AsyncAPI documents it.
OUTBOUND = {
    topics.MATCHES_SUGGESTED: MatchSuggested,
    topics.MATCHES_WITHDRAWN: MatchWithdrawn,
    topics.INTERNAL_DLQ: DeadLetter,
}


async def deliveries(message: StreamMessage[object]) -> list[Delivery]:
    """The batch's records, each parsed by its topic's model where it can be."""
    return list(parse_by_topic(message, INBOUND))


def build_router(
    service: MatcherService, batch_size: int, dead_letters: DeadLetters
) -> KafkaRouter:
    """The matcher subscriber, bound to its use cases and its dead letters."""
    router = KafkaRouter()
    for topic, model in OUTBOUND.items():
        router.publisher(topic, schema=model, description=model.__doc__)

    @router.subscriber(
        *INBOUND,
        batch=True,
        max_records=batch_size,
        decoder=deliveries,
        # Partition n of every topic to one instance: events travel by kind group
        # (``topics.kind_partition``), so each instance holds whole groups. Round robin, the
        # former strategy, stays accepted while older instances are still in the group.
        partition_assignment_strategy=(RangePartitionAssignor, RoundRobinPartitionAssignor),
        title="matcher-postings-and-decisions",
        description="Registered needs and offers, and decisions as the review took them.",
        **durable(CONSUMER),
    )
    async def on_events(
        batch: Annotated[list[Delivery], NoCast, on_the_wire(*INBOUND.values())],
    ) -> None:
        await dead_letters.consume(batch, apply)

    async def apply(part: Sequence[Parsed[MatcherInput]]) -> None:
        await service.handle([delivery.event for delivery in part])

    return router
