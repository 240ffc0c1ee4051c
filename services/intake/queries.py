"""What other services read of intake: the postings it stored (status, owner, the registered
event), which events it has handled, and why it refused the ones it refused. Read only; the one
way into intake's tables from outside."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    bindparam,
    false,
    func,
    select,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession

from services.intake.service import CONSUMER
from services.intake.tables import NeedRow, OfferRow, RejectionRow
from shared.contracts import FieldError, Side, is_open
from shared.db import one_of
from shared.processed_events import ProcessedEvent


@dataclass(frozen=True, slots=True)
class StoredPosting:
    """A need or offer as intake stored it: its owner's number (institution or enterprise),
    status, last change and the registered event."""

    posting_id: str
    owner_number: str
    status: str
    updated_at: datetime
    registered: dict[str, Any]

    @property
    def closed(self) -> bool:
        """Withdrawn or expired: nothing more changes it."""
        return not is_open(self.status)


@dataclass(frozen=True, slots=True)
class Rejection:
    """One refused event with its reasons."""

    posting_id: str | None
    source_topic: str
    errors: list[FieldError]
    received_at: datetime


def _columns(side: Side) -> tuple[Any, Any, Any]:
    """The table of ``side``, its id column and its owner column."""
    if side == "need":
        return NeedRow, NeedRow.need_id, NeedRow.institution_number
    return OfferRow, OfferRow.offer_id, OfferRow.enterprise_number


def _owned(owner_column: Any, owner: str | None) -> ColumnElement[bool]:
    return true() if owner is None else owner_column == owner


def stored_columns(side: Side) -> tuple[Any, ...]:
    """The columns of a ``StoredPosting`` of ``side``, in its order."""
    table, id_column, owner_column = _columns(side)
    return id_column, owner_column, table.status, table.updated_at, table.registered


async def stored_postings(
    session: AsyncSession, side: Side, ids: Collection[str], owner: str | None
) -> dict[str, StoredPosting]:
    """Posting id -> the stored posting, for those of ``ids`` of ``owner`` (``None``: of every
    organisation) that intake has stored."""
    id_column, owner_column = _columns(side)[1:]
    rows = await session.execute(
        select(*stored_columns(side)).where(one_of(id_column, ids), _owned(owner_column, owner))
    )
    return {row[0]: StoredPosting(*row) for row in rows.tuples()}


def stored_beside(
    side: Side, every_owner: bool, posting_id: ColumnElement[str]
) -> tuple[Any, ColumnElement[bool]]:
    """The table of ``side`` and the condition that joins its row of ``posting_id`` (of the
    parameter ``owner``, unless of every owner), for a page that reads its postings' ids and
    stored rows in one statement (``stored_columns``)."""
    table, id_column, owner_column = _columns(side)
    owned = true() if every_owner else owner_column == bindparam("owner")
    return table, (id_column == posting_id) & owned


def offer_place(
    offer_id: SQLColumnExpression[str],
) -> tuple[ColumnElement[str], ColumnElement[bool]]:
    """Where the offer ``offer_id`` (a column of the caller's query) takes place, as two columns
    of that query: the locality of its registered place ('' when intake has none), and whether
    it is delivered to the school (a mobile offer)."""
    registered = OfferRow.registered
    place = registered[("place", "locality")].astext
    mobile = registered["venue"].astext == "mobile"
    return (
        func.coalesce(_of_offer(place, offer_id), ""),
        func.coalesce(_of_offer(mobile, offer_id), false()),
    )


def _of_offer(value: ColumnElement[Any], offer_id: SQLColumnExpression[str]) -> Any:
    return select(value).where(OfferRow.offer_id == offer_id).scalar_subquery()


def posting_changes(side: Side, every_owner: bool) -> Select[tuple[str, datetime]]:
    """A query of (``posting_id``, ``changed_at``) of the stored postings of every organisation
    or of the one given as the parameter ``owner``, to combine with what the caller sent
    itself."""
    table, id_column, owner_column = _columns(side)
    owned = true() if every_owner else owner_column == bindparam("owner")
    return select(id_column.label("posting_id"), table.updated_at.label("changed_at")).where(owned)


async def handled_events(session: AsyncSession, event_ids: Collection[str]) -> set[str]:
    """Those of ``event_ids`` intake has handled (stored, or refused)."""
    if not event_ids:
        return set()
    handled = await session.scalars(
        select(ProcessedEvent.event_id).where(
            ProcessedEvent.consumer == CONSUMER, ProcessedEvent.event_id.in_(list(event_ids))
        )
    )
    return set(handled)


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


def _postal_code(side: Side) -> ColumnElement[str]:
    """The postal code of the school (need) or provider (offer) of a stored posting."""
    table, _, _ = _columns(side)
    party = "school" if side == "need" else "provider"
    code: ColumnElement[str] = table.registered[party]["postal_code"].astext
    return code


async def latest_postal_code(session: AsyncSession, side: Side, owner: str) -> str | None:
    """The postal code of ``owner``'s most recently changed posting of ``side`` (the school's
    or provider's own address), to prefill its next one; ``None`` before its first."""
    table, _, owner_column = _columns(side)
    code = await session.scalar(
        select(_postal_code(side))
        .where(owner_column == owner)
        .order_by(table.updated_at.desc())
        .limit(1)
    )
    return code
