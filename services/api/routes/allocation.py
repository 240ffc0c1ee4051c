"""``/api/allocation``: a coordinator's allocation round for its region (``services.review``):
a proposal that maximises the total score under capacities, beside greedy top-1, one window of
its pairs at a time (``offset``, ``limit``) with its totals, and accepting it in one go or pair
by pair, each pair under the single-decision rules."""

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from services.api.deps import ContextDep, CoordinatorUser, SessionDep
from services.api.errors import ERROR_RESPONSES, PRINTABLE
from services.api.round_proposals import proposed_round
from services.review.proposals import SHOWN_AT_MOST, RoundOptions, Shown
from services.review.rounds import accept_proposal

router = APIRouter(prefix="/api/allocation", tags=["allocation"], responses=ERROR_RESPONSES)
Flag = Annotated[bool, Query()]


class AcceptRound(BaseModel):
    """The pairs to accept, in the proposal's order (all of it, or the ones the coordinator
    keeps)."""

    match_ids: list[Annotated[str, Field(max_length=100)]] = Field(min_length=1, max_length=5000)


@router.get("", responses={503: {"description": "Other rounds are being computed: Retry-After."}})
async def proposal(
    session: SessionDep,
    context: ContextDep,
    principal: CoordinatorUser,
    kind: Annotated[str | None, Query(max_length=40, pattern=PRINTABLE)] = None,
    new_schools_first: Flag = False,
    early_grades_up: Flag = False,
    rtc_region: Annotated[
        str | None, Query(max_length=40, pattern=PRINTABLE, description="Admin only.")
    ] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=0, le=SHOWN_AT_MOST)] = 100,
) -> dict[str, Any]:
    """The allocation round of one's region (optionally one kind): ``limit`` of its
    ``pairs_total`` pairs from ``offset`` on, in the order to accept them, and the totals of the
    whole round; ``extra_needs_matched`` says how many more needs it serves than taking each
    need's top suggestion greedily."""
    options = RoundOptions(new_schools_first=new_schools_first, early_grades_up=early_grades_up)
    region = principal.actor.region_chosen(rtc_region)
    found = await proposed_round(context, session, region, kind, options, Shown(offset, limit))
    return asdict(found)


@router.post("/accept")
async def accept(
    session: SessionDep, principal: CoordinatorUser, body: AcceptRound
) -> dict[str, Any]:
    """Accept the pairs in order; each answers accepted (with its units) or refused with the
    reason (taken meanwhile, not in one's region, ...), in one transaction."""
    outcomes = await accept_proposal(session, body.match_ids, principal.actor)
    return {"outcomes": [asdict(outcome) for outcome in outcomes]}
