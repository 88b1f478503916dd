"""Issue 18 in a real browser: find a learner of another school by full ID → record credits → saved, with the ID
typed once (in the search); and screenshots of every changed page at 1366 and 390 px, in Thai and English."""

import pytest
from playwright.sync_api import expect

from registry.importing.columns import COLUMNS
from registry.importing.writing import credit_import_analyse, credit_import_commit
from registry.models import CreditDeposit, RecordAccess
from tests.factories import CourseFactory, DepositFactory, InstitutionFactory, LearnerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    school = InstitutionFactory(code="1066540101", name_th="โรงเรียนพิจิตรพิทยาคม", name_en="Phichit Pittayakom School")
    college = InstitutionFactory(code="1366100001", name_th="วิทยาลัยเทคนิคพิจิตร", kind="vocational_college")
    thai = CourseFactory(institution=school, code="ท21101", title_th="ภาษาไทย 1", credits="1.5")
    CourseFactory(institution=school, code="ค21101", title_th="คณิตศาสตร์พื้นฐาน 1", credits="1.5")
    CourseFactory(institution=school, code="ว21101", title_th="วิทยาศาสตร์และเทคโนโลยี 1", credits="1.5")
    college_course = CourseFactory(institution=college, code="20000-1101", title_th="ภาษาไทยพื้นฐาน", level="voc_cert")
    registrar = UserFactory(username="registrar", role="registrar", institution=school, password="browser-pw")
    newcomer = LearnerFactory(national_id="3100600445562", prefix="miss", first_name="ณัฐธิดา", last_name="ย้ายมาใหม่",
                              registered_by_institution=college)  # fmt: skip
    DepositFactory(learner=newcomer, course=college_course, grade="3")
    for n in range(30):
        DepositFactory(course=thai, academic_year=2566 + n % 2, recorded_by=registrar)
    return {"registrar": registrar, "newcomer": newcomer, "school": school}


def log_in(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("registrar")
    page.get_by_label("รหัสผ่าน").fill("browser-pw")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_find_a_learner_of_another_school_by_full_id_then_record_credits(live_server, page, world, artifacts):
    newcomer = world["newcomer"]
    log_in(page, live_server)
    page.goto(live_server.url + "/registry/learners/")
    page.locator("#id_q").fill("3-1006-00445-56-2")  # the only time the ID is typed
    page.get_by_role("button", name="ค้นหา", exact=True).click()
    expect(page.locator("#search-results")).to_be_focused()  # what was found, not the top of the page
    page.locator("#search-results").get_by_role("link", name=newcomer.full_name).click()
    expect(page.locator("#found-by-id")).to_be_visible()
    assert "20000-1101" not in page.content()  # never another institution's deposits
    page.get_by_role("main").get_by_role("link", name="บันทึกหน่วยกิต").click()

    expect(page.locator("#deposit-learner")).to_contain_text(newcomer.full_name)
    assert page.locator("input[name=national_id]").count() == 0
    with page.expect_response(lambda r: "course-options" in r.url):
        page.locator("#id_course_search").fill("คณิต")
    expect(page.locator("#id_course option")).to_have_count(2)
    with page.expect_response(lambda r: "grade-options" in r.url):
        page.locator("#id_course").select_option(label="ค21101 คณิตศาสตร์พื้นฐาน 1")
    expect(page.locator("#course-facts")).to_contain_text("1.5 หน่วยกิต")
    page.locator("#id_grade").select_option("3.5")
    page.locator("#id_completed_on").fill("15/03/2568")
    page.locator("#id_academic_year").fill("2567")
    page.locator("#id_term").select_option("2")
    page.get_by_role("button", name="บันทึกหน่วยกิต").click()
    expect(page.locator(".alert-success")).to_contain_text("บันทึกหน่วยกิตแล้ว")
    deposit = CreditDeposit.objects.get(course__code="ค21101")
    assert deposit.learner == newcomer and deposit.grade == "3.5"
    assert set(RecordAccess.objects.filter(learner=newcomer).values_list("what", flat=True)) == {
        "search_by_id", "learner_found_by_id"
    }  # fmt: skip


def make_imports(registrar):
    header = ",".join(COLUMNS)
    good = ["1101700207030,นาย,สมชาย,ใจดี,,ค21101,,,3,15/03/2568,2567,2,",
            "1101700207030,นาย,สมชาย,ใจดี,,ว21101,,,4,15/03/2568,2567,2,"]  # fmt: skip
    bad = ["3100600445562,นางสาว,สุภา,ดีมาก,31/02/2555,ค21101,,,3,15/03/2568,2025,2,",
           "1101700207030,นาย,สมชาย,ใจร้าย,,ค21101,,2,B+,15/03/2568,2567,1,"]  # fmt: skip

    def analyse(rows, name):
        data = ("\n".join([header, *rows]) + "\n").encode()
        return credit_import_analyse(actor=registrar, institution=registrar.institution, data=data, filename=name,
                                     create_courses=False)  # fmt: skip

    preview = analyse(good, "ภาค2-ตรวจแล้ว.csv")
    rejected = analyse(bad + good, "ภาค2-มีข้อผิดพลาด.csv")
    committed = credit_import_commit(actor=registrar, import_id=analyse(good, "ภาค2.csv").pk)
    duplicates = analyse(good, "ภาค2-ส่งซ้ำ.csv")
    return {"preview": preview, "rejected": rejected, "committed": committed, "duplicates": duplicates}


@pytest.mark.parametrize("lang", ["th", "en"])
def test_screenshots_of_the_changed_pages(live_server, browser, world, artifacts, lang):
    imports = make_imports(world["registrar"])
    newcomer = world["newcomer"]
    for width, height in [(1366, 768), (390, 844)]:
        context = browser.new_context(locale="th-TH", viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(15000)
        log_in(page, live_server)
        if lang == "en":
            page.goto(live_server.url + "/registry/learners/")
            if page.locator(".navbar-toggler").is_visible():
                page.locator(".navbar-toggler").click()
            page.locator("#language-form button[value=en]").click()
        page.goto(live_server.url + "/registry/learners/")
        page.locator("#id_q").fill(newcomer.national_id)
        page.locator("#id_q").press("Enter")
        page.locator("#search-results a").first.click()
        shots = {"learner-found-by-id": page.url}
        page.locator("a[href*='deposits/new/?learner=']").first.click()
        page.locator("#id_course_search").fill("ภาษา")
        page.wait_for_timeout(600)
        page.locator("#id_course").select_option(index=1)
        page.wait_for_timeout(600)
        page.locator("#id_completed_on").fill("31/02/2568")
        page.locator("[name=submit]").click()
        page.screenshot(path=str(artifacts / f"issue18-deposit-form-errors-{lang}-{width}.png"), full_page=True)
        shots.update({
            "deposits-filtered": live_server.url + "/registry/deposits/?academic_year=2566&term=2&q=",
            "import-preview": live_server.url + f"/registry/imports/{imports['preview'].pk}/",
            "import-rejected": live_server.url + f"/registry/imports/{imports['rejected'].pk}/",
            "import-committed": live_server.url + f"/registry/imports/{imports['committed'].pk}/?show=all",
            "import-duplicates": live_server.url + f"/registry/imports/{imports['duplicates'].pk}/",
        })  # fmt: skip
        for name, url in shots.items():
            page.goto(url)
            page.screenshot(path=str(artifacts / f"issue18-{name}-{lang}-{width}.png"), full_page=True)
        context.close()


def test_an_id_typed_on_the_deposit_form_names_the_learner_before_the_credits_are_saved(live_server, page, world):
    """A mistyped ID may be someone else's: the name comes up as soon as the ID is typed, and one press saves."""
    newcomer = world["newcomer"]
    log_in(page, live_server)
    page.goto(live_server.url + "/registry/deposits/new/")
    with page.expect_response(lambda r: "deposits/learner" in r.url and r.request.method == "POST"):
        page.locator("#id_national_id").fill("3-1006-00445-56-2")
        page.locator("#id_national_id").press("Tab")
    expect(page.locator("#deposit-learner")).to_contain_text(newcomer.full_name)
    with page.expect_response(lambda r: "grade-options" in r.url):
        page.locator("#id_course").select_option(label="ค21101 คณิตศาสตร์พื้นฐาน 1")
    page.locator("#id_grade").select_option("3")
    page.locator("#id_completed_on").fill("15/03/2568")
    page.locator("#id_academic_year").fill("2567")
    page.get_by_role("button", name="บันทึกหน่วยกิต").click()
    expect(page.locator(".alert-success")).to_contain_text("บันทึกหน่วยกิตแล้ว")
    assert CreditDeposit.objects.get(course__code="ค21101").learner == newcomer
    assert "3100600445562" not in page.url


def test_the_question_whose_credits_these_are_takes_the_focus(live_server, page, world):
    """Sent before the name came up (Enter in the ID box), the form comes back asking whose credits these are: the
    question had no focus, and the next Tab went to the skip link at the top of the page."""
    log_in(page, live_server)
    page.goto(live_server.url + "/registry/deposits/new/")
    with page.expect_response(lambda r: "grade-options" in r.url):
        page.locator("#id_course").select_option(label="ค21101 คณิตศาสตร์พื้นฐาน 1")
    page.locator("#id_grade").select_option("3")
    page.locator("#id_completed_on").fill("15/03/2568")
    page.locator("#id_academic_year").fill("2567")
    page.locator("#id_national_id").fill("3-1006-00445-56-2")
    with page.expect_navigation():
        page.locator("#id_national_id").press("Enter")
    expect(page.locator("#confirm-summary")).to_be_focused()
    assert not CreditDeposit.objects.filter(course__code="ค21101").exists()  # asked, not saved
