"""Transactional outbox: events are stored with the change that causes them, then relayed.

``add_to_outbox`` runs in the caller's transaction. ``OutboxRelay`` publishes pending rows through
the service's FastStream broker (acks=all, idempotent producer; its middlewares, such as the
Prometheus one, see every send) and commits their deletion only once Kafka has acknowledged them
all, so a crash between the two publishes again (at-least-once; consumers dedupe on ``event_id``).

A commit that queued events wakes the relays of its process at once; they also poll, for rows
other processes queued (another instance's, or one whose relay stopped).
"""

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Callable, Sequence
from datetime import datetime

from faststream.kafka import KafkaBroker
from pydantic import BaseModel
from sqlalchemy import (
    BigInteger,
    DateTime,
    Identity,
    Integer,
    LargeBinary,
    String,
    func,
    text,
)
from sqlalchemy.event import listens_for
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, Session, mapped_column

from shared.db import Base
from shared.text import storable

log = logging.getLogger(__name__)
KEY_LENGTH = 200
_QUEUED = "outbox_queued"  # the session's ``info`` flag: this transaction queued events
# The wake-up of each running relay, with the event loop it runs on.
_AWAKE: "weakref.WeakKeyDictionary[asyncio.Event, asyncio.AbstractEventLoop]" = (
    weakref.WeakKeyDictionary()
)
# A round's rows, taken in one round trip: deleted (the delete holds their locks until the round
# commits, once Kafka acknowledged every send; a failed round rolls back and leaves them) and
# returned, with the round's commit set not to wait for its flush to disk.
_TAKE = text(
    "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT :limit "
    "FOR UPDATE SKIP LOCKED) RETURNING id, topic, key, partition, payload, "
    "set_config('synchronous_commit', 'off', true) AS no_flush_wait"
)
_QUEUE = text(
    "INSERT INTO outbox (topic, key, partition, payload) SELECT * FROM unnest("
    "CAST(:topics AS text[]), CAST(:keys AS text[]), CAST(:partitions AS int[]), "
    "CAST(:payloads AS bytea[]))"
)


class OutboxEvent(Base):
    """An event waiting to be published."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    topic: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    # None: the partition of the key (Kafka's default partitioner).
    partition: Mapped[int | None] = mapped_column(Integer)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


def add_to_outbox(
    session: AsyncSession, topic: str, key: str, event: BaseModel, partition: int | None = None
) -> None:
    """Queue ``event`` for ``topic`` with Kafka key ``key`` in the session's transaction, on
    ``partition`` when given (``shared.topics.kind_partition``), else on the key's.

    A key taken from input (a rejection keyed by what the producer sent) is made storable: NUL
    and lone surrogates replaced, cut to the column, so one odd key cannot fail the transaction.
    """
    session.add(
        OutboxEvent(
            topic=topic, key=storable(key, KEY_LENGTH), partition=partition, payload=_payload(event)
        )
    )
    session.info[_QUEUED] = True


async def add_many_to_outbox(
    session: AsyncSession,
    events: Sequence[tuple[str, str, BaseModel]],
    partition: Callable[[BaseModel], int | None] | None = None,
) -> None:
    """``add_to_outbox`` for many (topic, key, event) at once, in their order: one statement, no
    ORM objects. ``partition`` gives an event's partition (None, or no ``partition``: the key's)."""
    if events:
        topics, keys, models = zip(*events, strict=True)
        await session.execute(
            _QUEUE,
            {
                "topics": list(topics),
                "keys": [storable(key, KEY_LENGTH) for key in keys],
                "partitions": [None if partition is None else partition(e) for e in models],
                "payloads": [_payload(event) for event in models],
            },
        )
        session.info[_QUEUED] = True


@listens_for(Session, "after_commit")
def _wake_relays(session: Session) -> None:
    """Wake the relays of the loop the commit ran on (a session commits on its loop's thread;
    relays of other loops, as tests make them, poll)."""
    if session.info.pop(_QUEUED, False):
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # a session used outside asyncio: no relay runs here
            return
        for awake, of_loop in list(_AWAKE.items()):
            if of_loop is loop:
                awake.set()


@listens_for(Session, "after_rollback")
def _forget_queued(session: Session) -> None:
    session.info.pop(_QUEUED, None)


def _payload(event: BaseModel) -> bytes:
    return event.model_dump_json().encode()


class OutboxRelay:
    """Background task moving outbox rows to Kafka; safe to run in several instances."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        broker: KafkaBroker,
        poll_seconds: float = 0.2,
        batch_size: int = 500,
    ) -> None:
        """``broker``: the service's own (:func:`shared.kafka.make_broker`); its owner stops it."""
        self._sessionmaker = sessionmaker
        self._broker = broker
        self._poll_seconds = poll_seconds
        self._batch_size = batch_size
        self._task: asyncio.Task[None] | None = None
        self._awake = asyncio.Event()

    async def relay_once(self) -> int:
        """Publish one batch of pending events; return how many were sent.

        The rows are deleted as they are taken, in the round's transaction (``_TAKE``). Each
        send is handed to the producer in row order (``no_confirm``: one key keeps its order)
        and the acknowledgements are awaited together; the round commits only once all arrived.
        Its commit does not wait for its flush to disk: a delete lost in a crash sends its
        events again, which at-least-once allows, and the next round need not wait for it.
        """
        async with self._sessionmaker() as session, session.begin():
            connection = await session.connection()  # Core: no ORM work on the way
            taken = await connection.execute(_TAKE, {"limit": self._batch_size})
            pending = sorted(taken, key=lambda row: int(row.id))
            sends = [
                await self._broker.publish(
                    event.payload,  # bytes: FastStream sends them as they are
                    event.topic,
                    key=event.key.encode(),
                    partition=event.partition,
                    headers={"content-type": "application/json"},
                    no_confirm=True,
                )
                for event in pending
            ]
            await asyncio.gather(*sends)
            return len(pending)

    async def _run(self) -> None:
        while True:
            try:
                sent = await self.relay_once()
            except Exception:  # the relay must outlive a broker or database outage
                log.exception("outbox relay round failed; retrying")
                sent = 0
            if sent < self._batch_size:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._awake.wait(), self._poll_seconds)
                self._awake.clear()

    async def start(self) -> None:
        """Connect the broker (no-op when connected; its subscribers may start later) and start
        the relay loop."""
        await self._broker.connect()
        _AWAKE[self._awake] = asyncio.get_running_loop()
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        """Stop the loop (a round in flight rolls back, to be sent later); call it before the
        broker stops, or a round may fail on the closed producer."""
        _AWAKE.pop(self._awake, None)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
