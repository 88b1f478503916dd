"""From the bytes of an upload to rows of text by column: CSV (UTF-8 or Windows Thai) or the first sheet of XLSX."""

import csv
import datetime
import io
import re

from django.utils.translation import gettext as _

from ..identifiers import clean_text
from .columns import COLUMNS, REQUIRED

MAX_ROWS = 20_000


class ImportFileError(Exception):
    """The whole file is refused: not CSV/XLSX, no header, missing columns, too many rows."""


def read_rows(data: bytes) -> tuple[str, list[tuple[int, dict[str, str]]]]:
    """The format and the rows under the header: (spreadsheet row number, {column: text}). Blank rows are skipped."""
    file_format, table = read_table(data)
    table = [(n, cells) for n, cells in table if any(_cell_text(c).strip() for c in cells)]
    if not table:
        raise ImportFileError(_("The file is empty."))
    header_number, header = table[0]
    if header_number != 1:
        raise ImportFileError(_("Row 1 must be the header row with the column names."))
    positions = header_columns(header)
    body = table[1:]
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            _("A file may hold at most %(max)s rows; split it into smaller files.") % {"max": MAX_ROWS}
        )
    rows = []
    for number, cells in body:
        values = {key: _cell_text(cells[index]) if index < len(cells) else "" for key, index in positions.items()}
        rows.append((number, values))
    return file_format, rows


def read_table(data: bytes) -> tuple[str, list[tuple[int, list]]]:
    """Return the format and the rows (spreadsheet row number, cells), header first."""
    if data.startswith(b"PK\x03\x04"):
        return "xlsx", _read_xlsx(data)
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("This file is not a CSV or XLSX spreadsheet. Save it as CSV (UTF-8) or XLSX."))
    for encoding in ("utf-8-sig", "cp874"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("This file is not a CSV or XLSX spreadsheet. Save it as CSV (UTF-8) or XLSX."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    return "csv", [(number, row) for number, row in enumerate(reader, start=1)]


def _read_xlsx(data: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged or disguised file
        raise ImportFileError(
            _("This XLSX file cannot be opened; save it again from your spreadsheet program.")
        ) from None
    sheet = workbook.worksheets[0]
    rows = [(number, list(values)) for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)]
    workbook.close()
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def header_columns(header: list) -> dict[str, int]:
    """Map column keys to positions. A header cell may carry a Thai label: "national_id (เลขประจำตัว)"."""
    positions = {}
    for index, cell in enumerate(header):
        key = re.split(r"[\s(]", clean_text(_cell_text(cell)).lower(), maxsplit=1)[0] if cell is not None else ""
        if key in COLUMNS and key not in positions:
            positions[key] = index
    missing = [c for c in REQUIRED + ["first_name", "last_name"] if c not in positions]
    if missing:
        raise ImportFileError(
            _("The header row (row 1) lacks the columns: %(columns)s. Download the template and use its header.")
            % {"columns": ", ".join(missing)}
        )
    return positions
