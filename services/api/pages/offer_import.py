"""``/aanbieder/import``: a CSV or Excel file of offers and its row-by-row report in Dutch, read
and imported by the same ``offer_csv.read_rows`` and ``import_rows`` as
``POST /api/offers/import``; a file that cannot be read answers 422 (413: too many rows) with the
reason in Dutch. ``/aanbieder/import/sjabloon`` is the Dutch template with the organisation's own
number, as CSV or (``?formaat=xlsx``) as a workbook."""

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from services.api import offer_cells, offer_csv, offer_sheets
from services.api.deps import ContextDep, SessionDep
from services.api.offer_rows import import_rows
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


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/sjabloon")
async def template(
    principal: ProviderPage, formaat: Annotated[Literal["csv", "xlsx"], Query()] = "csv"
) -> Response:
    """The Dutch template: one example row (which the import skips) with one's own number."""
    rows = offer_csv.dutch_template(
        date.today(), principal.organisation_number or "", principal.organisation_name
    )
    if formaat == "xlsx":
        content, media_type = offer_sheets.workbook_bytes("Aanbod", rows), XLSX
    else:
        content, media_type = offer_csv.csv_bytes(rows), "text/csv; charset=utf-8"
    disposition = f'attachment; filename="schakel-aanbod.{formaat}"'
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})


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
