"""Why intake refused an event: its row in ``posting_rejections``, found by the event id.

Written against the table intake adds (``services.intake.tables.RejectionRow``: posting_id,
source_topic, source_event_id, errors as a JSONB list of {"field", "message"}, received_at).
Until that table exists in the database nothing is found and a refused posting stays
``submitted``; once it is merged, ``_REJECTIONS`` can become ``RejectionRow.__table__`` and the
``to_regclass`` guard can go.
"""

from collections.abc import Collection

from sqlalchemy import DateTime, String, column, select, table, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from shared.contracts import FieldError

_REJECTIONS = table(
    "posting_rejections",
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
    exists = await session.scalar(text("SELECT to_regclass('public.posting_rejections')"))
    if exists is None:
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
