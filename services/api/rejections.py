"""Why intake refused an event: its rows in intake's ``posting_rejections``, by event id."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.intake.tables import RejectionRow
from shared.contracts import FieldError


async def rejection_errors(
    session: AsyncSession, event_ids: Collection[str]
) -> dict[str, list[FieldError]]:
    """Event id -> the errors intake refused it with, for those of ``event_ids`` it refused."""
    if not event_ids:
        return {}
    rows = await session.execute(
        select(RejectionRow.source_event_id, RejectionRow.errors)
        .where(RejectionRow.source_event_id.in_(list(event_ids)))
        .order_by(RejectionRow.received_at)
    )
    return {
        event_id: [FieldError.model_validate(error) for error in errors]
        for event_id, errors in rows.tuples()
        if event_id is not None
    }


@dataclass(frozen=True, slots=True)
class Rejection:
    """One refused event, for the admin page."""

    posting_id: str | None
    source_topic: str
    errors: list[FieldError]
    received_at: datetime


async def recent_rejections(session: AsyncSession, limit: int) -> list[Rejection]:
    """The latest refused events with their reasons, newest first."""
    rows = await session.execute(
        select(
            RejectionRow.posting_id,
            RejectionRow.source_topic,
            RejectionRow.errors,
            RejectionRow.received_at,
        )
        .order_by(RejectionRow.received_at.desc(), RejectionRow.id.desc())
        .limit(limit)
    )
    return [
        Rejection(posting, topic, [FieldError.model_validate(e) for e in errors], at)
        for posting, topic, errors, at in rows.tuples()
    ]
