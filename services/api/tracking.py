"""Which postings an organisation has and where each stands, read from what the API sent
(``api_submissions``) and what intake stored (``services.intake.queries``)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

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
    stored_beside,
    stored_columns,
    stored_postings,
)
from shared.contracts import FieldError, Side

Shown = TypeVar("Shown")


@dataclass(frozen=True, slots=True)
class Sent:
    """The last event the API sent for a posting (``api_submissions``)."""

    organisation_number: str
    last_event_id: str
    submitted_at: datetime


SENT_COLUMNS = (
    SubmissionRow.organisation_number, SubmissionRow.last_event_id, SubmissionRow.submitted_at,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Tracked:
    """One posting of the caller's organisation: intake's stored posting and/or the API's last
    event."""

    posting_id: str
    owner_number: str
    row: StoredPosting | None
    submission: Sent | None


def _owner(principal: Principal) -> str | None:
    """The organisation whose postings the caller follows; ``None``: every one (the admin)."""
    return None if principal.is_admin else principal.organisation_number


def _own_submissions(side: PostingResource, owner: str | None) -> ColumnElement[bool]:
    mine = true() if owner is None else SubmissionRow.organisation_number == owner
    return (SubmissionRow.side == side.name) & mine


def _tracked_one(posting_id: str, row: StoredPosting | None, sent: Sent | None) -> Tracked | None:
    """The posting as tracked, ``None`` when neither intake stored it nor the API sent it."""
    if row is not None:
        return Tracked(posting_id, row.owner_number, row, sent)
    return None if sent is None else Tracked(posting_id, sent.organisation_number, None, sent)


async def find_own(
    session: AsyncSession, side: PostingResource, principal: Principal, posting_id: str
) -> Tracked | None:
    """The caller's posting ``posting_id``; ``None`` when unknown *or another organisation's*."""
    owner = _owner(principal)
    stored = await stored_postings(session, side.name, [posting_id], owner)
    sent = await session.execute(
        select(*SENT_COLUMNS)
        .where(SubmissionRow.posting_id == posting_id, _own_submissions(side, owner))
        .order_by(SubmissionRow.submitted_at.desc())
        .limit(1)
    )
    last = sent.first()
    return _tracked_one(posting_id, stored.get(posting_id), Sent(*last) if last else None)


async def list_own(
    session: AsyncSession, side: PostingResource, principal: Principal, page: PageRequest
) -> tuple[int, list[Tracked]]:
    """The total and one page of the caller's postings, most recently changed first: one
    statement (the page's ids, their total, stored rows and last events sent); past the end,
    a count of its own."""
    owner = _owner(principal)
    whose = {} if owner is None else {"owner": owner}
    rows = await session.execute(
        _page_of(side.name, every_owner=owner is None),
        {**whose, "size": page.page_size, "skip": page.offset},
    )
    page_rows = list(rows.tuples())
    if not page_rows:
        postings = _own_postings(side.name, every_owner=owner is None)
        counted = select(func.count()).select_from(postings.subquery())
        return (await session.execute(counted, whose)).scalar_one(), []
    sent_from = 2 + len(stored_columns(side.name))
    tracked = [
        _tracked_one(
            row[0], _present(StoredPosting, row[2:sent_from]), _present(Sent, row[sent_from:])
        )
        for row in page_rows
    ]
    return page_rows[0][1], [t for t in tracked if t is not None]


def _present(shape: Callable[..., Shown], columns: Sequence[Any]) -> Shown | None:
    """``shape(*columns)``, or ``None`` when an outer join found no row (a null first column:
    a key)."""
    return None if columns[0] is None else shape(*columns)


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
def _page_of(side: Side, every_owner: bool) -> Select[Any]:
    """A page (parameters ``size`` and ``skip``) of the postings, most recently changed first:
    each one's id, the total, its stored row (``stored_columns``, nulls if intake has none)
    and the last event sent for it (``SENT_COLUMNS``, nulls if none); built once."""
    changes = _changes(side, every_owner)
    changed = func.max(changes.c.changed_at)
    page = (
        _own_postings(side, every_owner)
        .add_columns(func.count().over().label("total"), changed.label("changed_at"))
        .order_by(changed.desc(), changes.c.posting_id)
        .limit(bindparam("size"))
        .offset(bindparam("skip"))
        .subquery("page")
    )
    table, joined = stored_beside(side, every_owner, page.c.posting_id)
    sent = SubmissionRow.side == side
    if not every_owner:
        sent &= SubmissionRow.organisation_number == bindparam("owner")
    last_sent = (
        select(*SENT_COLUMNS)
        .where(SubmissionRow.posting_id == page.c.posting_id, sent)
        .order_by(SubmissionRow.submitted_at.desc())
        .limit(1)
        .lateral("last_sent")
    )
    return (
        select(page.c.posting_id, page.c.total, *stored_columns(side), *last_sent.c)
        .select_from(page.outerjoin(table, joined).outerjoin(last_sent, true()))
        .order_by(page.c.changed_at.desc(), page.c.posting_id)
    )


async def describe(
    session: AsyncSession, side: PostingResource, tracked: Sequence[Tracked]
) -> list[NeedView | OfferView]:
    """The status view of each tracked posting (three queries for any number of them)."""
    last_events = [t.submission.last_event_id for t in tracked if t.submission is not None]
    handled = await handled_events(session, last_events)
    refused = await rejection_errors(session, handled)
    return [_view(side, t, handled, refused) for t in tracked]


def waits_for_intake(views: Sequence[NeedView | OfferView]) -> bool:
    """Whether one of ``views`` waits for intake to handle what the API sent for it."""
    return any(view.status == "submitted" for view in views)


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
