"""Classify raw Kafka records: a valid command, a rejected event, or undecodable bytes. Pure."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import ValidationError

from services.intake import rejections
from shared import topics
from shared.contracts import (
    DeadLetter,
    FieldError,
    NeedSubmitted,
    NeedWithdrawn,
    OfferSubmitted,
    OfferWithdrawn,
    PostingRejected,
    to_field_errors,
)
from shared.dead_letters import dead_letter

Command = NeedSubmitted | OfferSubmitted | NeedWithdrawn | OfferWithdrawn

# Intake's consumer group and processed-events name; its dead letters say it refused them.
INTAKE = "intake"
COMMAND_MODELS: dict[str, type[Command]] = {
    topics.NEEDS_SUBMITTED: NeedSubmitted,
    topics.OFFERS_SUBMITTED: OfferSubmitted,
    topics.NEEDS_WITHDRAWN: NeedWithdrawn,
    topics.OFFERS_WITHDRAWN: OfferWithdrawn,
}


@dataclass(frozen=True, slots=True)
class Record:
    """One consumed Kafka record; ``timestamp`` is its record time (ms since the epoch)."""

    topic: str
    partition: int
    offset: int
    key: str | None
    value: bytes
    timestamp: int = 0

    @property
    def coordinates(self) -> str:
        """Where the record sits in Kafka and a digest prefix: the dedupe key of events without
        a usable id (the prefix tells a record from another one at a reused offset)."""
        return f"{self.topic}:{self.partition}:{self.offset}:{self.digest[:8].hex()}"

    @property
    def produced_at(self) -> datetime:
        """The record time: when the producer produced it (Kafka CreateTime)."""
        return datetime.fromtimestamp(self.timestamp / 1000, UTC)

    @property
    def digest(self) -> bytes:
        """SHA-256 of topic and value: tells a redelivery from another event under the same id."""
        return hashlib.sha256(self.topic.encode() + b"\0" + self.value).digest()


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one record turned into, keyed for deduplication."""

    record: Record
    dedupe_key: str
    command: Command | None = None
    rejected: PostingRejected | None = None
    dead_letter: DeadLetter | None = None


def classify(record: Record, max_bytes: int, now: datetime) -> Outcome:
    """Decode and validate ``record``; bad input becomes a rejected or dead-letter event."""
    if len(record.value) > max_bytes:
        message = f"event is {len(record.value)} bytes; the limit is {max_bytes} bytes"
        event = rejections.rejected(record.topic, record.key, {}, [_event_error(message)], now)
        return Outcome(record, record.coordinates, rejected=event)
    try:
        document = json.loads(record.value)
    except RecursionError:
        return _dead_letter(record, "JSON nested too deeply to be an event", now)
    except ValueError as error:  # also UnicodeDecodeError, JSONDecodeError, over-long integers
        return _dead_letter(record, f"not valid UTF-8 JSON: {error}", now)
    if not isinstance(document, dict):
        return _dead_letter(record, f"JSON {type(document).__name__} is not an object", now)
    try:
        command = COMMAND_MODELS[record.topic].model_validate(document)
    except ValidationError as error:
        errors = to_field_errors(error.errors())
        event = rejections.rejected(record.topic, record.key, document, errors, now)
        event_id = rejections.usable_event_id(document.get("event_id"))
        return Outcome(record, event_id or record.coordinates, rejected=event)
    return Outcome(record, str(command.event_id), command=command)


def reused(outcome: Outcome, now: datetime) -> PostingRejected:
    """The rejection of an event sent under an id that an event with other content used."""
    error = rejections.reused_id_error(outcome.dedupe_key)
    if outcome.rejected is not None:
        return outcome.rejected.model_copy(update={"errors": [error, *outcome.rejected.errors]})
    assert outcome.command is not None
    posting_id = outcome.command.posting_id
    return rejections.refused(
        outcome.dedupe_key, outcome.record.topic, posting_id, error.message, now, error.field
    )


def unstorable(outcome: Outcome, reason: str, now: datetime) -> PostingRejected:
    """The rejection of an event whose data the database refuses (``shared.isolation``)."""
    message = f"the database refuses this event: {reason}"
    record = outcome.record
    if outcome.command is not None:
        posting_id = outcome.command.posting_id
        return rejections.refused(outcome.dedupe_key, record.topic, posting_id, message, now)
    base = outcome.rejected or rejections.rejected(record.topic, record.key, {}, [], now)
    return base.model_copy(update={"errors": [_event_error(message)]})


def _event_error(message: str) -> FieldError:
    return FieldError(field="(event)", message=message)


def _dead_letter(record: Record, reason: str, now: datetime) -> Outcome:
    event = dead_letter(
        record.topic, record.partition, record.offset, record.key, record.value, reason, now, INTAKE
    )
    return Outcome(record, record.coordinates, dead_letter=event)
