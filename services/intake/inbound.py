"""Classify raw Kafka records: a valid command, a rejected event, or undecodable bytes. Pure."""

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import uuid4

from pydantic import ValidationError

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

Command = NeedSubmitted | OfferSubmitted | NeedWithdrawn | OfferWithdrawn

COMMAND_MODELS: dict[str, type[Command]] = {
    topics.NEEDS_SUBMITTED: NeedSubmitted,
    topics.OFFERS_SUBMITTED: OfferSubmitted,
    topics.NEEDS_WITHDRAWN: NeedWithdrawn,
    topics.OFFERS_WITHDRAWN: OfferWithdrawn,
}


@dataclass(frozen=True, slots=True)
class Record:
    """One consumed Kafka record."""

    topic: str
    partition: int
    offset: int
    key: str | None
    value: bytes

    @property
    def coordinates(self) -> str:
        """Where the record sits in Kafka; the dedupe key of events without a usable id."""
        return f"{self.topic}:{self.partition}:{self.offset}"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one record turned into, keyed for deduplication."""

    dedupe_key: str
    command: Command | None = None
    rejected: PostingRejected | None = None
    dead_letter: DeadLetter | None = None


def classify(record: Record, max_bytes: int, now: datetime) -> Outcome:
    """Decode and validate ``record``; bad input becomes a rejected or dead-letter event."""
    if len(record.value) > max_bytes:
        message = f"event is {len(record.value)} bytes; the limit is {max_bytes} bytes"
        return _rejected(record, {}, [FieldError(field="(event)", message=message)], now)
    try:
        document = json.loads(record.value)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return _dead_letter(record, f"not valid UTF-8 JSON: {error}", now)
    if not isinstance(document, dict):
        return _dead_letter(record, f"JSON {type(document).__name__} is not an object", now)
    try:
        command = COMMAND_MODELS[record.topic].model_validate(document)
    except ValidationError as error:
        return _rejected(record, document, to_field_errors(error.errors()), now)
    return Outcome(dedupe_key=str(command.event_id), command=command)


def _text_or_none(value: Any) -> str | None:
    return value[:200] if isinstance(value, str) and value else None


def _rejected(
    record: Record, document: dict[str, Any], errors: list[FieldError], now: datetime
) -> Outcome:
    source_event_id = _text_or_none(document.get("event_id"))
    posting_id = _text_or_none(document.get("need_id") or document.get("offer_id")) or record.key
    event = PostingRejected(
        event_id=uuid4(),
        source_topic=record.topic,
        source_event_id=source_event_id,
        posting_id=posting_id,
        errors=errors,
        received_at=now,
    )
    return Outcome(dedupe_key=source_event_id or record.coordinates, rejected=event)


def _dead_letter(record: Record, reason: str, now: datetime) -> Outcome:
    event = DeadLetter(
        event_id=uuid4(),
        source_topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=record.key,
        raw_value_base64=base64.b64encode(record.value).decode(),
        reason=reason,
        received_at=now,
    )
    return Outcome(dedupe_key=record.coordinates, dead_letter=event)


def refused(
    command: Command, topic: str, posting_id: str, reason: str, now: datetime
) -> PostingRejected:
    """A valid event the current state refuses (not the owner, posting closed, ...)."""
    return PostingRejected(
        event_id=uuid4(),
        source_topic=topic,
        source_event_id=str(command.event_id),
        posting_id=posting_id,
        errors=[FieldError(field="(event)", message=reason)],
        received_at=now,
    )
