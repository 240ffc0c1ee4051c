"""``/beheer``: organisations, users, coordinators per region, webhook endpoints and the
postings intake refused, with their reasons; a form adds a user (the CLI's use case)."""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from services.api import accounts, directory
from services.api.deps import SessionDep
from services.api.pages.access import AdminPage
from services.api.pages.rendering import REGIONS, render
from services.intake.queries import recent_rejections
from services.notifier.endpoints import webhook_endpoints
from shared import validation
from shared.accounts import ROLES, Role

router = APIRouter(include_in_schema=False)
SHOWN = 200


@router.get("/beheer", response_class=HTMLResponse)
async def admin_page(
    request: Request, session: SessionDep, principal: AdminPage, melding: str = "", fout: str = ""
) -> Response:
    """Everything an admin checks, on one page with a section per subject."""
    coordinators = await directory.coordinators_by_region(session)
    return render(
        request, "admin.html", principal,
        organisations=await directory.organisations(session, SHOWN),
        users=await directory.users(session, SHOWN),
        coordinators={region: coordinators.get(region, []) for region in REGIONS},
        endpoints=await webhook_endpoints(session),
        rejections=await recent_rejections(session, SHOWN),
        notice=melding[:200], problem=fout[:200], roles=ROLES,
    )  # fmt: skip


def _organisation(role: Role, region: str, number: str) -> accounts.OrganisationRef:
    """The organisation of a new user, checked like the CLI checks it; ValueError when wrong."""
    if role == "coordinator":
        if region not in REGIONS:
            raise ValueError("Kies de regio van de coördinator.")
        return accounts.OrganisationRef(rtc_region=region)
    if role == "school":
        return accounts.OrganisationRef(number=validation.institution_number(number))
    if role == "provider":
        return accounts.OrganisationRef(number=validation.enterprise_number(number))
    return accounts.OrganisationRef()


@router.post("/beheer/gebruikers")
async def add_user(
    session: SessionDep,
    _: AdminPage,
    role: Annotated[str, Form(max_length=12)],
    email: Annotated[str, Form(min_length=3, max_length=254)],
    name: Annotated[str, Form(max_length=120)],
    password: Annotated[str, Form(min_length=8, max_length=1000)],
    region: Annotated[str, Form(max_length=40)] = "",
    number: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    """Create a user (and its organisation when missing), or update the one with this e-mail."""
    try:
        if role not in ROLES:
            raise ValueError("Kies een rol.")
        chosen: Role = role  # narrowed by the check above
        organisation = await accounts.ensure_organisation(
            session, chosen, _organisation(chosen, region, number.strip())
        )
        user = await accounts.save_user(session, chosen, organisation, email, password, name)
    except (ValueError, ValidationError, accounts.AccountError) as refused:
        return RedirectResponse(f"/beheer?{urlencode({'fout': str(refused)})}", status_code=303)
    notice = urlencode({"melding": f"Gebruiker {user.email} bewaard."})
    return RedirectResponse(f"/beheer?{notice}#gebruikers", status_code=303)
