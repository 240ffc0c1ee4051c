"""Queue what an organisation sends: validated postings and withdrawals go to the outbox, and
``api_submissions`` remembers the last event per posting so its status can be followed.

One JSON body and one CSV row go through the same ``parse_posting``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from pydantic import BaseModel, ValidationError
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.errors import ApiValidationError
from services.api.posting_resources import Posting, PostingResource
from services.api.principal import Principal
from services.api.tables import SubmissionRow
from shared import own_versions
from shared.contracts import FieldError, to_field_errors
from shared.contracts.submitted import with_owner_name
from shared.outbox import add_many_to_outbox


class NotYourOrganisation(PermissionError):  # noqa: N818 - reads as the API's 403
    """A posting that names another organisation than the caller's as its owner."""


class OrganisationNotApproved(NotYourOrganisation):
    """The caller's organisation signed itself up and is not approved (yet): nothing it posts
    is published or matched."""

    dutch = (
        "Uw organisatie wacht nog op de goedkeuring van het RTC van uw regio (of werd "
        "geweigerd): tot dan wordt niets gepubliceerd of gematcht."
    )

    def __init__(self) -> None:
        super().__init__(
            "your organisation is not approved by the RTC coordinator of its region (yet): "
            "nothing it posts is published"
        )


def check_may_publish(principal: Principal) -> None:
    """OrganisationNotApproved unless ``principal``'s organisation may publish."""
    if not principal.may_publish:
        raise OrganisationNotApproved()


def validate_posting(side: PostingResource, document: dict[str, Any]) -> Posting | ValidationError:
    """The contract event for ``document`` (a body without ``event_id``), or why not."""
    try:
        return side.submitted.model_validate({**document, "event_id": uuid4()})
    except ValidationError as error:
        return error


def parse_posting(side: PostingResource, document: dict[str, Any]) -> Posting | list[FieldError]:
    """The contract event for ``document``, or the field errors intake would put on
    ``postings.rejected`` for it."""
    parsed = validate_posting(side, document)
    if isinstance(parsed, ValidationError):
        return [e for e in to_field_errors(parsed.errors()) if e.field != "event_id"]
    return parsed


def registered_name(posting: Posting, principal: Principal) -> Posting:
    """``posting`` under the signed-in organisation's registered name (an admin acting for
    another organisation leaves it to intake, which puts the registered one in)."""
    return posting if principal.is_admin else with_owner_name(posting, principal.organisation_name)


async def submit_posting(
    session: AsyncSession, side: PostingResource, principal: Principal, document: dict[str, Any]
) -> str:
    """Validate a posting as intake will, check the caller may act for its owner, queue it;
    its id. Raise ``ApiValidationError`` or ``NotYourOrganisation`` (``OrganisationNotApproved``
    too) when it cannot be."""
    check_may_publish(principal)
    parsed = parse_posting(side, document)
    if isinstance(parsed, list):
        raise ApiValidationError(parsed, f"the {side.name} is not valid")
    if not principal.acts_for(parsed.owner_number):
        raise NotYourOrganisation(
            f"{side.owner_label} must be your organisation's number "
            f"({principal.organisation_number})"
        )
    await queue_postings(session, side, [registered_name(parsed, principal)])
    return parsed.posting_id


@dataclass(frozen=True, slots=True)
class _Queued:
    posting_id: str
    owner: str
    event_id: UUID
    event: BaseModel


async def queue_postings(
    session: AsyncSession, side: PostingResource, postings: Sequence[Posting]
) -> None:
    """Send ``postings`` to intake (outbox, in the session's transaction), in one bulk insert."""
    queued = [_Queued(p.posting_id, p.owner_number, p.event_id, p) for p in postings]
    await _queue(session, side, side.submitted_topic, queued)


async def queue_withdrawal(
    session: AsyncSession, side: PostingResource, posting: str, owner: str
) -> None:
    """Ask intake to withdraw ``posting`` on behalf of its owner."""
    event = side.withdrawal(posting, owner)
    queued = _Queued(posting, owner, event.event_id, event)
    await _queue(session, side, side.withdrawn_topic, [queued])


async def _queue(
    session: AsyncSession, side: PostingResource, topic: str, queued: Sequence[_Queued]
) -> None:
    if not queued:
        return
    await add_many_to_outbox(session, [(topic, q.posting_id, q.event) for q in queued])
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
    for q in queued:  # the page of the owner's postings shows it at once
        own_versions.touch(session.sync_session, side.name, q.owner)
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
