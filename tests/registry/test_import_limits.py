"""Issue 18, point 10: hostile and odd files, made here, are refused in seconds with the limit named, within 200 MB,
writing nothing and leaving no file behind; a lying <dimension> is not believed."""

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import Workbook

from registry.importing import reading
from registry.importing.columns import COLUMNS, header_labels
from registry.importing.reading import ImportFileError, read_table
from registry.models import CreditDeposit, CreditImport, Learner

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
GOOD = "1101700207030,นาย,สมชาย,ใจดี,,ท21101,,,3,2025-03-15,2567,{term},"
SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def as_registrar(client, registrar):
    client.force_login(registrar)
    return client


def csv_bytes(*rows):
    return ("\n".join([",".join(COLUMNS), *rows]) + "\n").encode()


def workbook_bytes(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_sheet(xlsx: bytes, write_sheet) -> bytes:
    """The same workbook with its first sheet's XML replaced by what `write_sheet(handle)` streams into it."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            if item.filename == SHEET:
                with target.open(SHEET, "w", force_zip64=True) as handle:
                    write_sheet(handle)
            else:
                target.writestr(item, source.read(item.filename))
    return out.getvalue()


def header_xml():
    cells = "".join(f'<c t="inlineStr"><is><t>{label}</t></is></c>' for label in header_labels())
    return f'<row r="1">{cells}</row>'.encode()


def sheet_of(rows_xml: bytes, repeat: int, dimension="A1:M1"):
    def write(handle):
        handle.write(
            b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><dimension ref="' + dimension.encode() + b'"/><sheetData>'
        )
        handle.write(header_xml())
        chunk = rows_xml * 10_000
        for _ in range(repeat // 10_000):
            handle.write(chunk)
        handle.write(b"</sheetData></worksheet>")

    return write


BASE = workbook_bytes([["x"]])
ONE_CELL_ROW = b'<row><c t="inlineStr"><is><t>1</t></is></c></row>'


def compression_bomb():
    """Five million rows: about 250 MB of XML in a file of well under a megabyte."""
    return with_sheet(BASE, sheet_of(ONE_CELL_ROW, 5_000_000))


def bomb_within_the_size_limit():
    """Half a million rows that unpack to less than the size limit: the row limit must stop the reading."""
    return with_sheet(BASE, sheet_of(ONE_CELL_ROW, 400_000))


def far_away_row():
    """One row at the bottom of the sheet: read-only openpyxl would yield a million empty rows before it."""
    row = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>1</t></is></c></row>'
    return with_sheet(BASE, lambda h: h.write(
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + header_xml() + row + b"</sheetData></worksheet>"
    ))  # fmt: skip


def lying_dimension(ref):
    rows = [header_labels()] + [GOOD.format(term=t).split(",") for t in (1, 2, 3)]
    data = workbook_bytes(rows)
    source = zipfile.ZipFile(io.BytesIO(data))
    xml = source.read(SHEET).decode()
    assert '<dimension ref="A1:M4"/>' in xml
    return with_sheet(data, lambda h: h.write(xml.replace('ref="A1:M4"', f'ref="{ref}"').encode()))


def measured(data: bytes, tmp_path) -> dict:
    """Refuse the file in a fresh process and report its peak memory (all of it, C libraries included: the process's
    VmHWM, which starts afresh at exec, unlike ru_maxrss, which a child inherits from pytest) and time."""
    path = tmp_path / "hostile.bin"
    path.write_bytes(data)
    script = (
        "import json, sys, time, django; django.setup()\n"
        "from registry.importing.reading import ImportFileError, read_table\n"
        "data = open(sys.argv[1], 'rb').read(); started = time.monotonic(); message = ''\n"
        "try:\n    read_table(data)\nexcept ImportFileError as exc:\n    message = str(exc)\n"
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "print(json.dumps({'seconds': time.monotonic() - started, 'message': message, 'peak_mb': int(hwm) / 1024}))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "creditbank.settings"}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True, cwd=ROOT, env=env
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def upload(client, data: bytes, name: str):
    started = time.monotonic()
    response = client.post(reverse("registry:imports"), {"file": _named(data, name)})
    return response, time.monotonic() - started


def _named(data, name):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    "make, limit",
    [
        (compression_bomb, "MB"),
        (bomb_within_the_size_limit, f"{reading.MAX_ROWS:,}".replace(",", "")),
        (far_away_row, str(reading.MAX_ROW_NUMBER)),
    ],
)
def test_compression_bombs_are_refused_in_seconds_and_within_200_mb(make, limit, tmp_path, as_registrar, media):
    data = make()
    assert len(data) < 2 * 1024 * 1024  # small on disk ...
    result = measured(data, tmp_path)  # ... and refused in a fresh process within the limits
    assert limit in result["message"], result
    assert result["seconds"] < 5 and result["peak_mb"] < 200, result
    response, seconds = upload(as_registrar, data, "bomb.xlsx")  # through the page: no record, no file
    assert response.status_code == 200 and seconds < 5
    assert limit in response.content.decode()
    assert not CreditImport.objects.exists() and not files_under(media)


def test_the_compression_bomb_states_its_size_and_nothing_is_unpacked():
    parts = zipfile.ZipFile(io.BytesIO(compression_bomb())).infolist()
    assert max(p.file_size for p in parts) > 200 * 1024 * 1024


@pytest.mark.parametrize("ref", ["A1:M1", "A1:A1", "A1:XFD1048576"])
def test_a_lying_dimension_is_not_believed(registrar, school_course, as_registrar, ref):
    response, seconds = upload(as_registrar, lying_dimension(ref), "term.xlsx")
    assert response.status_code == 302 and seconds < 5
    imp = CreditImport.objects.get()
    assert imp.total_rows == 3 and imp.new_count == 3 and imp.status == "previewed"


def test_a_nul_byte_past_the_first_4_kb_names_its_row_and_leaves_nothing(registrar, school_course, as_registrar, media):
    data = csv_bytes(*[GOOD.format(term=1)] * 100) + b"3100600445562,\x00,x\n"
    assert data.index(b"\x00") > 4096
    response, seconds = upload(as_registrar, data, "term.csv")
    page = response.content.decode()
    assert response.status_code == 200 and seconds < 5
    assert "แถว 102" in page and "NUL" in page
    assert not CreditImport.objects.exists() and not files_under(media) and not Learner.objects.exists()


def test_bytes_in_no_known_encoding_name_their_row(registrar, school_course):
    data = csv_bytes(GOOD.format(term=1), GOOD.format(term=2)).replace("สมชาย".encode(), b"\xff\xfe", 1)
    with pytest.raises(ImportFileError, match="แถว 2"):
        read_table(data)


def test_windows_thai_csv_is_still_read(registrar, school_course):
    table = read_table(("\n".join([",".join(COLUMNS), GOOD.format(term=1)]) + "\n").encode("cp874"))
    assert table.rows[0][1][2] == "สมชาย"


@pytest.mark.parametrize(
    "data",
    [
        csv_bytes(),
        ",".join(header_labels()).encode() + b"\r\n\r\n,,,\r\n",
        workbook_bytes([header_labels()]),
        workbook_bytes([header_labels(), [None] * 13]),
    ],
)
def test_a_file_with_no_data_rows_is_refused_as_such(as_registrar, media, data):
    response, _seconds = upload(as_registrar, data, "empty.xlsx" if data.startswith(b"PK") else "empty.csv")
    assert "ไม่มีแถวข้อมูล" in response.content.decode()
    assert not CreditImport.objects.exists() and not files_under(media)


@pytest.mark.parametrize(
    "data, words",
    [
        (csv_bytes(*[GOOD.format(term=1)] * (reading.MAX_ROWS + 1)), str(reading.MAX_ROWS)),
        (csv_bytes(GOOD.format(term=1) + ",x" * 40), f"{reading.MAX_COLUMNS} คอลัมน์"),
        (csv_bytes(GOOD.format(term=1).replace("สมชาย", "ก" * 5000)), f"{reading.MAX_CELL_CHARS} ตัวอักษร"),
        (csv_bytes(GOOD.format(term=1).replace("สมชาย", '"' + "ก" * 200_000 + '"')), "แถว 2"),
    ],
)
def test_every_limit_is_named_when_a_file_goes_over_it(registrar, data, words):
    started = time.monotonic()
    with pytest.raises(ImportFileError, match=words):
        read_table(data)
    assert time.monotonic() - started < 5


def test_reading_stops_when_it_takes_too_long(monkeypatch):
    monkeypatch.setattr(reading, "MAX_SECONDS", -1)
    with pytest.raises(ImportFileError, match="วินาที"):
        read_table(csv_bytes(*[GOOD.format(term=1)] * 600))


def test_a_failed_save_leaves_no_file(registrar, school_course, media, monkeypatch):
    from registry.importing.writing import credit_import_analyse

    def failing_save(self, *args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(CreditImport, "save", failing_save)
    with pytest.raises(RuntimeError):
        credit_import_analyse(actor=registrar, institution=registrar.institution, data=csv_bytes(GOOD.format(term=1)),
                              filename="a.csv", create_courses=False)  # fmt: skip
    assert not files_under(media) and not CreditDeposit.objects.exists()
