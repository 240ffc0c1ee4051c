"""Passwords in the browser: ``/wachtwoord-vergeten`` (mail me a link), ``/wachtwoord-herstellen``
(the link's form) and ``/account/wachtwoord`` (change it while signed in). The same functions as
``/api/password-reset`` and ``/api/me/password`` (``services.api.passwords``)."""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from services.api import passwords
from services.api.account_links import link_owner
from services.api.deps import ContextDep, SessionDep
from services.api.pages.access import SignedIn
from services.api.pages.auth import waiting_time
from services.api.pages.rendering import render
from services.api.sign_in_guard import from_another_site

router = APIRouter(include_in_schema=False)
SENT = (
    "Als dit adres bij Schakel bekend is, krijgt het binnen enkele minuten een mail met een link "
    "om een nieuw wachtwoord te kiezen. Kijk ook bij de ongewenste mail."
)
REFUSED = {
    status.HTTP_403_FORBIDDEN: "Een nieuw wachtwoord vraagt u aan op de pagina van Schakel zelf.",
    status.HTTP_429_TOO_MANY_REQUESTS: "Te veel aanvragen. Wacht {wait} en probeer het dan "
    "opnieuw.",
}
DEAD_LINK = "Deze link werkt niet meer: hij is al gebruikt of verlopen. Vraag een nieuwe aan."
DIFFERENT = "De twee wachtwoorden verschillen."
Token = Annotated[str, Form(max_length=200)]
Password = Annotated[str, Form(max_length=passwords.MAX_PASSWORD_CHARS)]


@router.get("/wachtwoord-vergeten", response_class=HTMLResponse)
async def forgot_page(request: Request) -> Response:
    """Ask for a reset link."""
    return render(request, "password_forgot.html", None)


@router.post("/wachtwoord-vergeten", response_class=HTMLResponse)
async def forgot(
    request: Request,
    session: SessionDep,
    context: ContextDep,
    email: Annotated[str, Form(max_length=254)] = "",
) -> Response:
    """Mail a link when the address is known; the same answer whether it is or not."""
    try:
        await passwords.request_reset(request, session, context, email)
    except HTTPException as refused:
        wait = waiting_time((refused.headers or {}).get("Retry-After"))
        page = render(
            request, "password_forgot.html", None, status_code=refused.status_code,
            email=email, error=REFUSED[refused.status_code].format(wait=wait),
        )  # fmt: skip
        page.headers.update(refused.headers or {})
        return page
    return render(request, "password_forgot.html", None, sent=SENT)


async def _reset_form(
    request: Request, session: AsyncSession, token: str, error: str = "", code: int = 200
) -> Response:
    if await link_owner(session, token, "password_reset") is None:
        return render(request, "password_reset.html", None, status_code=410, dead=DEAD_LINK)
    return render(
        request, "password_reset.html", None, status_code=code, token=token, error=error,
        minimum=passwords.MIN_PASSWORD_CHARS,
    )  # fmt: skip


@router.get("/wachtwoord-herstellen", response_class=HTMLResponse)
async def reset_page(
    request: Request, session: SessionDep, token: Annotated[str, Query(max_length=200)] = ""
) -> Response:
    """The form of a reset link; a used or expired link says so."""
    return await _reset_form(request, session, token)


@router.post("/wachtwoord-herstellen", response_class=HTMLResponse)
async def reset(
    request: Request, session: SessionDep, token: Token, password: Password, password2: Password
) -> Response:
    """Set the new password, end every sign-in of the account, and go to the sign-in page."""
    if from_another_site(request):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "password reset from another site's page")
    if password != password2:
        return await _reset_form(request, session, token, DIFFERENT, 422)
    try:
        user = await passwords.reset_password(session, token, password)
    except passwords.PasswordRefused as refused:
        return await _reset_form(request, session, token, str(refused), 422)
    if user is None:
        return render(request, "password_reset.html", None, status_code=410, dead=DEAD_LINK)
    notice = urlencode({"melding": "Uw nieuwe wachtwoord is bewaard. Meld u ermee aan."})
    return RedirectResponse(f"/aanmelden?{notice}", status_code=303)


@router.get("/account/wachtwoord", response_class=HTMLResponse)
async def change_page(request: Request, principal: SignedIn, melding: str = "") -> Response:
    """Change one's password."""
    return render(
        request, "password_change.html", principal, notice=melding[:200],
        minimum=passwords.MIN_PASSWORD_CHARS,
    )  # fmt: skip


@router.post("/account/wachtwoord", response_class=HTMLResponse)
async def change(
    request: Request,
    session: SessionDep,
    principal: SignedIn,
    current: Password,
    password: Password,
    password2: Password,
) -> Response:
    """Change it (the current one is asked again); every other session and token ends."""
    try:
        if password != password2:
            raise passwords.PasswordRefused(DIFFERENT)
        await passwords.change_password(
            session, principal.user_id, current, password, principal.session_id
        )
    except passwords.PasswordRefused as refused:
        return render(
            request, "password_change.html", principal, status_code=422, error=str(refused),
            minimum=passwords.MIN_PASSWORD_CHARS,
        )  # fmt: skip
    changed = "Uw wachtwoord is gewijzigd; uw andere sessies en tokens zijn beëindigd."
    notice = urlencode({"melding": changed})
    return RedirectResponse(f"/account/wachtwoord?{notice}", status_code=303)
