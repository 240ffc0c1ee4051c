"""``/organisatie``: one's organisation's people; a member with the organisation-admin right
invites colleagues, removes them and gives or takes the right. ``/uitnodiging`` is the mailed
invitation's form (name and password). Use cases in ``services.api.colleagues``."""

from collections.abc import Awaitable
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Path, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from services.api import colleagues
from services.api.account_links import link_owner
from services.api.deps import SessionDep
from services.api.pages.access import page_role
from services.api.pages.rendering import render
from services.api.passwords import MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, PasswordRefused
from services.api.principal import Principal
from services.api.sign_in_guard import from_another_site

router = APIRouter(include_in_schema=False)
PAGE = "/organisatie"
Member = Annotated[Principal, page_role("school", "provider")]
UserId = Annotated[int, Path(ge=1, le=2**31 - 1)]
DEAD_LINK = "Deze uitnodiging werkt niet meer: ze is al gebruikt of verlopen. Vraag een nieuwe."


async def _page(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    notice: str = "",
    error: str = "",
    code: int = 200,
) -> Response:
    people = await colleagues.colleagues_of(session, principal)
    return render(
        request, "colleagues.html", principal, status_code=code, people=people,
        notice=notice, error=error,
    )  # fmt: skip


@router.get(PAGE, response_class=HTMLResponse)
async def colleagues_page(
    request: Request, session: SessionDep, principal: Member, melding: str = ""
) -> Response:
    """The people of one's organisation (and, for its admins, the forms)."""
    return await _page(request, session, principal, notice=melding[:200])


def _done(notice: str) -> Response:
    return RedirectResponse(f"{PAGE}?{urlencode({'melding': notice})}", status_code=303)


async def _change(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    notice: str,
    change: Awaitable[None],
) -> Response:
    try:
        await change
    except colleagues.ColleagueNotFound:
        return render(request, "not_found.html", principal, status_code=404)
    except colleagues.ColleagueRefused as refused:
        return await _page(request, session, principal, error=str(refused), code=422)
    return _done(notice)


@router.post(f"{PAGE}/uitnodigen")
async def invite(
    request: Request,
    session: SessionDep,
    principal: Member,
    email: Annotated[str, Form(max_length=254)] = "",
) -> Response:
    """Mail a colleague an invitation."""
    change = colleagues.invite(session, principal, email)
    return await _change(request, session, principal, f"Uitnodiging gestuurd naar {email}.", change)


@router.post(f"{PAGE}/{{user_id}}/verwijderen")
async def remove(
    request: Request, session: SessionDep, principal: Member, user_id: UserId
) -> Response:
    """Remove a colleague (it can no longer sign in)."""
    change = colleagues.remove(session, principal, user_id)
    return await _change(request, session, principal, "Collega verwijderd.", change)


@router.post(f"{PAGE}/{{user_id}}/beheerrecht")
async def admin_right(
    request: Request,
    session: SessionDep,
    principal: Member,
    user_id: UserId,
    geven: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    """Give (``geven=ja``) or take a colleague's organisation-admin right."""
    change = colleagues.set_admin(session, principal, user_id, geven == "ja")
    return await _change(request, session, principal, "Beheerrecht aangepast.", change)


@router.get("/uitnodiging", response_class=HTMLResponse)
async def invitation_page(
    request: Request, session: SessionDep, token: Annotated[str, Query(max_length=200)] = ""
) -> Response:
    """The invitation's form; a used or expired one says so."""
    if await link_owner(session, token, "invitation") is None:
        return render(request, "invitation.html", None, status_code=410, dead=DEAD_LINK)
    return render(request, "invitation.html", None, token=token, minimum=MIN_PASSWORD_CHARS)


@router.post("/uitnodiging", response_class=HTMLResponse)
async def accept(
    request: Request,
    session: SessionDep,
    token: Annotated[str, Form(max_length=200)] = "",
    name: Annotated[str, Form(max_length=120)] = "",
    password: Annotated[str, Form(max_length=MAX_PASSWORD_CHARS)] = "",
) -> Response:
    """Accept: one's name and password, then the sign-in page."""
    if from_another_site(request):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "invitation from another site's page")
    try:
        user = await colleagues.accept(session, token, name, password)
    except (colleagues.ColleagueRefused, PasswordRefused) as refused:
        return render(
            request, "invitation.html", None, status_code=422, token=token, name=name,
            error=str(refused), minimum=MIN_PASSWORD_CHARS,
        )  # fmt: skip
    if user is None:
        return render(request, "invitation.html", None, status_code=410, dead=DEAD_LINK)
    notice = urlencode({"melding": "Welkom! Meld u aan met uw e-mailadres en nieuwe wachtwoord."})
    return RedirectResponse(f"/aanmelden?{notice}", status_code=303)
