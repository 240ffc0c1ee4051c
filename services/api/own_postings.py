"""What an organisation does to its own postings, for ``/api/needs``, ``/api/offers`` and the
school and provider pages alike: find one (another organisation's is as absent as an unknown
id), replace it with a new version and withdraw it, each through the outbox."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.api.errors import field_problem
from services.api.posting_resources import PostingResource
from services.api.principal import Principal
from services.api.submissions import queue_withdrawal, submit_posting
from services.api.tracking import Tracked, find_own


class PostingNotFound(LookupError):  # noqa: N818 - reads as the API's 404
    """No posting of the caller's organisation has this id (it may be another's)."""


class PostingClosed(Exception):  # noqa: N818 - reads as the API's 409
    """The posting is withdrawn or expired: nothing more can be done to it."""


async def own_posting(
    session: AsyncSession, side: PostingResource, principal: Principal, posting_id: str
) -> Tracked:
    """The caller's posting; ``PostingNotFound`` when unknown or another organisation's."""
    tracked = await find_own(session, side, principal, posting_id)
    if tracked is None:
        raise PostingNotFound(f"no {side.name} {posting_id} of yours")
    return tracked


def _still_open(side: PostingResource, tracked: Tracked) -> None:
    if tracked.row is not None and tracked.row.closed:
        raise PostingClosed(f"{side.name} {tracked.posting_id} is {tracked.row.status}")


async def withdraw_own(
    session: AsyncSession, side: PostingResource, principal: Principal, posting_id: str
) -> None:
    """Ask intake to withdraw the caller's posting (outbox, in the session's transaction)."""
    tracked = await own_posting(session, side, principal, posting_id)
    _still_open(side, tracked)
    await queue_withdrawal(session, side, posting_id, tracked.owner_number)


async def replace_own(
    session: AsyncSession,
    side: PostingResource,
    principal: Principal,
    posting_id: str,
    document: dict[str, Any],
) -> str:
    """Send a new version of the caller's posting ``posting_id`` (the document's id must be
    that one or absent); the contract and ownership checks of ``submit_posting`` apply, and
    intake decides what a new version of a closed posting means."""
    await own_posting(session, side, principal, posting_id)
    document = {**document, side.id_field: document.get(side.id_field, posting_id)}
    if document[side.id_field] != posting_id:
        raise field_problem(side.id_field, "must equal the id in the path")
    return await submit_posting(session, side, principal, document)
