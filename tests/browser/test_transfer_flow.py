import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from registry.models import CreditDeposit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "browser-demo-pw"


def log_in(page, base, username):
    page.goto(base + "/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def log_out(page):
    page.locator("#user-menu").click()
    page.get_by_role("button", name="ออกจากระบบ").click()


def test_learner_requests_staff_decide_and_the_balance_shows_the_transfer_in(live_server, page, artifacts):
    call_command("seed_demo", password=PASSWORD, verbosity=0)
    base = live_server.url

    # The learner sees the verdicts before submitting (the what-if).
    log_in(page, base, "learner")
    page.get_by_role("link", name="เทียบโอนหน่วยกิต").first.click()
    page.locator("#id_q").fill("รับเทียบโอน")  # search as you type, no long select
    page.locator("#programme-results").get_by_role("link", name=re.compile("มัธยมศึกษาตอนต้น")).click()
    verdicts = page.locator("#verdicts")
    expect(verdicts).to_be_visible()
    assert verdicts.get_by_text("ผ่านเกณฑ์").count() >= 2
    assert "✓" in verdicts.inner_text() and "ผลการเรียน" in verdicts.inner_text()
    page.screenshot(path=str(artifacts / "transfer-what-if.png"), full_page=True)
    page.get_by_role("button", name=re.compile("บันทึกคำร้อง")).click()
    page.get_by_role("button", name="ยื่นคำร้องต่อสำนักงานศึกษาธิการจังหวัด").click()
    expect(page.locator("#request-status")).to_have_text("ยื่นแล้ว")
    request_url = page.url
    log_out(page)

    # Staff approve one item and reject another with a reason.
    log_in(page, base, "provincial")
    page.get_by_role("link", name="คำร้องรอพิจารณา").first.click()
    expect(page.locator("#queue .queue-row")).to_have_count(4)  # the demo's submitted and under review, and this
    page.goto(request_url)
    page.get_by_role("button", name="เริ่มพิจารณา").click()
    expect(page.locator("#request-status")).to_have_text("กำลังพิจารณา")
    items = page.locator("#items .decision-item")
    assert items.count() >= 2
    first, second = items.nth(0), items.nth(1)
    first.get_by_label("อนุมัติ", exact=True).check()
    first.get_by_label("หรือเหตุผลด้วยคำของท่านเอง (จำเป็นเมื่อไม่อนุมัติ)").fill("ตรงตามเกณฑ์เทียบโอน")
    second.get_by_label("ไม่อนุมัติ", exact=True).check()
    second.get_by_label("เหตุผลที่ไม่อนุมัติ (ผู้เรียนจะเห็นข้อความนี้)").fill("ขอให้แสดงผลงานเพิ่มเติม")
    for extra in range(2, items.count()):
        items.nth(extra).get_by_label("ไม่อนุมัติ", exact=True).check()
        items.nth(extra).get_by_label("เหตุผลที่ไม่อนุมัติ (ผู้เรียนจะเห็นข้อความนี้)").fill("ไม่ได้ขอในรอบนี้")
    page.get_by_role("button", name="บันทึกผลการพิจารณา").click()
    expect(page.locator("#request-status")).to_have_text("อนุมัติบางส่วน")
    expect(page.locator("#items")).to_contain_text("ขอให้แสดงผลงานเพิ่มเติม")
    log_out(page)

    # The learner's balance shows the transfer-in with its notation.
    log_in(page, base, "learner")
    posted = CreditDeposit.objects.get(origin="transfer_in", learner__user__username="learner")
    expect(page.locator("#transferred-in")).to_have_text(f"{posted.credits.normalize():f}")
    expect(page.locator("main")).to_contain_text("โอนเข้า")
    page.screenshot(path=str(artifacts / "balance-with-transfer-in.png"), full_page=True)
