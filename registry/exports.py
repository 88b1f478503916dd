"""CSV and XLSX downloads that a spreadsheet program cannot turn into formulas."""

import csv
import datetime
import io

from django.http import HttpResponse
from django.utils import timezone

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """Neutralise a text cell that a spreadsheet would read as a formula: prefix it with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def local_time(value):
    """One clock in every export: an aware time is written in Asia/Bangkok, never in UTC.

    CSV gets ISO 8601 with its +07:00 offset; XLSX cannot hold an aware time, so it gets the local wall time.
    """
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def csv_cell(value):
    value = local_time(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    return safe_cell(value)


def xlsx_cell(value):
    value = local_time(value)
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    return safe_cell(value)


def csv_response(filename: str, header: list, rows) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads UTF-8 Thai correctly only with a BOM
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename: str, header: list, rows) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header)
    for row in rows:
        # Text cells only where a value could be read as a formula: numbers and dates stay themselves.
        sheet.append([xlsx_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
