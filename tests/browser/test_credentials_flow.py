"""Issue 16 in a real browser: anyone checks a transcript PDF at /verify/ (genuine, then a one-byte change: altered);
a learner's credentials page; staff import a CLR into a transfer request. Screenshots at 1366 and 390 px, Thai and
English."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import CourseFactory, DepositFactory
from transcripts.credentials import did_document, sign_jwt
from transcripts.keys import issuer_did
from transcripts.models import TrustedIssuer
from transcripts.services import credentials_issue, transcript_issue
from transcripts.verification import verify_credential
from transfers.models import TransferRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(learner_user, provincial, registrar, school, programme, settings, live_server, tmp_path):
    settings.SITE_URL = live_server.url
    learner = learner_user.learner
    for code, title, grade in [("ท21101", "ภาษาไทย 1", "3.5"), ("ว21101", "วิทยาศาสตร์และเทคโนโลยี 1", "4")]:
        course = CourseFactory(institution=school, code=code, title_th=title, credits=Decimal("1.5"))
        DepositFactory(learner=learner, course=course, grade=grade, recorded_by=registrar)
    _transcript, pdf = transcript_issue(actor=registrar, learner=learner, official=True)
    (tmp_path / "transcript.pdf").write_bytes(pdf)
    middle = len(pdf) // 2
    (tmp_path / "changed.pdf").write_bytes(pdf[:middle] + bytes([pdf[middle] ^ 1]) + pdf[middle + 1 :])
    for width in (1366, 390):  # a CLR is imported once: one for each run through the page
        clr, _achievements = credentials_issue(actor=learner_user, learner=learner)
        (tmp_path / f"clr-{width}.jwt").write_text(sign_jwt(clr))
    TrustedIssuer.objects.create(did=issuer_did(), name="ธนาคารหน่วยกิตจังหวัดพิจิตร", did_document=did_document())
    return {"dir": tmp_path, "learner": learner}


def log_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("pw-for-tests")
    page.locator("form button[type=submit]").last.click()


def new_page(browser, width):
    context = browser.new_context(locale="th-TH", viewport={"width": width, "height": 844 if width < 500 else 768})
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def english(page, live_server, path):
    """The language switch's cookie (the switch itself is folded into the menu on a phone)."""
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


@pytest.mark.parametrize("lang", ["th", "en"])
def test_anyone_checks_a_transcript_pdf_and_sees_a_change_of_one_byte(live_server, browser, world, artifacts, lang):
    for width in (1366, 390):
        context, page = new_page(browser, width)
        if lang == "en":
            english(page, live_server, "/verify/")
        page.goto(live_server.url + "/verify/")
        page.locator("#id_file").set_input_files(str(world["dir"] / "transcript.pdf"))
        page.locator("main form button").click()
        expect(page.locator("#verdict")).to_have_attribute("data-verdict", "genuine")
        expect(page.locator("#verdict")).to_be_focused()  # the answer is read first, not left beside the form
        expect(page.locator("#verified-transcript")).to_contain_text(world["learner"].first_name)
        page.screenshot(path=str(artifacts / f"issue16-verify-genuine-{lang}-{width}.png"), full_page=True)
        page.locator("#id_file").set_input_files(str(world["dir"] / "changed.pdf"))
        page.locator("main form button").click()
        expect(page.locator("#verdict")).to_have_attribute("data-verdict", "altered")
        page.screenshot(path=str(artifacts / f"issue16-verify-altered-{lang}-{width}.png"), full_page=True)
        context.close()


def test_a_check_sent_empty_puts_the_focus_on_what_to_do(live_server, page):
    page.goto(live_server.url + "/verify/")
    page.locator("main form button").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()  # a screen reader starts at the problem, not at the top of the page
    expect(summary).to_contain_text("พิมพ์รหัส")
    expect(page.locator("#id_code")).to_have_attribute("aria-invalid", "true")


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_learner_finds_the_credentials_and_staff_import_a_clr(live_server, browser, world, artifacts, lang):
    for width in (1366, 390):
        context, page = new_page(browser, width)
        log_in(page, live_server, "learner")
        if lang == "en":
            english(page, live_server, "/")
        page.goto(live_server.url + "/")
        page.locator("#my-credentials-link").click()
        expect(page.locator("#deposit-credentials li")).to_have_count(2)
        page.screenshot(path=str(artifacts / f"issue16-my-credentials-{lang}-{width}.png"), full_page=True)
        with page.expect_download() as download:  # a button (POST), the learner stays on the page
            page.locator("#clr-jwt").click()
        assert download.value.suggested_filename == "clr.jwt"
        assert verify_credential(Path(download.value.path()).read_text()).verdict == "genuine"
        expect(page).to_have_url(live_server.url + "/me/credentials/")
        expect(page.locator("#deposit-credentials li")).to_have_count(2)
        context.close()

        context, page = new_page(browser, width)
        log_in(page, live_server, "provincial")
        if lang == "en":
            english(page, live_server, "/")
        page.goto(live_server.url + "/registry/credentials/import/")
        page.locator("#id_file").set_input_files(str(world["dir"] / f"clr-{width}.jwt"))
        page.locator("#id_national_id").fill("0000000000000")
        page.locator("#id_programme").select_option(index=1)
        page.locator("#import-form button").click()
        expect(page.locator("#error-summary")).to_be_visible()  # no such learner: said beside the field, kept
        expect(page.locator("#id_national_id")).to_have_value("0000000000000")
        expect(page.locator("#file-kept")).to_be_visible()  # the file is not chosen again
        page.screenshot(path=str(artifacts / f"issue16-import-error-{lang}-{width}.png"), full_page=True)
        page.locator("#id_national_id").fill(world["learner"].national_id)
        page.locator("#import-form button").click()
        expect(page.locator("#verdict")).to_have_attribute("data-verdict", "genuine")
        expect(page.locator("#import-learner")).to_contain_text(world["learner"].first_name)
        # Each achievement's completion date in the page's calendar, not as the credential's ISO text.
        expect(page.locator("main")).not_to_contain_text("2025-03-15")
        # The first import's request still waits for a decision and holds its course: the second asks for another.
        page.locator("#id_target_0").select_option(index=1 if width == 1366 else 2)
        page.screenshot(path=str(artifacts / f"issue16-import-preview-{lang}-{width}.png"), full_page=True)
        page.locator("button[name=commit]").click()
        expect(page).to_have_url(re.compile(r"/transfers/requests/[0-9]+/$"))
        page.screenshot(path=str(artifacts / f"issue16-import-done-{lang}-{width}.png"), full_page=True)
        context.close()
    assert TransferRequest.objects.count() == 2
