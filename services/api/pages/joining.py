"""``/registreren``: an organisation signs itself up (school, company, sector organisation,
training centre), then ``/registreren/bevestigen`` checks the first user's address with the
mailed link. The same use cases as ``POST /api/registrations`` (``services.api.joining``)."""

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse, Response

from services.api import joining
from services.api.account_links import link_owner
from services.api.deps import ContextDep, SessionDep
from services.api.pages.auth import waiting_time
from services.api.pages.rendering import render
from services.api.passwords import MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS
from services.api.ratelimit import account_key
from services.api.sign_in_guard import from_another_site, request_client

router = APIRouter(prefix="/registreren", include_in_schema=False)
KIND_LABELS = {
    "school": "School (instellingsnummer)",
    "company": "Bedrijf (ondernemingsnummer)",
    "sector_organisation": "Sectororganisatie (ondernemingsnummer)",
    "training_centre": "Opleidingscentrum (ondernemingsnummer)",
}
SENT = (
    "Bijna klaar: we stuurden een mail naar het adres dat u opgaf. Volg de link erin om uw "
    "e-mailadres te bevestigen; daarna beoordeelt het RTC van uw regio de aanmelding."
)
DEAD_LINK = "Deze link werkt niet meer: hij is al gebruikt of verlopen."
Text = Annotated[str, Form(max_length=200)]


def _form(request: Request, code: int = 200, **context: object) -> Response:
    return render(
        request, "sign_up.html", None, status_code=code, kinds=KIND_LABELS,
        minimum=MIN_PASSWORD_CHARS, values=context.pop("values", {}), **context,
    )  # fmt: skip


@router.get("", response_class=HTMLResponse)
async def sign_up_page(request: Request) -> Response:
    """The sign-up form."""
    return _form(request)


@router.post("", response_class=HTMLResponse)
async def sign_up(
    request: Request,
    session: SessionDep,
    context: ContextDep,
    kind: Annotated[str, Form(max_length=30)] = "",
    number: Annotated[str, Form(max_length=20)] = "",
    organisation_name: Text = "",
    postal_code: Annotated[str, Form(max_length=10)] = "",
    person_name: Annotated[str, Form(max_length=120)] = "",
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=MAX_PASSWORD_CHARS)] = "",
) -> Response:
    """Take the application; the form again (as filled in, but the password) when a field is
    wrong or the number is taken."""
    if from_another_site(request):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "sign-up from another site's page")
    values = {"kind": kind, "number": number, "organisation_name": organisation_name,
              "postal_code": postal_code, "person_name": person_name, "email": email}  # fmt: skip
    wait = await context.throttle.claim(
        account_key(f"sign-up:{email}"), request_client(request, context)
    )
    if wait is not None:
        error = (
            f"Te veel aanmeldingen. Wacht {waiting_time(str(int(wait) + 1))} en probeer opnieuw."
        )
        return _form(request, 429, values=values, error=error)
    application = joining.Application(
        kind, number, organisation_name, postal_code, person_name, email, password
    )
    try:
        await joining.sign_up(session, application)
    except joining.SignUpRefused as refused:
        return _form(request, 422, values=values, error=str(refused))
    return _form(request, sent=SENT)


@router.get("/bevestigen", response_class=HTMLResponse)
async def confirm_page(
    request: Request, session: SessionDep, token: Annotated[str, Query(max_length=200)] = ""
) -> Response:
    """A button that confirms (a mail scanner opening the link confirms nothing)."""
    if await link_owner(session, token, "verify_email") is None:
        return render(request, "sign_up_confirmed.html", None, status_code=410, dead=DEAD_LINK)
    return render(request, "sign_up_confirmed.html", None, token=token)


@router.post("/bevestigen", response_class=HTMLResponse)
async def confirm(
    request: Request, session: SessionDep, token: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    """Confirm the address: one may sign in, and the application waits for the RTC."""
    if from_another_site(request):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "confirmation from another site's page")
    organisation = await joining.confirm_address(session, token)
    if organisation is None:
        return render(request, "sign_up_confirmed.html", None, status_code=410, dead=DEAD_LINK)
    return render(
        request, "sign_up_confirmed.html", None, organisation=organisation,
        region=joining.region_of(organisation.postal_code or ""),
    )  # fmt: skip
