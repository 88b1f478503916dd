import os
import re
import shutil
import subprocess

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from registry.models import Learner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "browser-demo-pw"


def test_learner_activates_sees_the_balance_and_downloads_a_transcript(
    live_server, browser, artifacts, tmp_path, settings
):
    settings.SITE_URL = live_server.url
    call_command("seed_demo", password=PASSWORD, verbosity=0)
    # A learner from the demo school who has no account yet.
    learner = Learner.objects.filter(user__isnull=True, deposits__course__institution__code="1066540101").first()
    birth = learner.birth_date

    context = browser.new_context(locale="th-TH", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    # The registrar issues the activation slip.
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill("registrar")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.goto(f"{live_server.url}/registry/learners/{learner.pk}/")
    page.get_by_role("button", name="ออกรหัสเปิดใช้งาน").click()
    code = page.locator("#activation-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    context.close()

    # The learner opens the account on a phone.
    phone = browser.new_context(locale="th-TH", viewport={"width": 390, "height": 844}, accept_downloads=True,
                                device_scale_factor=2, is_mobile=True, has_touch=True)  # fmt: skip
    page = phone.new_page()
    page.set_default_timeout(15000)
    page.goto(live_server.url + "/accounts/activate/")
    page.locator("#id_national_id").fill(learner.national_id)
    page.locator("#id_birth_date").fill(f"{birth.day:02d}/{birth.month:02d}/{birth.year + 543}")
    page.locator("#id_code").fill(code)
    page.locator("#id_username").fill("newlearner")
    page.locator("#id_email").fill("newlearner@example.com")
    page.locator("#id_password1").fill("ข้าวเหนียวมะม่วง-2569")
    page.locator("#id_password2").fill("ข้าวเหนียวมะม่วง-2569")
    page.get_by_role("button", name="เปิดบัญชีของฉัน").click()
    expect(page.locator("h1")).to_have_text("ยอดหน่วยกิตสะสมของฉัน")
    expect(page.locator("#total-credits")).not_to_have_text("0")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    page.screenshot(path=str(artifacts / "balance-phone.png"), full_page=True)
    # The links to one's own data are targets a thumb can hit: they had been 19 px lines of small text.
    heights = page.locator("#main a[href*='/me/data'], #main a[href*='/privacy/']").evaluate_all(
        "links => links.map(a => a.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 44, heights

    # A programme search comes back with focus on what it found, and a chosen programme on its progress: the page
    # had come back with focus at its top, the answer a long scroll below and unannounced.
    page.locator("#programme-q").press("Enter")
    expect(page.locator("#programmes-found")).to_be_focused()
    page.locator("#programmes-found a").first.click()
    expect(page.locator("#progress")).to_be_focused()

    # A download leaves the page as it was: the button and the status line say the file is coming. Each state is
    # recorded as it happens (a fast server can have the file there before a check could look).
    page.evaluate("""() => {
        window.seen = [];
        const note = document.querySelector("[data-busy-note]");
        const button = document.querySelector("#transcript-buttons button");
        window.width = button.getBoundingClientRect().width;
        new MutationObserver(() => window.seen.push([note.textContent, button.textContent.trim(), button.disabled,
                                                     button.getBoundingClientRect().width]))
            .observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
    }""")
    with page.expect_download() as download:
        page.get_by_role("button", name="ใบแสดงผลการเรียน (PDF ภาษาไทย)").click()
    expect(page.get_by_role("status").filter(has_text="ดาวน์โหลด PDF แล้ว")).to_be_visible()
    seen, width = page.evaluate("window.seen"), page.evaluate("window.width")
    assert any(text.startswith("กำลังจัดทำ PDF") and label == "กำลังจัดทำ PDF…" and off for text, label, off, _ in seen)
    # The shorter busy label does not narrow the button: the row of buttons stays where the finger left it.
    assert all(busy_width >= width - 0.5 for *_, busy_width in seen), (width, seen)
    # Once the file has come, the button is given back and the status line says so (not after a fixed wait).
    expect(page.get_by_role("button", name="ใบแสดงผลการเรียน (PDF ภาษาไทย)")).to_be_enabled(timeout=5000)
    pdf = tmp_path / "transcript.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    phone.close()

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        assert os.environ.get("CI") != "true", ".ci/run installs poppler-utils for the transcript screenshot"
        pytest.skip("pdftoppm (poppler-utils) is not installed: no screenshot of the transcript")
    if pdftoppm:
        subprocess.run([pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),  # noqa: S603
                        str(artifacts / "transcript-page-1")], check=True)  # fmt: skip
        assert (artifacts / "transcript-page-1.png").stat().st_size > 10_000
