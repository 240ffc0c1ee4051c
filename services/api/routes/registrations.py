"""Organisations that sign themselves up, over the API: ``POST /api/registrations`` (202: check
the mailbox), ``POST /api/registrations/confirm`` (the mailed token), and for the RTC coordinator
of the region ``GET /api/registrations`` and ``POST /api/registrations/{id}/decision``."""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Request, status
from pydantic import BaseModel, Field

from services.api import joining
from services.api.deps import ContextDep, CoordinatorUser, SessionDep
from services.api.errors import ERROR_RESPONSES, GONE, PRINTABLE, field_problem
from services.api.principal import Principal
from services.api.ratelimit import account_key
from services.api.sign_in_guard import from_another_site, request_client

router = APIRouter(prefix="/api/registrations", tags=["registrations"], responses=ERROR_RESPONSES)
Line = Annotated[str, Field(max_length=200, pattern=PRINTABLE)]


class RegistrationBody(BaseModel):
    """A school (institution number) or a company, sector organisation or training centre
    (enterprise number), and its first user."""

    kind: Literal["school", "company", "sector_organisation", "training_centre"]
    number: Annotated[str, Field(max_length=20, pattern=PRINTABLE)]
    organisation_name: Line
    postal_code: Annotated[str, Field(max_length=10, pattern=PRINTABLE)]
    person_name: Annotated[str, Field(max_length=120, pattern=PRINTABLE)]
    email: Annotated[str, Field(max_length=254, pattern=PRINTABLE)]
    password: Annotated[str, Field(max_length=1000)]


class Confirmation(BaseModel):
    """The token of the mailed link."""

    token: Annotated[str, Field(min_length=1, max_length=200, pattern=PRINTABLE)]


class PendingOrganisation(BaseModel):
    """An application waiting for the coordinator."""

    id: int
    kind: str
    provider_type: str | None
    number: str | None
    name: str
    postal_code: str | None
    verified_at: datetime | None


class RegistrationDecision(BaseModel):
    """Approve, or refuse with the reason the applicant is mailed."""

    decision: Literal["approved", "refused"]
    reason: str = Field("", max_length=2000)


class Accepted(BaseModel):
    """What happens next."""

    detail: str


@router.post("", status_code=status.HTTP_202_ACCEPTED)
async def register(
    request: Request, session: SessionDep, context: ContextDep, body: RegistrationBody
) -> Accepted:
    """Sign an organisation up; a mail checks the address. 422 (Dutch message) for a wrong field
    or a number already registered; 429 when asked too often."""
    if from_another_site(request):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "sign-up from another site's page")
    subject = account_key(f"sign-up:{body.email}")
    wait = await context.throttle.claim(subject, request_client(request, context))
    if wait is not None:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS, "too many sign-ups; try again later",
            headers={"Retry-After": str(int(wait) + 1)},
        )  # fmt: skip
    application = joining.Application(**body.model_dump())
    try:
        await joining.sign_up(session, application)
    except joining.SignUpRefused as refused:
        raise field_problem("(body)", str(refused)) from refused
    return Accepted(detail="follow the link mailed to the address to confirm it")


@router.post("/confirm", status_code=status.HTTP_204_NO_CONTENT, responses=GONE)
async def confirm(session: SessionDep, body: Confirmation) -> None:
    """Confirm the address with the mailed token; 410 for a used, expired or unknown one."""
    if await joining.confirm_address(session, body.token) is None:
        raise HTTPException(status.HTTP_410_GONE, "the link was used, has expired or is unknown")


def _region(principal: Principal) -> str | None:
    return None if principal.is_admin else principal.rtc_region or "-"


@router.get("")
async def pending(session: SessionDep, principal: CoordinatorUser) -> list[PendingOrganisation]:
    """The confirmed applications of one's region waiting for a decision, oldest first."""
    return [
        PendingOrganisation.model_validate(o, from_attributes=True)
        for o in await joining.pending_in(session, _region(principal))
    ]


@router.post("/{organisation_id}/decision", status_code=status.HTTP_204_NO_CONTENT)
async def decide(
    session: SessionDep,
    principal: CoordinatorUser,
    organisation_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    body: RegistrationDecision,
) -> None:
    """Approve or refuse an application of one's region (another region's answers 404)."""
    approve = body.decision == "approved"
    try:
        await joining.decide(session, _region(principal), organisation_id, approve, body.reason)
    except joining.ApplicationNotFound as missing:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(missing)) from missing
    except joining.SignUpRefused as refused:
        raise field_problem("reason", str(refused)) from refused
