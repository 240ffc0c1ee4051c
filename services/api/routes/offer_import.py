"""``POST /api/offers/import``: many offers from one CSV or ``.xlsx`` file; every bad row is
reported, the good ones are sent to intake in the same transaction (one bulk outbox insert)."""

from typing import Annotated

from fastapi import APIRouter, File, HTTPException, Query, UploadFile, status
from fastapi.responses import Response

from services.api import offer_csv
from services.api.deps import ContextDep, ProviderUser, SessionDep
from services.api.errors import ERROR_RESPONSES, field_problem
from services.api.offer_rows import ImportResult, import_rows, template_download

IMPORT_PATH = "/api/offers/import"
router = APIRouter(tags=["offers"], responses=ERROR_RESPONSES)


@router.post(IMPORT_PATH, status_code=202, summary="Import offers from a CSV or .xlsx file")
async def import_offers(
    file: Annotated[UploadFile, File(description="CSV or .xlsx; see /api/offers/import/template.")],
    principal: ProviderUser,
    session: SessionDep,
    context: ContextDep,
) -> ImportResult:
    """Accept the valid rows of an offer CSV or workbook; report each bad row with its column,
    in English (``message``) and Dutch (``message_nl``).

    Columns (header row, any order): offer_id, provider_enterprise_number, provider_name,
    provider_type, provider_postal_code, contact_name, contact_email, kind, title, description,
    field, keywords, grades, period_start, period_end, period_days, capacity, venue, cost_eur,
    turnaround_days, or their Dutch headers (id aanbod, ondernemingsnummer, ...; see the page's
    template). Optional: provider_enterprise_number and provider_name (empty: the caller's
    organisation), description, keywords, grades, period_days, capacity, venue, cost_eur,
    turnaround_days. Codes or their Dutch labels; dates ISO or dd/mm/yyyy; lists (keywords,
    grades) separated by ``|``. UTF-8 (a BOM is fine) or Windows-1252, ``,`` or ``;`` between
    cells, or the first sheet of an ``.xlsx``; at most API_MAX_IMPORT_ROWS rows (10,000). The
    header is row 1; a row whose id is ``VOORBEELD (deze rij wordt overgeslagen)`` (the Dutch
    template's example) is skipped.
    """
    try:
        rows = list(offer_csv.read_rows(await file.read(), context.settings.max_import_rows))
    except offer_csv.TooManyRowsError as error:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, str(error)) from error
    except offer_csv.CsvFileError as error:
        raise field_problem("file", str(error)) from error
    return await import_rows(rows, principal, session)


@router.get(
    f"{IMPORT_PATH}/template",
    summary="The offer import's template, in Dutch, as CSV or .xlsx",
    response_class=Response,
    responses={
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                offer_csv.XLSX: {"schema": {"type": "string", "format": "binary"}},
            }
        }
    },
)
async def import_template(
    principal: ProviderUser,
    file_format: Annotated[offer_csv.TemplateFormat, Query(alias="format")] = "csv",
) -> Response:
    """The same template as the provider pages offer: Dutch headers and labels, Belgian dates,
    the caller's own enterprise number and name, and one example row the import skips. The
    import also accepts the column codes and value codes listed at ``POST /api/offers/import``.
    """
    return template_download(principal, file_format)
