"""What an intake transaction sends: its events queued in the outbox, in order, and each
rejection kept for the HTTP API as well (one statement each, built once)."""

import json
from collections.abc import Sequence

from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.intake.publications import Publication
from shared.contracts import NeedRegistered, OfferRegistered, PostingRejected
from shared.outbox import add_many_to_outbox
from shared.topics import kind_partition

_KEEP_REJECTIONS = text(
    "INSERT INTO posting_rejections (posting_id, source_topic, source_event_id, errors, "
    "received_at) SELECT v.posting_id, v.source_topic, v.source_event_id, "
    "CAST(v.errors AS jsonb), v.received_at FROM unnest(CAST(:posting_ids AS text[]), "
    "CAST(:source_topics AS text[]), CAST(:source_event_ids AS text[]), "
    "CAST(:errors AS text[]), CAST(:received_at AS timestamptz[])) "
    "AS v(posting_id, source_topic, source_event_id, errors, received_at)"
)


async def send(session: AsyncSession, publications: Sequence[Publication]) -> None:
    """Queue each event in the outbox; keep every rejection for the HTTP API as well."""
    await add_many_to_outbox(session, publications, _partition)
    kept = [event for _, _, event in publications if isinstance(event, PostingRejected)]
    if kept:
        connection = await session.connection()
        await connection.execute(
            _KEEP_REJECTIONS,
            {
                "posting_ids": [r.posting_id for r in kept],
                "source_topics": [r.source_topic for r in kept],
                "source_event_ids": [r.source_event_id for r in kept],
                "errors": [json.dumps([e.model_dump() for e in r.errors]) for r in kept],
                "received_at": [r.received_at for r in kept],
            },
        )


def _partition(event: BaseModel) -> int | None:
    """A registered posting travels on its kind group's partition (the matcher's routing)."""
    if isinstance(event, NeedRegistered | OfferRegistered):
        return kind_partition(event.kind)
    return None
