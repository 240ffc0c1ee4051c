"""Signing in and out in the browser: the same server-side session as ``POST /api/session``."""

import math
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from services.api.browser_sessions import Credentials, close_session, open_session
from services.api.deps import ContextDep, OptionalUser, SessionDep
from services.api.pages.access import safe_next
from services.api.pages.navigation import home_of
from services.api.pages.rendering import render

router = APIRouter(include_in_schema=False)
REFUSED = {
    status.HTTP_401_UNAUTHORIZED: "Onbekend e-mailadres of verkeerd wachtwoord.",
    status.HTTP_403_FORBIDDEN: "Aanmelden kan alleen vanaf de aanmeldpagina van Schakel zelf.",
    status.HTTP_429_TOO_MANY_REQUESTS: "Te veel mislukte pogingen. Wacht {wait} en probeer het "
    "dan opnieuw.",
}


def waiting_time(retry_after: str | None) -> str:
    """A ``Retry-After`` in seconds as Dutch words: seconds up to two minutes, then minutes."""
    seconds = int(retry_after or 0)
    if seconds < 120:
        return "1 seconde" if seconds == 1 else f"{seconds} seconden"
    return f"{math.ceil(seconds / 60)} minuten"


@router.get("/", response_class=HTMLResponse)
async def home(principal: OptionalUser) -> Response:
    """The signed-in user's start page; the catalogue for everyone else."""
    return RedirectResponse(home_of(principal) if principal else "/catalogus", status_code=303)


@router.get("/aanmelden", response_class=HTMLResponse)
async def sign_in_page(
    request: Request, volgende: str | None = None, melding: str = ""
) -> Response:
    """The sign-in form (with what was just done, e.g. a new password saved)."""
    return render(request, "login.html", None, next_path=safe_next(volgende), notice=melding[:200])


@router.post("/aanmelden", response_class=HTMLResponse)
async def sign_in(
    request: Request,
    session: SessionDep,
    context: ContextDep,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    volgende: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Check the credentials; on success the cookie is set and the user goes on."""
    answer = RedirectResponse("/", status_code=303)
    try:
        credentials = Credentials(email=email, password=password)
        principal = await open_session(request, answer, session, context, credentials)
    except (ValidationError, HTTPException) as refused:
        return _refused(request, refused, email, volgende)
    answer.headers["location"] = safe_next(volgende) or home_of(principal)
    return answer


def _refused(
    request: Request, refused: ValidationError | HTTPException, email: str, volgende: str
) -> Response:
    """The sign-in form again, with why (in Dutch) and the refusal's status and headers."""
    code = refused.status_code if isinstance(refused, HTTPException) else 401
    headers = (refused.headers if isinstance(refused, HTTPException) else None) or {}
    error = REFUSED.get(code, REFUSED[status.HTTP_401_UNAUTHORIZED])
    page = render(
        request, "login.html", None, status_code=code, email=email,
        error=error.format(wait=waiting_time(headers.get("Retry-After"))),
        next_path=safe_next(volgende),
    )  # fmt: skip
    page.headers.update(headers)
    return page


@router.post("/afmelden")
async def sign_out(principal: OptionalUser, session: SessionDep, context: ContextDep) -> Response:
    """End the session (the form carries the CSRF token) and go to the sign-in page."""
    answer = RedirectResponse("/aanmelden", status_code=303)
    await close_session(answer, session, context, principal)
    return answer
