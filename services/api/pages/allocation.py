"""``/toewijzing``: the coordinator's allocation round (``services.review.proposals``), shown
beside greedy top-1 a page of ``PAGE_SIZE`` pairs at a time (``pagina``) with the round's
totals, and accepted in one go or for the pairs the coordinator keeps."""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from services.api.deps import ContextDep, SessionDep
from services.api.pages.access import CoordinatorPage
from services.api.pages.dutch import REFUSALS
from services.api.pages.rendering import REGIONS, render
from services.api.round_proposals import proposed_round
from services.review.proposals import RoundOptions, Shown
from services.review.rounds import accept_proposal
from shared import taxonomy

router = APIRouter(prefix="/toewijzing", include_in_schema=False)
Choice = Annotated[str, Query(max_length=40)]
PAGE_SIZE = 100


@router.get("", response_class=HTMLResponse)
async def round_page(
    request: Request,
    session: SessionDep,
    context: ContextDep,
    principal: CoordinatorPage,
    soort: Choice = "",
    regio: Choice = "",
    nieuwe_scholen: Choice = "",
    eerste_graden: Choice = "",
    pagina: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    """The proposal for one's region (the admin picks one), with the options as the form set
    them: page ``pagina`` of its pairs."""
    region = principal.actor.region_chosen(regio if regio in REGIONS else REGIONS[0])
    options = RoundOptions(
        new_schools_first=bool(nieuwe_scholen), early_grades_up=bool(eerste_graden)
    )
    kind = soort if soort in taxonomy.kinds() else None
    shown = Shown((pagina - 1) * PAGE_SIZE, PAGE_SIZE)
    proposal = await proposed_round(context, session, region, kind, options, shown)
    chosen = {
        "soort": kind or "",
        "regio": region,
        "nieuwe_scholen": nieuwe_scholen,
        "eerste_graden": eerste_graden,
    }
    page_count = max(1, -(-proposal.pairs_total // PAGE_SIZE))
    return render(
        request, "allocation.html", principal, proposal=proposal, chosen=chosen,
        page=pagina, page_count=page_count, query=urlencode(chosen),
    )  # fmt: skip


@router.post("", response_class=HTMLResponse)
async def accept_round(
    request: Request,
    session: SessionDep,
    principal: CoordinatorPage,
    match_id: Annotated[list[str], Form(max_length=5000)],
) -> Response:
    """Accept the ticked pairs in the proposal's order; each answers on its own."""
    outcomes = await accept_proposal(session, [m[:100] for m in match_id], principal.actor)
    return render(request, "allocation_done.html", principal, outcomes=outcomes, refusals=REFUSALS)
