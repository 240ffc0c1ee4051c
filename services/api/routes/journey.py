"""``/api/matches/{id}/journey``, ``/steps`` and ``/rating``: the parties of an accepted match
mark its steps and rate it; whoever may see the match reads its journey.

The steps and ratings go through ``services.review.steps`` and ``ratings`` (row locks, one
transition table); another organisation's match answers 404 as if absent.
"""

from fastapi import APIRouter
from pydantic import BaseModel, Field

from services.api.deps import CurrentUser, SessionDep
from services.api.errors import ERROR_RESPONSES, PRINTABLE
from services.api.journey_views import JourneyView, journey_view
from services.api.principal import Principal
from services.api.routes.matches import MatchIdPath, visible_match
from services.review import ratings, steps
from services.review.journey import Marked
from services.review.ratings import RATING_COMMENT_LENGTH

router = APIRouter(prefix="/api/matches", tags=["matches"], responses=ERROR_RESPONSES)


class StepBody(BaseModel):
    """A step one's side marks; a cancellation needs a reason."""

    step: Marked
    reason: str = Field("", max_length=2000, pattern=PRINTABLE)


class RatingBody(BaseModel):
    """One's side's rating of a match that took place."""

    score: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=RATING_COMMENT_LENGTH, pattern=PRINTABLE)


async def _journey(session: SessionDep, principal: Principal, match_id: str) -> JourneyView:
    match, need, offer = await visible_match(session, principal, match_id)
    return await journey_view(session, principal, match, need, offer)


@router.get("/{match_id}/journey", response_model=JourneyView)
async def get_journey(
    session: SessionDep, principal: CurrentUser, match_id: MatchIdPath
) -> JourneyView:
    """Where a match one may see stands after acceptance, and what one may mark."""
    return await _journey(session, principal, match_id)


@router.post("/{match_id}/steps", response_model=JourneyView)
async def post_step(
    session: SessionDep, principal: CurrentUser, match_id: MatchIdPath, body: StepBody
) -> JourneyView:
    """Mark a step of one's own accepted match (repeating the step now is a no-op): 409 when
    the journey does not allow it now or it is the other side's."""
    await steps.mark_step(session, match_id, body.step, body.reason, principal.actor)
    return await _journey(session, principal, match_id)


@router.post("/{match_id}/rating", response_model=JourneyView)
async def post_rating(
    session: SessionDep, principal: CurrentUser, match_id: MatchIdPath, body: RatingBody
) -> JourneyView:
    """Rate one's own match once it took place (again: replaces one's rating)."""
    await ratings.rate(session, match_id, body.score, body.comment, principal.actor)
    return await _journey(session, principal, match_id)
