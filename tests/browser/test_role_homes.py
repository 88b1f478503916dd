import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-demo-pw"

# What each demo role sees first on its home page, in Thai.
HOMES = {
    "learner": "ยอดหน่วยกิตสะสมของฉัน",
    "learner2": "ยอดหน่วยกิตสะสมของฉัน",
    "registrar": "นายทะเบียน: โรงเรียนพิจิตรพิทยาคม",
    "registrar2": "นายทะเบียน: วิทยาลัยเทคนิคพิจิตร",
    "provincial": "สำนักงานศึกษาธิการจังหวัด: งานที่รอดำเนินการ",
    "admin": "การดูแลระบบ",
}


def test_each_demo_role_logs_in_and_sees_its_thai_home_page(live_server, page, artifacts):
    call_command("seed_demo", password=PASSWORD, verbosity=0)
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "th"
    expect(page.locator("h1")).to_contain_text("ธนาคารหน่วยกิตจังหวัดพิจิตร")
    for username, heading in HOMES.items():
        page.get_by_role("link", name="เข้าสู่ระบบ").first.click()
        page.get_by_label("ชื่อผู้ใช้").fill(username)
        page.get_by_label("รหัสผ่าน").fill(PASSWORD)
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
        expect(page.locator("h1")).to_contain_text(heading)
        # Sarabun is the font actually used: the page has no other Thai font on these machines.
        assert page.evaluate("document.fonts.check('16px Sarabun', 'ก')")
        page.screenshot(path=str(artifacts / f"home-{username}.png"))
        page.locator("#user-menu").click()
        page.get_by_role("button", name="ออกจากระบบ").click()
        expect(page.get_by_role("link", name="เข้าสู่ระบบ").first).to_be_visible()
