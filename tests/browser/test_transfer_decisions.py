"""An officer decides a four-item request, makes one mistake, corrects it without retyping, and credits post once."""

import pytest
from playwright.sync_api import expect

from registry.models import CreditDeposit
from transfers.services.requests import transfer_request_create, transfer_request_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def four_item_request(pupil, learner_user, programme, rules, banked, dst):
    banked("ท21101", grade="3.5")
    banked("ว21101", grade="3")
    banked("ค21101", grade="1")  # below the minimum: the maths rule fails
    banked("ค21102", grade="3")
    art = banked("ศ21101", grade="4")  # no rule: asked for an assessment
    request = transfer_request_create(
        actor=learner_user, learner=pupil, programme=programme,
        target_course_ids=[dst["ท21101"].pk, dst["ว21101"].pk, dst["ค21101"].pk],
        assessments={dst["ส21101"].pk: [art.pk]},
    )  # fmt: skip
    return transfer_request_submit(actor=learner_user, request_id=request.pk)


def item(page, request, code):
    pk = request.items.get(target_course__code=code).pk
    return page.locator(f"#item-{pk}")


def test_an_officer_corrects_one_mistake_without_retyping_and_the_deposits_post_once(
    live_server, page, staff, four_item_request, artifacts
):
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill(staff.username)
    page.locator("#id_password").fill("pw-for-tests")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.goto(live_server.url + four_item_request.get_absolute_url())

    # The two items whose rule matched: approved together with a standard reason and a few own words.
    page.get_by_label("อนุมัติ 2 รายการที่ผ่านเกณฑ์").check()
    expect(page.locator("#matched_reason_code")).to_have_value("rule")
    page.locator("#matched_reason").fill("ตามมติคณะกรรมการครั้งที่ 3/2569")
    maths, social = item(page, four_item_request, "ค21101"), item(page, four_item_request, "ส21101")
    reasons = social.locator(".approval-reason select")  # standard reasons are for approvals
    expect(reasons).to_be_visible()
    maths.get_by_label("ไม่อนุมัติ", exact=True).check()
    maths.get_by_label("เหตุผลที่ไม่อนุมัติ (ผู้เรียนจะเห็นข้อความนี้)").fill("ผลการเรียนคณิตศาสตร์ 1 ต่ำกว่าเกณฑ์ขั้นต่ำ 2.0")
    social.get_by_label("ไม่อนุมัติ", exact=True).check()  # the mistake: no reason
    expect(reasons).to_be_hidden()  # rejecting: the list of approvals' reasons is put away
    page.get_by_role("button", name="บันทึกผลการพิจารณา").click()

    # Refused: the summary links to the item, the message is beside it, and every answer is still there.
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("ส21101")
    expect(social.locator(".item-error")).to_contain_text("ระบุเหตุผลที่ไม่อนุมัติ")
    expect(page.get_by_label("อนุมัติ 2 รายการที่ผ่านเกณฑ์")).to_be_checked()
    expect(page.locator("#matched_reason")).to_have_value("ตามมติคณะกรรมการครั้งที่ 3/2569")
    expect(maths.get_by_label("ไม่อนุมัติ", exact=True)).to_be_checked()
    expect(maths.get_by_label("เหตุผลที่ไม่อนุมัติ (ผู้เรียนจะเห็นข้อความนี้)")).to_have_value(
        "ผลการเรียนคณิตศาสตร์ 1 ต่ำกว่าเกณฑ์ขั้นต่ำ 2.0"
    )
    expect(social.get_by_label("ไม่อนุมัติ", exact=True)).to_be_checked()
    assert not CreditDeposit.objects.filter(origin="transfer_in").exists()
    summary.get_by_role("link").first.click()
    page.screenshot(path=str(artifacts / "decision-refused-1366-th.png"), full_page=True)

    # The one correction, and nothing else typed again.
    # Rejected: its box asks for the rejection's reason (it had begun "or", beside a list no longer shown).
    social.get_by_label("เหตุผลที่ไม่อนุมัติ (ผู้เรียนจะเห็นข้อความนี้)").fill("ยังไม่ได้นัดประเมินความรู้")
    page.get_by_role("button", name="บันทึกผลการพิจารณา").click()
    expect(page.locator("#request-status")).to_have_text("อนุมัติบางส่วน")
    # Focus on the confirmation, not at the top of the page: a keyboard had Tabbed 13 times through the menus to
    # reach the way to the next request, on every request.
    expect(page.locator("main > .alert-success")).to_be_focused()
    posted = CreditDeposit.objects.filter(origin="transfer_in", learner=four_item_request.learner)
    assert sorted(posted.values_list("course__code", flat=True)) == ["ท21101", "ว21101"]

    # Decided: nothing is left to submit again, and the ledger holds the two transfer-ins once.
    expect(page.get_by_role("button", name="บันทึกผลการพิจารณา")).to_have_count(0)
    page.reload()
    assert posted.count() == 2
