"""``/aanbieder/import``: a CSV of offers and its row-by-row report, through the same
``import_offers`` as ``POST /api/offers/import``."""

from typing import Annotated

from fastapi import APIRouter, File, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from services.api.deps import ContextDep, SessionDep
from services.api.errors import ApiValidationError
from services.api.pages.access import ProviderPage
from services.api.pages.rendering import render
from services.api.routes import offer_import

router = APIRouter(prefix="/aanbieder/import", include_in_schema=False)


@router.get("", response_class=HTMLResponse)
async def import_page(request: Request, principal: ProviderPage) -> Response:
    """The upload form."""
    return render(request, "offer_import.html", principal, result=None, problem="")


@router.post("", response_class=HTMLResponse)
async def upload(
    request: Request,
    session: SessionDep,
    context: ContextDep,
    principal: ProviderPage,
    bestand: Annotated[UploadFile, File()],
) -> Response:
    """Import the good rows, report every bad one."""
    try:
        result = await offer_import.import_offers(bestand, principal, session, context)
    except ApiValidationError as error:
        problem = "; ".join(e.message for e in error.errors)
        return render(
            request, "offer_import.html", principal, status_code=422, result=None,
            problem=f"Het bestand kan niet gelezen worden: {problem}",
        )  # fmt: skip
    except HTTPException as error:
        return render(
            request, "offer_import.html", principal, status_code=error.status_code,
            result=None, problem=f"Het bestand is te groot: {error.detail}",
        )  # fmt: skip
    return render(request, "offer_import.html", principal, result=result, problem="")
