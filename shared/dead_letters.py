"""Consumers of internal topics (matcher, notifier): every record is applied or dead-lettered.

A record that does not parse by its topic's model (``shared.deliveries``), or whose data the
database refuses (``shared.isolation``), goes to ``internal.dlq`` with the reason, whole, through
the outbox in a transaction of its own that also marks its event processed: a redelivery or a
second copy of the event is then skipped like any applied event, and is not dead-lettered twice.
Nothing is dropped silently, and no record can hold up the records after it.
"""

import base64
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared import topics
from shared.contracts import DeadLetter
from shared.deliveries import Delivery, Parsed, Unparsed
from shared.isolation import REASON_LENGTH, apply_isolating
from shared.outbox import add_to_outbox
from shared.processed_events import claim_events
from shared.text import storable

log = logging.getLogger(__name__)
# A dead letter keeps at most this much of the raw value, so it stays below the broker's limit.
DEAD_LETTER_RAW_BYTES = 4 * 1024 * 1024


def dead_letter(
    topic: str,
    partition: int,
    offset: int,
    key: str | None,
    value: bytes,
    reason: str,
    now: datetime,
    consumer: str,
) -> DeadLetter:
    """The dead letter of a record: where it was, its key and value (base64, cut to
    ``DEAD_LETTER_RAW_BYTES``), which consumer could not apply it and why."""
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
        consumer=consumer,
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
        record whose data is refused isolated and dead-lettered (``shared.isolation``)."""
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
                    self._consumer,
                )
                add_to_outbox(session, topics.INTERNAL_DLQ, key or delivery.claim_key, letter)
