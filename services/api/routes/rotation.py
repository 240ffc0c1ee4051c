"""``/api/offers/{offer_id}/rotation``: an offer's rotation plan (``services.review``): which
school gets which unit when, beside what is booked, for the coordinator of the schools' region
and, read-only, the offer's provider; accepting it in one go or pair by pair, each pair under
the single-decision rules. Another organisation's offer, or one without a suggestion in one's
region, is not found."""

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, status
from pydantic import BaseModel, Field

from services.api.deps import ContextDep, CoordinatorUser, SessionDep, role_required
from services.api.errors import ERROR_RESPONSES, PRINTABLE
from services.api.principal import Principal
from services.api.round_proposals import proposed_rotation
from services.review.rotation_plans import UnknownOffer
from services.review.rounds import PairOutcome, accept_rotation

router = APIRouter(prefix="/api/offers", tags=["rotation"], responses=ERROR_RESPONSES)
OfferIdPath = Annotated[str, Path(max_length=120, pattern=PRINTABLE)]
Viewer = Annotated[Principal, role_required("provider", "coordinator", "admin")]


class AcceptRotation(BaseModel):
    """The pairs to accept (none named: the whole plan), accepted in the plan's order."""

    match_ids: list[Annotated[str, Field(max_length=100)]] | None = Field(
        None, min_length=1, max_length=500
    )


@router.get("/{offer_id}/rotation")
async def rotation(
    context: ContextDep, session: SessionDep, principal: Viewer, offer_id: OfferIdPath
) -> dict[str, Any]:
    """The offer's timeline (units as rows, bookings and planned loans as bars) and the plan
    for its open suggestions: as many schools as its units allow in time, then the most score,
    in the order to accept it. 503 with Retry-After while other plans or rounds take every slot
    (``API_ROUNDS_AT_ONCE``)."""
    try:
        plan = await proposed_rotation(context, session, principal.actor, offer_id)
    except UnknownOffer:
        raise _not_found(offer_id) from None
    return asdict(plan)


@router.post("/{offer_id}/rotation/accept")
async def accept(
    session: SessionDep, principal: CoordinatorUser, offer_id: OfferIdPath, body: AcceptRotation
) -> dict[str, Any]:
    """Accept the plan as it stands (or the pairs named); each answers accepted (with its units)
    or refused with the reason, in one transaction."""
    try:
        outcomes: list[PairOutcome] = await accept_rotation(
            session, offer_id, body.match_ids, principal.actor
        )
    except UnknownOffer:
        raise _not_found(offer_id) from None
    return {"outcomes": [asdict(outcome) for outcome in outcomes]}


def _not_found(offer_id: str) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, f"no offer {offer_id!r} of yours")
