"""``/account/sessies``: one's own browser sessions and bearer tokens ("Sessies en tokens"), with
a button to end each. The same functions as ``/api/me/sessions`` and ``/api/me/tokens``."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.api import sign_ins
from services.api.deps import ContextDep, RowId, SessionDep
from services.api.pages.access import SignedIn
from services.api.pages.rendering import render
from services.api.principal import Principal
from services.api.tables import ApiTokenRow, BrowserSessionRow

router = APIRouter(prefix="/account", include_in_schema=False)
PAGE = "/account/sessies"


@router.get("/sessies", response_class=HTMLResponse)
async def sign_ins_page(
    request: Request, session: SessionDep, context: ContextDep, principal: SignedIn
) -> Response:
    """One's live sessions (this one marked) and tokens."""
    idle = context.session_limits.idle
    return render(
        request,
        "sign_ins.html",
        principal,
        sessions=await sign_ins.sessions_of(session, principal.user_id, idle),
        tokens=await sign_ins.tokens_of(session, principal.user_id),
    )


async def _end(
    request: Request,
    session: SessionDep,
    principal: Principal,
    table: sign_ins.SignInTable,
    row_id: int,
) -> Response:
    if not await sign_ins.revoke(session, table, principal.user_id, row_id):
        return render(request, "not_found.html", principal, status_code=404)
    ended_own = table is BrowserSessionRow and row_id == principal.session_id
    return RedirectResponse("/aanmelden" if ended_own else PAGE, status_code=303)


@router.post("/sessies/{session_id}/beeindigen")
async def end_session(
    request: Request, session: SessionDep, principal: SignedIn, session_id: RowId
) -> Response:
    """End one of one's sessions; ending this one signs out."""
    return await _end(request, session, principal, BrowserSessionRow, session_id)


@router.post("/tokens/{token_id}/intrekken")
async def revoke_token(
    request: Request, session: SessionDep, principal: SignedIn, token_id: RowId
) -> Response:
    """Revoke one of one's bearer tokens."""
    return await _end(request, session, principal, ApiTokenRow, token_id)
