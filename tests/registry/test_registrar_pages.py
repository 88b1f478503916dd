import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from registry.models import Course, CreditDeposit, CreditImport, DepositEvidence, Learner
from registry.selectors import PAGE_SIZE
from tests.factories import CourseFactory, DepositFactory, LearnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def as_registrar(client, registrar):
    client.force_login(registrar)
    return client


def html(response):
    return response.content.decode()


# Learners -----------------------------------------------------------------------------------------------------

LEARNER = {
    "id_type": "citizen",
    "national_id": "1-1017-00207-03-0",
    "prefix": "mr",
    "first_name": "สมชาย",
    "last_name": "ใจดี",
    "birth_date": "14/05/2551",
}


def test_registrar_registers_a_learner_with_a_checked_id(as_registrar, registrar):
    response = as_registrar.post(reverse("registry:learner_new"), LEARNER)
    learner = Learner.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("registry:learner_detail", args=[learner.pk])
    assert learner.national_id == "1101700207030" and learner.birth_date.year == 2008
    assert learner.registered_by_institution == registrar.institution


def test_an_id_typed_in_thai_digits_is_the_same_id(as_registrar, other_deposit):
    """It had been refused as having a wrong check digit, on the learner form and in the search alike."""
    response = as_registrar.post(reverse("registry:learner_new"), {**LEARNER, "national_id": "๑-๑๐๑๗-๐๐๒๐๗-๐๓-๐"})
    assert response.status_code == 302 and Learner.objects.get(national_id="1101700207030")
    elsewhere = other_deposit.learner
    typed = elsewhere.national_id.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert elsewhere.full_name in html(as_registrar.post(reverse("registry:learners"), {"q": typed}))


def test_an_invalid_id_is_refused_next_to_the_field_and_what_was_typed_is_kept(as_registrar):
    response = as_registrar.post(reverse("registry:learner_new"), {**LEARNER, "national_id": "1101700207031"})
    page = html(response)
    assert response.status_code == 200 and "หลักตรวจสอบไม่ตรง" in page
    assert 'value="สมชาย"' in page and 'value="1101700207031"' in page
    assert not Learner.objects.exists()


def test_an_english_name_typed_in_thai_is_refused_beside_its_box(as_registrar):
    """It would print as the "English" name on every English page and transcript."""
    response = as_registrar.post(reverse("registry:learner_new"), {**LEARNER, "last_name_en": "ใจดี"})
    page = html(response)
    assert "พิมพ์เป็นตัวอักษรภาษาอังกฤษ" in page.split('id="id_last_name_en_error"', 1)[1].split("</div>", 1)[0]
    assert not Learner.objects.exists()
    typed = {**LEARNER, "first_name_en": "Somchai", "last_name_en": "Jaidée-O'Neil Jr."}  # both parts, as asked
    response = as_registrar.post(reverse("registry:learner_new"), typed)
    assert response.status_code == 302 and Learner.objects.get().last_name_en == "Jaidée-O'Neil Jr."


def test_an_english_name_typed_in_small_letters_is_kept_with_capitals(as_registrar):
    """Official English transcripts printed "Master somying thodlongdee"; the learner's own form already wrote it
    with capitals."""
    typed = {**LEARNER, "first_name_en": "somchai", "last_name_en": "jai-dee"}
    assert as_registrar.post(reverse("registry:learner_new"), typed).status_code == 302
    learner = Learner.objects.get()
    assert (learner.first_name_en, learner.last_name_en) == ("Somchai", "Jai-dee")


def test_a_g_code_must_have_its_form(as_registrar):
    response = as_registrar.post(
        reverse("registry:learner_new"), {**LEARNER, "id_type": "g_code", "national_id": "G12"}
    )
    assert "รหัส G ต้องขึ้นต้นด้วย" in html(response) and not Learner.objects.exists()


def test_the_same_id_is_the_same_learner_and_a_different_name_is_reported_not_saved(as_registrar):
    existing = LearnerFactory(national_id="1101700207030", first_name="สมหญิง", last_name="ใจงาม", prefix="miss")
    response = as_registrar.post(reverse("registry:learner_new"), LEARNER)
    page = html(response)
    assert response.status_code == 200 and 'id="existing-learner"' in page
    assert "สมชาย ใจดี" in page  # the name typed, reported as different
    existing.refresh_from_db()
    assert existing.first_name == "สมหญิง" and Learner.objects.count() == 1
    assert "1101700207030" not in response.request["PATH_INFO"]


def test_search_by_full_id_finds_any_learner_but_names_only_find_your_own(as_registrar, other_deposit):
    elsewhere = other_deposit.learner  # registered elsewhere, no deposits here
    found = html(as_registrar.post(reverse("registry:learners"), {"q": elsewhere.formatted_id}))
    assert elsewhere.full_name in found
    from registry.models import RecordAccess

    assert RecordAccess.objects.filter(learner=elsewhere, what="search_by_id").count() == 1
    by_name = html(as_registrar.post(reverse("registry:learners"), {"q": elsewhere.first_name[:3]}))
    assert elsewhere.full_name not in by_name
    own = LearnerFactory(
        first_name="กนกวรรณ", last_name="ศรีสุข", registered_by_institution=as_registrar_institution(as_registrar)
    )
    by_part = html(as_registrar.post(reverse("registry:learners"), {"q": "นกวรร"}))
    assert own.full_name in by_part


def test_an_id_with_a_wrong_check_digit_is_called_that_beside_the_search_box(as_registrar, other_deposit):
    typed = other_deposit.learner.national_id[:12] + str((int(other_deposit.learner.national_id[12]) + 1) % 10)
    page = html(as_registrar.post(reverse("registry:learners"), {"q": typed}))
    assert "หลักตรวจสอบไม่ตรง" in page and 'aria-invalid="true"' in page  # the check digit, not "no learner found"
    assert f'value="{typed}"' in page  # what was typed stays, to be corrected


def test_a_search_shows_what_it_found_and_a_way_back_to_every_learner(as_registrar):
    institution = as_registrar_institution(as_registrar)
    sought = LearnerFactory(first_name="กนกวรรณ", last_name="ศรีสุข", registered_by_institution=institution)
    other = LearnerFactory(first_name="ประเสริฐ", last_name="มั่นคง", registered_by_institution=institution)
    listed = html(as_registrar.get(reverse("registry:learners")))
    assert sought.full_name in listed and other.full_name in listed
    found = html(as_registrar.post(reverse("registry:learners"), {"q": "กนก"}))
    results = found.split('id="search-results"', 1)[1]
    assert sought.full_name in results and other.full_name not in found
    assert f'href="{reverse("registry:learners")}" id="all-learners"' in found


def test_a_name_copied_as_the_lists_write_it_finds_the_learner(as_registrar):
    """Lists write the Thai prefix joined to the first name (เด็กชายประเสริฐ เกิดผล) and the English one as a word
    (Master Prasert). Copied from a list into the search, the name found no one, and the page said to check the
    number and offered to register the learner again."""
    institution = as_registrar_institution(as_registrar)
    boy = LearnerFactory(
        prefix="boy", first_name="ประเสริฐ", last_name="เกิดผล", first_name_en="Prasert", last_name_en="Kerdphon",
        registered_by_institution=institution,
    )  # fmt: skip
    man = LearnerFactory(prefix="mr", first_name="ประเสริฐ", last_name="มั่นคง", registered_by_institution=institution)
    named = LearnerFactory(prefix="miss", first_name="นายิกา", last_name="ศรีสุข", registered_by_institution=institution)

    def found(q):
        page = html(as_registrar.post(reverse("registry:learners"), {"q": q}))
        results = page.split('id="search-results"', 1)[1] if 'id="search-results"' in page else ""
        return {learner.pk for learner in (boy, man, named) if f"/registry/learners/{learner.pk}/" in results}

    assert found(boy.full_name) == {boy.pk}  # "เด็กชายประเสริฐ เกิดผล", as every list writes it
    assert found("เด็กชาย ประเสริฐ") == {boy.pk}  # the prefix as a word of its own
    assert found("นายประเสริฐ") == {man.pk}  # a prefix narrows: the boy is not a นาย
    assert found("ด.ช.ประเสริฐ") == {boy.pk}  # the short form, as on paper
    assert found("Master Prasert") == {boy.pk}  # the English list's spelling
    assert found("ประเสริฐ") == {boy.pk, man.pk}
    assert found("นายิกา") == {named.pk}  # a name that begins like a prefix is still found by itself
    none = html(as_registrar.post(reverse("registry:learners"), {"q": "สมหมาย"}))
    said = none.split('id="search-results"', 1)[1][:400]
    assert "ตรวจตัวสะกด" in said and "ตรวจเลข" not in said  # a name was typed, not a number


def test_on_english_pages_learners_are_named_in_english_and_found_by_either_name(as_registrar):
    institution = as_registrar_institution(as_registrar)
    named = LearnerFactory(
        prefix="miss", first_name="กนกวรรณ", last_name="ศรีสุข", first_name_en="Kanokwan", last_name_en="Srisuk",
        registered_by_institution=institution,
    )  # fmt: skip
    thai_only = LearnerFactory(
        prefix="mr", first_name="ประเสริฐ", last_name="มั่นคง", registered_by_institution=institution
    )
    url = reverse("registry:learners")
    thai = html(as_registrar.get(url))
    assert "นางสาวกนกวรรณ ศรีสุข" in thai and "Kanokwan" not in thai
    as_registrar.post(reverse("set_language"), {"language": "en", "next": url})
    english = html(as_registrar.get(url))
    assert "Ms. Kanokwan Srisuk" in english and "กนกวรรณ" not in english
    assert "Mr. ประเสริฐ มั่นคง" in english and "นาย" not in english  # no English name recorded: the Thai one
    found = html(as_registrar.post(url, {"q": "kanok sri"})).split('id="search-results"', 1)[1]
    assert "Ms. Kanokwan Srisuk" in found and "ประเสริฐ" not in found
    detail = html(as_registrar.get(reverse("registry:learner_detail", args=[named.pk])))
    assert "<h1" in detail and "Ms. Kanokwan Srisuk</h1>" in detail and "นางสาวกนกวรรณ ศรีสุข" in detail  # both names
    assert thai_only.full_name_th == "นายประเสริฐ มั่นคง"


def as_registrar_institution(client):
    from registry.models import User

    return User.objects.get(username="registrar").institution


def test_learner_pages_show_masked_ids_only(as_registrar, deposit):
    page = html(as_registrar.get(reverse("registry:learner_detail", args=[deposit.learner_id])))
    assert deposit.learner.masked_id in page and deposit.learner.national_id not in page.replace(
        f'value="{deposit.learner.national_id}"', ""
    )


# Courses ------------------------------------------------------------------------------------------------------

COURSE = {"code": "ค21102", "title_th": "คณิตศาสตร์ 2", "credits": "1.5", "level": "lower_secondary",
          "learning_type": "formal", "hours": "60"}  # fmt: skip


def test_registrar_adds_and_edits_a_course(as_registrar, registrar):
    assert as_registrar.post(reverse("registry:course_new"), COURSE).status_code == 302
    course = Course.objects.get(code="ค21102")
    assert course.institution == registrar.institution
    response = as_registrar.post(reverse("registry:course_edit", args=[course.pk]), {**COURSE, "credits": "2.0"})
    assert response.status_code == 302
    course.refresh_from_db()
    assert str(course.credits) == "2.0"


def test_numbers_typed_in_thai_digits_are_read_and_number_boxes_take_them(as_registrar, registrar):
    """A number box (<input type="number">) sent nothing for ๑.๕: "fill this in", and what was typed was lost."""
    page = html(as_registrar.get(reverse("registry:course_new")))
    box = re.search(r'<input[^>]*name="credits"[^>]*>', page).group()
    assert 'type="text"' in box and 'inputmode="decimal"' in box and "step=" not in box
    hours = re.search(r'<input[^>]*name="hours"[^>]*>', page).group()
    assert 'inputmode="numeric"' in hours  # a whole number: the keypad without a decimal point
    typo = html(as_registrar.post(reverse("registry:course_new"), {**COURSE, "hours": "1.5"}))
    assert "กรอกเป็นจำนวนเต็ม" in typo.split('id="error_1_id_hours"', 1)[1][:300]  # Django's Thai: "enter a number"
    typed = {**COURSE, "credits": "๑.๕", "hours": "๖๐"}
    assert as_registrar.post(reverse("registry:course_new"), typed).status_code == 302
    course = Course.objects.get(code="ค21102")
    assert str(course.credits) == "1.5" and course.hours == 60
    # Its code in Thai digits is the same code: refused as taken (it had been saved as a second course).
    again = as_registrar.post(reverse("registry:course_new"), {**COURSE, "code": "ค๒๑๑๐๒"})
    assert "มีรายวิชารหัสนี้" in html(again) and Course.objects.filter(code__startswith="ค").count() == 1


# 1.25 had been answered "at most 1 decimal place"; text that is no number is answered with the rule too.
@pytest.mark.parametrize("credits", ["0", "-1", "1.3", "150", "1.25", "1000", "๑,๕", "1.5a"])
def test_course_credits_must_be_positive_half_steps(as_registrar, credits):
    response = as_registrar.post(reverse("registry:course_new"), {**COURSE, "credits": credits})
    said = html(response).split('id="error_1_id_credits"', 1)[1][:300]  # the error, not the help text below
    assert response.status_code == 200 and "ตั้งแต่ 0.5 ถึง 99 ทีละครึ่งหน่วยกิต" in said  # the whole rule
    assert not Course.objects.exists()


def test_a_course_with_deposits_keeps_its_credits_and_level_and_says_so(as_registrar, deposit):
    course = deposit.course
    url = reverse("registry:course_edit", args=[course.pk])
    page = html(as_registrar.get(url))
    assert "เพิ่มรายวิชาใหม่" in page and "disabled" in page
    data = {"code": course.code, "title_th": "ชื่อใหม่", "credits": "3.0", "level": "upper_secondary",
            "learning_type": "formal"}  # fmt: skip
    assert as_registrar.post(url, data).status_code == 302
    course.refresh_from_db()
    assert course.title_th == "ชื่อใหม่" and str(course.credits) == "1.5" and course.level == "lower_secondary"


# Deposits -----------------------------------------------------------------------------------------------------


def deposit_data(course, **extra):
    """A deposit form as sent after the page has named the learner whose ID was typed (registry/_deposit_learner)."""
    data = {"national_id": "1101700207030", "course": course.pk, "grade": "3.5", "completed_on": "15/03/2568",
            "academic_year": "2567", "term": "2"}  # fmt: skip
    data.update(extra)
    named = Learner.objects.filter(national_id=data["national_id"]).first()
    return {"confirm_learner": named.pk, **data} if named else data


@pytest.fixture
def somchai():
    return LearnerFactory(national_id="1101700207030", first_name="สมชาย")


def test_the_same_course_twice_in_a_term_is_said_once_beside_the_course_and_names_the_deposit(
    as_registrar, school_course, somchai
):
    as_registrar.post(reverse("registry:deposit_new"), deposit_data(school_course))
    first = CreditDeposit.objects.get()
    page = html(as_registrar.post(reverse("registry:deposit_new"), deposit_data(school_course, grade="4")))
    message = f"เลขที่ {first.pk}"
    assert page.count(message) == 2  # once beside the course, once in the summary linking to it
    assert 'href="#id_course"' in page.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert CreditDeposit.objects.count() == 1


def png_bytes(size=(40, 30), **save):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(buffer, format="PNG", **save)
    return buffer.getvalue()


def jpeg_with_gps():
    image = Image.new("RGB", (60, 40), (10, 120, 10))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (16.0, 26.0, 30.0)}  # GPSInfo: latitude in Phichit
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_recording_a_course_the_learner_already_passed_says_so_and_that_it_counts_once(
    as_registrar, school_course, somchai
):
    """The same course recorded again in another term was taken without a word (and, then, counted twice)."""
    as_registrar.post(reverse("registry:deposit_new"), deposit_data(school_course))
    page = html(as_registrar.post(reverse("registry:deposit_new"),
                                  deposit_data(school_course, academic_year="2568", term="1", completed_on="30/09/2568",
                                               grade="4"), follow=True))  # fmt: skip
    assert CreditDeposit.objects.count() == 2
    assert "ผ่านรายวิชานี้เช่นกัน" in page and "2567/2" in page
    other = CourseFactory(institution=school_course.institution)
    first = html(as_registrar.post(reverse("registry:deposit_new"), deposit_data(other), follow=True))
    assert "ผ่านรายวิชานี้เช่นกัน" not in first  # a course passed once says nothing


def test_registrar_records_a_deposit_with_evidence_stripped_of_gps(as_registrar, school_course, somchai):
    original = jpeg_with_gps()
    assert b"PhoneMaker" in original
    upload = SimpleUploadedFile("รูปถ่าย ใบประกาศ.jpg", original, content_type="image/jpeg")
    response = as_registrar.post(reverse("registry:deposit_new"), deposit_data(school_course, evidence=upload))
    deposit = CreditDeposit.objects.get()
    assert response.status_code == 302 and deposit.grade == "3.5" and deposit.learner == somchai
    evidence = DepositEvidence.objects.get()
    stored = evidence.file.read()
    assert b"PhoneMaker" not in stored and b"Exif" not in stored
    assert Image.open(io.BytesIO(stored)).getexif().get(0x8825) is None
    assert "ใบประกาศ" not in evidence.file.name and evidence.file.name.endswith(".jpg")
    served = as_registrar.get(reverse("registry:evidence_file", args=[deposit.pk, evidence.pk]))
    assert served.status_code == 200 and served["X-Content-Type-Options"] == "nosniff"


def test_the_page_after_recording_leads_back_to_the_learner_and_on_to_their_next_credit(
    client, as_registrar, school_course, somchai, learner_user
):
    """It was a dead end: the learner's name as plain text, and the void box the most prominent thing on it."""
    response = as_registrar.post(reverse("registry:deposit_new"), deposit_data(school_course), follow=True)
    page = html(response)
    assert f'href="{reverse("registry:learner_detail", args=[somchai.pk])}" id="to-learner"' in page
    assert f'id="record-another" href="{reverse("registry:deposit_new")}?learner={somchai.pk}"' in page
    mine = DepositFactory(learner=learner_user.learner, course=school_course)
    client.force_login(learner_user)
    page = html(client.get(reverse("registry:deposit_detail", args=[mine.pk])))
    assert f'href="{reverse("my_credits")}" id="to-my-credits"' in page and 'id="record-another"' not in page


def test_a_form_sent_back_says_the_evidence_file_must_be_chosen_again_and_what_a_missing_grade_needs(
    as_registrar, school_course, somchai
):
    """The file field came back empty without a word, and the corrected form was saved without the evidence."""
    upload = SimpleUploadedFile("ใบประกาศ.png", png_bytes(), content_type="image/png")
    data = deposit_data(school_course, completed_on="32/03/2568", evidence=upload)
    page = html(as_registrar.post(reverse("registry:deposit_new"), {**data, "grade": ""}))
    summary = page.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "ไม่ได้เก็บไฟล์ที่เลือกไว้" in summary
    assert "เลือกผลการเรียนที่ผู้เรียนได้" in summary  # not "fill in or choose this field"
    assert not CreditDeposit.objects.exists()


def test_a_grade_outside_the_courses_scale_is_refused_next_to_the_field(as_registrar, school_course, somchai):
    response = as_registrar.post(reverse("registry:deposit_new"), deposit_data(school_course, grade="B+"))
    page = html(response)
    assert response.status_code == 200 and "ไม่อยู่ในระบบผลการเรียนของการศึกษาขั้นพื้นฐาน" in page
    assert 'value="15/03/2568"' in page  # what was typed is kept
    assert not CreditDeposit.objects.exists()


def test_a_completion_date_in_the_future_is_refused(as_registrar, school_course, somchai):
    response = as_registrar.post(
        reverse("registry:deposit_new"), deposit_data(school_course, completed_on="01/01/2600")
    )
    assert "วันที่เรียนจบต้องไม่เป็นวันในอนาคต" in html(response) and not CreditDeposit.objects.exists()


def test_every_broken_deposit_rule_shows_at_once_next_to_its_field(as_registrar, school_course, somchai):
    future = deposit_data(school_course, grade="B+", completed_on="01/01/2600", academic_year="2700")
    page = html(as_registrar.post(reverse("registry:deposit_new"), future))
    assert "ไม่อยู่ในระบบผลการเรียน" in page and "วันที่เรียนจบต้องไม่เป็นวันในอนาคต" in page
    assert "ปีการศึกษา 2700 ยังไม่เริ่ม" in page
    assert page.count('aria-invalid="true"') >= 3 and not CreditDeposit.objects.exists()


def test_a_deposit_cannot_predate_its_academic_year_or_the_learners_birth(as_registrar, school_course):
    LearnerFactory(national_id="1101700207030", birth_date=datetime.date(2012, 11, 25))
    later_year = deposit_data(school_course, completed_on="15/03/2568", academic_year="2569")
    page = html(as_registrar.post(reverse("registry:deposit_new"), later_year))
    assert "ก่อนปีการศึกษา 2569 จะเริ่ม" in page and 'value="2569"' in page
    unborn = deposit_data(school_course, completed_on="15/03/2540", academic_year="2539")
    page = html(as_registrar.post(reverse("registry:deposit_new"), unborn))
    assert "ก่อนวันเกิดของผู้เรียน" in page
    assert not CreditDeposit.objects.exists()


def test_an_unregistered_or_invalid_id_is_refused(as_registrar, school_course):
    response = as_registrar.post(reverse("registry:deposit_new"), deposit_data(school_course))
    assert "ลงทะเบียนผู้เรียนก่อน" in html(response)
    response = as_registrar.post(reverse("registry:deposit_new"), deposit_data(school_course, national_id="123"))
    assert "13 หลัก" in html(response)
    assert not CreditDeposit.objects.exists()


def test_another_institutions_course_cannot_be_chosen(as_registrar, college_course, somchai):
    response = as_registrar.post(reverse("registry:deposit_new"), deposit_data(college_course, grade="3"))
    assert response.status_code == 200 and not CreditDeposit.objects.exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (10 * 1024 * 1024 + 1), "10 MB"),
        ("page.png", b"<html><script>alert(1)</script></html>", "JPEG"),
        ("doc.exe", b"MZ\x90\x00", "JPEG"),
        ("broken.png", b"\x89PNG\r\n\x1a\nnot really", "ไม่ใช่รูปภาพ"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_written(as_registrar, school_course, somchai, name, content, message):
    upload = SimpleUploadedFile(name, content)
    response = as_registrar.post(reverse("registry:deposit_new"), deposit_data(school_course, evidence=upload))
    assert response.status_code == 200 and message in html(response)
    assert not CreditDeposit.objects.exists() and not DepositEvidence.objects.exists()


def test_a_decompression_bomb_is_refused(as_registrar, school_course, somchai):
    bomb = png_bytes(size=(9000, 9000), optimize=True)  # 81 megapixels of one colour: a few hundred KB
    assert len(bomb) < 10 * 1024 * 1024
    upload = SimpleUploadedFile("bomb.png", bomb)
    response = as_registrar.post(reverse("registry:deposit_new"), deposit_data(school_course, evidence=upload))
    assert "40 ล้านพิกเซล" in html(response) and not CreditDeposit.objects.exists()


def test_a_png_with_an_html_payload_is_stored_without_it(as_registrar, school_course, somchai):
    payload = png_bytes() + b"<html><script>alert('x')</script></html>"
    upload = SimpleUploadedFile("cert.png", payload)
    as_registrar.post(reverse("registry:deposit_new"), deposit_data(school_course, evidence=upload))
    stored = DepositEvidence.objects.get().file.read()
    assert stored.startswith(b"\x89PNG") and b"<script" not in stored


def test_a_pdf_is_accepted_by_its_first_bytes_and_downloaded_as_an_attachment(as_registrar, school_course, somchai):
    upload = SimpleUploadedFile("cert.pdf", b"%PDF-1.4\n%...\n%%EOF\n")
    as_registrar.post(reverse("registry:deposit_new"), deposit_data(school_course, evidence=upload))
    evidence = DepositEvidence.objects.get()
    response = as_registrar.get(reverse("registry:evidence_file", args=[evidence.deposit_id, evidence.pk]))
    assert evidence.content_type == "application/pdf" and "attachment" in response["Content-Disposition"]


def test_void_needs_a_reason_and_the_voided_deposit_stays_visible(as_registrar, deposit):
    url = reverse("registry:deposit_void", args=[deposit.pk])
    response = as_registrar.post(url, {"reason": "  "})
    assert response.status_code == 400
    deposit.refresh_from_db()
    assert deposit.status == "active"
    response = as_registrar.post(url, {"reason": "x"})  # a reason an auditor cannot read later
    assert response.status_code == 400 and "อย่างน้อย 5 ตัวอักษร" in html(response)
    assert as_registrar.post(url, {"reason": "บันทึกผิดภาคเรียน"}).status_code == 302
    deposit.refresh_from_db()
    assert deposit.status == "voided" and deposit.void_reason == "บันทึกผิดภาคเรียน"
    page = html(as_registrar.get(reverse("registry:deposits")))
    assert deposit.course.title_th in page and "ยกเลิกแล้ว" in page


def test_deposit_list_filters_searches_and_paginates(as_registrar, school_course, registrar):
    other_course = CourseFactory(institution=registrar.institution, code="ค21101", title_th="คณิตศาสตร์")
    target = LearnerFactory(first_name="ปวีณา", last_name="ทองดี")
    DepositFactory(course=other_course, learner=target, academic_year=2566)
    for _ in range(PAGE_SIZE + 5):  # one page and a few rows more
        DepositFactory(course=school_course, academic_year=2567)
    page = html(as_registrar.get(reverse("registry:deposits"), {"academic_year": "2566"}))
    assert "ปวีณา" in page and "1 รายการ" in page
    page = html(as_registrar.get(reverse("registry:deposits"), {"q": "ปวีณา ทอง"}))
    assert "ปวีณา" in page
    # Each learner's name opens their page (their record, other deposits, slips): it had been plain text.
    assert f'href="{reverse("registry:learner_detail", args=[target.pk])}"' in page
    page = html(as_registrar.get(reverse("registry:deposits"), {"course": school_course.pk}))
    assert "ปวีณา" not in page and "หน้า 1 จาก 2" in page
    # By its number, as messages name a deposit ("void #1313 first"): it had found nothing.
    hers = CreditDeposit.objects.get(learner=target)
    assert "ปวีณา" in html(as_registrar.get(reverse("registry:deposits"), {"q": str(hers.pk)}))
    page = html(as_registrar.get(reverse("registry:deposits"), {"q": f"#{hers.pk}"}))  # "#": the number alone
    assert "ปวีณา" in page and "1 รายการ" in page


def test_deposit_list_query_count_does_not_grow_with_the_data(
    as_registrar, school_course, django_assert_max_num_queries
):
    for _ in range(60):
        DepositFactory(course=school_course)
    with django_assert_max_num_queries(10):
        assert as_registrar.get(reverse("registry:deposits")).status_code == 200


def test_the_course_filter_offers_only_the_institutions_courses_and_names_the_chosen_one(
    as_registrar, school_course, registrar, django_assert_max_num_queries
):
    elsewhere = CourseFactory(code="ว99999", title_th="วิชาของที่อื่น")
    ours = DepositFactory(course=school_course)
    page = html(as_registrar.get(reverse("registry:deposits")))
    assert f'<option value="{school_course.pk}">{school_course.code} {school_course.title_th}</option>' in page
    assert "วิชาของที่อื่น" not in page
    with django_assert_max_num_queries(6):  # as many as the list without a filter: the choices are read once
        page = html(as_registrar.get(reverse("registry:deposits"), {"course": school_course.pk}))
    chips = page.split('id="chosen-filters"', 1)[1].split("</div>", 1)[0]
    assert f"{school_course.code} {school_course.title_th}" in chips
    assert f'<option value="{school_course.pk}" selected>' in page
    page = html(as_registrar.get(reverse("registry:deposits"), {"course": elsewhere.pk}))  # not ours: refused
    rows = page.split('id="deposit-list"', 1)[1]
    assert "วิชาของที่อื่น" not in page and ours.learner.full_name not in rows  # as any refused filter
    # Said in plain words beside the box (it said Django's "select a valid choice. 28 is not one of the choices").
    assert "รายวิชานี้ไม่อยู่ในหลักสูตรของท่าน" in page.split('id="id_course_error"', 1)[1][:200]


def test_a_year_typed_in_the_common_era_is_answered_with_the_buddhist_era_year_to_type(as_registrar, school_course):
    """2026 in the academic-year box found nothing, and said nothing: academic years are kept in B.E."""
    DepositFactory(course=school_course, academic_year=2569)
    page = html(as_registrar.get(reverse("registry:deposits"), {"academic_year": "2026"}))
    assert "พิมพ์ 2569" in page.split('id="id_academic_year_error"', 1)[1][:200]


def test_the_deposit_form_answers_a_year_typed_short_or_in_the_common_era_with_the_year_to_type(
    as_registrar, school_course, somchai
):
    """The form said "type the academic year in B.E., for example 2566" to 2025 and to 68 alike, an example three
    years old: the deposit list's filter already said which year to type."""
    page = html(as_registrar.get(reverse("registry:deposit_new")))
    assert re.search(r'<input type="text" name="academic_year"', page)  # a number box had dropped text and Thai digits
    for typed, expected in (("2025", "พิมพ์ 2568"), ("68", "พิมพ์ 2568"), ("ปี", "เช่น 2"), ("2568e", "เช่น 2")):
        response = as_registrar.post(reverse("registry:deposit_new"), deposit_data(school_course, academic_year=typed))
        page = html(response)
        assert expected in page.split('id="id_academic_year_error"', 1)[1][:300], typed
        assert not CreditDeposit.objects.exists()
    as_registrar.post(reverse("registry:deposit_new"), deposit_data(school_course, academic_year="๒๕๖๗"))
    assert CreditDeposit.objects.get().academic_year == 2567  # Thai digits, as some keyboards type them


def test_a_short_year_is_answered_and_a_refused_filter_lists_and_exports_nothing(as_registrar, school_course):
    """66 (ปี 66, as people say it) was answered 'for 66, type 609', and the list and its exports went on to hold every
    deposit, under a box that still said 66."""
    DepositFactory(course=school_course, academic_year=2566)
    DepositFactory(course=school_course, academic_year=2567)
    page = html(as_registrar.get(reverse("registry:deposits"), {"academic_year": "66"}))
    assert "พิมพ์ 2566" in page.split('id="id_academic_year_error"', 1)[1][:200]
    rows = page.split('id="deposit-list"', 1)[1].split("</table>", 1)[0]
    assert "2566/" not in rows and "2567/" not in rows  # not every deposit
    assert "แก้ตัวกรองด้านบน" in page.split('id="deposit-count"', 1)[1][:200]  # not "0 deposits match"
    box = re.search(r'<input[^>]*name="academic_year"[^>]*>', page).group(0)
    assert "is-invalid" in box  # outlined as a field in error
    assert 'id="export-csv"' not in page  # nothing to export until the filter is right
    export = as_registrar.get(reverse("registry:deposits_export", args=["csv"]), {"academic_year": "66"})
    assert export.status_code == 302 and export["Location"] == reverse("registry:deposits") + "?academic_year=66"
    this_year = timezone.localdate().year + 543
    for typed in ("25688", "123", "2567.5"):
        page = html(as_registrar.get(reverse("registry:deposits"), {"academic_year": typed}))
        assert f"เช่น {this_year}" in page.split('id="id_academic_year_error"', 1)[1][:300]


def test_exports_neutralise_formulas(as_registrar, school_course):
    learner = LearnerFactory(first_name='=HYPERLINK("http://evil")', last_name="+1-2")
    DepositFactory(course=school_course, learner=learner)
    csv_text = as_registrar.get(reverse("registry:deposits_export", args=["csv"])).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'+1-2" in csv_text
    xlsx = as_registrar.get(reverse("registry:deposits_export", args=["xlsx"])).content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert '\'=HYPERLINK("http://evil")' in cells and not any(isinstance(v, str) and v.startswith("=") for v in cells)


def test_export_holds_only_the_registrars_institution(as_registrar, deposit, other_deposit):
    text = as_registrar.get(reverse("registry:deposits_export", args=["csv"])).content.decode("utf-8-sig")
    assert deposit.learner.formatted_id in text and other_deposit.learner.formatted_id not in text


def test_the_export_speaks_the_registrars_language_with_iso_columns_for_programs(
    as_registrar, registrar, school_course
):
    """Thai headers and words on a Thai export, B.E. dates with an ISO 8601 column beside them; English when the
    registrar chose English. The identifier keeps its dashes, so a spreadsheet does not turn it into 1.23E+12."""
    deposit = DepositFactory(
        course=school_course, recorded_by=registrar, completed_on=datetime.date(2025, 3, 15), credits="1.5"
    )
    url = reverse("registry:deposits_export", args=["csv"])
    rows = list(csv.reader(io.StringIO(as_registrar.get(url).content.decode("utf-8-sig"))))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["เลขประจำตัว"] == deposit.learner.formatted_id
    assert row["วันที่เรียนจบ"] == "15 มีนาคม 2568" and row["วันที่เรียนจบ (ISO 8601)"] == "2025-03-15"
    assert row["รูปแบบการเรียนรู้"] == "ในระบบ" and row["สถานะ"] == "ใช้งาน" and row["หน่วยกิต"] == "1.5"
    assert not any(key.isascii() and "ISO" not in key for key in rows[0])  # no English header on a Thai export
    xlsx = load_workbook(io.BytesIO(as_registrar.get(reverse("registry:deposits_export", args=["xlsx"])).content))
    sheet = list(xlsx.active.iter_rows(values_only=True))
    assert sheet[1][sheet[0].index("หน่วยกิต")] == 1.5  # a number, which a spreadsheet adds up
    # Opens readable: a named sheet, the header kept in view, date columns wide enough not to show ######.
    assert xlsx.active.title == "รายการฝาก" and xlsx.active.freeze_panes == "A2"
    assert xlsx.active.column_dimensions["J"].width >= 20  # completed on (ISO 8601)

    registrar.language = "en"
    registrar.save(update_fields=["language"])
    rows = list(csv.reader(io.StringIO(as_registrar.get(url).content.decode("utf-8-sig"))))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["completed on"] == "15 March 2025" and row["learning type"] == "Formal"


# Imports ------------------------------------------------------------------------------------------------------


def test_import_page_previews_then_commits(as_registrar, school_course):
    data = (
        "national_id,prefix,first_name,last_name,course_code,grade,completed_on,academic_year,term\n"
        "1101700207030,นาย,สมชาย,ใจดี,ท21101,3,15/03/2568,2567,2\n"
    ).encode()
    response = as_registrar.post(reverse("registry:imports"), {"file": SimpleUploadedFile("a.csv", data)})
    imp = CreditImport.objects.get()
    assert response["Location"] == reverse("registry:import_detail", args=[imp.pk])
    assert imp.status == "previewed" and not CreditDeposit.objects.exists()
    page = html(as_registrar.get(response["Location"]))
    assert "นำเข้าตอนนี้" in page
    # The messages cell holds its messages and nothing else: a row with none is then :empty, hidden on a phone rather
    # than an empty "ข้อความ:" label (the cell had held the line break between its two lists).
    row = page.split('id="import-rows"', 1)[1].split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert 'data-label="ข้อความ"><div class="small">ผู้เรียนใหม่' in row
    as_registrar.cookies["django_language"] = "en"
    registrar = CreditImport.objects.get().uploaded_by
    registrar.language = "en"
    registrar.save(update_fields=["language"])
    english = html(as_registrar.get(response["Location"]))
    assert 'data-label="Result">New</td>' in english  # capitalised as the other cells' words are
    registrar.language = "th"
    registrar.save(update_fields=["language"])
    assert "วิไลวรรณ" in page  # who uploaded it, by name as everywhere else
    as_registrar.post(reverse("registry:import_commit", args=[imp.pk]))
    imp.refresh_from_db()
    assert imp.status == "committed" and CreditDeposit.objects.count() == 1
    history = html(as_registrar.get(reverse("registry:imports")))
    assert "วิไลวรรณ" in history
    # On a phone each import is a card whose cells are named: the errors and duplicates were hidden there.
    rows = history.split('id="import-list"', 1)[1]
    assert 'stacks-on-phones" id="import-list"' in history and 'data-label="ผิดพลาด"' in rows and "d-none" not in rows
    again = as_registrar.post(reverse("registry:imports"), {"file": SimpleUploadedFile("a.csv", data)})
    header = html(as_registrar.get(again["Location"])).split('id="import-status">', 1)[1].split("</strong>", 1)[0]
    assert "ไม่มีรายการใหม่" in header  # the same rows again: nothing new, not "previewed, waiting to confirm"


def test_an_empty_required_field_says_to_fill_it_in(as_registrar):
    page = html(as_registrar.post(reverse("registry:deposit_new"), {"grade": ""}))  # as a browser sends it, blank
    assert "กรุณากรอกหรือเลือกข้อมูลในช่องนี้" in page and "ฟิลด์นี้จำเป็น" not in page


@pytest.mark.parametrize(
    "name, data, says",
    [
        ("credits.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n", "CSV หรือ XLSX"),
        ("credits.xlsx", bytes(range(1, 256)) * 16, "CSV หรือ XLSX"),  # random bytes without a NUL
        ("credits.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "Excel รุ่นเก่า (.xls)"),
    ],
)
def test_a_file_that_is_no_spreadsheet_is_called_that_whatever_its_name(as_registrar, name, data, says):
    """Not 'the header misses columns' nor 'row 1 holds an unreadable character': what the file is, and what to do."""
    response = as_registrar.post(reverse("registry:imports"), {"file": SimpleUploadedFile(name, data)})
    page = html(response)
    assert response.status_code == 200 and says in page
    assert "ขาดคอลัมน์" not in page and "NUL" not in page and not CreditImport.objects.exists()


def test_import_page_refuses_a_file_that_is_not_a_spreadsheet(as_registrar):
    upload = SimpleUploadedFile("photo.csv", png_bytes())
    response = as_registrar.post(reverse("registry:imports"), {"file": upload})
    assert response.status_code == 200 and "CSV หรือ XLSX" in html(response)
    assert not CreditImport.objects.exists()


def test_new_courses_need_the_confirmation_box(as_registrar):
    data = (
        "national_id,prefix,first_name,last_name,course_code,course_title,credits,grade,completed_on,academic_year,term\n"
        "1101700207030,นาย,สมชาย,ใจดี,ท31105,ภาษาไทยเพิ่มเติม,1,3,15/03/2568,2567,2\n"
    ).encode()
    unticked = as_registrar.post(reverse("registry:imports"), {"file": SimpleUploadedFile("a.csv", data)})
    refused = html(as_registrar.get(unticked["Location"]))
    assert "อัปโหลดไฟล์อีกครั้งโดยทำเครื่องหมายที่ช่อง" in refused  # what to do: tick the box on the upload page
    as_registrar.post(reverse("registry:imports"), {"file": SimpleUploadedFile("a.csv", data), "create_courses": "on"})
    imp = CreditImport.objects.latest("pk")
    page = html(as_registrar.post(reverse("registry:import_commit", args=[imp.pk])))
    assert not Course.objects.exists()
    assert 'id="confirm-courses-error"' in page and 'aria-invalid="true"' in page  # beside the box, not a banner
    as_registrar.post(reverse("registry:import_commit", args=[imp.pk]), {"confirm_courses": "1"})
    assert Course.objects.get().code == "ท31105" and CreditDeposit.objects.count() == 1


def test_template_has_the_columns_in_order(as_registrar):
    response = as_registrar.get(reverse("registry:import_template", args=["csv"]))
    header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert [h.split(" ")[0] for h in header] == [
        "national_id", "prefix", "first_name", "last_name", "birth_date", "course_code", "course_title", "credits",
        "grade", "completed_on", "academic_year", "term", "learning_type",
    ]  # fmt: skip


def test_grade_options_follow_the_chosen_courses_scale(as_registrar, school_course, registrar):
    vocational = CourseFactory(institution=registrar.institution, code="20000-1101", level="voc_cert")
    basic = html(as_registrar.get(reverse("registry:grade_options"), {"course": school_course.pk}))
    assert (
        'value="3.5"' in basic and 'value="มส"' in basic and 'value="ข.ร."' not in basic and 'value="B+"' not in basic
    )
    kept = html(as_registrar.get(reverse("registry:grade_options"), {"course": vocational.pk, "grade": "3.5"}))
    assert '<option value="3.5" selected>' in kept
    voc = html(as_registrar.get(reverse("registry:grade_options"), {"course": vocational.pk}))
    assert 'value="ข.ร."' in voc and 'value="มส"' not in voc
    form = html(as_registrar.get(reverse("registry:deposit_new")))
    assert f'hx-get="{reverse("registry:grade_options")}"' in form
    # Enter in the course search searches (static/js/app.js, tested in the browser on the rule form): it used to
    # send the whole deposit form.
    assert re.search(r'<input[^>]*name="course_search"[^>]*data-search-only', form)


def test_before_a_course_is_chosen_the_grade_list_holds_only_the_scales_of_the_institutions_courses(
    as_registrar, school_course, registrar
):
    """A school's registrar saw a university's A to F and the vocational grades too, grouped by scale."""
    form = html(as_registrar.get(reverse("registry:deposit_new")))
    grades = form.split('id="id_grade"', 1)[1].split("</select>", 1)[0]
    assert 'value="มส"' in grades and 'value="B+"' not in grades and 'value="ข.ร."' not in grades
    assert "<optgroup" not in grades  # one scale: a plain list
    CourseFactory(institution=registrar.institution, code="20000-1101", level="voc_cert")
    grades = html(as_registrar.get(reverse("registry:deposit_new"))).split('id="id_grade"', 1)[1].split("</select>")[0]
    assert grades.count("<optgroup") == 2 and 'value="ข.ร."' in grades and 'value="B+"' not in grades


def test_importing_one_row_says_one_deposit_in_english(as_registrar, school_course):
    data = (
        "national_id,prefix,first_name,last_name,course_code,grade,completed_on,academic_year,term\n"
        "1101700207030,นาย,สมชาย,ใจดี,ท21101,3,15/03/2568,2567,2\n"
    ).encode()
    as_registrar.post(reverse("set_language"), {"language": "en", "next": "/"})
    as_registrar.post(reverse("registry:imports"), {"file": SimpleUploadedFile("a.csv", data)})
    imp = CreditImport.objects.latest("pk")
    page = html(as_registrar.post(reverse("registry:import_commit", args=[imp.pk]), follow=True))
    assert "Imported 1 new deposit." in page


@pytest.mark.parametrize(
    ("name", "selects"),
    [
        ("registry:deposits", {"term": "ทั้งหมด", "course": "ทั้งหมด", "learning_type": "ทั้งหมด", "status": "ทั้งหมด"}),
        ("registry:learner_new", {"id_type": "—", "prefix": "—"}),
        ("registry:course_new", {"level": "—", "learning_type": "—"}),
        ("transfers:rule_new", {"source_institution": "—", "target_institution": "—"}),
    ],
)
def test_an_empty_choice_says_what_it_means_not_dashes(as_registrar, name, selects):
    """Django's "---------": a filter left empty lists everything ("ทั้งหมด"); a form's empty choice is "—", as the
    deposit form's."""
    page = html(as_registrar.get(reverse(name)))
    assert "---------" not in page
    for select, first in selects.items():
        opening = page.split(f'name="{select}"', 1)[1].split("</option>", 1)[0]
        assert opening.endswith(f">{first}"), (select, opening)


def test_a_deposit_recorded_for_the_wrong_person_and_voided_gives_the_school_no_reach_to_that_person(
    client, registrar2, college_course, learner_user
):
    """A college typed a stranger's ID, recorded a course, voided it as a mistake: the learner's page, her official
    transcript and a password slip for her account had all stayed open to the college."""
    from registry.services import deposit_record, deposit_void

    learner = learner_user.learner
    client.force_login(registrar2)
    page_url = reverse("registry:learner_detail", args=[learner.pk])
    assert client.get(page_url).status_code == 404
    deposit = deposit_record(
        actor=registrar2, learner=learner, course=college_course, grade="3", academic_year=2568, term=1,
        completed_on=datetime.date(2025, 9, 30), credits=Decimal("1.0"),
    )  # fmt: skip
    assert client.get(page_url).status_code == 200  # while it holds her credits, she is the college's learner
    deposit_void(actor=registrar2, deposit_id=deposit.pk, reason="บันทึกผิดคน พิมพ์เลขประจำตัวผิด")
    assert client.get(page_url).status_code == 404
    # The voided deposit's own page no longer links to that learner (the links had led to a 404).
    own = client.get(reverse("registry:deposit_detail", args=[deposit.pk])).content.decode()
    assert page_url not in own and f"?learner={learner.pk}" not in own and 'id="record-another"' in own
    assert client.post(reverse("registry:activation_issue", args=[learner.pk])).status_code == 404
    assert client.post(reverse("transcripts:official", args=[learner.pk]), {"lang": "th"}).status_code == 404
    listed = client.get(reverse("registry:learners")).content.decode()
    assert learner.last_name not in listed


def test_each_edit_link_of_a_list_names_what_it_edits(client, registrar, provincial, school_course, school):
    """A screen reader's list of links read eleven "แก้ไข" with nothing to tell them apart."""
    client.force_login(registrar)
    page = client.get(reverse("registry:courses")).content.decode()
    link = page.split(f'href="{reverse("registry:course_edit", args=[school_course.pk])}">', 1)[1].split("</a>", 1)[0]
    assert school_course.code in link and "visually-hidden" in link
    client.force_login(provincial)
    page = client.get(reverse("registry:institutions")).content.decode()
    link = page.split(f'href="{reverse("registry:institution_edit", args=[school.pk])}">', 1)[1].split("</a>", 1)[0]
    assert school.name_th in link


def test_a_title_that_does_not_fit_the_learners_age_is_refused_beside_it_on_the_form_and_in_an_import(
    as_registrar, registrar, school_course
):
    """เด็กหญิง with a birth date of 2005 was accepted: the transcript printed a child's title for an adult."""
    from registry.importing.writing import credit_import_analyse

    adult = {**LEARNER, "prefix": "girl", "birth_date": "14/05/2548"}
    page = html(as_registrar.post(reverse("registry:learner_new"), adult))
    assert "อายุต่ำกว่า 15 ปี" in page.split('id="id_prefix_error"', 1)[1].split("</div>", 1)[0]
    assert 'value="14/05/2548"' in page and not Learner.objects.exists()  # what was typed, kept
    child = {**LEARNER, "prefix": "mr", "birth_date": timezone.localdate().replace(year=timezone.localdate().year - 10)}
    child["birth_date"] = child["birth_date"].strftime("%d/%m/") + str(child["birth_date"].year + 543)
    page = html(as_registrar.post(reverse("registry:learner_new"), child))
    assert "ต่ำกว่า 15 ปี" in page.split('id="id_prefix_error"', 1)[1].split("</div>", 1)[0]
    assert as_registrar.post(reverse("registry:learner_new"), {**adult, "prefix": "miss"}).status_code == 302
    header = "national_id,prefix,first_name,last_name,birth_date,course_code,grade,completed_on,academic_year,term"
    row = "3100600445562,เด็กชาย,สมศักดิ์,ใจดี,14/05/2548,ท21101,3,2025-03-15,2567,1"  # a new learner
    imp = credit_import_analyse(
        actor=registrar, institution=registrar.institution, data=f"{header}\n{row}\n".encode(), filename="a.csv",
        create_courses=False,
    )  # fmt: skip
    assert imp.status == "rejected" and [e[:2] for e in imp.report[0]["errors"]] == [
        ["prefix", "prefix_child_for_adult"]
    ]


def test_a_thai_title_stands_apart_from_a_name_in_latin_letters():
    """An imported learner named in Latin letters read "นายJohn Smith"; a Thai name keeps its title joined."""
    from django.utils import translation

    john = LearnerFactory.build(prefix="mr", first_name="John", last_name="Smith")
    somchai = LearnerFactory.build(prefix="mr", first_name="สมชาย", last_name="ใจดี")
    with translation.override("th"):
        assert (john.full_name, somchai.full_name) == ("นาย John Smith", "นายสมชาย ใจดี")
    assert john.full_name_th == "นาย John Smith" and somchai.full_name_th == "นายสมชาย ใจดี"
    with translation.override("en"):
        assert john.full_name == "Mr. John Smith"
