"""``/beheer``: organisations, users, coordinators per region, webhook endpoints and the
postings intake refused, with their reasons. Read only; accounts are made with
``python -m services.api.cli``."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.api import directory
from services.api.deps import SessionDep
from services.api.pages.access import AdminPage
from services.api.pages.rendering import REGIONS, render
from services.api.rejections import recent_rejections

router = APIRouter(include_in_schema=False)
SHOWN = 200


@router.get("/beheer", response_class=HTMLResponse)
async def admin_page(request: Request, session: SessionDep, principal: AdminPage) -> Response:
    """Everything an admin checks, on one page with a section per subject."""
    coordinators = await directory.coordinators_by_region(session)
    return render(
        request, "admin.html", principal,
        organisations=await directory.organisations(session, SHOWN),
        users=await directory.users(session, SHOWN),
        coordinators={region: coordinators.get(region, []) for region in REGIONS},
        endpoints=await directory.webhook_endpoints(session),
        rejections=await recent_rejections(session, SHOWN),
    )  # fmt: skip
