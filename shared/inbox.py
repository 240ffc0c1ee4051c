"""Idempotent consumers: a processed-event table claimed in the same transaction as the change."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import DateTime, String, func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import Base


class ProcessedEvent(Base):
    """An event a consumer has applied; its presence makes a redelivery a no-op."""

    __tablename__ = "processed_events"

    consumer: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


async def claim_events(session: AsyncSession, consumer: str, event_ids: Sequence[str]) -> set[str]:
    """Record ``event_ids`` as processed by ``consumer``; return those not seen before.

    Runs in the caller's transaction: if the caller rolls back, the claim goes with it.
    """
    if not event_ids:
        return set()
    rows = [{"consumer": consumer, "event_id": event_id} for event_id in dict.fromkeys(event_ids)]
    statement = (
        insert(ProcessedEvent)
        .values(rows)
        .on_conflict_do_nothing()
        .returning(ProcessedEvent.event_id)
    )
    return set((await session.scalars(statement)).all())
