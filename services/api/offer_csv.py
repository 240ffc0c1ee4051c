"""Offers as CSV or spreadsheet rows, pure: the documented columns, row -> contract document,
error -> column.

UTF-8 with or without BOM, or Windows-1252 (what Excel on a Belgian Windows machine saves);
``,`` or ``;`` as delimiter (whichever the header uses); an ``.xlsx`` workbook (its first sheet).
Headers, labels and dates may be Dutch (``offer_cells``). Rows are numbered as a spreadsheet shows
them: the header is row 1. The row whose id is ``EXAMPLE_ID`` (the template's) is skipped.
"""

import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from services.api import offer_cells, offer_sheets

# The offer contract flattened, in template order.
COLUMNS = (
    "offer_id", "provider_enterprise_number", "provider_name", "provider_type",
    "provider_postal_code", "contact_name", "contact_email", "kind", "title", "description",
    "field", "keywords", "grades", "period_start", "period_end", "period_days", "capacity",
    "venue", "cost_eur", "turnaround_days",
)  # fmt: skip
# Left empty, the enterprise number and name are the importing organisation's own.
OPTIONAL = (
    "provider_enterprise_number", "provider_name", "description", "keywords", "grades",
    "period_days", "capacity", "venue", "cost_eur", "turnaround_days",
)  # fmt: skip
REQUIRED = tuple(name for name in COLUMNS if name not in OPTIONAL)
_NESTED = {"provider": "provider_", "contact": "contact_", "period": "period_"}
# No offer can have this id (spaces): the template's example row, which the import skips.
EXAMPLE_ID = "VOORBEELD (deze rij wordt overgeslagen)"

CsvProblem = Literal["encoding", "sheet", "header", "cell_too_long", "too_many_rows"]


class CsvFileError(ValueError):
    """The file as a whole cannot be read: ``problem`` says why (the pages say it in Dutch),
    ``detail`` the columns, row or limit it is about."""

    def __init__(self, problem: CsvProblem, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.problem = problem
        self.detail = detail


class TooManyRowsError(CsvFileError):
    """The file holds more rows than one import may."""

    def __init__(self, max_rows: int) -> None:
        message = f"the file has more than {max_rows} rows; split it"
        super().__init__("too_many_rows", message, str(max_rows))


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One data row: its spreadsheet number, the offer document it describes, and what is wrong
    with the row itself (more cells than columns), if anything, in English and in Dutch."""

    number: int
    document: dict[str, Any]
    problem: str | None = None
    problem_nl: str | None = None

    @property
    def is_example(self) -> bool:
        """Whether this is the template's example row (skipped)."""
        return self.document.get("offer_id") == EXAMPLE_ID


def read_rows(content: bytes, max_rows: int) -> Iterator[CsvRow]:
    """The non-empty data rows of an offer CSV or workbook; CsvFileError for a bad file (not
    text, not a workbook, wrong header, a cell over the csv module's field limit) or too many
    rows."""
    workbook = offer_sheets.is_workbook(content)
    reader = offer_sheets.sheet_rows(content) if workbook else _csv(content)
    header = [offer_cells.column_name(name) for name in _next(reader, 1) or []]
    _check_header(header)
    for index in itertools.count(2):
        if (cells := _next(reader, index)) is None:
            return
        if index - 1 > max_rows:
            raise TooManyRowsError(max_rows)
        if any(cell.strip() for cell in cells):
            yield _row(index, header, cells)


def _row(number: int, header: list[str], cells: list[str]) -> CsvRow:
    if len(cells) <= len(header):
        return CsvRow(number, _document(header, cells))
    problem = f"{len(cells)} cells for {len(header)} columns"
    dutch = f"{len(cells)} cellen voor {len(header)} kolommen: staat er een ; of , te veel?"
    return CsvRow(number, _document(header, cells), problem, dutch)


def _csv(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError as error:
            message = f"the file is neither UTF-8 nor Windows-1252 text ({error})"
            raise CsvFileError("encoding", message) from error
    first_line = text.partition("\n")[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _next(reader: Iterator[list[str]], row: int) -> list[str] | None:
    """Row number ``row``, None after the last; CsvFileError for a cell longer than
    ``csv.field_size_limit()`` (the only error a reader of the default dialect raises) or a
    workbook openpyxl cannot read."""
    try:
        return next(reader, None)
    except offer_sheets.UnreadableSheetError as error:
        message = f"the file is not a readable .xlsx workbook ({error})"
        raise CsvFileError("sheet", message) from error
    except csv.Error as error:
        limit = csv.field_size_limit()
        message = f"row {row}: a cell is longer than {limit} characters ({error})"
        raise CsvFileError("cell_too_long", message, str(row)) from error


def _check_header(header: list[str]) -> None:
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    if missing or unknown:
        dutch = [offer_cells.DUTCH_HEADERS[name] for name in missing]
        raise CsvFileError(
            "header",
            f"header: missing columns {missing or 'none'}, unknown columns {unknown or 'none'}; "
            f"the columns are {', '.join(COLUMNS)}",
            "; ".join(
                part
                for part in (
                    f"ontbreekt: {', '.join(dutch)}" if dutch else "",
                    f"onbekend: {', '.join(unknown)}" if unknown else "",
                )
                if part
            ),
        )


def _document(header: list[str], cells: list[str]) -> dict[str, Any]:
    """The contract document of a row; empty cells are left out (contract defaults apply)."""
    document: dict[str, Any] = {"provider": {}, "contact": {}, "period": {}}
    for name, cell in zip(header, cells, strict=False):
        if not cell.strip():
            continue
        value = offer_cells.cell_value(name, cell.strip())
        part = next((p for p, prefix in _NESTED.items() if name.startswith(prefix)), None)
        if part is None:
            document[name] = value
        else:
            document[part][name.removeprefix(_NESTED[part])] = value
    return document


def column_of(field: str) -> str:
    """The CSV column an error of contract field ``field`` (``provider.name``, ...) belongs to."""
    parts = [part for part in field.split(".") if not part.isdigit()]
    column = "_".join(parts)
    if column in COLUMNS:
        return column
    return "period_end" if parts[:1] == ["period"] else (parts[0] if parts else "")


def dutch_template(today: date, enterprise_number: str, name: str) -> list[list[str]]:
    """The Dutch header and one example row (skipped by the import: its id is ``EXAMPLE_ID``)
    with the organisation's own number and name, Dutch labels and Belgian dates."""
    start, end = today + timedelta(days=30), today + timedelta(days=150)
    example = [
        EXAMPLE_ID, enterprise_number, name, "Bedrijf", "3600", "Jan Claes",
        "jan.claes@voorbeeld.be", "Bedrijfsstage leraar", "Meedraaien in de EV-werkplaats",
        "Diagnose en onderhoud van elektrische voertuigen.", "auto", "EV|diagnose",
        "derde graad|Se-n-Se", f"{start:%d/%m/%Y}", f"{end:%d/%m/%Y}", "5", "2", "In het bedrijf",
        "0", "0",
    ]  # fmt: skip
    return [[offer_cells.DUTCH_HEADERS[column] for column in COLUMNS], example]


TemplateFormat = Literal["csv", "xlsx"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_file(
    today: date, enterprise_number: str, name: str, file_format: TemplateFormat
) -> tuple[bytes, str]:
    """The Dutch template (``dutch_template``) as a file and its media type: a CSV a Belgian
    Excel opens as is, or a workbook."""
    rows = dutch_template(today, enterprise_number, name)
    if file_format == "xlsx":
        return offer_sheets.workbook_bytes("Aanbod", rows), XLSX
    return csv_bytes(rows), "text/csv; charset=utf-8"


def csv_bytes(rows: list[list[str]]) -> bytes:
    """``rows`` as a CSV a Belgian Excel opens as is: UTF-8 with BOM, ``;`` between cells."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()
