"""CSV and XLSX downloads that a spreadsheet program cannot turn into formulas."""

import csv
import datetime
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .templatetags.thaidate import format_date

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
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"  # "3", "1.5": not "3.00", and never "1E+1"
    return safe_cell(value)


def xlsx_cell(value):
    value = local_time(value)
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    return safe_cell(value)


def column(key, label, value, shown=None):
    """One column of a readable export: its key, its label in the reader's language, the value for programs, and
    (where it differs) the value for people, e.g. a code and its words."""
    return (key, label, value, shown or value)


def is_time(key: str) -> bool:
    """Times and dates (keys ending _at, _on, _date) get an ISO 8601 column beside the readable one."""
    return key == "at" or key.endswith(("_at", "_on", "_date"))


def readable(value):
    """For people: local time and Buddhist Era dates in Thai (Common Era in English), words for yes and no.

    Numbers stay numbers, so that a spreadsheet can add them up."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value)
        return f"{format_date(local, short=True)} {local:%H:%M}"
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | Decimal):
        return value
    return str(value)


def readable_table(columns, objects) -> tuple[list[str], object]:
    """The header (labels in the reader's language) and the rows of an export for people: every value as people read
    it, and after each time or date an ISO 8601 column of the same value, for programs."""
    timed = {key for key, *_rest in columns if is_time(key)}
    header = []
    for key, label, _value, _shown in columns:
        header.append(str(label))
        if key in timed:
            header.append(f"{label} (ISO 8601)")

    def rows():
        for obj in objects:
            row = []
            for key, _label, value, shown in columns:
                row.append(readable(shown(obj)))
                if key in timed:
                    row.append(value(obj))
            yield row

    return header, rows()


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


def xlsx_response(filename: str, header: list, rows, sheet_title: str = "") -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31] or None)  # Excel's limit on a sheet's name
    # Opens readable: the header stays in view while scrolling, and each column is wide enough for its heading
    # (a date column that is too narrow shows ######).
    sheet.freeze_panes = "A2"
    for index, label in enumerate(header, start=1):
        width = 22 if "ISO" in str(label) else min(45, max(12, len(str(label)) + 4))
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append(header)
    for row in rows:
        # Text cells only where a value could be read as a formula: numbers and dates stay themselves.
        sheet.append([xlsx_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


# A registrar's deposits (the deposit list's export), as the learner's own copy of their credits writes them.
DEPOSIT_COLUMNS = [
    # With its dashes: a spreadsheet reads 13 bare digits as a number (1.23457E+12) and loses the last ones.
    column("national_id", gettext_lazy("identifier"), lambda d: d.learner.formatted_id),
    column("prefix", gettext_lazy("prefix"), lambda d: d.learner.prefix_local),
    column("first_name", gettext_lazy("first name"), lambda d: d.learner.first_name),
    column("last_name", gettext_lazy("last name"), lambda d: d.learner.last_name),
    column("course_code", gettext_lazy("course code"), lambda d: d.course.code),
    column("course_title", gettext_lazy("course"), lambda d: d.course.title),
    column("credits", gettext_lazy("credits"), lambda d: d.credits),
    column("grade", gettext_lazy("grade"), lambda d: d.grade),
    column("completed_on", gettext_lazy("completed on"), lambda d: d.completed_on),
    column("academic_year", gettext_lazy("academic year (B.E.)"), lambda d: d.academic_year),
    column("term", gettext_lazy("term"), lambda d: d.term),
    column("learning_type", gettext_lazy("learning type"), lambda d: d.learning_type,
           lambda d: d.get_learning_type_display()),
    column("status", gettext_lazy("status"), lambda d: d.status, lambda d: d.get_status_display()),
    column("void_reason", gettext_lazy("reason for voiding"), lambda d: d.void_reason),
    column("recorded_at", gettext_lazy("recorded at"), lambda d: d.recorded_at),
]  # fmt: skip
