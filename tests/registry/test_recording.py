"""Issue 18: one learner reached once (search → page → record credits), another institution's learner found by full
ID shown only as the task needs and logged wherever found, the course picker, and the deposit list's filter bar."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse

from registry.models import CreditDeposit, RecordAccess
from tests.factories import CourseFactory, DepositFactory, LearnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def as_registrar(client, registrar):
    client.force_login(registrar)
    return client


@pytest.fixture
def newcomer(other_deposit):
    """A learner of the college, with a deposit there the school must never see."""
    return other_deposit.learner


def find_by_id(client, learner):
    return client.post(reverse("registry:learners"), {"q": learner.formatted_id}).content.decode()


def test_a_learner_of_another_institution_found_by_full_id_opens_a_page_of_only_what_the_task_needs(
    as_registrar, newcomer, other_deposit
):
    page_url = reverse("registry:learner_detail", args=[newcomer.pk])
    assert as_registrar.get(page_url).status_code == 404  # not found yet: not reachable
    results = find_by_id(as_registrar, newcomer)
    assert page_url in results and newcomer.full_name in results
    page = as_registrar.get(page_url).content.decode()
    assert newcomer.full_name in page and newcomer.masked_id in page and 'id="found-by-id"' in page
    assert newcomer.national_id not in page and newcomer.formatted_id not in page
    assert other_deposit.course.code not in page and other_deposit.course.institution.name_th not in page
    for hidden in (
        reverse("transcripts:official", args=[newcomer.pk]),
        reverse("registry:activation_issue", args=[newcomer.pk]),
    ):
        assert hidden not in page  # no documents made from the other institution's record
    assert f"{reverse('registry:deposit_new')}?learner={newcomer.pk}" in page
    logged = list(RecordAccess.objects.filter(learner=newcomer).values_list("what", flat=True))
    assert logged == ["search_by_id", "learner_found_by_id"]


def test_record_credits_from_the_learners_page_fixes_the_learner_and_names_them(
    as_registrar, registrar, newcomer, school_course
):
    find_by_id(as_registrar, newcomer)
    url = reverse("registry:deposit_new") + f"?learner={newcomer.pk}"
    form = as_registrar.get(url).content.decode()
    assert newcomer.full_name in form and 'name="national_id"' not in form
    response = as_registrar.post(url, {"course": school_course.pk, "grade": "3", "completed_on": "15/03/2568",
                                       "academic_year": "2567", "term": "2"})  # fmt: skip
    assert response.status_code == 302
    deposit = CreditDeposit.objects.get(course=school_course)
    assert deposit.learner == newcomer and deposit.recorded_by == registrar
    # Now a learner of the school too: their page is the full one.
    page = as_registrar.get(reverse("registry:learner_detail", args=[newcomer.pk])).content.decode()
    assert 'id="found-by-id"' not in page and school_course.code in page


def test_a_failed_deposit_keeps_the_learner_and_everything_typed(as_registrar, newcomer, school_course):
    find_by_id(as_registrar, newcomer)
    url = reverse("registry:deposit_new") + f"?learner={newcomer.pk}"
    data = {"course": school_course.pk, "grade": "3", "completed_on": "15/03/2599", "academic_year": "2567",
            "term": "2", "course_search": "ภาษา"}  # fmt: skip
    page = as_registrar.post(url, data).content.decode()
    assert 'id="error-summary"' in page and 'href="#id_completed_on"' in page
    assert newcomer.full_name in page and 'value="15/03/2599"' in page and 'value="ภาษา"' in page
    assert "ต้องไม่เป็นวันในอนาคต" in page


def test_a_failed_deposit_keeps_the_course_list_as_its_search_left_it(as_registrar, registrar, newcomer, school_course):
    """The search kept in its box and the list below it agree: the list came back with the whole catalogue."""
    maths = CourseFactory(institution=registrar.institution, code="ค21101", title_th="คณิตศาสตร์พื้นฐาน 1")
    science = CourseFactory(institution=registrar.institution, code="ว21101", title_th="วิทยาศาสตร์ 1")
    find_by_id(as_registrar, newcomer)
    url = reverse("registry:deposit_new") + f"?learner={newcomer.pk}"
    data = {"course": school_course.pk, "grade": "3", "completed_on": "15/03/2599", "academic_year": "2567",
            "term": "2", "course_search": "คณิต"}  # fmt: skip
    page = as_registrar.post(url, data).content.decode()
    options = page.split('id="id_course"', 1)[1].split("</select>", 1)[0]
    assert f'value="{maths.pk}"' in options and f'value="{science.pk}"' not in options
    assert re.search(rf'value="{school_course.pk}"[^>]*selected', options)  # chosen, though the search misses it
    # The course chosen is still recorded once the date is put right.
    as_registrar.post(url, {**data, "completed_on": "15/03/2568"})
    assert CreditDeposit.objects.filter(learner=newcomer, course=school_course).exists()


def test_the_deposit_form_for_a_learner_not_found_is_a_404(as_registrar, newcomer):
    assert as_registrar.get(reverse("registry:deposit_new") + f"?learner={newcomer.pk}").status_code == 404


def test_a_transfer_request_for_another_institutions_learner_is_logged_like_a_search(as_registrar, newcomer):
    as_registrar.post(reverse("transfers:request_new"), {"national_id": newcomer.national_id})
    assert list(RecordAccess.objects.filter(learner=newcomer).values_list("what", flat=True)) == ["transfer_request"]


def test_the_course_picker_finds_courses_by_part_of_code_or_title(as_registrar, registrar, registrar2, school_course):
    maths = CourseFactory(institution=registrar.institution, code="ค21101", title_th="คณิตศาสตร์พื้นฐาน 1")
    CourseFactory(institution=registrar2.institution, code="ค99999", title_th="คณิตศาสตร์ของวิทยาลัย")
    url = reverse("registry:course_options")
    by_title = as_registrar.get(url, {"course_search": "คณิต"}).content.decode()
    assert f'value="{maths.pk}"' in by_title and school_course.code not in by_title and "ค99999" not in by_title
    by_code = as_registrar.get(url, {"course_search": "ท21"}).content.decode()
    assert school_course.code in by_code and maths.code not in by_code
    kept = as_registrar.get(url, {"course_search": "คณิต", "course": school_course.pk}).content.decode()
    assert f'value="{school_course.pk}" selected' in kept
    none = as_registrar.get(url, {"course_search": "zzz"}).content.decode()
    assert "ไม่พบรายวิชา" in none


def test_choosing_a_course_shows_its_credits_and_level(as_registrar, school_course):
    response = as_registrar.get(reverse("registry:grade_options"), {"course": school_course.pk})
    page = response.content.decode()
    assert 'id="course-facts"' in page and 'hx-swap-oob="true"' in page
    assert "1.5 หน่วยกิต" in page and "มัธยมศึกษาตอนต้น" in page
    form = as_registrar.get(reverse("registry:deposit_new")).content.decode()
    assert f'hx-get="{reverse("registry:course_options")}"' in form and 'id="course-facts"' in form


def test_the_deposit_list_shows_chosen_filters_removable_kept_across_pages_and_exports(
    as_registrar, registrar, school_course
):
    for _ in range(55):
        DepositFactory(course=school_course, academic_year=2566, recorded_by=registrar)
    DepositFactory(course=school_course, academic_year=2567, learner=LearnerFactory(), recorded_by=registrar)
    page = as_registrar.get(reverse("registry:deposits"), {"academic_year": "2566", "term": "2"}).content.decode()
    assert "ตรงเงื่อนไข 55 รายการ" in page
    assert 'class="filter-chip" href="?term=2"' in page and 'href="?academic_year=2566"' in page
    assert "?academic_year=2566&amp;term=2&page=2" in page
    chips = re.findall(r'class="filter-chip"[^>]*>([^<]*)<', page)
    # A value that names itself stands alone ("ภาคเรียนที่ 2", not "ภาคเรียน: ภาคเรียนที่ 2"); another has its label.
    assert [" ".join(c.split()) for c in chips] == ["ปีการศึกษา (พ.ศ.): 2566", "ภาคเรียนที่ 2"]
    assert f"{reverse('registry:deposits_export', args=['csv'])}?academic_year=2566&amp;term=2" in page
    # The year typed in Thai digits filters the same (its number box had sent nothing: every deposit, no word).
    thai = as_registrar.get(reverse("registry:deposits"), {"academic_year": "๒๕๖๖", "term": "2"}).content.decode()
    assert "ตรงเงื่อนไข 55 รายการ" in thai and 'type="number"' not in thai
    thai_code = school_course.code.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    by_code = as_registrar.get(reverse("registry:deposits"), {"q": thai_code, "academic_year": "2566"})
    assert "ตรงเงื่อนไข 55 รายการ" in by_code.content.decode()  # the code in Thai digits: it had found none
    typo = as_registrar.get(reverse("registry:deposits"), {"academic_year": "abc"}).content.decode()
    assert "ปีการศึกษา" in typo.split('id="id_academic_year_error"', 1)[1][:300]  # what to type, not "enter a number"
    assert 'class="form-select"' in page and 'class="form-control"' in page
    export = as_registrar.get(reverse("registry:deposits_export", args=["csv"]), {"academic_year": "2566"})
    assert len(list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))) == 56


@pytest.mark.parametrize(
    "day, term", [("2026-05-16", 1), ("2026-10-31", 1), ("2026-11-28", 2), ("2027-01-10", 2), ("2027-04-30", 2)]
)
def test_the_deposit_form_starts_on_the_term_running_now(day, term, school):
    """Term 1 from May to October, term 2 from November to April: a registrar recording in November starts on term 2
    (the form had started on term 1 whatever the month)."""
    from registry.dates import current_term
    from registry.forms import DepositForm

    assert current_term(datetime.date.fromisoformat(day)) == term
    today_term = current_term()
    assert DepositForm(institution=school)["term"].value() == today_term


# A typed ID names the learner before anything is saved (a mistyped ID may be someone else's) ---------------------


def typed_deposit(course, learner, **extra):
    data = {"national_id": learner.national_id, "course": course.pk, "grade": "3", "completed_on": "15/03/2568",
            "academic_year": "2567", "term": "2"}  # fmt: skip
    return {**data, **extra}


def test_credits_for_a_typed_id_are_saved_only_after_the_page_has_named_the_learner(
    as_registrar, school_course, newcomer
):
    url = reverse("registry:deposit_new")
    page = as_registrar.post(url, typed_deposit(school_course, newcomer)).content.decode()
    assert not CreditDeposit.objects.filter(course=school_course).exists()
    assert newcomer.full_name in page and newcomer.masked_id in page and 'id="confirm-summary"' in page
    assert f'name="confirm_learner" value="{newcomer.pk}"' in page
    assert 'value="15/03/2568"' in page and 'value="2567"' in page  # everything typed comes back
    response = as_registrar.post(url, typed_deposit(school_course, newcomer, confirm_learner=newcomer.pk))
    assert response.status_code == 302
    assert CreditDeposit.objects.get(course=school_course).learner == newcomer
    assert RecordAccess.objects.filter(learner=newcomer, what="deposit_form").exists()


def test_a_name_seen_for_another_id_does_not_confirm_the_learner_now_typed(as_registrar, school_course, newcomer):
    someone = LearnerFactory()
    data = typed_deposit(school_course, newcomer, confirm_learner=someone.pk)
    page = as_registrar.post(reverse("registry:deposit_new"), data).content.decode()
    assert not CreditDeposit.objects.filter(course=school_course).exists()
    assert newcomer.full_name in page and f'name="confirm_learner" value="{newcomer.pk}"' in page


def test_the_deposit_form_names_the_learner_as_the_id_is_typed(as_registrar, newcomer):
    url = reverse("registry:deposit_learner")
    named = as_registrar.post(url, {"national_id": newcomer.formatted_id}).content.decode()
    assert newcomer.full_name in named and f'name="confirm_learner" value="{newcomer.pk}"' in named
    assert newcomer.national_id not in named  # masked
    unknown = as_registrar.post(url, {"national_id": "1101700207030"}).content.decode()
    assert "ไม่พบผู้เรียนที่ใช้เลขประจำตัวนี้ กรุณาลงทะเบียนผู้เรียนก่อน" in unknown
    assert "confirm_learner" not in unknown
    # A way to register them from here, the ID carried along (the registration form's prefill), not typed again.
    button = unknown.split('id="register-learner"', 1)[1].split(">", 1)[0]
    assert f'formaction="{reverse("registry:learner_new")}"' in button and 'name="prefill"' in button
    wrong = as_registrar.post(url, {"national_id": "1101700207031"}).content.decode()
    assert "confirm_learner" not in wrong and wrong.count("<p") == 1 and "register-learner" not in wrong
    # An address never carries the ID: a visit to it goes back to the form.
    assert as_registrar.get(url).url == reverse("registry:deposit_new")


def test_a_form_refused_for_other_fields_names_the_learner_without_asking_only_to_press_again(
    as_registrar, school_course, newcomer
):
    page = as_registrar.post(reverse("registry:deposit_new"), typed_deposit(school_course, newcomer, grade="")).content
    page = page.decode()
    assert newcomer.full_name in page and 'id="error-summary"' in page
    assert 'id="deposit-learner-check"' not in page and 'id="confirm-summary"' not in page


def test_an_id_that_found_no_one_is_carried_to_the_registration_form_without_an_address(as_registrar):
    page = as_registrar.post(reverse("registry:learners"), {"q": "G-1234-5678-9012"}).content.decode()
    button = page.split('id="search-results"', 1)[1].split("</div>", 1)[0]
    assert f'action="{reverse("registry:learner_new")}"' in button and 'value="G123456789012"' in button
    form = as_registrar.post(reverse("registry:learner_new"), {"national_id": "G123456789012", "prefill": "1"})
    page = form.content.decode()
    assert 'value="G123456789012"' in page and 'id="error-summary"' not in page  # a fresh form, not a refused one
    assert re.search(r'<option value="g_code" selected>', page)
