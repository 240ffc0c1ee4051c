"""``POST /api/offers/import``: many offers from one CSV file; every bad row is reported, the
good ones are sent to intake in the same transaction (one bulk outbox insert)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, HTTPException, UploadFile, status
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from services.api import offer_csv
from services.api.deps import ContextDep, ProviderUser, SessionDep
from services.api.errors import ERROR_RESPONSES, field_problem
from services.api.principal import Principal
from services.api.sides import OFFERS, Posting
from services.api.submissions import parse_posting, queue_postings, registered_name

IMPORT_PATH = "/api/offers/import"
router = APIRouter(tags=["offers"], responses=ERROR_RESPONSES)


class RowError(BaseModel):
    """A bad row: its spreadsheet number (header = 1), the column and what is wrong."""

    row: int
    column: str
    message: str


class ImportResult(BaseModel):
    """How many offers were accepted (queued for intake), and every bad row."""

    accepted: int
    rejected: list[RowError]
    offer_ids: list[str]


def _check(
    row: offer_csv.CsvRow, principal: Principal, seen: dict[str, int]
) -> Posting | list[RowError]:
    """The offer of a row, or its errors: the same validation as a JSON body, plus ownership
    and uniqueness within the file."""
    if row.problem is not None:
        return [RowError(row=row.number, column="", message=row.problem)]
    parsed = parse_posting(OFFERS, row.document)
    if isinstance(parsed, list):
        return [
            RowError(row=row.number, column=offer_csv.column_of(e.field), message=e.message)
            for e in parsed
        ]
    if not principal.acts_for(parsed.owner_number):
        message = f"not your organisation's enterprise number ({principal.organisation_number})"
        return [RowError(row=row.number, column="provider_enterprise_number", message=message)]
    first = seen.setdefault(parsed.posting_id, row.number)
    if first != row.number:
        return [RowError(row=row.number, column="offer_id", message=f"repeats row {first}")]
    return registered_name(parsed, principal)


@router.post(IMPORT_PATH, status_code=202, summary="Import offers from a CSV file")
async def import_offers(
    file: Annotated[UploadFile, File(description="CSV; see /api/offers/import/template.")],
    principal: ProviderUser,
    session: SessionDep,
    context: ContextDep,
) -> ImportResult:
    """Accept the valid rows of an offer CSV; report each bad row with its column.

    Columns (header row, any order): offer_id, provider_enterprise_number, provider_name,
    provider_type, provider_postal_code, contact_name, contact_email, kind, title, description,
    field, keywords, grades, period_start, period_end, period_days, capacity, venue, cost_eur.
    Optional: description, keywords, grades, period_days, capacity, venue, cost_eur. Lists
    (keywords, grades) are separated by ``|``. UTF-8 (a BOM is fine), ``,`` or ``;`` between
    cells, at most API_MAX_IMPORT_ROWS rows (10,000). The header is row 1.
    """
    try:
        rows = list(offer_csv.read_rows(await file.read(), context.settings.max_import_rows))
    except offer_csv.TooManyRowsError as error:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, str(error)) from error
    except offer_csv.CsvFileError as error:
        raise field_problem("file", str(error)) from error
    return await import_rows(rows, principal, session)


async def import_rows(
    rows: list[offer_csv.CsvRow], principal: Principal, session: AsyncSession
) -> ImportResult:
    """Queue the offers of the good ``rows`` for intake; report each bad one."""
    seen: dict[str, int] = {}
    offers: list[Posting] = []
    rejected: list[RowError] = []
    for row in rows:
        checked = _check(row, principal, seen)
        if isinstance(checked, list):
            rejected.extend(checked)
        else:
            offers.append(checked)
    await queue_postings(session, OFFERS, offers)
    offer_ids = [offer.posting_id for offer in offers]
    return ImportResult(accepted=len(offers), rejected=rejected, offer_ids=offer_ids)


@router.get(
    f"{IMPORT_PATH}/template",
    summary="A CSV template for the offer import",
    response_class=Response,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
async def import_template() -> Response:
    """The header with one example row."""
    return Response(
        offer_csv.template(date.today()),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="schakel-offers.csv"'},
    )
