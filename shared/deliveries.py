"""The records of a batch from our own internal topics, each parsed by its topic's model where
it can be: ``Parsed`` with its event, or ``Unparsed`` with the reason (for its dead letter)."""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar, Union, cast
from uuid import UUID

from aiokafka import ConsumerRecord
from faststream.message import StreamMessage
from pydantic import BaseModel, PlainValidator, ValidationError

from shared.kafka import batch_records

EventT = TypeVar("EventT", bound=BaseModel)


class _Identified(Protocol):
    event_id: UUID


@dataclass(frozen=True, slots=True)
class Parsed(Generic[EventT]):
    """A record of an internal topic and the event it holds."""

    record: ConsumerRecord[Any, Any]
    event: EventT

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
        """Where the record sits in Kafka and a digest prefix of its value: its only identity
        (the prefix tells it from another record at a reused offset)."""
        digest = hashlib.sha256(self.record.value or b"").hexdigest()[:16]
        return f"{self.record.topic}:{self.record.partition}:{self.record.offset}:{digest}"


Delivery = Parsed[Any] | Unparsed


def on_the_wire(*models: type[BaseModel]) -> PlainValidator:
    """Annotation of a handler's deliveries: handed over as decoded, and documented in AsyncAPI
    as a batch of ``models``, what travels on the wire (``Annotated[list[Delivery], NoCast,
    on_the_wire(*INBOUND.values())]``)."""
    return PlainValidator(_as_decoded, json_schema_input_type=list[Union[models]])  # type: ignore[valid-type]  # noqa: UP007


def _as_decoded(deliveries: Any) -> Any:
    return deliveries


def parse_by_topic(
    message: StreamMessage[Any], models: Mapping[str, type[EventT]]
) -> list[Parsed[EventT] | Unparsed]:
    """Each record of a batch from our own internal topics, parsed by its topic's model."""
    deliveries: list[Parsed[EventT] | Unparsed] = []
    for record in batch_records(message):
        model = models[record.topic]
        try:
            deliveries.append(Parsed(record, model.model_validate_json(record.value or b"")))
        except ValidationError as error:
            deliveries.append(Unparsed(record, f"not a valid {model.__name__}: {error}"))
    return deliveries
