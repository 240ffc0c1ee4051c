"""``/matches/{id}``: the page of one match, where every mail about it leads. Scope-checked like
``/api/matches/{id}``: a match one may not see is "not found" (anonymous callers sign in first)."""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response

from services.api.deps import SessionDep
from services.api.match_views import match_view
from services.api.pages.access import SignedIn
from services.api.pages.rendering import render
from services.matcher.terms import pair_terms
from services.review import queries

router = APIRouter(include_in_schema=False)
REVIEWERS = ("coordinator", "admin")


@router.get("/matches/{match_id}", response_class=HTMLResponse)
async def match_page(
    request: Request,
    session: SessionDep,
    principal: SignedIn,
    match_id: Annotated[str, Path(max_length=100)],
) -> Response:
    """One match: what is matched, why, where it stands, the other party's contact once it
    is accepted (to its two parties), and to coordinators and administrators the vocabulary's
    terms both texts name (``services.matcher.terms``)."""
    found = await queries.find_match(session, principal.actor, match_id)
    if found is None:
        return render(request, "not_found.html", principal, status_code=404)
    match = match_view(principal, *found)
    matched = None
    if principal.role in REVIEWERS:
        matched = await pair_terms(session, match.need_id, match.offer_id)
    return render(request, "match.html", principal, match=match, terms=matched)
