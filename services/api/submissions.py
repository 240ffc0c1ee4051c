"""Queue what an organisation sends: validated postings and withdrawals go to the outbox, and
``api_submissions`` remembers the last event per posting so its status can be followed.

One JSON body and one CSV row go through the same ``parse_posting``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from pydantic import ValidationError
from sqlalchemy import insert
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.principal import Principal
from services.api.sides import Posting, PostingResource
from services.api.tables import SubmissionRow
from shared.contracts import FieldError, to_field_errors
from shared.contracts.postings import with_owner_name
from shared.outbox import OutboxEvent


def parse_posting(side: PostingResource, document: dict[str, Any]) -> Posting | list[FieldError]:
    """The contract event for ``document`` (a body without ``event_id``), or the field errors
    intake would put on ``postings.rejected`` for it."""
    try:
        return side.submitted.model_validate({**document, "event_id": uuid4()})
    except ValidationError as error:
        return [e for e in to_field_errors(error.errors()) if e.field != "event_id"]


def registered_name(posting: Posting, principal: Principal) -> Posting:
    """``posting`` under the signed-in organisation's registered name (an admin acting for
    another organisation leaves it to intake, which puts the registered one in)."""
    return posting if principal.is_admin else with_owner_name(posting, principal.organisation_name)


@dataclass(frozen=True, slots=True)
class _Queued:
    posting_id: str
    owner: str
    event_id: UUID
    payload: bytes


async def queue_postings(
    session: AsyncSession, side: PostingResource, postings: Sequence[Posting]
) -> None:
    """Send ``postings`` to intake (outbox, in the session's transaction), in one bulk insert."""
    queued = [
        _Queued(p.posting_id, p.owner_number, p.event_id, p.model_dump_json().encode())
        for p in postings
    ]
    await _queue(session, side, side.submitted_topic, queued)


async def queue_withdrawal(
    session: AsyncSession, side: PostingResource, posting: str, owner: str
) -> None:
    """Ask intake to withdraw ``posting`` on behalf of its owner."""
    event = side.withdrawal(posting, owner)
    queued = _Queued(posting, owner, event.event_id, event.model_dump_json().encode())
    await _queue(session, side, side.withdrawn_topic, [queued])


async def _queue(
    session: AsyncSession, side: PostingResource, topic: str, queued: Sequence[_Queued]
) -> None:
    if not queued:
        return
    outbox = [{"topic": topic, "key": q.posting_id, "payload": q.payload} for q in queued]
    await session.execute(insert(OutboxEvent), outbox)
    now = datetime.now(UTC)
    sent = [
        {
            "side": side.name,
            "posting_id": q.posting_id,
            "organisation_number": q.owner,
            "last_event_id": str(q.event_id),
            "submitted_at": now,
        }
        for q in queued
    ]
    statement = upsert(SubmissionRow)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["side", "posting_id", "organisation_number"],
            set_={
                "last_event_id": statement.excluded.last_event_id,
                "submitted_at": statement.excluded.submitted_at,
            },
        ),
        sent,
    )
