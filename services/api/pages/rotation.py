"""``/rotatie/{offer_id}``: an offer's rotation plan (``services.review.rotation_plans``) on a
timeline, for the coordinator of the schools' region, who accepts it in one go or pair by pair
(``services.review.rounds.accept_rotation``), and read-only for the offer's provider. An offer
one may not see is not found."""

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, Response

from services.api.deps import ContextDep, SessionDep
from services.api.pages.access import CoordinatorPage, page_role
from services.api.pages.dutch import REFUSALS
from services.api.pages.rendering import render
from services.api.principal import Principal
from services.api.round_proposals import proposed_rotation
from services.review.rotation_plans import UnknownOffer
from services.review.rounds import accept_rotation

router = APIRouter(prefix="/rotatie", include_in_schema=False)
OfferId = Annotated[str, Path(max_length=120)]
Viewer = Annotated[Principal, page_role("provider", "coordinator", "admin")]


@router.get("/{offer_id}", response_class=HTMLResponse)
async def rotation_page(
    request: Request,
    context: ContextDep,
    session: SessionDep,
    principal: Viewer,
    offer_id: OfferId,
) -> Response:
    """The offer's timeline with the plan's loans, and the plan in the order to accept it."""
    try:
        plan = await proposed_rotation(context, session, principal.actor, offer_id)
    except UnknownOffer:
        return render(request, "not_found.html", principal, status_code=404)
    return render(request, "rotation.html", principal, plan=plan)


@router.post("/{offer_id}", response_class=HTMLResponse)
async def accept_page(
    request: Request,
    session: SessionDep,
    principal: CoordinatorPage,
    offer_id: OfferId,
    match_id: Annotated[list[str], Form(max_length=500)],
) -> Response:
    """Accept the pairs sent (the whole plan, or one), in the plan's order; each answers."""
    try:
        outcomes = await accept_rotation(
            session, offer_id, [m[:100] for m in match_id], principal.actor
        )
    except UnknownOffer:
        return render(request, "not_found.html", principal, status_code=404)
    return render(
        request, "allocation_done.html", principal, outcomes=outcomes, refusals=REFUSALS,
        back=(f"/rotatie/{quote(offer_id, safe='')}", "Terug naar het rotatieplan"),
    )  # fmt: skip
