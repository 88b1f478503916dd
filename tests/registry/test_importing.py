import datetime
import io
import os
import subprocess
import sys
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import DatabaseError
from django.utils import translation
from openpyxl import Workbook

from registry.importing.cells import level_from_code
from registry.importing.columns import COLUMNS, THAI_LABELS
from registry.importing.reading import ImportFileError
from registry.importing.writing import credit_import_analyse, credit_import_commit
from registry.message_codes import render_error, render_note
from registry.models import Course, CreditDeposit, CreditImport, Learner

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
GOOD = [
    "1101700207030,นาย,สมชาย,ใจดี,2008-05-14,ท21101,,,3.5,15/03/2568,2567,2,",
    "3100600445562,นางสาว,สุภา,ดีมาก,14/05/2551,ท21101,,,4,2025-03-15,2567,2,formal",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def csv_bytes(*rows, header=HEADER):
    return ("\n".join([header, *rows]) + "\n").encode()


def analyse(registrar, data, create_courses=False, name="credits.csv"):
    return credit_import_analyse(
        actor=registrar, institution=registrar.institution, data=data, filename=name, create_courses=create_courses
    )


def run(registrar, data, create_courses=False):
    imp = analyse(registrar, data, create_courses)
    if imp.status == CreditImport.Status.PREVIEWED:
        imp = credit_import_commit(actor=registrar, import_id=imp.pk)
    return imp


def errors_of(imp):
    """{(row, column): the message in Thai} of an import's report (the report keeps codes)."""
    with translation.override("th"):
        return {(r["row"], e[0]): render_error(e)[1] for r in imp.report for e in r["errors"]}


def test_a_good_file_registers_learners_and_records_every_row(registrar, school_course):
    imp = run(registrar, csv_bytes(*GOOD))
    assert imp.status == "committed" and imp.new_count == 2 and imp.learners_created == 2
    assert CreditDeposit.objects.filter(credit_import=imp).count() == 2
    learner = Learner.objects.get(national_id="3100600445562")
    assert learner.birth_date == datetime.date(2008, 5, 14)  # 14/05/2551 is B.E.
    assert learner.registered_by_institution == registrar.institution
    deposit = CreditDeposit.objects.get(learner__national_id="1101700207030")
    assert deposit.completed_on == datetime.date(2025, 3, 15) and deposit.grade == "3.5"
    assert deposit.credits == school_course.credits and deposit.recorded_by == registrar


def test_a_header_of_the_thai_labels_alone_is_read(registrar, school_course):
    """A registrar who kept only the Thai half of the template's header ("เลขประจำตัวประชาชน", not
    "national_id (เลขประจำตัวประชาชน)") was told the header lacked columns named by keys they never typed."""
    thai_header = ",".join(THAI_LABELS[key] for key in COLUMNS)
    imp = run(registrar, csv_bytes(*GOOD, header=thai_header))
    assert imp.status == "committed" and imp.new_count == 2
    with pytest.raises(ImportFileError) as refused, translation.override("th"):
        analyse(registrar, csv_bytes(*GOOD, header=thai_header.replace("ผลการเรียน", "ผล")))
    assert "grade (ผลการเรียน)" in str(refused.value)


def test_importing_the_same_file_again_adds_nothing_and_reports_duplicates(registrar, school_course):
    run(registrar, csv_bytes(*GOOD))
    again = run(registrar, csv_bytes(*GOOD))
    assert again.status == "committed" and again.new_count == 0 and again.duplicate_count == 2
    assert CreditDeposit.objects.count() == 2
    assert CreditImport.objects.count() == 2  # each import is kept


def test_a_file_sent_again_with_another_grade_says_the_registry_holds_a_different_one_and_how_to_correct_it(
    registrar, school_course
):
    """A corrected grade sent again was reported as "already recorded": the registrar believed the correction went in,
    and the ledger kept the old grade without a word. Then as a note on a duplicate: the file's summary still read
    "nothing new, no errors". It is an error of the row, which says both ways to put it right."""
    run(registrar, csv_bytes(*GOOD))
    recorded = CreditDeposit.objects.get(learner__national_id="1101700207030")
    again = analyse(registrar, csv_bytes(GOOD[0].replace(",3.5,", ",4,"), GOOD[1]))
    assert again.new_count == 0 and again.duplicate_count == 1 and again.error_count == 1
    with translation.override("th"):
        column, words = render_error(again.report[0]["errors"][0])
    assert column == "grade" and "3.5" in words and "4" in words and f"#{recorded.pk}" in words
    assert "ยกเลิก" in words and "นำแถวนี้ออก" in words
    assert CreditDeposit.objects.get(pk=recorded.pk).grade == "3.5"  # a file never edits the ledger


def test_two_rows_of_one_file_giving_one_result_two_grades_is_an_error_naming_the_other_row(registrar, school_course):
    """The second was counted as "repeated in the file" and the first imported: which grade is right went unasked."""
    again = analyse(registrar, csv_bytes(GOOD[0], GOOD[0].replace(",3.5,", ",๔,")))
    assert again.new_count == 1 and again.error_count == 1
    with translation.override("th"):
        column, words = render_error(again.report[1]["errors"][0])
    assert column == "grade" and "แถว 2" in words and "3.5" in words and "ให้ 4" in words
    same = analyse(registrar, csv_bytes(GOOD[0], GOOD[0]))  # the same grade twice: a repeat, skipped
    assert same.new_count == 1 and same.duplicate_count == 1 and same.error_count == 0


def test_a_course_passed_again_in_another_term_is_imported_and_said_to_count_once(registrar, school_course):
    run(registrar, csv_bytes(GOOD[0]))
    retake = GOOD[0].replace(",3.5,15/03/2568,2567,2,", ",4,30/09/2568,2568,1,")
    imp = analyse(registrar, csv_bytes(retake))
    assert imp.new_count == 1
    with translation.override("th"):
        note = render_note(imp.report[0]["notes"][0])
    assert "ผ่านรายวิชานี้เช่นกัน" in note and "2567/2" in note and "3.5" in note


def test_a_file_sent_again_does_not_bring_back_a_deposit_voided_as_wrong(registrar, school_course):
    """A registrar voided a deposit whose grade was wrong, then sent the term's file again: the voided deposit came
    back with the wrong grade, the preview saying only that one deposit would be added. Now the same grade is not
    added again, and says why; the corrected grade is added and says what it replaces."""
    from registry.services import deposit_void

    run(registrar, csv_bytes(*GOOD))
    wrong = CreditDeposit.objects.get(learner__national_id="1101700207030")
    deposit_void(actor=registrar, deposit_id=wrong.pk, reason="กรอกผลการเรียนผิด ที่ถูกคือ 4")
    again = run(registrar, csv_bytes(*GOOD))
    assert again.new_count == 0 and again.duplicate_count == 2
    assert not CreditDeposit.objects.active().filter(learner__national_id="1101700207030").exists()
    with translation.override("th"):
        notes = {r["row"]: render_note(r["notes"][0], done=True) for r in again.report}
    assert "ยกเลิก" in notes[2] and "กรอกผลการเรียนผิด ที่ถูกคือ 4" in notes[2] and "3.5" in notes[2]
    corrected = run(registrar, csv_bytes(GOOD[0].replace(",3.5,", ",4,")))
    assert corrected.new_count == 1
    assert CreditDeposit.objects.active().get(learner__national_id="1101700207030").grade == "4"
    with translation.override("th"):
        note = render_note(corrected.report[0]["notes"][-1], done=True)
    assert "3.5" in note and "กรอกผลการเรียนผิด" in note


def test_one_bad_row_rejects_the_whole_file_and_names_the_row_and_column(registrar, school_course):
    imp = run(registrar, csv_bytes(GOOD[0], "3100600445562,นางสาว,สุภา,ดีมาก,,ท21101,,,B+,2025-03-15,2567,2,"))
    assert imp.status == "rejected" and imp.error_count == 1
    message = errors_of(imp)[(3, "grade")]  # header is row 1
    assert "B+" in message and "การศึกษาขั้นพื้นฐาน" in message
    assert not CreditDeposit.objects.exists() and not Learner.objects.exists()
    bad_id = run(registrar, csv_bytes("1101700207031,นาย,ไม่มี,ตัวตน,,ท21101,,,3,2025-03-15,2567,2,"))
    assert bad_id.report[0]["learner_name"] == "นายไม่มี ตัวตน"  # whose ID to retype, as the row names them


@pytest.mark.parametrize(
    "row, column",
    [
        ("1101700207031,นาย,ก,ข,,ท21101,,,3,2025-03-15,2567,2,", "national_id"),  # check digit
        ("G12345,นาย,ก,ข,,ท21101,,,3,2025-03-15,2567,2,", "national_id"),
        ("1101700207030,นาย,ก,ข,,ท21101,,,3,2099-03-15,2567,2,", "completed_on"),
        ("1101700207030,นาย,ก,ข,,ท21101,,,3,31/02/2568,2567,2,", "completed_on"),
        ("1101700207030,นาย,ก,ข,,ท21101,,,3,2025-03-15,2025,2,", "academic_year"),
        ("1101700207030,นาย,ก,ข,,ท21101,,,3,2025-03-15,2567,5,", "term"),
        ("1101700207030,นาย,ก,ข,,ท21101,,,3,2025-03-15,2567,2,online", "learning_type"),
        ("1101700207030,,ก,ข,,ท21101,,,3,2025-03-15,2567,2,", "prefix"),
        ("1101700207030,นาย,ก,ข,,ท21101,,0,3,2025-03-15,2567,2,", "credits"),
        ("1101700207030,นาย,ก,ข,,ท21101,,-1,3,2025-03-15,2567,2,", "credits"),
        ("1101700207030,นาย,ก,ข,,ZZ999,,,3,2025-03-15,2567,2,", "course_code"),
        ('1101700207030,นาย,=HYPERLINK("http://x"),ข,,ท21101,,,3,2025-03-15,2567,2,', "first_name"),
        ("1101700207030,นาย,@SUM(A1),ข,,ท21101,,,3,2025-03-15,2567,2,", "first_name"),
    ],
)
def test_bad_rows_are_refused_with_a_thai_message_and_nothing_written(registrar, school_course, row, column):
    imp = run(registrar, csv_bytes(row))
    errors = errors_of(imp)
    assert (2, column) in errors, errors
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in errors[(2, column)])  # a Thai message
    assert imp.status == "rejected"
    assert not CreditDeposit.objects.exists() and not Learner.objects.exists()


def test_zero_width_characters_in_names_are_removed(registrar, school_course):
    run(registrar, csv_bytes("1101700207030,นาย,สม\u200bชาย,ใจ\u200dดี,,ท21101,,,3,2025-03-15,2567,2,"))
    learner = Learner.objects.get()
    assert (learner.first_name, learner.last_name) == ("สมชาย", "ใจดี")


def test_a_different_surname_for_a_known_learner_is_reported_and_not_overwritten(
    registrar, school_course, learner_user
):
    learner = learner_user.learner
    imp = run(
        registrar, csv_bytes(f"{learner.national_id},นาง,{learner.first_name},สกุลใหม่,,ท21101,,,3,2025-03-15,2567,1,")
    )
    assert imp.status == "committed"
    with translation.override("th"):
        assert "สกุลใหม่" in " ".join(render_note(n) for n in imp.report[0]["notes"])
    learner.refresh_from_db()
    assert learner.last_name == "ใจดี"
    assert CreditDeposit.objects.get().learner == learner


def test_a_row_naming_someone_else_than_its_id_is_refused(registrar, school_course, learner_user):
    """Neither name is the registry's: most likely a mistyped ID. Nothing is credited to the ID's owner; the
    error beside the ID names both, and says what to do."""
    learner = learner_user.learner
    imp = run(registrar, csv_bytes(f"{learner.national_id},นาย,สมศักดิ์,ผิดชื่อ,,ท21101,,,3,2025-03-15,2567,1,"))
    assert imp.status == "rejected" and not CreditDeposit.objects.exists()
    message = errors_of(imp)[(2, "national_id")]
    assert "สมศักดิ์ ผิดชื่อ" in message and f"{learner.first_name} {learner.last_name}" in message
    assert "ตรวจเลขประจำตัว" in message
    assert imp.report[0]["learner_name"] == "สมศักดิ์ ผิดชื่อ"  # listed under the names it gives, not the ID's owner
    learner.first_name_en, learner.last_name_en = "Supaporn", "Jaidee"
    learner.save()
    english = f"{learner.national_id},Miss,supaporn,JAIDEE,,ท21101,,,3,2025-03-15,2567,1,"
    assert run(registrar, csv_bytes(english)).status == "committed"  # the English name on record: the same person


def test_unknown_courses_are_added_only_when_confirmed(registrar):
    row = "1101700207030,นาย,ก,ข,,ท31105,ภาษาไทยเพิ่มเติม,1.0,3,2025-03-15,2567,2,"
    refused = run(registrar, csv_bytes(row))
    assert refused.status == "rejected" and (2, "course_code") in errors_of(refused)
    assert refused.report[0]["grade"] == "3"  # the preview shows the grade typed, though the course is unknown
    assert not Course.objects.exists()
    done = run(registrar, csv_bytes(row), create_courses=True)
    assert done.status == "committed" and done.courses_created == 1
    course = Course.objects.get(code="ท31105")
    assert course.level == "upper_secondary" and course.credits == Decimal("1.0")
    assert course.institution == registrar.institution


def test_a_new_course_takes_its_level_from_its_code_and_institution(school, college):
    assert level_from_code("ท31101", school) == "upper_secondary"
    assert level_from_code("ค21101", school) == "lower_secondary"
    assert level_from_code("ว11101", school) == "primary"
    assert level_from_code("20000-1101", college) == "voc_cert"
    assert level_from_code("30000-1101", college) == "high_voc"
    assert level_from_code("X-99", college) == "voc_cert"


def test_the_same_row_twice_in_one_file_is_a_duplicate(registrar, school_course):
    imp = run(registrar, csv_bytes(GOOD[0], GOOD[0]))
    assert imp.new_count == 1 and imp.duplicate_count == 1 and CreditDeposit.objects.count() == 1


def test_xlsx_with_dates_numbers_and_thai_header_labels(registrar, school_course):
    wb = Workbook()
    ws = wb.active
    ws.append([f"{key} ({THAI_LABELS[key]})" for key in COLUMNS])
    ws.append([1101700207030, "นาย", "สมชาย", "ใจดี", datetime.date(2008, 5, 14), "ท21101", None, None, 3.5,
               datetime.datetime(2025, 3, 15), 2567, 2, None])  # fmt: skip
    ws.append([3100600445562, "นาย", "ก", "ข", None, "ท21101", None, None, "=4", "2025-03-15", 2567, 2, None])
    buffer = io.BytesIO()
    wb.save(buffer)
    imp = run(registrar, buffer.getvalue())
    assert imp.file_format == "xlsx"
    assert errors_of(imp).keys() == {(3, "grade")}  # the formula cell, on spreadsheet row 3


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4 not a spreadsheet",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"PK\x03\x04 a zip that is not xlsx",
        b"just,some,columns\n1,2,3\n",
    ],
)
def test_a_file_that_is_not_a_credits_spreadsheet_is_refused(registrar, data):
    with pytest.raises(ImportFileError):
        analyse(registrar, data)
    assert not CreditImport.objects.exists()


def test_a_database_error_in_the_middle_of_an_import_leaves_nothing(registrar, school_course, monkeypatch):
    imp = analyse(registrar, csv_bytes(*GOOD))
    real_bulk_create = CreditDeposit.objects.bulk_create

    def failing_bulk_create(objs, *args, **kwargs):
        real_bulk_create(objs[:1], *args, **kwargs)  # half written ...
        raise DatabaseError("disk full")  # ... then the database fails

    monkeypatch.setattr(CreditDeposit.objects, "bulk_create", failing_bulk_create)
    with pytest.raises(DatabaseError):
        credit_import_commit(actor=registrar, import_id=imp.pk)
    assert not CreditDeposit.objects.exists() and not Learner.objects.exists()
    imp.refresh_from_db()
    assert imp.status == "previewed"


def test_command_imports_dry_runs_and_rejects_with_exit_codes(registrar, school_course, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(*GOOD))
    call_command("import_credits", str(good), "--institution", registrar.institution.code, "--dry-run")
    assert not CreditDeposit.objects.exists()
    call_command("import_credits", str(good), "--institution", registrar.institution.code)
    assert CreditDeposit.objects.count() == 2
    call_command("import_credits", str(good), "--institution", registrar.institution.code)  # all duplicates: exit 0
    assert "0 new, 2 duplicate" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(GOOD[0], "1101700207031,นาย,ก,ข,,ท21101,,,3,2025-03-15,2567,1,"))
    with pytest.raises(SystemExit) as exc:
        call_command("import_credits", str(bad), "--institution", registrar.institution.code)
    assert exc.value.code == 1
    assert "row 3, national_id" in capsys.readouterr().err
    assert CreditDeposit.objects.count() == 2


def test_command_is_a_real_cli_with_exit_status_1_on_rejection(tmp_path):
    from django.db import connection

    db = connection.settings_dict
    url = f"postgresql://{db['USER']}@{quote(db['HOST'] or '', safe='')}:{db['PORT'] or 5432}/{db['NAME']}"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    env = {**os.environ, "DATABASE_URL": url}
    unknown = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "import_credits", str(bad), "--institution", "NOPE"],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    assert unknown.returncode == 1 and "NOPE" in unknown.stderr


def test_the_preview_says_what_a_new_course_will_be(registrar):
    """A new course's level is worked out from its code: the preview says it (and its credits and learning type), in
    the reader's language, so a wrong one is caught before the course has deposits and can no longer change."""
    row = "1101700207030,นาย,ก,ข,,ท31105,ภาษาไทยเพิ่มเติม,1.0,3,2025-03-15,2567,2,"
    imp = analyse(registrar, csv_bytes(row), create_courses=True)
    [note] = [n for n in imp.report[0]["notes"] if n[0] == "course_new_at_level"]
    with translation.override("en"):
        assert render_note(note) == (
            "New course ท31105 will be added to the catalogue: upper secondary, 1 credit, formal. If that is not "
            "right, add the course on the Courses page first, then upload the file again."
        )
    with translation.override("th"):
        assert "มัธยมศึกษาตอนปลาย" in render_note(note) and "1 หน่วยกิต" in render_note(note)
    imp = credit_import_commit(actor=registrar, import_id=imp.pk)
    [note] = [n for n in imp.report[0]["notes"] if n[0] == "course_new_at_level"]
    with translation.override("en"):
        assert render_note(note, done=True).startswith(
            "New course ท31105 was added to the catalogue: upper secondary, 1 credit, formal."
        )
