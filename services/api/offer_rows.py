"""Importing the rows of an offer CSV or workbook: each row checked as a JSON body is (contract,
ownership) and against the rows before it, the good ones queued for intake in one bulk outbox
insert, each bad one reported in English and in Dutch; and the template to fill in.
``/api/offers/import`` and the ``/aanbieder/import`` page share both."""

from datetime import date
from typing import Any

from fastapi.responses import Response
from pydantic import BaseModel, Field, ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy.ext.asyncio import AsyncSession

from services.api import offer_csv
from services.api.field_messages import field_message
from services.api.posting_resources import OFFERS, Posting
from services.api.principal import Principal
from services.api.submissions import (
    check_may_publish,
    queue_postings,
    registered_name,
    validate_posting,
)
from shared.contracts import to_field_errors


class RowError(BaseModel):
    """A bad row: its spreadsheet number (header = 1), the column and what is wrong."""

    row: int
    column: str
    message: str
    message_nl: str = Field("", description="The same in Dutch, for the people who fix the row.")


class ImportResult(BaseModel):
    """How many offers were accepted (queued for intake), and every bad row."""

    accepted: int
    rejected: list[RowError]
    offer_ids: list[str]
    skipped_rows: list[int] = Field([], description="The template's example row, if left in.")

    @property
    def refused_rows(self) -> int:
        """How many rows were refused (a row may have several errors)."""
        return len({error.row for error in self.rejected})


_QUOTED = ("unknown_kind", "unknown_field", "unknown_grade", "literal_error", "date_parsing")


def _contract_error(number: int, detail: ErrorDetails) -> RowError:
    english = to_field_errors([detail])[0]
    dutch = field_message(detail)
    if detail["type"] in _QUOTED:  # which value, in a row of many
        dutch = f"{dutch} Ingevuld: {detail.get('input')!s}"
    column = offer_csv.column_of(english.field)
    return RowError(row=number, column=column, message=english.message, message_nl=dutch)


def _own_organisation(document: dict[str, Any], principal: Principal) -> dict[str, Any]:
    """An empty enterprise number or name is the importing organisation's own."""
    if principal.is_admin:
        return document
    provider = {
        "enterprise_number": principal.organisation_number,
        "name": principal.organisation_name,
        **document["provider"],
    }
    return {**document, "provider": provider}


def _check(
    row: offer_csv.CsvRow, principal: Principal, seen: dict[str, int]
) -> Posting | list[RowError]:
    """The offer of a row, or its errors: the same validation as a JSON body, plus ownership
    and uniqueness within the file."""
    if row.problem is not None:
        dutch = row.problem_nl or row.problem
        return [RowError(row=row.number, column="", message=row.problem, message_nl=dutch)]
    parsed = validate_posting(OFFERS, _own_organisation(row.document, principal))
    if isinstance(parsed, ValidationError):
        details = [d for d in parsed.errors() if d["loc"][:1] != ("event_id",)]
        return [_contract_error(row.number, detail) for detail in details]
    if not principal.acts_for(parsed.owner_number):
        number = principal.organisation_number
        message = f"not your organisation's enterprise number ({number})"
        dutch = f"Dit is niet het ondernemingsnummer van uw organisatie ({number})."
        column = "provider_enterprise_number"
        return [RowError(row=row.number, column=column, message=message, message_nl=dutch)]
    first = seen.setdefault(parsed.posting_id, row.number)
    if first != row.number:
        message, dutch = f"repeats row {first}", f"Dezelfde id als rij {first}."
        return [RowError(row=row.number, column="offer_id", message=message, message_nl=dutch)]
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
    skipped = [row.number for row in rows if row.is_example]
    for row in rows:
        if row.is_example:
            continue
        checked = _check(row, principal, seen)
        if isinstance(checked, list):
            rejected.extend(checked)
        else:
            offers.append(checked)
    await queue_postings(session, OFFERS, offers)
    offer_ids = [offer.posting_id for offer in offers]
    return ImportResult(
        accepted=len(offers), rejected=rejected, offer_ids=offer_ids, skipped_rows=skipped
    )


def template_download(principal: Principal, file_format: offer_csv.TemplateFormat) -> Response:
    """The Dutch template (``offer_csv.dutch_template``) with ``principal``'s organisation's own
    number and name, as a CSV or ``.xlsx`` download."""
    content, media_type = offer_csv.template_file(
        date.today(), principal.organisation_number or "", principal.organisation_name, file_format
    )
    disposition = f'attachment; filename="schakel-aanbod.{file_format}"'
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})
