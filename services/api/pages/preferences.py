"""``/account/voorkeuren``: how one hears from Schakel. A coordinator chooses between a mail per
new suggestion and one daily overview; every mail links here."""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from services.api import accounts
from services.api.deps import SessionDep
from services.api.pages.access import SignedIn
from services.api.pages.rendering import render
from shared.accounts import UserRow

router = APIRouter(prefix="/account", include_in_schema=False)
PAGE = "/account/voorkeuren"


@router.get("/voorkeuren", response_class=HTMLResponse)
async def preferences_page(
    request: Request, session: SessionDep, principal: SignedIn, melding: str = ""
) -> Response:
    """One's mail preferences."""
    digest = await session.scalar(select(UserRow.digest).where(UserRow.id == principal.user_id))
    return render(request, "preferences.html", principal, digest=digest, notice=melding[:200])


@router.post("/voorkeuren")
async def save_preferences(
    request: Request,
    session: SessionDep,
    principal: SignedIn,
    digest: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Keep a coordinator's choice."""
    try:
        await accounts.set_digest(session, principal.user_id, digest)
    except accounts.AccountError as refused:
        return render(
            request, "preferences.html", principal, status_code=422, digest=digest,
            error=str(refused),
        )  # fmt: skip
    notice = urlencode({"melding": "Uw voorkeur is bewaard."})
    return RedirectResponse(f"{PAGE}?{notice}", status_code=303)
