import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from registry.importing.columns import COLUMNS
from registry.models import CreditDeposit, CreditImport, DepositEvidence, Learner
from tests.factories import CourseFactory, DepositFactory, InstitutionFactory, LearnerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = ",".join(COLUMNS)


@pytest.fixture
def school_registrar(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    school = InstitutionFactory(code="1066540101", name_th="โรงเรียนพิจิตรพิทยาคม")
    CourseFactory(institution=school, code="ท21101", title_th="ภาษาไทย 1", credits="1.5")
    CourseFactory(institution=school, code="ค21101", title_th="คณิตศาสตร์พื้นฐาน 1", credits="1.5")
    return UserFactory(username="registrar", role="registrar", institution=school, password="browser-pw")


def log_in(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("registrar")
    page.get_by_label("รหัสผ่าน").fill("browser-pw")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_registrar_registers_records_imports_and_voids(live_server, page, school_registrar, tmp_path, artifacts):
    # A wrong password: the message takes focus (it had stayed at the top of the page, unread by a screen reader).
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("registrar")
    page.get_by_label("รหัสผ่าน").fill("not-the-password")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.locator("main form .alert-danger")).to_be_focused()
    log_in(page, live_server)

    # Register a learner.
    page.get_by_role("link", name="ลงทะเบียนผู้เรียน").first.click()
    page.locator("#id_national_id").fill("1-1017-00207-03-0")
    page.locator("#id_prefix").select_option("mr")
    page.locator("#id_first_name").fill("สมชาย")
    page.locator("#id_last_name").fill("ใจดี")
    page.locator("#id_birth_date").fill("14/05/2551")
    page.get_by_role("button", name="ลงทะเบียนผู้เรียน").click()
    expect(page.locator(".alert-success")).to_contain_text("ลงทะเบียนผู้เรียนแล้ว")

    # Record a deposit with an evidence image, starting from the learner's page.
    page.get_by_role("main").get_by_role("link", name="บันทึกหน่วยกิต").click()
    page.wait_for_load_state("load")  # htmx listening before the course is chosen (a busy machine had raced it)
    with page.expect_response(lambda response: "grade-options" in response.url):
        page.locator("#id_course").select_option(label="ท21101 ภาษาไทย 1")
    page.locator("#id_grade").select_option("3.5")
    page.locator("#id_completed_on").fill("15/03/2568")
    page.locator("#id_academic_year").fill("2567")
    page.locator("#id_term").select_option("2")
    photo = tmp_path / "certificate.jpg"
    Image.new("RGB", (80, 60), (30, 90, 160)).save(photo, format="JPEG")
    page.locator("#id_evidence").set_input_files(str(photo))
    page.screenshot(path=str(artifacts / "registrar-deposit-form.png"), full_page=True)
    page.get_by_role("button", name="บันทึกหน่วยกิต").last.click()
    expect(page.locator(".alert-success")).to_contain_text("บันทึกหน่วยกิตแล้ว")
    assert DepositEvidence.objects.count() == 1

    # Import a file with one bad row: rejected with that row's message, nothing written.
    bad = tmp_path / "term2.csv"
    bad.write_text(
        "\n".join([
            HEADER,
            "3100600445562,นางสาว,สุภา,ดีมาก,,ค21101,,,4,15/03/2568,2567,2,",
            "1103702345679,นาย,ธนากร,ศรีสุข,,ค21101,,,B+,15/03/2568,2567,2,",
        ]) + "\n", encoding="utf-8",
    )  # fmt: skip
    page.get_by_role("link", name="นำเข้า", exact=True).click()
    page.locator("#id_file").set_input_files(str(bad))
    page.get_by_role("button", name="ตรวจสอบไฟล์").click()
    expect(page.locator("#import-status")).to_be_visible()
    rows = page.locator("#import-rows").inner_text()
    assert "แถว 3" in rows and "B+" in rows and "ไม่อยู่ในระบบผลการเรียน" in rows
    expect(page.locator(".alert-danger")).to_contain_text("ไม่ได้นำเข้าไฟล์นี้")
    page.screenshot(path=str(artifacts / "registrar-import-rejected.png"), full_page=True)
    assert not Learner.objects.filter(national_id="3100600445562").exists()
    # On a phone each row is a card of its cells, headed by their column: the messages are read without scrolling.
    page.set_viewport_size({"width": 390, "height": 844})
    table = page.locator("#import-rows")
    assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
    assert "ข้อความ" in table.locator("tbody td").last.evaluate("td => getComputedStyle(td, '::before').content")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The corrected file goes through after the preview.
    bad.write_text(bad.read_text(encoding="utf-8").replace(",B+,", ",3,"), encoding="utf-8")
    page.get_by_role("link", name="นำเข้า", exact=True).click()
    page.locator("#id_file").set_input_files(str(bad))
    page.get_by_role("button", name="ตรวจสอบไฟล์").click()
    page.get_by_role("button", name="นำเข้าตอนนี้").click()
    expect(page.locator(".alert-success").first).to_contain_text("นำเข้ารายการใหม่ 2 รายการแล้ว")
    assert CreditImport.objects.filter(status="committed").count() == 1
    assert CreditDeposit.objects.count() == 3

    # Void a deposit with a reason: it stays, marked voided.
    page.get_by_role("link", name="รายการฝาก", exact=True).click()
    # Credits (right-aligned) and grade stand apart: a row had read "1.5 4" as one figure.
    gap = page.evaluate("""() => {
        const cells = document.querySelector('#deposit-list tbody tr').cells;
        const text = (td) => {
            const r = document.createRange();
            r.selectNodeContents(td);
            return r.getBoundingClientRect();
        };
        return text(cells[3]).left - text(cells[2]).right;
    }""")
    assert gap >= 20, gap
    page.locator("#deposit-list a", has_text="ท21101").click()
    asked = []

    def no_reason_yet(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", no_reason_yet)  # without a reason it is not asked to be sure: the page says what is missing
    page.get_by_role("button", name="ยกเลิกรายการนี้").click()
    expect(page.locator("#id_reason")).to_have_class(re.compile("is-invalid"))
    # Nor with a reason too short: "cannot be undone, sure?" had come first, then the refusal of the reason.
    page.locator("#id_reason").fill("ผิด")
    page.get_by_role("button", name="ยกเลิกรายการนี้").click()
    expect(page.locator("#id_reason")).to_have_value("ผิด")
    expect(page.locator("#id_reason_error, .invalid-feedback")).to_contain_text("อย่างน้อย")
    expect(page.locator("#id_reason")).to_be_focused()  # the box to correct, not the top of the page
    page.remove_listener("dialog", no_reason_yet)
    assert not asked and CreditDeposit.objects.get(course__code="ท21101").status == "active"
    page.locator("#id_reason").fill("บันทึกผิดภาคเรียน")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))  # the registrar thinks again: nothing voided
    page.get_by_role("button", name="ยกเลิกรายการนี้").click()
    expect(page.locator("#id_reason")).to_have_value("บันทึกผิดภาคเรียน")
    assert CreditDeposit.objects.get(course__code="ท21101").status == "active"
    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.get_by_role("button", name="ยกเลิกรายการนี้").click()
    expect(page.locator("#void-reason")).to_contain_text("บันทึกผิดภาคเรียน")
    assert len(questions) == 2 and "ยกเลิก" in questions[0]
    assert CreditDeposit.objects.get(course__code="ท21101").status == "voided"
    assert CreditDeposit.objects.count() == 3

    # On a phone the deposit list and the home page's latest deposits are cards: every column read without
    # scrolling the table sideways, and a voided deposit says so in words on the home page, not by a line alone.
    page.set_viewport_size({"width": 390, "height": 844})
    for address, table in (("/registry/deposits/", "#deposit-list"), ("/", "#recent-deposits")):
        page.goto(live_server.url + address)
        assert page.locator(table).evaluate("t => t.scrollWidth <= t.parentElement.clientWidth"), address
    expect(page.locator("#recent-deposits .voided")).to_contain_text("ยกเลิกแล้ว")

    # Only its credits are struck through: a line through Thai words crossed their vowel and tone marks.
    def struck(cell):
        return page.locator(f"#recent-deposits .voided {cell}").first.evaluate(
            "c => getComputedStyle(c).textDecorationLine"
        )

    assert struck("td.text-end") == "line-through"
    assert (
        page.locator("#recent-deposits tr.voided").first.evaluate("r => getComputedStyle(r).textDecorationLine")
        == "none"
    )


def test_switching_language_keeps_what_was_typed_in_a_refused_form(live_server, page, school_registrar):
    """A deposit refused for one field, then the language switched: everything typed is still there in English
    (the course, the grade its scale brings back, the dates), and sending it again records it."""
    learner = LearnerFactory(registered_by_institution=school_registrar.institution)
    log_in(page, live_server)
    page.goto(live_server.url + f"/registry/learners/{learner.pk}/")
    page.get_by_role("main").get_by_role("link", name="บันทึกหน่วยกิต").click()
    page.wait_for_load_state("load")  # htmx listening before the course is chosen (a busy machine had raced it)
    with page.expect_response(lambda response: "grade-options" in response.url):
        page.locator("#id_course").select_option(label="ค21101 คณิตศาสตร์พื้นฐาน 1")
    page.locator("#id_grade").select_option("3.5")
    page.locator("#id_completed_on").fill("15/03/2568")
    page.locator("#id_term").select_option("2")
    page.locator("#id_academic_year").fill("")  # left empty: refused, beside the field
    page.get_by_role("button", name="บันทึกหน่วยกิต").last.click()
    expect(page.locator("#id_academic_year")).to_have_class(re.compile("is-invalid"))
    page.locator("#id_academic_year").fill("2567")

    with page.expect_response(lambda response: "grade-options" in response.url):
        page.locator("#language-form button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#id_grade")).to_have_value("3.5")
    maths = school_registrar.institution.courses.get(code="ค21101")
    expect(page.locator("#id_course")).to_have_value(str(maths.pk))
    expect(page.locator("#id_completed_on")).to_have_value("15/03/2568")
    expect(page.locator("#id_academic_year")).to_have_value("2567")
    expect(page.locator("#id_term")).to_have_value("2")
    page.get_by_role("button", name="Record the credits").last.click()
    expect(page.locator(".alert-success")).to_be_visible()
    deposit = CreditDeposit.objects.get(learner=learner)
    assert (deposit.course.code, deposit.grade, deposit.academic_year, deposit.term) == ("ค21101", "3.5", 2567, 2)

    # Only the page it was typed on gets it back, once: reloading shows what the server sends.
    page.goto(live_server.url + f"/registry/learners/{learner.pk}/")
    page.locator("#language-form button[value=th]").click()
    expect(page.locator("html")).to_have_attribute("lang", "th")
    assert page.evaluate("sessionStorage.length") == 0


def test_switching_language_on_the_deposit_form_names_the_learner_of_the_typed_id_again(
    live_server, page, school_registrar
):
    learner = LearnerFactory(registered_by_institution=school_registrar.institution, first_name="ปวีณา")
    log_in(page, live_server)
    page.goto(live_server.url + "/registry/deposits/new/")
    with page.expect_response(lambda response: "deposits/learner" in response.url):
        page.locator("#id_national_id").fill(learner.national_id)
        page.locator("#id_national_id").blur()
    expect(page.locator("#deposit-learner")).to_contain_text("ปวีณา")
    with page.expect_response(lambda response: "deposits/learner" in response.url):
        page.locator("#language-form button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#deposit-learner")).to_contain_text("ปวีณา")


def test_a_national_id_typed_into_the_deposit_search_is_never_sent(live_server, page, school_registrar):
    """The browser refuses it before sending (the number would be in the address, the history and the logs) and
    says why on the box; a name is searched as usual."""
    log_in(page, live_server)
    page.goto(live_server.url + "/registry/deposits/")
    sent = []
    page.on("request", lambda request: sent.append(request.url))
    # Alone, pasted with a name, or in Thai digits (which had gone into the address).
    for typed in ("1-1017-00207-03-0", "1101700207030 สมชาย", "๑๑๐๑๗๐๐๒๐๗๐๓๐"):
        page.locator("#filter-q").fill(typed)
        page.get_by_role("button", name="กรอง").click()
        message = page.locator("#filter-q").evaluate("box => box.validationMessage")
        assert "ช่องนี้ไม่ค้นหาด้วยเลขประจำตัวประชาชน" in message
    assert not [url for url in sent if "1101700207030" in url.replace("-", "") or "%E0%B9%91" in url]
    assert "q=" not in page.url
    page.locator("#filter-q").fill("สมชาย")
    page.get_by_role("button", name="กรอง").click()
    page.wait_for_url(re.compile(r"q=%E0%B8%AA"))


def test_the_official_copy_just_downloaded_is_listed_at_once(live_server, page, school_registrar, artifacts):
    """The PDF downloads and the page stays: its list of transcripts issued said "none yet" until a reload."""
    from transcripts.models import Transcript

    learner = LearnerFactory(registered_by_institution=school_registrar.institution, first_name="มาลี")
    course = school_registrar.institution.courses.first()
    DepositFactory(learner=learner, course=course, recorded_by=school_registrar)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/registry/learners/{learner.pk}/")
    expect(page.locator("#transcript-copies")).to_be_visible()
    with page.expect_download():
        page.get_by_role("button", name="ใบแสดงผลการเรียนฉบับทางการ (ไทย)").click()
    number = Transcript.objects.get(learner=learner).number
    expect(page.locator("#transcript-copies")).to_contain_text(number, timeout=10000)
    page.screenshot(path=str(artifacts / "registrar-copies-after-download.png"), full_page=True)


def test_a_form_sent_after_the_skip_link_still_puts_focus_on_its_problem(live_server, page, school_registrar):
    """The skip link leaves #main in the address; a form sent from there came back with the browser's focus on the
    whole page's main area, so a screen reader did not read what was wrong."""
    log_in(page, live_server)
    page.goto(live_server.url + "/registry/learners/new/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))  # waits: read at once, a loaded machine had not moved there yet
    page.locator("#id_first_name").fill("สมชาย")
    page.locator("#id_first_name").press("Enter")
    expect(page.locator("#error-summary")).to_be_visible()
    page.wait_for_load_state("load")
    expect(page.locator("#error-summary")).to_be_focused()
