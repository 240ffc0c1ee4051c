"""``/aanmeldingen``: the coordinator's queue of organisations of its region that signed
themselves up and checked their address; approve, or refuse with a reason the applicant reads.
Another region's application is "not found"."""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from services.api import joining
from services.api.deps import SessionDep
from services.api.pages.access import CoordinatorPage
from services.api.pages.rendering import render
from services.api.principal import Principal

router = APIRouter(prefix="/aanmeldingen", include_in_schema=False)
OrganisationId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _region(principal: Principal) -> str | None:
    """The region whose applications ``principal`` decides (``None``: the admin, every one)."""
    return None if principal.is_admin else principal.rtc_region or "-"


async def _queue(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    notice: str = "",
    error: str = "",
    code: int = 200,
) -> Response:
    waiting = await joining.pending_in(session, _region(principal))
    return render(
        request, "applications.html", principal, status_code=code, waiting=waiting,
        notice=notice, error=error, region_of=joining.region_of,
    )  # fmt: skip


@router.get("", response_class=HTMLResponse)
async def applications_page(
    request: Request, session: SessionDep, principal: CoordinatorPage, melding: str = ""
) -> Response:
    """The applications waiting in one's region."""
    return await _queue(request, session, principal, notice=melding[:200])


async def _decide(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    organisation_id: int,
    approve: bool,
    reason: str,
) -> Response:
    try:
        decided = await joining.decide(
            session, _region(principal), organisation_id, approve, reason
        )
    except joining.ApplicationNotFound:
        return render(request, "not_found.html", principal, status_code=404)
    except joining.SignUpRefused as refused:
        return await _queue(request, session, principal, error=str(refused), code=422)
    said = "goedgekeurd" if approve else "geweigerd"
    notice = urlencode({"melding": f"{decided.name} is {said}; de aanvrager krijgt een mail."})
    return RedirectResponse(f"/aanmeldingen?{notice}", status_code=303)


@router.post("/{organisation_id}/goedkeuren")
async def approve(
    request: Request,
    session: SessionDep,
    principal: CoordinatorPage,
    organisation_id: OrganisationId,
) -> Response:
    """Approve: from now on what the organisation posts is published and matched."""
    return await _decide(request, session, principal, organisation_id, True, "")


@router.post("/{organisation_id}/weigeren")
async def refuse(
    request: Request,
    session: SessionDep,
    principal: CoordinatorPage,
    organisation_id: OrganisationId,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Refuse, with the reason the applicant is mailed."""
    return await _decide(request, session, principal, organisation_id, False, reason)
