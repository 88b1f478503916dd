"""CSV and XLSX downloads that a spreadsheet program cannot turn into formulas."""

import csv
import io

from django.http import HttpResponse

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Neutralise a text cell that a spreadsheet would read as a formula: prefix it with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def csv_response(filename: str, header: list, rows) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads UTF-8 Thai correctly only with a BOM
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
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
        sheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
