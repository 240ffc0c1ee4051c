"""``/matches/{id}``: the page of one match, where every mail about it leads. Scope-checked like
``/api/matches/{id}``: a match one may not see is "not found" (anonymous callers sign in first).
Its parties mark the journey's steps and rate it here (``/stap``, ``/beoordeling``), through the
same ``services.review`` functions as ``/api/matches/{id}/steps`` and ``/rating``."""

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.api.deps import SessionDep
from services.api.journey_views import journey_view
from services.api.match_views import match_view
from services.api.pages.access import SignedIn
from services.api.pages.rendering import render
from services.api.principal import Principal
from services.matcher.terms import pair_terms
from services.review import queries, ratings, steps
from services.review.ratings import RATING_COMMENT_LENGTH

router = APIRouter(include_in_schema=False)
MatchIdPath = Annotated[str, Path(max_length=100)]


@router.get("/matches/{match_id}", response_class=HTMLResponse)
async def match_page(
    request: Request, session: SessionDep, principal: SignedIn, match_id: MatchIdPath
) -> Response:
    """One match: what is matched, why, where it stands, and the other party's contact once it
    is accepted (to its two parties); after acceptance its journey and ratings; to reviewers
    what schools said of the provider and the vocabulary's terms both texts name
    (``services.matcher.terms``)."""
    found = await queries.find_match(session, principal.actor, match_id)
    if found is None:
        return render(request, "not_found.html", principal, status_code=404)
    match, _, offer = found
    journey = await journey_view(session, principal, *found) if match.status == "accepted" else None
    reviews = principal.actor.reviews  # the provider's track record helps the coordinator decide
    record = await ratings.track_record(session, offer.enterprise_number) if reviews else None
    terms = await pair_terms(session, match.need_id, match.offer_id) if reviews else None
    return render(
        request, "match.html", principal, match=match_view(principal, *found), journey=journey,
        record=record, comment_length=RATING_COMMENT_LENGTH, terms=terms,
    )  # fmt: skip


@router.post("/matches/{match_id}/stap")
async def mark_step(
    request: Request,
    session: SessionDep,
    principal: SignedIn,
    match_id: MatchIdPath,
    step: Annotated[str, Form(max_length=20)],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Mark a step of one's match (a refusal answers the problem page, in Dutch)."""
    if not await _visible(session, principal, match_id):
        return render(request, "not_found.html", principal, status_code=404)
    await steps.mark_step(session, match_id, step, reason, principal.actor)
    return RedirectResponse(f"/matches/{match_id}", status_code=303)


@router.post("/matches/{match_id}/beoordeling")
async def rate(
    request: Request,
    session: SessionDep,
    principal: SignedIn,
    match_id: MatchIdPath,
    score: Annotated[int, Form(ge=1, le=5)],
    comment: Annotated[str, Form(max_length=RATING_COMMENT_LENGTH)] = "",
) -> Response:
    """Rate one's match once it took place."""
    if not await _visible(session, principal, match_id):
        return render(request, "not_found.html", principal, status_code=404)
    await ratings.rate(session, match_id, score, comment, principal.actor)
    return RedirectResponse(f"/matches/{match_id}", status_code=303)


async def _visible(session: SessionDep, principal: Principal, match_id: str) -> bool:
    return await queries.find_match(session, principal.actor, match_id) is not None
