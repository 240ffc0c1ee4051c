"""Consumers of internal topics (matcher, notifier): every record is applied or dead-lettered.

A record that does not parse by its topic's model, or whose data the database refuses
(``shared.isolation``), goes to ``internal.dlq`` with the reason, whole, through the outbox in a
transaction of its own that also marks its event processed: a redelivery or a second copy of
the event is then skipped like any applied event, and is not dead-lettered twice. Nothing is
dropped silently, and no record can hold up the records after it.
"""

import base64
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, Protocol, TypeVar, Union, cast
from uuid import UUID, uuid4

from aiokafka import ConsumerRecord
from faststream.message import StreamMessage
from pydantic import BaseModel, PlainValidator, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared import topics
from shared.contracts import DeadLetter
from shared.inbox import claim_events
from shared.isolation import REASON_LENGTH, apply_isolating
from shared.kafka import batch_records
from shared.outbox import add_to_outbox
from shared.text import storable

log = logging.getLogger(__name__)
Event = TypeVar("Event", bound=BaseModel)
# A dead letter keeps at most this much of the raw value, so it stays below the broker's limit.
DEAD_LETTER_RAW_BYTES = 4 * 1024 * 1024


class _Identified(Protocol):
    event_id: UUID


@dataclass(frozen=True, slots=True)
class Parsed(Generic[Event]):
    """A record of an internal topic and the event it holds."""

    record: ConsumerRecord[Any, Any]
    event: Event

    @property
    def claim_key(self) -> str:
        """The id the consumer claims the event under."""
        return str(cast(_Identified, self.event).event_id)


@dataclass(frozen=True, slots=True)
class Unparsed:
    """A record that holds no event of its topic's model, and why."""

    record: ConsumerRecord[Any, Any]
    problem: str

    @property
    def claim_key(self) -> str:
        """Where the record sits in Kafka: its only identity."""
        return f"{self.record.topic}:{self.record.partition}:{self.record.offset}"


Delivery = Parsed[Any] | Unparsed


def on_the_wire(*models: type[BaseModel]) -> PlainValidator:
    """Annotation of a handler's deliveries: handed over as decoded, and documented in AsyncAPI
    as a batch of ``models``, what travels on the wire (``Annotated[list[Delivery], NoCast,
    on_the_wire(*INBOUND.values())]``)."""
    return PlainValidator(_as_decoded, json_schema_input_type=list[Union[models]])  # type: ignore[valid-type]  # noqa: UP007


def _as_decoded(deliveries: Any) -> Any:
    return deliveries


def parse_by_topic(
    message: StreamMessage[Any], models: Mapping[str, type[Event]]
) -> list[Parsed[Event] | Unparsed]:
    """Each record of a batch from our own internal topics, parsed by its topic's model."""
    deliveries: list[Parsed[Event] | Unparsed] = []
    for record in batch_records(message):
        model = models[record.topic]
        try:
            deliveries.append(Parsed(record, model.model_validate_json(record.value or b"")))
        except ValidationError as error:
            deliveries.append(Unparsed(record, f"not a valid {model.__name__}: {error}"))
    return deliveries


def dead_letter(
    topic: str,
    partition: int,
    offset: int,
    key: str | None,
    value: bytes,
    reason: str,
    now: datetime,
) -> DeadLetter:
    """The dead letter of a record: where it was, its key and value (base64, cut to
    ``DEAD_LETTER_RAW_BYTES``) and why it could not be applied."""
    raw = value[:DEAD_LETTER_RAW_BYTES]
    if len(raw) < len(value):
        reason += f" (raw value cut to its first {len(raw)} of {len(value)} bytes)"
    return DeadLetter(
        event_id=uuid4(),
        source_topic=topic,
        partition=partition,
        offset=offset,
        key=key,
        raw_value_base64=base64.b64encode(raw).decode(),
        reason=reason,
        received_at=now,
    )


class DeadLetters:
    """The records one consumer could not apply, on ``internal.dlq``."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], consumer: str) -> None:
        self._sessions = sessions
        self._consumer = consumer

    async def consume(
        self,
        deliveries: Sequence[Delivery],
        apply: Callable[[Sequence[Parsed[Any]]], Awaitable[None]],
    ) -> None:
        """Dead-letter the records that did not parse, then ``apply`` the others with every
        record whose data the database refuses isolated and dead-lettered."""
        for delivery in deliveries:
            if isinstance(delivery, Unparsed):
                await self.reject(delivery, delivery.problem)
        parsed = [delivery for delivery in deliveries if isinstance(delivery, Parsed)]
        await apply_isolating(parsed, apply, self.reject)

    async def reject(self, delivery: Delivery, reason: str) -> None:
        """Dead-letter ``delivery`` and mark it processed, in one transaction (once: a record
        marked already is left alone)."""
        record = delivery.record
        key = record.key.decode(errors="replace") if record.key else None
        async with self._sessions.begin() as session:
            if await claim_events(session, self._consumer, [delivery.claim_key]):
                log.error("dead letter from %s: %s", record.topic, reason)
                letter = dead_letter(
                    record.topic,
                    record.partition,
                    record.offset,
                    key,
                    record.value or b"",
                    storable(reason, REASON_LENGTH),
                    datetime.now(UTC),
                )
                add_to_outbox(session, topics.INTERNAL_DLQ, key or delivery.claim_key, letter)
