"""Which postings an organisation has and where each stands, read from what the API sent
(``api_submissions``) and what intake stored (``services.intake.queries``)."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, bindparam, func, select, true, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.pagination import PageRequest
from services.api.posting_resources import PostingResource
from services.api.principal import Principal
from services.api.tables import SubmissionRow
from services.api.views import NeedView, OfferView
from services.intake.queries import (
    StoredPosting,
    handled_events,
    posting_changes,
    rejection_errors,
    stored_postings,
)
from shared.contracts import FieldError, Side


@dataclass(frozen=True, slots=True)
class Tracked:
    """One posting of the caller's organisation: intake's stored posting and/or the API's last
    event."""

    posting_id: str
    owner_number: str
    row: StoredPosting | None
    submission: SubmissionRow | None


def _owner(principal: Principal) -> str | None:
    """The organisation whose postings the caller follows; ``None``: every one (the admin)."""
    return None if principal.is_admin else principal.organisation_number


def _own_submissions(side: PostingResource, owner: str | None) -> ColumnElement[bool]:
    mine = true() if owner is None else SubmissionRow.organisation_number == owner
    return (SubmissionRow.side == side.name) & mine


async def _tracked(
    session: AsyncSession, side: PostingResource, principal: Principal, ids: Sequence[str]
) -> list[Tracked]:
    by_id = await stored_postings(session, side.name, ids, _owner(principal))
    submissions = await session.scalars(
        select(SubmissionRow)
        .where(SubmissionRow.posting_id.in_(ids), _own_submissions(side, _owner(principal)))
        .order_by(SubmissionRow.submitted_at)
    )
    last_sent = {submission.posting_id: submission for submission in submissions}
    return [
        Tracked(
            posting_id=posting_id,
            owner_number=row.owner_number if row else last_sent[posting_id].organisation_number,
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
    owner = _owner(principal)
    postings = _own_postings(side.name, every_owner=owner is None)
    whose = {} if owner is None else {"owner": owner}
    # The total comes with the page (a count over the groups); past the end, on its own.
    rows = await session.execute(
        _page_of(side.name, every_owner=owner is None),
        {**whose, "size": page.page_size, "skip": page.offset},
    )
    page_rows = list(rows.tuples())
    if page_rows:
        total = page_rows[0][1]
    else:
        counted = select(func.count()).select_from(postings.subquery())
        total = (await session.execute(counted, whose)).scalar_one()
    ids = [posting_id for posting_id, _ in page_rows]
    return total, await _tracked(session, side, principal, ids)


@cache
def _changes(side: Side, every_owner: bool) -> Subquery:
    """(``posting_id``, ``changed_at``) of the postings of every organisation or of the
    parameter ``owner``: what intake stored and what the API sent (built once for each: a
    page asks it on every request)."""
    sent = SubmissionRow.side == side
    if not every_owner:
        sent &= SubmissionRow.organisation_number == bindparam("owner")
    return union_all(
        posting_changes(side, every_owner),
        select(
            SubmissionRow.posting_id.label("posting_id"),
            SubmissionRow.submitted_at.label("changed_at"),
        ).where(sent),
    ).subquery()


def _own_postings(side: Side, every_owner: bool) -> Select[tuple[str]]:
    changes = _changes(side, every_owner)
    return select(changes.c.posting_id).group_by(changes.c.posting_id)


@cache
def _page_of(side: Side, every_owner: bool) -> Select[tuple[str, int]]:
    """A page (parameters ``size`` and ``skip``) of the postings, most recently changed first,
    with their total."""
    changes = _changes(side, every_owner)
    return (
        _own_postings(side, every_owner)
        .add_columns(func.count().over())
        .order_by(func.max(changes.c.changed_at).desc(), changes.c.posting_id)
        .limit(bindparam("size"))
        .offset(bindparam("skip"))
    )


async def describe(
    session: AsyncSession, side: PostingResource, tracked: Sequence[Tracked]
) -> list[NeedView | OfferView]:
    """The status view of each tracked posting (three queries for any number of them)."""
    last_events = [t.submission.last_event_id for t in tracked if t.submission is not None]
    handled = await handled_events(session, last_events)
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
