"""``/aanbieder/import``: a CSV of offers and its row-by-row report, read and imported by the
same ``offer_csv.read_rows`` and ``import_rows`` as ``POST /api/offers/import``; a file that
cannot be read answers 422 (413: too many rows) with the reason in Dutch."""

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from services.api import offer_csv
from services.api.deps import ContextDep, SessionDep
from services.api.offer_rows import import_rows
from services.api.pages.access import ProviderPage
from services.api.pages.dutch import csv_problem
from services.api.pages.rendering import render

IMPORT_PAGE = "/aanbieder/import"
router = APIRouter(prefix=IMPORT_PAGE, include_in_schema=False)


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
    max_rows = context.settings.max_import_rows
    try:
        rows = list(offer_csv.read_rows(await bestand.read(), max_rows))
    except offer_csv.CsvFileError as error:
        status = 413 if isinstance(error, offer_csv.TooManyRowsError) else 422
        return render(
            request, "offer_import.html", principal, status_code=status, result=None,
            problem=csv_problem(error.problem, error.detail),
        )  # fmt: skip
    result = await import_rows(rows, principal, session)
    return render(request, "offer_import.html", principal, result=result, problem="")
