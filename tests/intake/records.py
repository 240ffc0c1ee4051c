"""Crafted Kafka records handed straight to ``IntakeService.handle`` (exact batches, arrival
orders and record times), and what intake stored and refused for them."""

import contextlib
import itertools
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from unittest.mock import patch

from pydantic import BaseModel
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.intake.inbound import Record
from services.intake.service import IntakeService
from services.intake.tables import NeedRow, OfferRow, RejectionRow
from shared import topics
from shared.outbox import add_many_to_outbox
from tests.builders import need_event
from tests.kafka_io import as_json

T0 = int(datetime.now(UTC).timestamp() * 1000) - 60_000  # a Kafka record time, ms: a minute ago
_offsets = itertools.count(1_000_000)
Queued = list[tuple[str, str, BaseModel]]  # topic, key, event


def record(topic: str, event: dict[str, Any], timestamp: int) -> Record:
    """``event`` as a record of ``topic`` produced at ``timestamp`` (ms), keyed by its id."""
    key = event.get("need_id") or event.get("offer_id")
    return Record(topic, 0, next(_offsets), key, as_json(event), timestamp)


def withdrawal(posting: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """A withdrawal event of ``posting`` under a fresh event id."""
    id_field = "need_id" if "need_id" in posting else "offer_id"
    return {"event_id": str(uuid.uuid4()), id_field: posting[id_field], **overrides}


def service(db: async_sessionmaker[AsyncSession]) -> IntakeService:
    """Intake on the test database."""
    return IntakeService(db, max_message_bytes=1_000_000)


async def stored(
    db: async_sessionmaker[AsyncSession], row: type[NeedRow | OfferRow], id_: str
) -> tuple[int, str] | None:
    """(version, status) of a stored posting, None if not stored."""
    async with db() as session:
        found = await session.get(row, id_)
    return None if found is None else (found.version, found.status)


async def registered(
    db: async_sessionmaker[AsyncSession], row: type[NeedRow | OfferRow], id_: str
) -> dict[str, Any]:
    """The registered event a stored posting holds."""
    async with db() as session:
        found = await session.get(row, id_)
    assert found is not None, f"{id_} is not stored"
    return found.registered


async def refusals(db: async_sessionmaker[AsyncSession], event_id: str) -> list[str]:
    """The messages of every rejection intake kept for the event ``event_id``."""
    async with db() as session:
        rows = await session.scalars(
            select(RejectionRow).where(RejectionRow.source_event_id == event_id)
        )
        return [error["message"] for row in rows for error in row.errors]


async def rejection_count(db: async_sessionmaker[AsyncSession], event_id: str) -> int:
    """How many rejections intake kept for the event ``event_id``."""
    async with db() as session:
        count = select(func.count()).where(RejectionRow.source_event_id == event_id)
        return int(await session.scalar(count) or 0)


async def stored_under(db: async_sessionmaker[AsyncSession], need_id: str, school: str) -> None:
    """A need of ``school`` stored as ``need_id``, as one could before the suffix was reserved."""
    base = need_event(need_id=f"seed-{uuid.uuid4().hex[:12]}")
    need = {**base, "school": {**base["school"], "institution_number": school}}
    await service(db).handle([record(topics.NEEDS_SUBMITTED, need, T0)])
    rename = text(
        "UPDATE needs SET need_id = CAST(:new AS text), "
        "registered = jsonb_set(registered, '{need_id}', to_jsonb(CAST(:new AS text))) "
        "WHERE need_id = :old"
    )
    async with db.begin() as session:
        await session.execute(rename, {"new": need_id, "old": need["need_id"]})


@contextlib.contextmanager
def queued_by_intake() -> Iterator[Queued]:
    """Every event intake queues in the outbox while this runs, as it queues it: the outbox
    table itself is no record, a relay running for another test may empty it at any moment."""
    queued: Queued = []

    async def queue(session: AsyncSession, events: Queued, *partition: Any) -> None:
        queued.extend(events)
        await add_many_to_outbox(session, events, *partition)

    with patch("services.intake.outgoing.add_many_to_outbox", queue):
        yield queued
