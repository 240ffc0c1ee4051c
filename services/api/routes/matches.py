"""``/api/matches``: the matches one may see, and the coordinator's decisions on them.

Decisions go through ``services.review.decisions`` (the one place that decides capacity); a match
outside the caller's scope answers 404 exactly like one that does not exist. Refusals rise as
domain errors, answered in ``services.api.domain_errors``.
"""

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query, status
from pydantic import BaseModel, Field

from services.api.deps import ContextDep, CoordinatorUser, CurrentUser, SessionDep
from services.api.errors import ERROR_RESPONSES, PRINTABLE
from services.api.match_views import MatchPage, MatchView, match_view
from services.api.pagination import PageDep
from services.api.principal import Principal
from services.review import decisions, queries
from services.review.rules import Decision
from shared.contracts.matches import ReasonCode

router = APIRouter(prefix="/api/matches", tags=["matches"], responses=ERROR_RESPONSES)
MatchIdPath = Annotated[str, Path(max_length=100, pattern=PRINTABLE)]
Text = Annotated[str | None, Query(max_length=200, pattern=PRINTABLE)]


class DecisionBody(BaseModel):
    """A coordinator's decision; a rejection needs a reason code."""

    decision: Decision
    reason_code: ReasonCode | None = None
    reason: str = Field("", max_length=2000)


class RevocationBody(BaseModel):
    """Why an accepted match is called off (the company cancels, ...)."""

    reason: str = Field(min_length=1, max_length=2000)


@router.get("", response_model=MatchPage)
async def list_matches(
    session: SessionDep,
    context: ContextDep,
    principal: CurrentUser,
    page: PageDep,
    match_status: Annotated[
        str | None, Query(alias="status", max_length=10, pattern=PRINTABLE)
    ] = None,
    kind: Text = None,
    field: Text = None,
    grade: Text = None,
    school: Annotated[
        str | None, Query(max_length=6, pattern=PRINTABLE, description="Institution number.")
    ] = None,
    need_id: Text = None,
    q: Text = None,
    sort: Literal["score", "age"] = "score",
) -> MatchPage:
    """The matches of one's needs (school), offers (provider), region (coordinator) or all
    (admin), filtered and sorted, one page at a time; ``total`` is exact up to the API's
    exact-count limit (``total_exact``), the database's estimate above."""
    wanted = queries.MatchFilter(match_status, kind, field, grade, school, need_id, q, sort)
    rows, total = await queries.list_matches(
        session,
        principal.actor,
        wanted,
        page.offset,
        page.page_size,
        context.settings.exact_count_limit,
        shared_rows=True,  # a GET: this request changed nothing
    )
    items = [match_view(principal, *row) for row in rows]
    return MatchPage(
        items=items,
        total=total.value,
        total_exact=total.exact,
        page=page.page,
        page_size=page.page_size,
    )


async def visible_match(session: SessionDep, principal: Principal, match_id: str) -> queries.Listed:
    """The match ``principal`` may see, with its need and offer; 404 as if absent otherwise."""
    found = await queries.find_match(session, principal.actor, match_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no match {match_id!r} of yours")
    return found


async def _visible(session: SessionDep, principal: Principal, match_id: str) -> MatchView:
    return match_view(principal, *await visible_match(session, principal, match_id))


@router.get("/{match_id}", response_model=MatchView)
async def get_match(
    session: SessionDep, principal: CurrentUser, match_id: MatchIdPath
) -> MatchView:
    """One match one may see."""
    return await _visible(session, principal, match_id)


@router.post("/{match_id}/decision", response_model=MatchView)
async def post_decision(
    session: SessionDep, principal: CoordinatorUser, match_id: MatchIdPath, body: DecisionBody
) -> MatchView:
    """Accept or reject an open suggestion of one's region: 409 when it is no longer open or the
    offer is fully booked."""
    await decisions.make_decision(
        session, match_id, body.decision, body.reason_code, body.reason, principal.actor
    )
    return await _visible(session, principal, match_id)


@router.post("/{match_id}/revoke", response_model=MatchView)
async def revoke(
    session: SessionDep, principal: CoordinatorUser, match_id: MatchIdPath, body: RevocationBody
) -> MatchView:
    """Call off an accepted match: the capacity comes back, the need reopens, both parties are
    told."""
    await decisions.revoke(session, match_id, body.reason, principal.actor)
    return await _visible(session, principal, match_id)
