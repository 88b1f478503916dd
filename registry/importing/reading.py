"""From the bytes of an upload to rows of text by column: CSV (UTF-8 or Windows Thai) or the first sheet of XLSX
(a workbook with rows on another sheet is refused, not read in part).

Files come from anywhere, so they are read as streams and every limit is checked while reading, never after: the
size of each part of an XLSX file once unpacked (before anything is unpacked), the rows, the columns, the length of a
cell and the time spent. An XLSX file's `<dimension>` is not believed. A byte that cannot be read (a NUL, text in no
encoding we know) refuses the file with its row and column named, never an error page.
"""

import csv
import datetime
import io
import re
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..identifiers import clean_text
from .columns import COLUMNS, INSTRUCTIONS_SHEET, REQUIRED, THAI_LABELS

KEY_OF_THAI_LABEL = {label: key for key, label in THAI_LABELS.items()} | {
    # Other names Thai school spreadsheets give the same columns (written without spaces, as headers are read).
    "เลขบัตรประชาชน": "national_id",
    "เลขบัตรประจำตัวประชาชน": "national_id",
    "เลขประจำตัวประชาชน13หลัก": "national_id",
    "คำนำหน้าชื่อ": "prefix",
    "วันเดือนปีเกิด": "birth_date",
    "เกรด": "grade",
    "ระดับผลการเรียน": "grade",
    "วันที่จบ": "completed_on",
    "วันที่สำเร็จ": "completed_on",
    "ภาคเรียนที่": "term",
    "ภาคการศึกษา": "term",
}
# Rows above the header that are a title ("ผลการเรียน ภาคเรียนที่ 1/2568", the school's name, each in a cell of its
# own): at most this many cells filled, and this many rows. A fuller row above the header is a header with wrong
# names, and said so (a header has at least the eight columns every file needs).
TITLE_CELLS = 3
TITLE_ROWS = 5

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# Rows a sheet may reach, blank ones included: room for blank lines between data, far below a sheet's million.
MAX_ROW_NUMBER = 2 * MAX_ROWS + 10_000
MAX_COLUMNS = 40
MAX_CELL_CHARS = 1_000
# Each part of an XLSX file (a sheet, the shared strings) once unpacked, and all of them together.
MAX_PART_BYTES = 24 * 1024 * 1024
MAX_UNPACKED_BYTES = 48 * 1024 * 1024
MAX_SECONDS = 20
UNREADABLE = "\ufffd"


class ImportFileError(Exception):
    """The whole file is refused: not CSV/XLSX, no header, missing columns, no data, over a limit."""


@dataclass
class Table:
    file_format: str
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cell texts), blank rows left out


def read_rows(data: bytes) -> tuple[str, list[tuple[int, dict[str, str]]]]:
    """The format and the rows under the header: (spreadsheet row number, {column: text})."""
    table = read_table(data)
    positions = header_columns(table.header)
    rows = []
    for number, cells in table.rows:
        rows.append((number, {key: _text(cells, index) for key, index in positions.items()}))
    return table.file_format, rows


# A dash alone is how Thai spreadsheets write "nothing here": read as an empty cell, not as a formula.
NOTHING = frozenset({"-", "–", "—", "--"})


def _text(cells: list[str], index: int) -> str:
    text = cells[index] if index < len(cells) else ""
    return "" if text.strip() in NOTHING else text


def read_table(data: bytes) -> Table:
    """The header and the non-blank rows under it, every limit checked as the rows are read."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than 10 MB; split it into smaller files."))
    if data.startswith(b"PK\x03\x04"):
        file_format, stream = "xlsx", _xlsx_rows(data)
    else:
        file_format, stream = "csv", _csv_rows(data)
    header_number, header, rows, titles = None, [], [], []
    started = time.monotonic()
    for number, cells in stream:
        if number > MAX_ROW_NUMBER:
            raise ImportFileError(
                _("The sheet goes on past row %(max)s; a file may hold at most %(rows)s rows. Delete the rows below "
                  "your data, or split the file.") % {"max": MAX_ROW_NUMBER, "rows": MAX_ROWS}
            )  # fmt: skip
        if number % 500 == 0 and time.monotonic() - started > MAX_SECONDS:
            raise ImportFileError(
                _("Reading the file took longer than %(seconds)s seconds; split it into smaller files.")
                % {"seconds": MAX_SECONDS}
            )
        if not any(text.strip() for text in cells):
            continue
        _check_row_limits(number, cells)
        if header_number is None:
            if _is_header(cells):
                header_number, header = number, cells
            elif sum(1 for text in cells if text.strip()) <= TITLE_CELLS and len(titles) < TITLE_ROWS:
                titles.append(number)  # a title above the header, not data
            else:
                header_columns(cells, number)  # the header, with names we do not know: which columns are missing
            continue
        rows.append((number, cells))
        if len(rows) > MAX_ROWS:
            raise ImportFileError(
                _("A file may hold at most %(max)s rows; split it into smaller files.") % {"max": MAX_ROWS}
            )
    if header_number is None and titles:
        raise ImportFileError(
            _("No header row with the column names was found (row %(row)s is not one). Download the template and use "
              "its header.") % {"row": titles[0]}
        )  # fmt: skip
    if header_number is None:
        raise ImportFileError(_("The file is empty."))
    if not rows:
        raise ImportFileError(_("The file has a header but no data rows; write one row per deposit under the header."))
    return Table(file_format, header, rows)


def _check_row_limits(number: int, cells: list[str]):
    used = [index for index, text in enumerate(cells) if text.strip()]
    if used and used[-1] >= MAX_COLUMNS:
        raise ImportFileError(
            _("Row %(row)s has a value in column %(column)s; a file may have at most %(max)s columns.")
            % {"row": number, "column": used[-1] + 1, "max": MAX_COLUMNS}
        )
    for index, text in enumerate(cells):
        if UNREADABLE in text:
            raise ImportFileError(
                _("Row %(row)s, column %(column)s holds a character that cannot be read (a NUL byte, or text that is "
                  "neither UTF-8 nor Windows Thai); correct it, or save the file as CSV UTF-8, and upload it again.")
                % {"row": number, "column": index + 1}
            )  # fmt: skip
    if any(len(text) > MAX_CELL_CHARS for text in cells):
        raise ImportFileError(
            _("Row %(row)s has a cell longer than %(max)s characters; no column of the template needs that much.")
            % {"row": number, "max": MAX_CELL_CHARS}
        )


# CSV ----------------------------------------------------------------------------------------------------------


# What a file is, by its first bytes, when it is no spreadsheet we read (a file's name can say anything).
OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls), Word .doc: the OLE2 container
NOT_A_SHEET = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")
CONTROL_BYTES = frozenset(range(9)) | frozenset(range(14, 32))


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    if data.startswith(OLD_EXCEL):
        raise ImportFileError(
            _("This is an old Excel file (.xls). In Excel choose Save As, then Excel Workbook (.xlsx) or CSV UTF-8, "
              "and upload that file.")
        )  # fmt: skip
    sample = data[:4096]
    if (
        data.startswith(NOT_A_SHEET)
        or b"\x00" in sample
        or sum(b in CONTROL_BYTES for b in sample) > len(sample) // 100
    ):
        raise ImportFileError(_("This file is not a CSV or XLSX spreadsheet. Save it as CSV (UTF-8) or XLSX."))
    text = _decode(data).replace("\x00", UNREADABLE)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:  # a field past the csv module's own limit (128 KB), or a broken quote
            raise ImportFileError(
                _("Row %(row)s cannot be read as CSV: a cell is too long or a quote is not closed.")
                % {"row": number + 1}
            ) from None
        number += 1
        yield number, row


def _decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM) or Windows Thai (cp874); bytes neither can read become U+FFFD."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # UTF-8 Thai letters are E0 B8 xx / E0 B9 xx: a file full of them is UTF-8 with a few bad bytes.
    if data.count(b"\xe0\xb8") + data.count(b"\xe0\xb9") > 0:
        return data.decode("utf-8-sig", errors="replace")
    return data.decode("cp874", errors="replace")


# XLSX ---------------------------------------------------------------------------------------------------------


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    _check_unpacked_sizes(data)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
    except Exception:  # openpyxl raises many kinds for a damaged or disguised file
        raise ImportFileError(
            _("This XLSX file cannot be opened; save it again from your spreadsheet program.")
        ) from None
    if sheet.title == INSTRUCTIONS_SHEET:
        raise ImportFileError(
            _("The first sheet is the template's instructions (%(sheet)s); put your rows on the first sheet, "
              "under the header.") % {"sheet": INSTRUCTIONS_SHEET}
        )  # fmt: skip
    _refuse_other_sheets(workbook)
    sheet.reset_dimensions()  # the file's <dimension> may be wrong, or a lie: read the rows that are there
    number = 0
    try:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(value) for value in values]
    except ImportFileError:
        raise
    except Exception:
        raise ImportFileError(
            _("This XLSX file cannot be read after row %(row)s; save it again from your spreadsheet program.")
            % {"row": number}
        ) from None
    finally:
        workbook.close()


def _refuse_other_sheets(workbook):
    """Only the first sheet is read: rows on any other sheet (a second term's results, data left on Sheet2 under an
    empty Sheet1) would have been left out without a word, so such a file is refused, the sheets named. The template's
    instructions sheet is no data."""
    others = [s.title for s in workbook.worksheets[1:] if s.title != INSTRUCTIONS_SHEET and _has_values(s)]
    if not others:
        return
    first = workbook.worksheets[0]
    names = ", ".join(f"“{title}”" for title in others)
    if not _has_values(first):
        raise ImportFileError(
            _("The first sheet (“%(first)s”) is empty and only the first sheet is read; your rows are on %(sheets)s. "
              "Move that sheet to the front, or delete the empty sheet, and upload the file again.")
            % {"first": first.title, "sheets": names}
        )  # fmt: skip
    raise ImportFileError(
        ngettext(
            "Only the first sheet (“%(first)s”) is read, but %(sheets)s holds data too, which would be left out. Put "
            "every row on the first sheet, or upload each sheet as a file of its own.",
            "Only the first sheet (“%(first)s”) is read, but %(sheets)s hold data too, which would be left out. Put "
            "every row on the first sheet, or upload each sheet as a file of its own.",
            len(others),
        )
        % {"first": first.title, "sheets": names}
    )


def _has_values(sheet) -> bool:
    """Whether a sheet holds rows of data: a sheet with only the header on it (the template's copied, say) does not."""
    sheet.reset_dimensions()
    first = None
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if any(value is not None and str(value).strip() for value in values):
            if first is not None:
                return True
            first = [_cell_text(value) for value in values]
        if number > MAX_ROW_NUMBER:
            break
    return first is not None and not _is_header(first)


def _check_unpacked_sizes(data: bytes):
    """Refuse a compression bomb before unpacking anything: zipfile never unpacks more than a part's stated size."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError):
        raise ImportFileError(
            _("This XLSX file cannot be opened; save it again from your spreadsheet program.")
        ) from None
    total = sum(part.file_size for part in parts)
    if any(part.file_size > MAX_PART_BYTES for part in parts) or total > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            _("This XLSX file unpacks to more than %(max)s MB; a file of %(rows)s rows needs far less. Split it or "
              "save it again.") % {"max": MAX_PART_BYTES // (1024 * 1024), "rows": MAX_ROWS}
        )  # fmt: skip


def _cell_text(value) -> str:
    if value is None:
        return ""
    if type(value).__name__ in ("ArrayFormula", "DataTableFormula"):  # openpyxl's own objects: a formula, said so
        return "=" + str(getattr(value, "text", "") or "")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _is_header(cells: list[str]) -> bool:
    try:
        header_columns(cells)
    except ImportFileError:
        return False
    return True


def header_columns(header: list[str], number: int = 1) -> dict[str, int]:
    """Map column keys to positions. A header cell is the key, the key with its Thai label ("national_id
    (เลขประจำตัวประชาชน)", the template's), the Thai label alone ("เลขประจำตัวประชาชน"), or another name Thai
    spreadsheets give it ("เกรด"). `number`: the header's row, for the message."""
    positions = {}
    for index, cell in enumerate(header):
        text = clean_text(cell)
        key = re.split(r"[\s(]", text.lower(), maxsplit=1)[0]
        if key not in COLUMNS:
            key = KEY_OF_THAI_LABEL.get("".join(text.split()))
        if key in COLUMNS and key not in positions:
            positions[key] = index
    missing = [c for c in REQUIRED + ["first_name", "last_name"] if c not in positions]
    if missing:
        raise ImportFileError(
            _("The header row (row %(row)s) lacks the columns: %(columns)s. Download the template and use its header.")
            % {"row": number, "columns": ", ".join(f"{c} ({THAI_LABELS[c]})" for c in missing)}
        )
    return positions
