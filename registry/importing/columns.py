"""The columns of an import file, their Thai labels, and the template registrars download."""

import io

from django.utils.translation import get_language
from django.utils.translation import gettext as _

COLUMNS = [
    "national_id",
    "prefix",
    "first_name",
    "last_name",
    "birth_date",
    "course_code",
    "course_title",
    "credits",
    "grade",
    "completed_on",
    "academic_year",
    "term",
    "learning_type",
]
THAI_LABELS = {
    "national_id": "เลขประจำตัวประชาชน",
    "prefix": "คำนำหน้า",
    "first_name": "ชื่อ",
    "last_name": "นามสกุล",
    "birth_date": "วันเกิด",
    "course_code": "รหัสวิชา",
    "course_title": "ชื่อวิชา",
    "credits": "หน่วยกิต",
    "grade": "ผลการเรียน",
    "completed_on": "วันที่เรียนจบ",
    "academic_year": "ปีการศึกษา",
    "term": "ภาคเรียน",
    "learning_type": "รูปแบบการเรียนรู้",
}
REQUIRED = ["national_id", "course_code", "grade", "completed_on", "academic_year", "term"]


# The template's data sheet holds the header only; its example sits on a sheet of its own, and the importer refuses
# both the instructions sheet (put first) and the example row (copied into the data).
DATA_SHEET = "ข้อมูล (data)"
INSTRUCTIONS_SHEET = "คำแนะนำ (instructions)"
EXAMPLE_ID = "1234567890121"
EXAMPLE = ["1-2345-67890-12-1", "นาย", "สมชาย", "ตัวอย่าง", "14/05/2551", "ท21101", "ภาษาไทย 1", "1.5", "3.5",
           "15/03/2568", "2567", "2", "formal"]  # fmt: skip


def header_labels() -> list[str]:
    """The header registrars see: each key with its Thai label, e.g. "national_id (เลขประจำตัวประชาชน)"."""
    return [f"{key} ({THAI_LABELS[key]})" for key in COLUMNS]


def column_label(key: str) -> str:
    """A column as a message names it: its Thai label on Thai pages (the file's header holds both), else its key."""
    return THAI_LABELS.get(key, key) if (get_language() or "").startswith("th") else key


def is_example_row(national_id: str) -> bool:
    return national_id == EXAMPLE_ID


def instructions() -> list[list[str]]:
    """The rows of the instructions sheet: what each column takes, then the example row."""
    notes = {
        "national_id": _("13 digits (dashes allowed), a G-code or a passport number"),
        "prefix": _("นาย, นางสาว, นาง, เด็กชาย or เด็กหญิง; needed for a learner not yet registered"),
        "first_name": _("needed for a learner not yet registered"),
        "last_name": _("needed for a learner not yet registered"),
        "birth_date": _("optional; DD/MM/YYYY, a year above 2400 is B.E."),
        "course_code": _("a course of your catalogue, e.g. ท21101"),
        "course_title": _("only to add a course not yet in the catalogue"),
        "credits": _("only to add a course; otherwise the catalogue's credits, or empty"),
        "grade": _("a grade of the course's scale, e.g. 3.5, ผ, A"),
        "completed_on": _("DD/MM/YYYY or YYYY-MM-DD, not in the future"),
        "academic_year": _("B.E., e.g. 2568"),
        "term": _("1, 2 or 3 (summer)"),
        "learning_type": _("formal, non_formal or informal; empty: the course's own"),
    }
    rows = [
        [str(_("Write one row per deposit on the first sheet, under its header; leave this sheet as it is."))],
        [str(_("The example row below is refused if it is imported."))],
        [],
        [str(_("Column")), str(_("What to write"))],
        *[[label, str(notes[key])] for key, label in zip(COLUMNS, header_labels(), strict=True)],
        [],
        [str(_("Example"))],
        header_labels(),
        EXAMPLE,
    ]
    return rows


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    data = workbook.create_sheet(DATA_SHEET)
    # Identifiers and codes are text: typed into a general cell, 13 digits show as 1.10370E+12 and cannot be checked.
    header = header_labels()
    for index, (key, label) in enumerate(zip(COLUMNS, header, strict=True), start=1):
        dimension = data.column_dimensions[get_column_letter(index)]
        dimension.width = max(14, len(label) + 2)
        if key in ("national_id", "course_code", "grade", "credits"):  # 1-2-2 typed in a General cell is a date
            dimension.number_format = "@"
    data.freeze_panes = "A2"
    data.append(header)
    guide = workbook.create_sheet(INSTRUCTIONS_SHEET)
    for row in instructions():
        guide.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv() -> bytes:
    """A CSV has one sheet: the header only (the XLSX template carries the instructions and the example)."""
    return ("\ufeff" + ",".join(header_labels()) + "\r\n").encode()
