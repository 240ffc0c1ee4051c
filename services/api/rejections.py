"""Why intake refused an event: its row in ``posting_rejections``, found by the event id.

Written against the table intake adds (``services.intake.tables.RejectionRow``: posting_id,
source_topic, source_event_id, errors as a JSONB list of {"field", "message"}, received_at).
Until that table exists in the database nothing is found and a refused posting stays
``submitted``; once it is merged, ``_REJECTIONS`` can become ``RejectionRow.__table__`` and the
``to_regclass`` guard can go.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import DateTime, String, column, select, table, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from shared.contracts import FieldError

_REJECTIONS = table(
    "posting_rejections",
    column("posting_id", String),
    column("source_topic", String),
    column("source_event_id", String),
    column("errors", JSONB),
    column("received_at", DateTime(timezone=True)),
)


async def rejection_errors(
    session: AsyncSession, event_ids: Collection[str]
) -> dict[str, list[FieldError]]:
    """Event id -> the errors intake refused it with, for those of ``event_ids`` it refused."""
    if not event_ids:
        return {}
    if not await _table_exists(session):
        return {}
    rows = await session.execute(
        select(_REJECTIONS.c.source_event_id, _REJECTIONS.c.errors)
        .where(_REJECTIONS.c.source_event_id.in_(list(event_ids)))
        .order_by(_REJECTIONS.c.received_at)
    )
    return {
        event_id: [FieldError.model_validate(error) for error in errors]
        for event_id, errors in rows
    }


@dataclass(frozen=True, slots=True)
class Rejection:
    """One refused event, for the admin page."""

    posting_id: str | None
    source_topic: str
    errors: list[FieldError]
    received_at: datetime


async def _table_exists(session: AsyncSession) -> bool:
    return await session.scalar(text("SELECT to_regclass('public.posting_rejections')")) is not None


async def recent_rejections(session: AsyncSession, limit: int) -> list[Rejection]:
    """The latest refused events with their reasons, newest first."""
    if not await _table_exists(session):
        return []
    rows = await session.execute(
        select(
            _REJECTIONS.c.posting_id,
            _REJECTIONS.c.source_topic,
            _REJECTIONS.c.errors,
            _REJECTIONS.c.received_at,
        )
        .order_by(_REJECTIONS.c.received_at.desc())
        .limit(limit)
    )
    return [
        Rejection(posting, topic, [FieldError.model_validate(e) for e in errors], at)
        for posting, topic, errors, at in rows.tuples()
    ]
