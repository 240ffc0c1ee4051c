"""Importing the rows of an offer CSV: each row checked as a JSON body is (contract, ownership)
and against the rows before it, the good ones queued for intake in one bulk outbox insert, each
bad one reported. ``POST /api/offers/import`` and the ``/aanbieder/import`` page share it."""

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from services.api import offer_csv
from services.api.posting_resources import OFFERS, Posting
from services.api.principal import Principal
from services.api.submissions import (
    check_may_publish,
    parse_posting,
    queue_postings,
    registered_name,
)


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


async def import_rows(
    rows: list[offer_csv.CsvRow], principal: Principal, session: AsyncSession
) -> ImportResult:
    """Queue the offers of the good ``rows`` for intake; report each bad one.
    OrganisationNotApproved for an organisation that may not publish (yet)."""
    check_may_publish(principal)
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
