"""Offers as CSV rows, pure: the documented columns, row -> contract document, error -> column.

UTF-8 with or without BOM; ``,`` or ``;`` as delimiter (whichever the header uses); lists
(keywords, grades) separated by ``|``; a decimal comma is accepted in ``cost_eur``. Rows are
numbered as a spreadsheet shows them: the header is row 1.
"""

import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

# The offer contract flattened, in template order.
COLUMNS = (
    "offer_id", "provider_enterprise_number", "provider_name", "provider_type",
    "provider_postal_code", "contact_name", "contact_email", "kind", "title", "description",
    "field", "keywords", "grades", "period_start", "period_end", "period_days", "capacity",
    "venue", "cost_eur", "turnaround_days",
)  # fmt: skip
OPTIONAL = (
    "description", "keywords", "grades", "period_days", "capacity", "venue", "cost_eur",
    "turnaround_days",
)  # fmt: skip
REQUIRED = tuple(name for name in COLUMNS if name not in OPTIONAL)
_NESTED = {"provider": "provider_", "contact": "contact_", "period": "period_"}
_LISTS = ("keywords", "grades")


CsvProblem = Literal["encoding", "header", "cell_too_long", "too_many_rows"]


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
    with the row itself (more cells than columns), if anything."""

    number: int
    document: dict[str, Any]
    problem: str | None = None


def read_rows(content: bytes, max_rows: int) -> Iterator[CsvRow]:
    """The non-empty data rows of an offer CSV; CsvFileError for a bad file (not UTF-8, wrong
    header, a cell over the csv module's field limit) or too many rows."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CsvFileError("encoding", f"the file is not UTF-8 text ({error})") from error
    first_line = text.partition("\n")[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip().lower() for name in _next(reader, 1) or []]
    _check_header(header)
    for index in itertools.count(2):
        if (cells := _next(reader, index)) is None:
            return
        if index - 1 > max_rows:
            raise TooManyRowsError(max_rows)
        if any(cell.strip() for cell in cells):
            extra = len(cells) > len(header)
            problem = f"{len(cells)} cells for {len(header)} columns" if extra else None
            yield CsvRow(index, _document(header, cells), problem)


def _next(reader: Iterator[list[str]], row: int) -> list[str] | None:
    """Row number ``row``, None after the last; CsvFileError for a cell longer than
    ``csv.field_size_limit()`` (the only error a reader of the default dialect raises)."""
    try:
        return next(reader, None)
    except csv.Error as error:
        limit = csv.field_size_limit()
        message = f"row {row}: a cell is longer than {limit} characters ({error})"
        raise CsvFileError("cell_too_long", message, str(row)) from error


def _check_header(header: list[str]) -> None:
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    if missing or unknown:
        raise CsvFileError(
            "header",
            f"header: missing columns {missing or 'none'}, unknown columns {unknown or 'none'}; "
            f"the columns are {', '.join(COLUMNS)}",
            ", ".join(missing + unknown),
        )


def _document(header: list[str], cells: list[str]) -> dict[str, Any]:
    """The contract document of a row; empty cells are left out (contract defaults apply)."""
    document: dict[str, Any] = {"provider": {}, "contact": {}, "period": {}}
    for name, cell in zip(header, cells, strict=False):
        value: Any = cell.strip()
        if not value:
            continue
        if name in _LISTS:
            value = [part.strip() for part in value.split("|") if part.strip()]
        elif name == "cost_eur":
            value = value.replace(",", ".")
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


def template(today: date) -> str:
    """A CSV with the header and one example row, for a provider to fill in."""
    start, end = today + timedelta(days=30), today + timedelta(days=150)
    example = [
        f"garage-x-{start:%Y-%m}", "0403.170.701", "Garage X", "company", "3600", "Jan Claes",
        "jan.claes@garage.example", "teacher_internship", "Meedraaien in EV-werkplaats",
        "Diagnose en onderhoud van elektrische voertuigen.", "auto", "EV|diagnose", "G3|SNS",
        start.isoformat(), end.isoformat(), "5", "2", "company", "0",
    ]  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([COLUMNS, example])
    return out.getvalue()
