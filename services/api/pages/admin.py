"""``/beheer``: organisations with their status (filtered on it), users, coordinators per
region, webhook endpoints and the postings intake refused, with their reasons; a form adds a
user (the CLI's use case)."""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic_core import PydanticCustomError
from sqlalchemy.ext.asyncio import AsyncSession

from services.api import accounts, directory, passwords
from services.api.deps import SessionDep
from services.api.field_messages import rule_message
from services.api.pages.access import AdminPage
from services.api.pages.rendering import REGIONS, render
from services.api.principal import Principal
from services.intake.queries import recent_rejections
from services.notifier.endpoints import webhook_endpoints
from shared import validation
from shared.accounts import ROLES, Role

router = APIRouter(include_in_schema=False)
SHOWN = 200
# The statuses an organisation goes through, as the filter and the table of /beheer name them.
ORGANISATION_STATUSES = {
    "pending": "wacht op goedkeuring",
    "approved": "goedgekeurd",
    "refused": "geweigerd",
}


@router.get("/beheer", response_class=HTMLResponse)
async def admin_page(
    request: Request,
    session: SessionDep,
    principal: AdminPage,
    melding: str = "",
    fout: str = "",
    status: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """Everything an admin checks, on one page with a section per subject; ``status`` shows
    only the organisations of that status (anything else: all)."""
    shown = status if status in ORGANISATION_STATUSES else ""
    return await _admin(request, session, principal, melding[:200], fout[:200], status=shown)


async def _admin(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    notice: str = "",
    problem: str = "",
    filled: dict[str, str] | None = None,
    status: str = "",
) -> Response:
    """The admin page; with ``filled``, the user form as it was sent (never the password)."""
    coordinators = await directory.coordinators_by_region(session)
    return render(
        request, "admin.html", principal, status_code=422 if filled else 200,
        organisations=await directory.organisations(session, SHOWN, status or None),
        organisation_statuses=ORGANISATION_STATUSES, status=status,
        users=await directory.users(session, SHOWN),
        coordinators={region: coordinators.get(region, []) for region in REGIONS},
        endpoints=await webhook_endpoints(session),
        rejections=await recent_rejections(session, SHOWN),
        notice=notice, problem=problem, roles=ROLES, filled=filled or {},
    )  # fmt: skip


def _organisation(role: Role, region: str, number: str, name: str) -> accounts.OrganisationRef:
    """The organisation of a new user, checked like the CLI checks it; ValueError when wrong."""
    if role == "coordinator":
        if region not in REGIONS:
            raise ValueError("Kies de regio van de coördinator.")
        return accounts.OrganisationRef(rtc_region=region)
    if role == "school":
        return accounts.OrganisationRef(number=validation.institution_number(number), name=name)
    if role == "provider":
        return accounts.OrganisationRef(number=validation.enterprise_number(number), name=name)
    return accounts.OrganisationRef()


def _dutch(refused: ValueError) -> str:
    """Why the form was refused, in Dutch."""
    if isinstance(refused, PydanticCustomError):
        return rule_message(refused.type, refused.message())
    return str(refused)


@router.post("/beheer/gebruikers")
async def add_user(
    request: Request,
    session: SessionDep,
    principal: AdminPage,
    role: Annotated[str, Form(max_length=12)] = "",
    email: Annotated[str, Form(max_length=254)] = "",
    name: Annotated[str, Form(max_length=120)] = "",
    password: Annotated[str, Form(max_length=passwords.MAX_PASSWORD_CHARS)] = "",
    region: Annotated[str, Form(max_length=40)] = "",
    number: Annotated[str, Form(max_length=12)] = "",
    organisation_name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Create a user (and its organisation, with its name, when missing), or update the one with
    this e-mail; a refusal shows the form again as it was filled in, with why in Dutch."""
    try:
        if role not in ROLES:
            raise ValueError("Kies een rol.")
        if "@" not in email:
            raise ValueError("Geef een geldig e-mailadres.")
        passwords.check_new_password(password)
        chosen: Role = role  # narrowed by the check above
        ref = _organisation(chosen, region, number.strip(), organisation_name.strip())
        organisation = await accounts.ensure_organisation(session, chosen, ref, name_required=True)
        user = await accounts.save_user(session, chosen, organisation, email, password, name)
    except ValueError as refused:  # AccountError, PasswordRefused, PydanticCustomError
        filled = {"role": role, "email": email, "name": name, "region": region, "number": number,
                  "organisation_name": organisation_name}  # fmt: skip
        return await _admin(request, session, principal, problem=_dutch(refused), filled=filled)
    notice = urlencode({"melding": f"Gebruiker {user.email} bewaard."})
    return RedirectResponse(f"/beheer?{notice}#gebruikers", status_code=303)
