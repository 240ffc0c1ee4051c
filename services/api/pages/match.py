"""``/matches/{id}``: the page of one match, where every mail about it leads. Scope-checked like
``/api/matches/{id}``: a match one may not see is "not found" (anonymous callers sign in first)."""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response

from services.api.deps import SessionDep
from services.api.match_views import match_view
from services.api.pages.access import SignedIn
from services.api.pages.rendering import render
from services.review import queries

router = APIRouter(include_in_schema=False)


@router.get("/matches/{match_id}", response_class=HTMLResponse)
async def match_page(
    request: Request,
    session: SessionDep,
    principal: SignedIn,
    match_id: Annotated[str, Path(max_length=100)],
) -> Response:
    """One match: what is matched, why, where it stands, and the other party's contact once it
    is accepted (to its two parties)."""
    found = await queries.find_match(session, principal.actor, match_id)
    if found is None:
        return render(request, "not_found.html", principal, status_code=404)
    return render(request, "match.html", principal, match=match_view(principal, *found))
