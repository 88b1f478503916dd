"""Issue 18: every row checked against what the rows above it add, clear messages in the reader's language, a
template that cannot create data, a preview and a result that say what happens, rejected rows to take away."""

import csv
import datetime
import io
import os
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from registry.importing.columns import COLUMNS, DATA_SHEET, INSTRUCTIONS_SHEET, header_labels
from registry.importing.reading import ImportFileError
from registry.importing.writing import credit_import_analyse, credit_import_commit
from registry.message_codes import render_error
from registry.models import Course, CreditDeposit, CreditImport, Learner

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
A, B, C = "1101700207030", "3100600445562", "1234567890120"  # valid IDs; C's check digit is wrong
NEW_COURSE = "ท31105,ภาษาไทยเพิ่มเติม"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def as_registrar(client, registrar):
    client.force_login(registrar)
    return client


def csv_bytes(*rows):
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def analyse(registrar, data, create_courses=False, name="credits.csv"):
    return credit_import_analyse(
        actor=registrar, institution=registrar.institution, data=data, filename=name, create_courses=create_courses
    )


def codes(imp):
    """{(row, column): message code}."""
    return {(r["row"], e[0]): e[1] for r in imp.report for e in r["errors"]}


def words(imp, row, column, lang="th"):
    with translation.override(lang):
        return dict(render_error(e) for r in imp.report if r["row"] == row for e in r["errors"])[column]


# 1. Every row against the catalogue and the learners as the rows above leave them ------------------------------


@pytest.mark.parametrize("credits", ["-1", "0", "2.0", "abc"])
def test_a_course_added_by_an_earlier_row_is_held_to_its_credits_on_every_later_row(registrar, credits):
    imp = analyse(
        registrar,
        csv_bytes(
            f"{A},นาย,สมชาย,ใจดี,,{NEW_COURSE},1.5,3,2025-03-15,2567,1,",
            f"{B},นางสาว,สุภา,ดีมาก,,{NEW_COURSE},1.5,3,2025-03-15,2567,1,",
            f"{B},นางสาว,สุภา,ดีมาก,,{NEW_COURSE},{credits},3,2025-03-15,2567,2,",
        ),
        create_courses=True,
    )
    assert imp.status == "rejected" and codes(imp).keys() == {(4, "credits")}
    if credits == "2.0":
        message = words(imp, 4, "credits")
        assert "แถว 2" in message and "ท31105" in message and "2.0" in message
    assert not Course.objects.exists() and not Learner.objects.exists()


def test_a_course_added_by_an_earlier_row_is_held_to_its_title_and_learning_type(registrar):
    imp = analyse(
        registrar,
        csv_bytes(
            f"{A},นาย,สมชาย,ใจดี,,{NEW_COURSE},1.5,3,2025-03-15,2567,1,formal",
            f"{B},นางสาว,สุภา,ดีมาก,,ท31105,ภาษาไทยอื่น,,3,2025-03-15,2567,1,",
            f"{B},นางสาว,สุภา,ดีมาก,,ท31105,,,3,2025-03-15,2567,2,informal",
        ),
        create_courses=True,
    )
    assert codes(imp) == {(3, "course_title"): "course_differs", (4, "learning_type"): "course_differs"}
    assert "แถว 2" in words(imp, 3, "course_title")
    assert "Row 2" in words(imp, 4, "learning_type", lang="en")


def test_a_learner_registered_by_an_earlier_row_is_held_to_the_name_and_birth_date(registrar, school_course):
    imp = analyse(
        registrar,
        csv_bytes(
            f"{A},นาย,สมชาย,ใจดี,14/05/2551,ท21101,,,3,2025-03-15,2567,1,",
            f"{A},นาย,สมชาย,ใจร้าย,14/05/2551,ท21101,,,3,2025-03-15,2567,2,",
            f"{A},นาย,สมชาย,ใจดี,15/05/2551,ท21101,,,3,2025-03-15,2567,3,",
            f"{A},,,,,ท21101,,,3,2025-03-15,2566,1,",  # the learner named once is enough
        ),
    )
    assert codes(imp) == {(3, "first_name"): "learner_differs", (4, "birth_date"): "learner_differs"}
    assert "แถว 2" in words(imp, 3, "first_name") and "ใจร้าย" in words(imp, 3, "first_name")
    assert "14/05/2551" in words(imp, 4, "birth_date")  # as the rows write it, beside 15/05/2551 (it read 2008)


def test_a_catalogue_course_is_compared_on_every_row_not_only_the_first(registrar, school_course):
    imp = analyse(
        registrar,
        csv_bytes(
            f"{A},นาย,สมชาย,ใจดี,,ท21101,,1.5,3,2025-03-15,2567,1,",
            f"{B},นางสาว,สุภา,ดีมาก,,ท21101,,-1,3,2025-03-15,2567,1,",
            f"{B},นางสาว,สุภา,ดีมาก,,ท21101,,2,3,2025-03-15,2567,2,",
        ),
    )
    assert codes(imp) == {(3, "credits"): "credits_amount", (4, "credits"): "credits_catalogue"}


def test_a_consistent_file_adding_a_course_on_several_rows_imports(registrar):
    rows = [f"{A},นาย,สมชาย,ใจดี,,{NEW_COURSE},1.5,3,2025-03-15,2567,{t}," for t in (1, 2, 3)]
    imp = analyse(registrar, csv_bytes(*rows), create_courses=True)
    assert imp.status == "previewed" and imp.new_count == 3 and imp.courses_created == 1
    imp = credit_import_commit(actor=registrar, import_id=imp.pk)
    assert imp.status == "committed" and Course.objects.get(code="ท31105").credits == Decimal("1.5")


# 2. Dates that do not exist, years of the wrong era -------------------------------------------------------------


@pytest.mark.parametrize(
    "value, code, thai",
    [
        ("31/02/2568", "date_no_day", "ไม่มีวันที่ 31 เดือนกุมภาพันธ์"),
        ("29/02/2566", "date_no_day", "เดือนนี้มี 28 วัน"),  # 2023: not a leap year
        ("15/13/2568", "date_no_month", "ไม่มีเดือนที่ 13"),
        ("15/03/1800", "date_bad_year", "1800"),
        ("15 มีนาคม 2568", "date_format", "YYYY-MM-DD"),
    ],
)
def test_a_date_that_does_not_exist_is_told_apart_from_a_malformed_one(registrar, school_course, value, code, thai):
    imp = analyse(registrar, csv_bytes(f"{A},นาย,ก,ข,,ท21101,,,3,{value},2567,2,"))
    assert codes(imp)[(2, "completed_on")] == code
    assert thai in words(imp, 2, "completed_on")


def test_a_common_era_academic_year_is_explained(registrar, school_course):
    imp = analyse(registrar, csv_bytes(f"{A},นาย,ก,ข,,ท21101,,,3,2025-03-15,2025,2,"))
    assert codes(imp)[(2, "academic_year")] == "year_common_era"
    assert "2025 + 543 = 2568" in words(imp, 2, "academic_year") and "ค.ศ." in words(imp, 2, "academic_year")


def test_the_deposit_form_says_a_date_does_not_exist(as_registrar, school_course, learner_user):
    response = as_registrar.post(
        reverse("registry:deposit_new"),
        {"national_id": learner_user.learner.national_id, "course": school_course.pk, "grade": "3",
         "completed_on": "31/02/2568", "academic_year": "2567", "term": "2"},
    )  # fmt: skip
    page = response.content.decode()
    assert "ไม่มีวันที่ 31 เดือนกุมภาพันธ์" in page and 'id="error-summary"' in page
    assert 'value="31/02/2568"' in page  # what was typed comes back


# 3. The template cannot create data ------------------------------------------------------------------------------


def test_the_xlsx_template_has_a_header_only_data_sheet_and_its_instructions_apart(as_registrar, registrar):
    response = as_registrar.get(reverse("registry:import_template", args=["xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [DATA_SHEET, INSTRUCTIONS_SHEET]
    data_rows = list(workbook[DATA_SHEET].iter_rows(values_only=True))
    assert data_rows == [tuple(header_labels())]
    assert "national_id (เลขประจำตัวประชาชน)" in data_rows[0]
    # The identifier column is text, so a typed 13-digit ID is not shown as 1.10370E+12; the header stays in view.
    assert workbook[DATA_SHEET].column_dimensions["A"].number_format == "@"
    assert workbook[DATA_SHEET].freeze_panes == "A2"
    with pytest.raises(ImportFileError, match="no data rows|ไม่มีแถวข้อมูล"):
        analyse(registrar, response.content, name="template.xlsx")
    assert not CreditImport.objects.exists()


def test_the_csv_template_is_the_header_only_and_is_refused_as_such(as_registrar, registrar):
    response = as_registrar.get(reverse("registry:import_template", args=["csv"]))
    assert response.content.decode("utf-8-sig").strip() == ",".join(header_labels())
    with pytest.raises(ImportFileError):
        analyse(registrar, response.content)


def test_the_instructions_sheet_put_first_and_the_example_row_copied_are_refused_by_name(
    as_registrar, registrar, school_course
):
    workbook = load_workbook(io.BytesIO(as_registrar.get(reverse("registry:import_template", args=["xlsx"])).content))
    example = list(workbook[INSTRUCTIONS_SHEET].iter_rows(values_only=True))[-1]
    workbook[DATA_SHEET].append(example)
    workbook.move_sheet(INSTRUCTIONS_SHEET, offset=-1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ImportFileError, match=INSTRUCTIONS_SHEET.split()[0]):
        analyse(registrar, buffer.getvalue(), name="t.xlsx")
    workbook.move_sheet(INSTRUCTIONS_SHEET, offset=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    imp = analyse(registrar, buffer.getvalue(), name="t.xlsx")
    assert imp.status == "rejected" and codes(imp) == {(2, "national_id"): "example_row"}
    assert "ตัวอย่าง" in words(imp, 2, "national_id")
    assert not Learner.objects.exists()


def test_a_workbook_with_rows_on_another_sheet_is_refused_naming_the_sheets_not_read_in_part(
    as_registrar, registrar, school_course
):
    row = [A, "นาย", "สมชาย", "ใจดี", None, "ท21101", None, None, 3, "2025-03-15", 2567, 1, None]

    def workbook_bytes(*sheets):
        workbook = Workbook()
        workbook.remove(workbook.active)
        for title, rows in sheets:
            sheet = workbook.create_sheet(title)
            for cells in rows:
                sheet.append(cells)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    second_term = ("ภาค2", [header_labels(), row])
    with pytest.raises(ImportFileError, match="“ภาค1”.*“ภาค2”"):  # a second term's rows had been left out unsaid
        analyse(registrar, workbook_bytes(("ภาค1", [header_labels(), row]), second_term), name="t.xlsx")
    with pytest.raises(ImportFileError, match="“Sheet1”.*ว่าง.*“ภาค2”"):  # an empty first sheet: "the file is empty"
        analyse(registrar, workbook_bytes(("Sheet1", []), second_term), name="t.xlsx")
    assert not CreditDeposit.objects.exists()
    # Blank sheets, a sheet with the header alone, and the template's instructions are no data: the first sheet is.
    imp = analyse(
        registrar,
        workbook_bytes(
            ("ภาค1", [header_labels(), row]),
            ("Sheet2", [[None], ["  "]]),
            ("ภาค2", [header_labels()]),
            (INSTRUCTIONS_SHEET, [["x"]]),
        ),
        name="t.xlsx",
    )
    assert imp.status == "previewed" and imp.new_count == 1


# 4. The preview says what will happen, the result what did -------------------------------------------------------


def test_preview_and_result_say_what_will_and_what_did_happen(as_registrar, registrar, school_course):
    imp = analyse(registrar, csv_bytes(f"{A},นาย,สมชาย,ใจดี,,ท21101,,,3,2025-03-15,2567,1,",
                                       f"{A},นาย,สมชาย,ใจดี,,ท21101,,,3,2025-03-15,2567,1,"))  # fmt: skip
    url = reverse("registry:import_detail", args=[imp.pk])
    page = as_registrar.get(url).content.decode()
    assert "เพิ่มรายการฝาก 1 รายการ" in page and "ลงทะเบียนผู้เรียนใหม่ 1 คน" in page
    assert "ข้าม 1 แถวที่บันทึกไว้แล้วหรือซ้ำกันในไฟล์" in page and "จะลงทะเบียนให้" in page and "นำเข้าตอนนี้" in page
    # The term the rows are for, said before importing, and beside each row: a wrong year had looked right until then.
    assert "สำหรับปีการศึกษา 2567 ภาคเรียนที่ 1: 1 แถว" in page and ">2567/1</td>" in page
    as_registrar.post(reverse("registry:import_commit", args=[imp.pk]))
    page = as_registrar.get(url + "?show=all").content.decode()
    assert "เพิ่มรายการฝากแล้ว 1 รายการ" in page and "ลงทะเบียนผู้เรียนใหม่แล้ว 1 คน" in page
    assert "ผู้เรียนใหม่: ลงทะเบียนแล้ว" in page and "จะลงทะเบียนให้" not in page and "นำเข้าตอนนี้" not in page


def test_a_preview_checked_before_another_file_was_imported_says_its_numbers_may_change(
    as_registrar, registrar, school_course
):
    """Made stale by another import, a preview still read "checked, 1 new", without a word."""
    data = csv_bytes(f"{A},นาย,สมชาย,ใจดี,,ท21101,,,3,2025-03-15,2567,1,")
    first, second = analyse(registrar, data), analyse(registrar, data)
    url = reverse("registry:import_detail", args=[first.pk])
    assert 'id="checked-before-another"' not in as_registrar.get(url).content.decode()
    credit_import_commit(actor=registrar, import_id=second.pk)
    assert 'id="checked-before-another"' in as_registrar.get(url).content.decode()


def test_a_file_of_duplicates_only_offers_no_commit_and_says_so(as_registrar, registrar, school_course):
    data = csv_bytes(f"{A},นาย,สมชาย,ใจดี,,ท21101,,,3,2025-03-15,2567,1,")
    credit_import_commit(actor=registrar, import_id=analyse(registrar, data).pk)
    again = analyse(registrar, data)
    assert again.status == "previewed" and again.new_count == 0
    page = as_registrar.get(reverse("registry:import_detail", args=[again.pk])).content.decode()
    assert 'id="nothing-new"' in page and "ไม่มีรายการใหม่ให้นำเข้า" in page
    assert reverse("registry:import_commit", args=[again.pk]) not in page


# 5. Rejected rows to take away, in the format uploaded -----------------------------------------------------------


def test_a_rejected_file_comes_back_whole_with_its_errors_marked_and_uploaded_again_is_imported(
    as_registrar, registrar, school_course
):
    """A download of the rejected rows alone, corrected and uploaded, left the good rows of the file unsaved, and
    nothing said so; the page's "New 3" read as if they were. Row numbers in it no longer matched its rows."""
    imp = analyse(registrar, csv_bytes(f"{A},นาย,สมชาย,ใจดี,,ท21101,,,3,2025-03-15,2567,1,",
                                       f"{B},นางสาว,สุภา,ดีมาก,,ท21101,,,B+,2025-03-15,2567,1,"))  # fmt: skip
    page = as_registrar.get(reverse("registry:import_detail", args=[imp.pk])).content.decode()
    assert reverse("registry:import_rejected", args=[imp.pk]) in page
    assert "แม้แต่แถวที่ไม่มีข้อผิดพลาด" in page and "ไม่มีข้อผิดพลาด (ยังไม่บันทึก)" in page
    assert "แถว 3, ผลการเรียน:" in page  # the column by its Thai label, as the file's header also gives it
    response = as_registrar.get(reverse("registry:import_rejected", args=[imp.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == COLUMNS + ["ข้อผิดพลาด"]
    assert [r[0] for r in rows[1:]] == [A, B] and rows[1][-1] == ""  # every row, in its place
    assert "B+" in rows[2][-1] and rows[2][8] == "B+"
    assert rows[2][-1].startswith("แถว 3, ผลการเรียน:")  # the row of the file sent, as the import's page names it
    # Corrected where it stands and uploaded whole, error column and all: both rows are imported.
    rows[2][8] = "3.5"
    fixed = "\n".join(",".join(r) for r in rows).encode()
    again = analyse(registrar, fixed)
    assert again.status == "previewed" and again.new_count == 2 and again.error_count == 0
    # Downloaded a second time, the old error column makes way for the new one.
    rows[2][8] = "B+"
    worse = analyse(registrar, "\n".join(",".join(r) for r in rows).encode())
    download = as_registrar.get(reverse("registry:import_rejected", args=[worse.pk])).content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(download)))
    assert header.count("ข้อผิดพลาด") == 1


def test_a_grade_id_and_term_in_thai_digits_are_the_same(registrar, school_course):
    """The grade and the year were read in Thai digits; the ID was refused (wrong check digit) and the term too."""
    thai_id = A.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    imp = analyse(registrar, csv_bytes(f"{thai_id},นาย,สมชาย,ใจดี,,ท21101,,,๓.๕,2025-03-15,๒๕๖๗,๒,"))
    assert imp.error_count == 0 and imp.report[0]["grade"] == "3.5"
    credit_import_commit(actor=registrar, import_id=imp.pk)
    deposit = CreditDeposit.objects.get()
    assert deposit.learner.national_id == A and deposit.term == 2


def test_rejected_rows_download_as_xlsx_when_the_upload_was_xlsx(as_registrar, registrar, school_course):
    workbook = Workbook()
    workbook.active.append(header_labels())
    workbook.active.append([A, "นาย", "สมชาย", "ใจดี", None, "ท21101", None, None, "Z", "2025-03-15", 2567, 1, None])
    workbook.active.append([B, "นาย", "สมศักดิ์", "ใจดี", None, "ท21101", None, None, 3, "2025-03-15", 2567, 1, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    imp = analyse(registrar, buffer.getvalue(), name="term.xlsx")
    response = as_registrar.get(reverse("registry:import_rejected", args=[imp.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == (*header_labels(), "ข้อผิดพลาด")
    assert len(rows) == 3 and rows[1][0] == A and "Z" in rows[1][-1] and rows[2][-1] is None  # every row


# 11. Clear messages: identifiers by their real rules, reports in the reader's language, the command's --user ------


@pytest.mark.parametrize(
    "value, code",
    [
        ("9123456789010", "id_not_issued"),  # valid check digit, starts with 9
        ("0105536092641", "id_company"),  # a company's tax ID
        ("0812345678", "id_phone"),
        (C, "id_checksum"),
        ("110170020703", "id_length"),
    ],
)
def test_identifiers_are_judged_by_their_real_rules(registrar, school_course, value, code):
    imp = analyse(registrar, csv_bytes(f"{value},นาย,ก,ข,,ท21101,,,3,2025-03-15,2567,2,"))
    assert codes(imp)[(2, "national_id")] == code


def test_a_title_above_the_header_and_the_usual_thai_column_names_are_read_and_a_wrong_header_is_named_by_its_row(
    registrar, school_course
):
    header = "เลขบัตรประชาชน,คำนำหน้าชื่อ,ชื่อ,นามสกุล,รหัสวิชา,เกรด,วันที่จบ,ปีการศึกษา,ภาคเรียนที่"
    # A title of two cells (the school's name, the term), then a blank row, then the header.
    data = f"โรงเรียนทดสอบ,,ภาคเรียนที่ 1/2567,\n\n{header}\n{A},นาย,สมชาย,ใจดี,ท21101,3,2025-03-15,2567,1\n".encode()
    imp = analyse(registrar, data)
    assert imp.status == "previewed" and imp.report[0]["row"] == 4, imp.report  # rows as the spreadsheet numbers them
    with pytest.raises(ImportFileError, match=r"แถวที่ 2\).*grade"):  # the header's own row, and what it lacks
        analyse(
            registrar, f"ผลการเรียน\n{header.replace('เกรด', 'ผล')}\n{A},นาย,ก,ข,ท21101,3,2025-03-15,2567,1".encode()
        )
    with pytest.raises(ImportFileError, match="แถวที่ 1"):  # titles only: no header found
        analyse(registrar, "ผลการเรียน\nโรงเรียนทดสอบ\n".encode())


def test_a_dash_is_an_empty_cell_and_a_formula_still_lets_the_row_name_its_learner_and_course(registrar, school_course):
    imp = analyse(registrar, csv_bytes(f"{A},นาย,สมชาย,ใจดี,-,ท21101,–,-,3,2025-03-15,2567,1,-",
                                       f"{B},นาย,สมศักดิ์,ใจดี,,ท21101,,,=4,2025-03-15,=2567,1,"))  # fmt: skip
    assert codes(imp) == {(3, "grade"): "formula", (3, "academic_year"): "formula"}
    second = imp.report[1]
    assert second["learner_name"] == "นายสมศักดิ์ ใจดี" and second["course_code"] == "ท21101"
    assert imp.report[0]["status"] == "new"  # the dashes meant nothing was written there


def test_credits_written_theory_practice_credits_are_read_as_the_credits(registrar, school_course):
    """A vocational catalogue writes a course's credits as hours of theory and practice, then credits ("1-2-2"): it
    was refused as "credits must be a number"."""
    credits = format(school_course.credits.normalize(), "f")
    imp = analyse(registrar, csv_bytes(f"{A},นาย,สมชาย,ใจดี,,ท21101,,1-2-{credits},3,2025-03-15,2567,1,",
                                       f"{B},นาย,สมศักดิ์,ใจดี,,ท21101,,0-4-9,3,2025-03-15,2567,1,"))  # fmt: skip
    assert codes(imp) == {(3, "credits"): "credits_catalogue"}  # the first read as the catalogue's; 9 is not
    # Typed into a General cell, 1-2-2 becomes a date: refused as that, not read as 2 (nor as the date's day).
    workbook = Workbook()
    workbook.active.append(header_labels())
    workbook.active.append([A, "นาย", "สมชาย", "ใจดี", None, "ท21101", None, datetime.date(2001, 2, 2), 3, "2025-03-15",
                            2567, 1, None])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    imp = analyse(registrar, buffer.getvalue(), name="t.xlsx")
    assert codes(imp) == {(2, "credits"): "credits_as_date"} and "Text" in words(imp, 2, "credits", lang="en")


def test_rows_made_ready_and_never_filled_are_left_out_once_not_refused_four_times(
    as_registrar, registrar, school_course
):
    """A sheet numbered down to row 9, with the year and term filled in: each unused row had four "must not be empty"
    errors, and the file was refused."""
    imp = analyse(registrar, csv_bytes(f"{A},นาย,สมชาย,ใจดี,,ท21101,,,3,2025-03-15,2567,1,",
                                       ",,,,,,,,,,2567,1,", ",,,,,,,,,,2567,1,"))  # fmt: skip
    assert imp.status == "previewed" and imp.new_count == 1 and imp.error_count == 0
    assert [(r["row"], r["status"]) for r in imp.report] == [(2, "new"), (3, "unused"), (4, "unused")]
    page = as_registrar.get(reverse("registry:import_detail", args=[imp.pk]) + "?show=problems").content.decode()
    assert "ไม่มีผู้เรียน รายวิชา หรือผลการเรียนในแถวนี้" in page
    assert "ข้าม 2 แถวที่ไม่มีผู้เรียน รายวิชา หรือผลการเรียน" in page  # counted in what importing will do
    with pytest.raises(ImportFileError):  # nothing but such rows: a file with no data, as said of an empty one
        analyse(registrar, csv_bytes(",,,,,,,,,,2567,1,"))


def test_grades_written_with_two_decimals_are_read_as_the_grades_they_are(registrar, school_course):
    imp = analyse(registrar, csv_bytes(f"{A},นาย,สมชาย,ใจดี,,ท21101,,,3.50,2025-03-15,2567,1,",
                                       f"{B},นาย,สมศักดิ์,ใจดี,,ท21101,,,4.00,2025-03-15,2567,1,"))  # fmt: skip
    assert imp.status == "previewed", imp.report
    credit_import_commit(actor=registrar, import_id=imp.pk)
    assert sorted(CreditDeposit.objects.values_list("grade", flat=True)) == ["3.5", "4"]


def test_a_rejected_files_errors_come_first_and_its_rows_in_error_say_nothing_of_what_they_would_register(
    as_registrar, registrar, school_course
):
    import random

    from registry import demo

    ids = sorted({demo.national_id(random.Random(n)) for n in range(260)} - {A})[:250]
    rows = [f"{i},นาย,ผู้เรียน,ใหม่{n},,ท21101,,,3,2025-03-15,2567,1," for n, i in enumerate(ids)]
    rows.append(f"{A},นาย,สมชาย,ใจดี,,ท21101,,,Z,2025-03-15,2567,1,")  # the one error, on the last row
    imp = analyse(registrar, csv_bytes(*rows))
    assert imp.status == "rejected" and imp.error_count == 1
    page = as_registrar.get(reverse("registry:import_detail", args=[imp.pk])).content.decode()
    body = page.split('id="import-rows"', 1)[1].split("</tbody>", 1)[0]
    first = body.split("<tr", 2)[2].split("</tr>", 1)[0]  # the head's row, then the first row shown
    assert 'class="table-danger"' in first.split(">", 1)[0] and ">252<" in first  # row 252: the header is row 1
    assert "ลงทะเบียนให้" not in first
    assert "ลงทะเบียนให้" in body  # the rows without error still say what they would do


def test_a_reports_learners_are_named_in_the_language_of_whoever_opens_it(client, registrar, school_course):
    """Checked by a registrar reading English, the report named its learners "Mr. สมชาย ใจดี" on Thai pages too."""
    with translation.override("en"):
        imp = analyse(registrar, csv_bytes(f"{A},นาย,สมชาย,ใจดี,,ท21101,,,3,2025-03-15,2567,1,"))
    client.force_login(registrar)
    url = reverse("registry:import_detail", args=[imp.pk]) + "?show=all"
    thai = client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": url})
    english = client.get(url).content.decode()
    translation.activate("th")
    assert "นายสมชาย ใจดี" in thai and "Mr. สมชาย" not in thai
    assert "Mr. สมชาย ใจดี" in english


def test_a_report_reads_in_the_language_of_whoever_opens_it(client, registrar, school_course):
    with translation.override("th"):
        imp = analyse(registrar, csv_bytes(f"{A},นาย,ก,ข,,ท21101,,,3,31/02/2568,2567,2,"))
    assert imp.report[0]["errors"][0][1:] == ["date_no_day", {"day": 31, "month": 2, "year": 2025}]
    client.force_login(registrar)
    url = reverse("registry:import_detail", args=[imp.pk])
    thai = client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": url})
    english = client.get(url).content.decode()
    translation.activate("th")  # the test client leaves the last request's language active in this thread
    assert "ไม่มีวันที่ 31 เดือนกุมภาพันธ์" in thai
    assert "There is no day 31 in February" in english and "ไม่มีวันที่ 31" not in english


def test_import_credits_user_must_be_an_active_registrar_of_the_institution(
    registrar, registrar2, learner_user, school_course, tmp_path
):
    path = tmp_path / "good.csv"
    path.write_bytes(csv_bytes(f"{A},นาย,สมชาย,ใจดี,,ท21101,,,3,2025-03-15,2567,1,"))
    code = registrar.institution.code
    for username in ("nobody", learner_user.username, registrar2.username):
        with pytest.raises(CommandError, match="active registrar"):
            call_command("import_credits", str(path), "--institution", code, "--user", username)
    registrar.is_active = False
    registrar.save()
    with pytest.raises(CommandError, match="active registrar"):
        call_command("import_credits", str(path), "--institution", code, "--user", "registrar")
    assert not CreditDeposit.objects.exists()
    registrar.is_active = True
    registrar.save()
    call_command("import_credits", str(path), "--institution", code, "--user", "registrar")
    assert CreditDeposit.objects.get().recorded_by == registrar


def test_import_credits_rejects_hostile_files_with_exit_1_and_no_traceback(registrar, school_course, tmp_path, capsys):
    path = tmp_path / "nul.csv"
    good = f"{A},นาย,สมชาย,ใจดี,,ท21101,,,3,2025-03-15,2567,1,"
    path.write_bytes(csv_bytes(*[good] * 100) + b"1101700207030,\x00,x\n")  # the NUL past the first 4 KB
    with pytest.raises(SystemExit) as exc:
        call_command("import_credits", str(path), "--institution", registrar.institution.code)
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "rejected:" in err and "102" in err and "Traceback" not in err
    assert not CreditImport.objects.exists() and not CreditDeposit.objects.exists()


def test_a_row_dated_before_its_academic_year_its_learner_or_in_a_year_not_begun_is_refused(registrar, school_course):
    imp = analyse(
        registrar,
        csv_bytes(
            f"{A},นาย,สมชาย,ใจดี,14/05/2551,ท21101,,,3,2025-03-15,2569,1,",  # completed in academic year 2567
            f"{B},นางสาว,สุภา,ดีมาก,14/05/2551,ท21101,,,3,1997-03-15,2539,1,",  # before she was born
            f"{A},,,,,ท21101,,,3,2025-03-15,2600,2,",  # a year not yet begun
            f"{A},,,,,ท21101,,,3,2025-03-15,2567,2,",  # term 2 of 2567 ends in March 2568: kept
            f"{A},,,,,ท21101,,,3,2026-03-15,2560,2,",  # completed in academic year 2568: 2560 is a slip
            f"{A},,,,,ท21101,,,3,2026-03-15,2567,1,",  # the year after its own (a resit): kept
            f"{A},,,,,ท21101,,,3,2025-03-15,2568,1,",  # March 2568 is term 2 of 2567: 2568 began in May
        ),
    )
    assert codes(imp) == {
        (2, "academic_year"): "year_after_completion",
        (8, "academic_year"): "year_after_completion",
        (3, "completed_on"): "completed_before_birth",
        (4, "academic_year"): "year_future",
        (6, "academic_year"): "year_long_before_completion",
    }
    assert "2560" in words(imp, 6, "academic_year", lang="en") and "2568" in words(imp, 6, "academic_year", lang="en")
    assert "2569" in words(imp, 2, "academic_year") and "2567" in words(imp, 2, "academic_year")
    assert "before academic year 2569" in words(imp, 2, "academic_year", lang="en")


def test_the_imports_list_says_when_nothing_is_new_and_counts_nothing_new_in_a_rejected_file(
    as_registrar, registrar, school_course
):
    row = f"{A},นาย,สมชาย,ใจดี,,ท21101,,,3,2025-03-15,2567,1,"
    credit_import_commit(actor=registrar, import_id=analyse(registrar, csv_bytes(row)).pk)
    again = analyse(registrar, csv_bytes(row), name="again.csv")  # every row already recorded
    rejected = analyse(registrar, csv_bytes(row.replace(",1,", ",2,"), f"{C},นาย,ก,ข,,ท21101,,,3,2025-03-15,2567,1,"),
                       name="bad.csv")  # fmt: skip
    assert again.new_count == 0 and rejected.status == "rejected" and rejected.new_count == 1
    page = as_registrar.get(reverse("registry:imports")).content.decode()
    row_of = {name: page.split(name, 1)[1].split("</tr>", 1)[0] for name in ("again.csv", "bad.csv")}
    assert "ไม่มีรายการใหม่ให้นำเข้า" in row_of["again.csv"] and "รอยืนยัน" not in row_of["again.csv"]
    assert '<td class="text-end" data-label="ใหม่">—</td>' in row_of["bad.csv"]
    home = as_registrar.get("/").content.decode()  # the registrar's home lists them the same way
    line_of = {name: home.split(name, 1)[1].split("</li>", 1)[0] for name in ("again.csv", "bad.csv")}
    assert "ไม่มีรายการใหม่ให้นำเข้า" in line_of["again.csv"]
    assert "ไม่ได้นำเข้า" in line_of["bad.csv"] and "ใหม่" not in line_of["bad.csv"]


def test_a_preview_whose_rows_were_recorded_meanwhile_says_nothing_new_was_imported(
    as_registrar, registrar, school_course
):
    """Two previews of the same file, both committed: the second said "imported 0 new deposits", as if a success."""
    data = csv_bytes(f"{A},นาย,สมชาย,ใจดี,,ท21101,,,3,2025-03-15,2567,1,")
    first, second = analyse(registrar, data), analyse(registrar, data)
    as_registrar.post(reverse("registry:import_commit", args=[first.pk]))
    page = as_registrar.post(reverse("registry:import_commit", args=[second.pk]), follow=True).content.decode()
    assert "ไม่มีรายการใหม่ที่นำเข้า: ทุกแถวถูกบันทึกไว้แล้ว" in page and "นำเข้ารายการใหม่ 0" not in page
    # Nor does the import's own summary below it, in green, say "0 deposits were added".
    done = page.split('id="import-done"', 1)[0].rsplit("<div", 1)[1] + page.split('id="import-done"', 1)[1][:600]
    assert "alert-info" in done and "alert-success" not in done and "ไม่มีรายการฝากที่เพิ่ม" in done


def test_a_checked_file_can_be_discarded_and_is_deleted(
    as_registrar, registrar, school_course, django_capture_on_commit_callbacks
):
    """A checked file waited as 'checked, awaiting confirmation' for ever when it was the wrong one: the only way out
    was to import it. Discarded, it is gone (its file with it), its record says so, and it can no longer be imported."""
    data = csv_bytes(f"{A},นาย,สมชาย,ใจดี,,ท21101,,,3,2025-03-15,2567,1,")
    imp = analyse(registrar, data)
    stored = imp.file.path
    page = as_registrar.get(reverse("registry:import_detail", args=[imp.pk])).content.decode()
    assert 'id="discard-form"' in page and "ไม่นำเข้าไฟล์นี้" in page
    with django_capture_on_commit_callbacks(execute=True):
        done = as_registrar.post(reverse("registry:import_discard", args=[imp.pk]), follow=True).content.decode()
    imp.refresh_from_db()
    assert imp.status == "discarded" and not os.path.exists(stored)
    assert imp.report == [] and "สมชาย" not in done  # the rows it held of learners go with it, from the page too
    assert 'id="import-discarded"' in done and 'id="discard-form"' not in done and "Import now" not in done
    as_registrar.post(reverse("registry:import_commit", args=[imp.pk]))
    assert not CreditDeposit.objects.exists()  # a discarded file is not imported after all
    listed = as_registrar.get(reverse("registry:imports")).content.decode()
    assert "ไม่นำเข้า (ยกเลิก)" in listed
    home = as_registrar.get("/").content.decode().split('id="recent-imports"', 1)[1]
    assert "ไม่นำเข้า (ยกเลิก)" in home and "ใหม่" not in home.split("</li>", 1)[0]  # it had said "1 new"


def test_the_same_file_uploaded_again_says_so_before_it_is_imported(as_registrar, registrar, school_course):
    """The same file uploaded twice (a second click, a copy sent by a colleague): both previews said 'add 1 deposit',
    the list showed two rows of the same name at the same minute, nothing said they were the same file."""
    data = csv_bytes(f"{A},นาย,สมชาย,ใจดี,,ท21101,,,3,2025-03-15,2567,1,")
    first, second = analyse(registrar, data), analyse(registrar, data)
    other = analyse(registrar, csv_bytes(f"{B},นาย,สมศักดิ์,ใจดี,,ท21101,,,3,2025-03-15,2567,1,"))
    page = as_registrar.get(reverse("registry:import_detail", args=[second.pk])).content.decode()
    said = page.split('id="same-file"', 1)[1][:600]
    assert f'href="{reverse("registry:import_detail", args=[first.pk])}"' in said and f"#{first.pk}" in said
    for alone in (first, other):  # the first of them, and another file, say nothing
        assert (
            'id="same-file"'
            not in as_registrar.get(reverse("registry:import_detail", args=[alone.pk])).content.decode()
        )
    as_registrar.post(reverse("registry:import_discard", args=[first.pk]))
    as_registrar.post(reverse("registry:import_discard", args=[second.pk]))
    third = analyse(registrar, data)  # the earlier copies were discarded, wrote nothing: nothing to warn of
    assert 'id="same-file"' not in as_registrar.get(reverse("registry:import_detail", args=[third.pk])).content.decode()


def test_a_wrong_file_imported_is_undone_in_one_step_and_its_deposits_are_listed_by_import(
    as_registrar, registrar, school_course
):
    """A file of the wrong term could only be undone by voiding each of its deposits one by one, and nothing led from
    the import to the deposits it wrote."""
    imp = analyse(registrar, csv_bytes(f"{A},นาย,สมชาย,ใจดี,,ท21101,,,3,2025-03-15,2567,1,",
                                       f"{B},นาย,สมศักดิ์,ใจดี,,ท21101,,,4,2025-03-15,2567,1,"))  # fmt: skip
    credit_import_commit(actor=registrar, import_id=imp.pk)
    other = CreditDeposit.objects.create(  # recorded by hand: not the import's
        learner=Learner.objects.get(national_id=A), course=school_course, grade="2", credits=school_course.credits,
        completed_on="2025-09-30", academic_year=2568, term=1, recorded_by=registrar, learning_type="formal",
    )  # fmt: skip
    url = reverse("registry:import_detail", args=[imp.pk])
    page = as_registrar.get(url).content.decode()
    listed = f"{reverse('registry:deposits')}?credit_import={imp.pk}"
    assert f'href="{listed}"' in page and 'id="undo-import"' in page
    deposits = as_registrar.get(listed).content.decode()
    assert deposits.count('href="/registry/deposits/') >= 2 and f'href="/registry/deposits/{other.pk}/"' not in deposits
    assert f"#{imp.pk}" in deposits.split('id="chosen-filters"', 1)[1][:600]  # the filter in use, said
    void = reverse("registry:import_void", args=[imp.pk])
    refused = as_registrar.post(void, {"reason": " "})
    assert refused.status_code == 400 and 'id="id_reason_error"' in refused.content.decode()
    assert CreditDeposit.objects.filter(status="active").count() == 3
    done = as_registrar.post(void, {"reason": "ไฟล์ผิดภาคเรียน ต้องเป็นภาค 2"}, follow=True).content.decode()
    assert "ยกเลิกรายการฝาก 2 รายการ" in done and 'id="undo-import"' not in done
    # The page says it was undone, by whom and why (it had read as a successful import); sent again, nothing to undo.
    assert "ไฟล์ผิดภาคเรียน ต้องเป็นภาค 2" in done.split('id="import-undone"', 1)[1].split("</div>", 1)[0]
    assert "ยกเลิกการนำเข้าแล้ว" in done.split('id="import-status">', 1)[1].split("</strong>", 1)[0]
    listed = as_registrar.get(reverse("registry:imports")).content.decode()  # the list says so too, not "imported"
    row = listed.split(f'href="{url}"', 1)[1].split("</tr>", 1)[0]
    assert "ยกเลิกการนำเข้าแล้ว" in row
    again = as_registrar.post(void, {"reason": "ไฟล์ผิดภาคเรียน ต้องเป็นภาค 2"}, follow=True).content.decode()
    assert "ไม่มีสิ่งใดให้ยกเลิก" in again and "ยกเลิกรายการฝาก 0 รายการ" not in again
    voided = CreditDeposit.objects.filter(credit_import=imp)
    assert {(d.status, d.void_reason, d.voided_by_id) for d in voided} == {
        ("voided", "ไฟล์ผิดภาคเรียน ต้องเป็นภาค 2", registrar.pk)
    }
    other.refresh_from_db()
    assert other.status == "active"  # the hand-recorded deposit stands


def test_a_file_not_imported_cannot_be_undone_and_its_page_says_why(as_registrar, registrar, school_course):
    imp = analyse(registrar, csv_bytes(f"{A},นาย,สมชาย,ใจดี,,ท21101,,,3,2025-03-15,2567,1,"))  # checked, not imported
    response = as_registrar.post(
        reverse("registry:import_void", args=[imp.pk]), {"reason": "ไฟล์ผิดภาคเรียน"}, follow=True
    )
    assert "ยกเลิกได้เฉพาะไฟล์ที่นำเข้าแล้วเท่านั้น" in response.content.decode()
    imp.refresh_from_db()
    assert imp.status == "previewed"
