"""Which postings an organisation has and where each stands, read from what the API sent
(``api_submissions``) and what intake stored (its needs/offers tables, read only)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, func, select, true, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.pagination import PageRequest
from services.api.principal import Principal
from services.api.rejections import rejection_errors
from services.api.sides import PostingResource, PostingRow, row_id, row_owner
from services.api.tables import SubmissionRow
from services.api.views import NeedView, OfferView
from services.intake.service import CONSUMER as INTAKE_CONSUMER
from shared.contracts import FieldError
from shared.inbox import ProcessedEvent


@dataclass(frozen=True, slots=True)
class Tracked:
    """One posting of the caller's organisation: intake's row and/or the API's last event."""

    posting_id: str
    owner_number: str
    row: PostingRow | None
    submission: SubmissionRow | None


def _own_rows(side: PostingResource, principal: Principal) -> ColumnElement[bool]:
    return true() if principal.is_admin else side.owner_column == principal.organisation_number


def _own_submissions(side: PostingResource, principal: Principal) -> ColumnElement[bool]:
    mine = (
        true()
        if principal.is_admin
        else SubmissionRow.organisation_number == principal.organisation_number
    )
    return (SubmissionRow.side == side.name) & mine


async def _tracked(
    session: AsyncSession, side: PostingResource, principal: Principal, ids: Sequence[str]
) -> list[Tracked]:
    rows = await session.scalars(
        select(side.table).where(side.id_column.in_(ids), _own_rows(side, principal))
    )
    by_id = {row_id(row): row for row in cast(Sequence[PostingRow], rows.all())}
    submissions = await session.scalars(
        select(SubmissionRow)
        .where(SubmissionRow.posting_id.in_(ids), _own_submissions(side, principal))
        .order_by(SubmissionRow.submitted_at)
    )
    last_sent = {submission.posting_id: submission for submission in submissions}
    return [
        Tracked(
            posting_id=posting_id,
            owner_number=row_owner(row) if row else last_sent[posting_id].organisation_number,
            row=row,
            submission=last_sent.get(posting_id),
        )
        for posting_id in ids
        if (row := by_id.get(posting_id)) is not None or posting_id in last_sent
    ]


async def find_own(
    session: AsyncSession, side: PostingResource, principal: Principal, posting_id: str
) -> Tracked | None:
    """The caller's posting ``posting_id``; ``None`` when unknown *or another organisation's*."""
    found = await _tracked(session, side, principal, [posting_id])
    return found[0] if found else None


async def list_own(
    session: AsyncSession, side: PostingResource, principal: Principal, page: PageRequest
) -> tuple[int, list[Tracked]]:
    """The total and one page of the caller's postings, most recently changed first."""
    changes = union_all(
        select(side.id_column.label("posting_id"), side.table.updated_at.label("changed_at")).where(
            _own_rows(side, principal)
        ),
        select(
            SubmissionRow.posting_id.label("posting_id"),
            SubmissionRow.submitted_at.label("changed_at"),
        ).where(_own_submissions(side, principal)),
    ).subquery()
    postings = select(
        changes.c.posting_id, func.max(changes.c.changed_at).label("changed_at")
    ).group_by(changes.c.posting_id)
    total = await session.scalar(select(func.count()).select_from(postings.subquery()))
    ordered = postings.order_by(func.max(changes.c.changed_at).desc(), changes.c.posting_id)
    ids = list(await session.scalars(ordered.limit(page.page_size).offset(page.offset)))
    return total or 0, await _tracked(session, side, principal, ids)


async def describe(
    session: AsyncSession, side: PostingResource, tracked: Sequence[Tracked]
) -> list[NeedView | OfferView]:
    """The status view of each tracked posting (three queries for any number of them)."""
    last_events = [t.submission.last_event_id for t in tracked if t.submission is not None]
    handled = set(
        await session.scalars(
            select(ProcessedEvent.event_id).where(
                ProcessedEvent.consumer == INTAKE_CONSUMER,
                ProcessedEvent.event_id.in_(last_events),
            )
        )
    )
    refused = await rejection_errors(session, handled)
    return [_view(side, t, handled, refused) for t in tracked]


def _view(
    side: PostingResource, tracked: Tracked, handled: set[str], refused: dict[str, list[FieldError]]
) -> NeedView | OfferView:
    row, submission = tracked.row, tracked.submission
    last_event = submission.last_event_id if submission else None
    fields: dict[str, Any] = {
        side.id_field: tracked.posting_id,
        "submitted_at": submission.submitted_at if submission else None,
        "updated_at": row.updated_at if row else None,
        "posting": row.registered if row else None,
    }
    if last_event is not None and last_event in refused:
        return side.view(**fields, status="rejected", errors=refused[last_event])
    if row is None or (last_event is not None and last_event not in handled):
        return side.view(**fields, status="submitted")
    return side.view(**fields, status=row.status)
