"""Offer spreadsheets as people write them, pure: Dutch column headers and Dutch labels read as the
contract's codes (codes are accepted as well), Belgian dates (``dd/mm/jjjj``) as ISO dates, and
lists separated by ``|``, ``;`` or ``,``. What cannot be read is passed on unchanged, so the
contract refuses it with its own reason."""

import re
from datetime import date
from functools import cache

from shared import taxonomy
from shared.validation import strip_accents

# Contract column -> the header of the Dutch template.
DUTCH_HEADERS = {
    "offer_id": "id aanbod",
    "provider_enterprise_number": "ondernemingsnummer",
    "provider_name": "naam organisatie",
    "provider_type": "type organisatie",
    "provider_postal_code": "postcode",
    "contact_name": "contactpersoon",
    "contact_email": "e-mail contactpersoon",
    "kind": "soort",
    "title": "titel",
    "description": "beschrijving",
    "field": "vakgebied",
    "keywords": "trefwoorden",
    "grades": "graden",
    "period_start": "begindatum",
    "period_end": "einddatum",
    "period_days": "aantal dagen",
    "capacity": "aantal plaatsen",
    "venue": "waar",
    "cost_eur": "kostprijs in euro",
    "turnaround_days": "omlooptijd in dagen",
}
LIST_COLUMNS = ("keywords", "grades")
DATE_COLUMNS = ("period_start", "period_end")
_BELGIAN_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def _plain(text: str) -> str:
    """Compared without case, accents or repeated spaces (``E-mail  Contactpersoon``)."""
    return " ".join(strip_accents(text).lower().replace("_", " ").split())


@cache
def _columns_by_header() -> dict[str, str]:
    by_header = {_plain(dutch): column for column, dutch in DUTCH_HEADERS.items()}
    by_header.update({_plain(column): column for column in DUTCH_HEADERS})
    return by_header


def column_name(header: str) -> str:
    """The contract column of a header cell (Dutch or code); the cell itself if unknown."""
    return _columns_by_header().get(_plain(header), header.strip().lower())


@cache
def _codes(column: str) -> dict[str, str]:
    """Label or code (plain) -> code, for the columns whose values are codes."""
    labelled = {
        "kind": (taxonomy.kinds(), taxonomy.kind_label),
        "provider_type": (taxonomy.provider_types(), taxonomy.provider_type_label),
        "venue": (taxonomy.venues(), taxonomy.venue_label),
        "field": (tuple(taxonomy.field_domains()), taxonomy.field_label),
        "grades": (taxonomy.grades(), taxonomy.grade_label),
    }
    if column not in labelled:
        return {}
    codes, label = labelled[column]
    by_text = {_plain(label(code)): code for code in codes}
    by_text.update({_plain(code): code for code in codes})
    return by_text


def _code(column: str, value: str) -> str:
    return _codes(column).get(_plain(value), value)


def _iso_date(value: str) -> str:
    """``06/09/2027`` (or ``6-9-2027``, ``6.9.2027``) as ``2027-09-06``; anything else as is."""
    found = _BELGIAN_DATE.fullmatch(value)
    if found is None:
        return value
    day, month, year = (int(part) for part in found.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return value


def cell_value(column: str, cell: str) -> str | list[str]:
    """The contract value of a non-empty, stripped ``cell`` of ``column``."""
    if column in LIST_COLUMNS:
        parts = re.split(r"[|;,]", cell)
        return [_code(column, part.strip()) for part in parts if part.strip()]
    if column in DATE_COLUMNS:
        return _iso_date(cell)
    if column == "cost_eur":
        return cell.replace(",", ".")
    return _code(column, cell)
