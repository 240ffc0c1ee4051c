"""Excel workbooks (``.xlsx``) as rows of text, read and written with openpyxl: the first sheet,
every cell as the text a CSV would hold (dates as ISO dates, whole numbers without ``.0``)."""

import io
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime

from openpyxl import Workbook, load_workbook

ZIP_MAGIC = b"PK\x03\x04"
# What a workbook may unpack to: a 10,000-row offer sheet is a few megabytes; a small zip that
# unpacks to gigabytes (a zip bomb) is refused before openpyxl reads it.
MAX_UNPACKED_BYTES = 100_000_000
# What openpyxl raises for a zip that is no workbook, or a workbook with broken XML inside
# (ElementTree's ParseError is a SyntaxError).
_BROKEN = (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError, IndexError)


class UnreadableSheetError(ValueError):
    """The bytes look like a workbook (a zip file) but openpyxl cannot read them."""


def is_workbook(content: bytes) -> bool:
    """Whether ``content`` is a zip file, as every ``.xlsx`` is."""
    return content.startswith(ZIP_MAGIC)


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _check_unpacked_size(content: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        unpacked = sum(entry.file_size for entry in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableSheetError(
            f"it unpacks to {unpacked} bytes, more than {MAX_UNPACKED_BYTES}"
        )


def sheet_rows(content: bytes) -> Iterator[list[str]]:
    """The rows of the first sheet of a workbook, each cell as text; trailing empty cells
    dropped. ``UnreadableSheetError`` when it is no workbook openpyxl can open."""
    try:
        _check_unpacked_size(content)
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except _BROKEN as error:
        raise UnreadableSheetError(str(error)) from error
    try:
        for values in workbook.worksheets[0].iter_rows(values_only=True):
            cells = [_text(value) for value in values]
            while cells and not cells[-1].strip():
                cells.pop()
            yield cells
    except _BROKEN as error:
        raise UnreadableSheetError(str(error)) from error
    finally:
        workbook.close()


def workbook_bytes(title: str, rows: Sequence[Sequence[str]]) -> bytes:
    """A workbook with one sheet named ``title`` holding ``rows`` as text cells."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
