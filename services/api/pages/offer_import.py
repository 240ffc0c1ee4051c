"""``/aanbieder/import``: a CSV or Excel file of offers and its row-by-row report in Dutch, read
and imported by the same ``offer_csv.read_rows`` and ``import_rows`` as
``POST /api/offers/import``; a file that cannot be read answers 422 (413: too many rows) with the
reason in Dutch. ``/aanbieder/import/sjabloon`` is the Dutch template with the organisation's own
number, as CSV or (``?formaat=xlsx``) as a workbook."""

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from services.api import offer_cells, offer_csv
from services.api.deps import ContextDep, SessionDep
from services.api.offer_rows import import_rows, template_download
from services.api.pages.access import ProviderPage
from services.api.pages.dutch import csv_problem
from services.api.pages.rendering import render
from services.api.principal import Principal

IMPORT_PAGE = "/aanbieder/import"
router = APIRouter(prefix=IMPORT_PAGE, include_in_schema=False)


@router.get("", response_class=HTMLResponse)
async def import_page(request: Request, principal: ProviderPage) -> Response:
    """The upload form."""
    return _page(request, principal)


def _page(request: Request, principal: Principal, status: int = 200, **context: object) -> Response:
    return render(
        request, "offer_import.html", principal, status_code=status,
        **{"result": None, "problem": "", "headers": offer_cells.DUTCH_HEADERS,
           "required": offer_csv.REQUIRED, **context},
    )  # fmt: skip


@router.get("/sjabloon")
async def template(
    principal: ProviderPage, formaat: Annotated[offer_csv.TemplateFormat, Query()] = "csv"
) -> Response:
    """The Dutch template: one example row (which the import skips) with one's own number."""
    return template_download(principal, formaat)


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
        return _page(request, principal, status, problem=csv_problem(error.problem, error.detail))
    return _page(request, principal, result=await import_rows(rows, principal, session))
