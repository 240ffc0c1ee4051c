"""Where postings enter: one batch subscriber on the four inbound topics. A record whose data
the database refuses is rejected on its own (``shared.isolation``); the rest of its batch lands."""

from typing import Annotated

from faststream import NoCast
from faststream.kafka import KafkaRouter
from faststream.message import StreamMessage

from services.intake.inbound import Record
from services.intake.service import CONSUMER, IntakeService
from shared import topics
from shared.contracts import DeadLetter, NeedRegistered, OfferRegistered, PostingRejected
from shared.isolation import apply_isolating
from shared.kafka import batch_records, durable

# What intake emits. The outbox relay sends these; declaring them documents them in AsyncAPI.
OUTBOUND_SCHEMAS = {
    topics.NEEDS_REGISTERED: NeedRegistered,
    topics.OFFERS_REGISTERED: OfferRegistered,
    topics.POSTINGS_REJECTED: PostingRejected,
    topics.POSTINGS_DLQ: DeadLetter,
}
INBOUND_TOPICS = (
    topics.NEEDS_SUBMITTED,
    topics.OFFERS_SUBMITTED,
    topics.NEEDS_WITHDRAWN,
    topics.OFFERS_WITHDRAWN,
)


async def raw_records(message: StreamMessage[object]) -> list[Record]:
    """Keep the bytes as they came: decoding is the service's job, so bad input cannot crash
    FastStream's own JSON decoding and be redelivered forever."""
    return [
        Record(
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            key=record.key.decode(errors="replace") if record.key is not None else None,
            value=record.value or b"",
            timestamp=record.timestamp,
        )
        for record in batch_records(message)
    ]


def build_router(intake: IntakeService, batch_size: int) -> KafkaRouter:
    """The intake subscriber, bound to its use cases."""
    router = KafkaRouter()
    for topic, model in OUTBOUND_SCHEMAS.items():
        router.publisher(topic, schema=model, description=model.__doc__)

    @router.subscriber(
        *INBOUND_TOPICS,
        batch=True,
        max_records=batch_size,
        decoder=raw_records,
        title="intake-postings",
        description="Needs and offers submitted or withdrawn (public contract v1).",
        **durable(CONSUMER),
    )
    async def on_postings(records: Annotated[list[Record], NoCast]) -> None:
        await apply_isolating(records, intake.handle, intake.refuse)

    return router
