"""The decision page and its service: refusals placed beside each item, bulk approval, separation of duties."""

import datetime
import re
from decimal import Decimal
from html import unescape

import pghistory.models
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from registry.models import CreditDeposit
from tests.factories import UserFactory
from transfers.models import TransferRequest
from transfers.services.requests import (
    assessment_record,
    item_error_key,
    transfer_request_add,
    transfer_request_create,
    transfer_request_decide,
    transfer_request_remove_item,
    transfer_request_return,
    transfer_request_submit,
)
from transfers.services.rules import equivalence_decide, equivalence_propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def four_items(pupil, learner_user, programme, rules, banked, dst):
    """Thai and science match their rules, maths fails (grade 1), social studies asks for an assessment of art."""
    banked("ท21101", grade="3.5")
    banked("ว21101", grade="3")
    banked("ค21101", grade="1")
    banked("ค21102", grade="3")
    art = banked("ศ21101", grade="4")
    request = transfer_request_create(
        actor=learner_user, learner=pupil, programme=programme,
        target_course_ids=[dst["ท21101"].pk, dst["ว21101"].pk, dst["ค21101"].pk],
        assessments={dst["ส21101"].pk: [art.pk]},
    )  # fmt: skip
    return transfer_request_submit(actor=learner_user, request_id=request.pk)


def items_of(request):
    return {i.target_course.code: i for i in request.items.select_related("target_course")}


def decide_url(request):
    return reverse("transfers:request_decide", args=[request.pk])


# The service -----------------------------------------------------------------------------------------------------


def test_a_refusal_names_every_item_at_fault_and_writes_nothing(four_items, staff):
    items = items_of(four_items)
    decisions = {
        items["ท21101"].pk: (True, "ผ่าน"),
        items["ค21101"].pk: (True, "ผ่าน"),  # fails its rule: cannot be approved
        items["ส21101"].pk: (False, " "),  # no reason
    }  # ว21101 left out
    with pytest.raises(ValidationError) as exc:
        transfer_request_decide(actor=staff, request_id=four_items.pk, decisions=decisions)
    errors = exc.value.message_dict
    assert set(errors) == {item_error_key(items[c].pk) for c in ("ค21101", "ส21101", "ว21101")}
    assert "ไม่ผ่านเกณฑ์" in errors[item_error_key(items["ค21101"].pk)][0]
    assert not CreditDeposit.objects.filter(origin="transfer_in").exists()
    assert TransferRequest.objects.get(pk=four_items.pk).status == "submitted"


def test_whoever_proposed_a_rule_cannot_decide_it(staff, proposer, src, dst):
    rule = equivalence_propose(actor=staff, source_courses=[src["ท21101"]], target_courses=[dst["ท21101"]], basis="x")
    with pytest.raises(ValidationError) as exc:
        equivalence_decide(actor=staff, rule_id=rule.pk, approve=True, reason="อนุมัติเอง")
    assert exc.value.code == "separation_of_duties"
    rule.refresh_from_db()
    assert rule.status == "proposed"
    assert equivalence_decide(actor=proposer, rule_id=rule.pk, approve=False, reason="ซ้ำกับเกณฑ์เดิม").status == (
        "rejected"
    )


def test_an_administrator_decides_for_a_one_officer_office_and_the_audit_trail_says_so(staff, administrator, src, dst):
    rule = equivalence_propose(actor=staff, source_courses=[src["ท21101"]], target_courses=[dst["ท21101"]], basis="x")
    decided = equivalence_decide(actor=administrator, rule_id=rule.pk, approve=True, reason="สำนักงานมีเจ้าหน้าที่คนเดียว")
    assert decided.status == "approved" and decided.decided_by == administrator
    event = pghistory.models.Events.objects.tracks(rule).filter(pgh_data__status="approved").get()
    assert event.pgh_context["acting_as"] == "administrator" and event.pgh_context["user"] == administrator.pk


def test_whoever_filed_a_request_cannot_decide_it(pupil, programme, rules, banked, dst, staff, administrator):
    banked("ท21101")
    # A provincial officer files the request for the learner ...
    request = transfer_request_create(
        actor=staff, learner=pupil, programme=programme, target_course_ids=[dst["ท21101"].pk]
    )
    transfer_request_submit(actor=staff, request_id=request.pk)
    decisions = {request.items.get().pk: (True, "ผ่านเกณฑ์")}
    with pytest.raises(ValidationError) as exc:
        transfer_request_decide(actor=staff, request_id=request.pk, decisions=decisions)
    assert exc.value.code == "separation_of_duties"
    assert not CreditDeposit.objects.filter(origin="transfer_in").exists()
    # ... so another officer, or an administrator, decides it; the trail records the administrator's role.
    decided = transfer_request_decide(actor=administrator, request_id=request.pk, decisions=decisions)
    assert decided.status == "approved" and decided.submitted_by == staff
    event = pghistory.models.Events.objects.tracks(decided).filter(pgh_data__status="approved").get()
    assert event.pgh_context["acting_as"] == "administrator"


def test_a_registrar_who_submitted_a_request_cannot_decide_it_nor_can_any_registrar(four_items, registrar):
    items = items_of(four_items)
    with pytest.raises(ValidationError):
        transfer_request_decide(
            actor=registrar, request_id=four_items.pk, decisions={i.pk: (False, "x") for i in items.values()}
        )


def test_an_assessed_transfer_in_keeps_the_learning_type_of_its_sources_and_its_notation(four_items, staff):
    items = items_of(four_items)
    assessment_record(
        actor=staff, item_id=items["ส21101"].pk, method="CE", score=Decimal("80"), max_score=Decimal("100"),
        pass_score=Decimal("50"), assessor="ครูผู้สอน", assessed_on=datetime.date(2026, 1, 5),
    )  # fmt: skip
    assert CreditDeposit.objects.get(course__code="ศ21101").learning_type == "formal"  # the art source
    decisions = {i.pk: (False, "ไม่ขอ") for i in items.values()}
    decisions[items["ส21101"].pk] = (True, "ผ่านการสอบ")
    transfer_request_decide(actor=staff, request_id=four_items.pk, decisions=decisions)
    posted = CreditDeposit.objects.get(origin="transfer_in")
    assert posted.grade == "CE" and posted.learning_type == "formal"  # not a blanket "informal"


# The page --------------------------------------------------------------------------------------------------------


def test_a_refused_decision_comes_back_with_every_answer_kept_and_each_error_beside_its_item(client, four_items, staff):
    items = items_of(four_items)
    thai, science, maths, social = (items[c] for c in ("ท21101", "ว21101", "ค21101", "ส21101"))
    client.force_login(staff)
    response = client.post(decide_url(four_items), {
        "approve_matched": "1", "matched_reason_code": "rule", "matched_reason": "ตามมติครั้งที่ 3",
        f"decision_{maths.pk}": "reject", f"reason_{maths.pk}": "ผลการเรียนต่ำกว่าเกณฑ์ขั้นต่ำ",
        f"decision_{social.pk}": "reject", f"reason_{social.pk}": "",
        f"decision_{thai.pk}": "bulk", f"decision_{science.pk}": "bulk",
    })  # fmt: skip
    assert response.status_code == 200  # no redirect: nothing is lost
    page = response.content.decode()
    assert 'id="error-summary"' in page and f'href="#item-{social.pk}"' in page
    social_block = page[page.index(f'id="item-{social.pk}"') :]
    assert "ระบุเหตุผลที่ไม่อนุมัติ" in social_block[:4000].split('class="list-group-item')[0]
    assert re.search(rf'name="decision_{maths.pk}" id="reject_{maths.pk}" value="reject" checked', page)
    assert re.search(rf'name="decision_{social.pk}" id="reject_{social.pk}" value="reject" checked', page)
    assert 'value="ผลการเรียนต่ำกว่าเกณฑ์ขั้นต่ำ"' in page and 'value="ตามมติครั้งที่ 3"' in page
    assert re.search(r'id="approve_matched" checked', page)
    assert re.search(r'<option value="rule" selected>', page)
    assert not CreditDeposit.objects.filter(origin="transfer_in").exists()


def test_the_matched_items_are_approved_together_and_the_rest_one_by_one(client, four_items, staff):
    items = items_of(four_items)
    maths, social = items["ค21101"], items["ส21101"]
    client.force_login(staff)
    response = client.post(decide_url(four_items), {
        "approve_matched": "1", "matched_reason_code": "rule", "matched_reason": "",
        f"decision_{maths.pk}": "reject", f"reason_{maths.pk}": "ผลการเรียนต่ำกว่าเกณฑ์",
        f"decision_{social.pk}": "reject", f"reason_{social.pk}": "ยังไม่ได้ประเมิน",
    })  # fmt: skip
    assert response.status_code == 302
    decided = items_of(TransferRequest.objects.get(pk=four_items.pk))
    assert decided["ท21101"].decision == decided["ว21101"].decision == "approved"
    assert decided["ท21101"].decision_reason == "standard:rule"  # a code, worded for each reader
    detail = reverse("transfers:request_detail", args=[four_items.pk])
    assert "ผ่านทุกเงื่อนไขตามเกณฑ์เทียบโอน" in client.get(detail).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(detail).content.decode()
    assert "Meets every condition of the approved equivalence rule" in page and "ผ่านทุกเงื่อนไข" not in page
    client.post(reverse("set_language"), {"language": "th", "next": "/"})
    assert decided["ค21101"].decision == "rejected"
    assert CreditDeposit.objects.filter(origin="transfer_in").count() == 2
    # Posting the same page again (a double click, a second officer) posts nothing more.
    client.post(decide_url(four_items), {"approve_matched": "1", "matched_reason_code": "rule"})
    assert CreditDeposit.objects.filter(origin="transfer_in").count() == 2


def test_a_bulk_approval_without_any_reason_is_refused_once_at_the_bulk_choice(client, four_items, staff):
    items = items_of(four_items)
    client.force_login(staff)
    data = {"approve_matched": "1", "matched_reason_code": "", "matched_reason": ""}
    data.update({f"decision_{items[c].pk}": "reject" for c in ("ค21101", "ส21101")})
    data.update({f"reason_{items[c].pk}": "ไม่ผ่าน" for c in ("ค21101", "ส21101")})
    page = client.post(decide_url(four_items), data).content.decode()
    assert page.count("เลือกเหตุผลมาตรฐานหรือพิมพ์เหตุผลสำหรับการอนุมัติกลุ่มนี้") == 2  # summary and beside it
    assert 'href="#bulk"' in page and TransferRequest.objects.get(pk=four_items.pk).status == "submitted"
    # The summary's link lands on the card (it could not take focus), and its fields are tied to the message.
    assert 'id="bulk" tabindex="-1"' in page
    for field in ('id="approve_matched"', 'id="matched_reason_code"'):
        assert 'aria-invalid="true" aria-describedby="error-bulk"' in page.split(field, 1)[1].split(">", 1)[0]


def test_as_above_without_the_approval_above_says_where_to_decide_and_reds_no_reason_box(client, four_items, staff):
    items = items_of(four_items)
    thai, science, maths, social = (items[c] for c in ("ท21101", "ว21101", "ค21101", "ส21101"))
    client.force_login(staff)
    page = client.post(decide_url(four_items), {
        f"decision_{thai.pk}": "bulk", f"decision_{science.pk}": "bulk",  # "As above", the box above left unticked
        f"decision_{maths.pk}": "reject", f"reason_{maths.pk}": "",
        f"decision_{social.pk}": "approve",  # not assessed yet
    }).content.decode()  # fmt: skip
    thai_block = page[page.index(f'id="item-{thai.pk}"') :].split('class="list-group-item')[0]
    assert "ติ๊ก" in thai_block and "is-invalid" not in thai_block
    social_block = page[page.index(f'id="item-{social.pk}"') :].split('class="list-group-item')[0]
    assert "item-error" in social_block and "is-invalid" not in social_block  # its reason is not what is wrong
    maths_reason = re.search(rf'<input class="form-control[^"]*"[^>]*id="reason_{maths.pk}"', page).group(0)
    assert "is-invalid" in maths_reason and 'aria-invalid="true"' in maths_reason
    assert f'aria-describedby="error-{maths.pk}"' in maths_reason


def test_an_item_that_can_only_be_rejected_offers_no_approval_and_says_why(client, four_items, staff):
    items = items_of(four_items)
    assessment_record(
        actor=staff, item_id=items["ส21101"].pk, method="CE", score=Decimal("40"), max_score=Decimal("100"),
        pass_score=Decimal("60"), assessor="ครูผู้สอน", assessed_on=datetime.date(2026, 1, 5),
    )  # fmt: skip
    client.force_login(staff)
    page = client.get(four_items.get_absolute_url()).content.decode()

    def approve_box(code):
        return re.search(rf'<input[^>]*id="approve_{items[code].pk}"[^>]*>', page).group(0)

    for code in ("ค21101", "ส21101"):  # below the rule's minimum grade; an assessment not passed
        assert "disabled" in approve_box(code) and f'aria-describedby="only-reject-{items[code].pk}"' in approve_box(
            code
        )
        assert f'id="only-reject-{items[code].pk}"' in page
    assert "disabled" not in approve_box("ท21101")
    assert "ไม่ผ่าน</strong>" in page.split(f'id="item-{items["ส21101"].pk}"', 1)[1]  # the assessment's result, said
    # No standard reason for an approval it cannot have; its box asks why it is rejected.
    maths = items["ค21101"].pk
    assert f'id="reason_code_{maths}"' not in page and f'id="reason_code_{items["ท21101"].pk}"' in page
    assert "เหตุผลที่ไม่อนุมัติ (ผู้เรียนจะเห็นข้อความนี้)" in page.split(f'for="reason_{maths}"', 1)[1][:200]
    # Left undecided, it is told to be rejected, not "choose approve or reject" beside a disabled approval.
    refused = client.post(decide_url(four_items), {}).content.decode()
    said = refused.split(f'id="error-{maths}"', 1)[1].split("</p>", 1)[0]
    assert "ไม่อนุมัติรายการนี้และระบุเหตุผล" in said and 'tabindex="-1"' in refused.split(f'id="item-{maths}"', 1)[1][:30]


def test_the_rule_page_tells_its_proposer_that_another_officer_decides(client, staff, src, dst):
    rule = equivalence_propose(actor=staff, source_courses=[src["ท21101"]], target_courses=[dst["ท21101"]], basis="x")
    client.force_login(staff)
    page = client.get(reverse("transfers:rule_detail", args=[rule.pk])).content.decode()
    assert 'id="own-proposal"' in page and reverse("transfers:rule_decide", args=[rule.pk]) not in page
    client.post(reverse("transfers:rule_decide", args=[rule.pk]), {"approve": "1", "reason": "อนุมัติ"})
    rule.refresh_from_db()
    assert rule.status == "proposed"
    other = UserFactory(username="staff-other", role="provincial_staff")
    client.force_login(other)
    assert reverse("transfers:rule_decide", args=[rule.pk]) in client.get(rule.get_absolute_url()).content.decode()


def test_the_request_page_says_what_each_transfer_in_was_recognised_as(client, four_items, staff, learner_user):
    items = items_of(four_items)
    assessment_record(
        actor=staff, item_id=items["ส21101"].pk, method="CE", score=Decimal("80"), max_score=Decimal("100"),
        pass_score=Decimal("50"), assessor="ครูผู้สอน", assessed_on=datetime.date(2026, 1, 5),
    )  # fmt: skip
    decisions = {i.pk: (False, "ไม่ขอ") for i in items.values()}
    decisions[items["ส21101"].pk] = (True, "ผ่านการสอบ")
    transfer_request_decide(actor=staff, request_id=four_items.pk, decisions=decisions)
    client.force_login(learner_user)
    page = client.get(four_items.get_absolute_url()).content.decode()
    assert "รับรองเป็น" in page and "CE" in page and "ตามอัธยาศัย" not in page
    assert "80 จาก 100" in page  # plain numbers, not 80.00/100.00


def test_the_learner_who_owns_a_request_sees_no_decision_controls(client, four_items, learner_user):
    client.force_login(learner_user)
    page = client.get(four_items.get_absolute_url()).content.decode()
    assert 'name="approve_matched"' not in page and "decision_" not in page


def test_an_approval_without_a_reason_says_to_pick_or_type_one_and_marks_both_boxes(client, four_items, staff):
    """The reason boxes say an approval takes a standard reason or one's own words; left empty, the error says so
    beside the item and both boxes are marked. What stops an approval (an assessment not recorded) is said first."""
    items = items_of(four_items)
    thai, social = items["ท21101"], items["ส21101"]
    client.force_login(staff)
    page = client.post(decide_url(four_items), {
        f"decision_{thai.pk}": "approve", f"reason_code_{thai.pk}": "", f"reason_{thai.pk}": "",
        f"decision_{social.pk}": "approve", f"reason_code_{social.pk}": "", f"reason_{social.pk}": "",
    }).content.decode()  # fmt: skip
    thai_block = page[page.index(f'id="item-{thai.pk}"') :].split('class="list-group-item')[0]
    assert "เลือกเหตุผลมาตรฐาน หรือพิมพ์เหตุผล สำหรับการอนุมัตินี้" in thai_block
    for box in (f"reason_code_{thai.pk}", f"reason_{thai.pk}"):
        marked = re.search(rf'<(?:select|input) class="form-[a-z]+ is-invalid"[^>]*id="{box}"', page)
        assert marked and f'aria-describedby="error-{thai.pk}"' in marked.group(0)
    social_block = page[page.index(f'id="item-{social.pk}"') :].split('class="list-group-item')[0]
    assert "บันทึกผลการประเมิน" in social_block.split("item-error", 1)[1].split("</p>", 1)[0]
    assert "หรือเหตุผลด้วยคำของท่านเอง (จำเป็นเมื่อไม่อนุมัติ)" in page


def test_a_return_refused_for_want_of_a_reason_keeps_the_answers_typed_for_the_items(client, four_items, staff):
    """The return box sits in the decision form: a return sent with an empty box loses none of the items' answers,
    and a refused decision keeps a return note typed beside it."""
    maths = items_of(four_items)["ค21101"]
    client.force_login(staff)
    typed = {f"decision_{maths.pk}": "reject", f"reason_{maths.pk}": "ผลการเรียนต่ำกว่าเกณฑ์ขั้นต่ำ"}
    response = client.post(reverse("transfers:request_return", args=[four_items.pk]), {**typed, "reason": " "})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="reason-error"' in page
    summary = page.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "ยังไม่ได้ส่งคำร้องกลับ" in summary  # it said to record the decisions again: the other button
    assert re.search(rf'name="decision_{maths.pk}" id="reject_{maths.pk}" value="reject" checked', page)
    assert 'value="ผลการเรียนต่ำกว่าเกณฑ์ขั้นต่ำ"' in page
    assert f'formaction="{reverse("transfers:request_return", args=[four_items.pk])}"' in page
    response = client.post(decide_url(four_items), {**typed, "reason": "ขอสำเนาใบแสดงผลการเรียน"})
    assert "ขอสำเนาใบแสดงผลการเรียน</textarea>" in response.content.decode()
    four_items.refresh_from_db()
    assert four_items.status == "submitted"


def test_retiring_a_rule_rechecks_the_waiting_requests_that_lean_on_it(client, four_items, staff):
    """The officer is told before retiring how many waiting requests use the rule; afterwards their pages say what
    became of the item (only a rejection is possible) instead of "meets its rule" until an approval is refused."""
    thai = items_of(four_items)["ท21101"]
    rule = thai.equivalence
    client.force_login(staff)
    page = client.get(reverse("transfers:rule_detail", args=[rule.pk])).content.decode()
    named = page.split('id="waiting-on-rule"', 1)[1].split("</div>", 1)[0]
    assert f">#{four_items.pk}</a> · ยื่นแล้ว" in named
    response = client.post(reverse("transfers:rule_retire", args=[rule.pk]), {"reason": "หลักสูตรเปลี่ยน"}, follow=True)
    assert "ตรวจสอบอีกครั้งแล้ว" in response.content.decode()
    thai.refresh_from_db()
    assert thai.verdict == "fail" and thai.conditions[0]["key"] == "rule_retired"
    page = client.get(four_items.get_absolute_url()).content.decode()
    block = page[page.index(f'id="item-{thai.pk}"') :].split('class="list-group-item')[0]
    assert f"เกณฑ์ #{rule.pk} ถูกยกเลิกเมื่อ" in block
    matched = page.split('id="bulk"', 1)[1].split("</div>", 3)
    assert "ท21101" not in "".join(matched[:3])  # no longer offered in the approval of matched items


def test_leaving_to_record_an_assessment_keeps_the_answers_typed_so_far(client, four_items, staff):
    """The decision page's link to the assessment form threw away every choice and reason already typed: the
    officer came back to an empty form (the refusal even says to record the assessment first)."""
    items = items_of(four_items)
    maths, social = items["ค21101"], items["ส21101"]
    client.force_login(staff)
    page = client.get(four_items.get_absolute_url()).content.decode()
    assert f'formaction="{reverse("transfers:request_assess", args=[four_items.pk])}"' in page
    typed = {f"decision_{maths.pk}": "reject", f"reason_{maths.pk}": "ผลการเรียนต่ำกว่าเกณฑ์",
             "approve_matched": "1", "matched_reason": "ตรงตามเกณฑ์", "reason": "",
             "assess": str(social.pk)}  # fmt: skip
    response = client.post(reverse("transfers:request_assess", args=[four_items.pk]), typed)
    assert response.url == reverse("transfers:assessment", args=[social.pk])
    client.post(response.url, {"method": "CP", "score": "78", "max_score": "100", "pass_score": "60",
                               "assessor": "คณะกรรมการ", "assessed_on": "01/11/2569"})  # fmt: skip
    page = client.get(four_items.get_absolute_url()).content.decode()
    assert re.search(rf'name="decision_{maths.pk}" id="reject_{maths.pk}" value="reject" checked', page)
    assert 'value="ผลการเรียนต่ำกว่าเกณฑ์"' in page and 'value="ตรงตามเกณฑ์"' in page
    page = client.get(four_items.get_absolute_url()).content.decode()  # put back once: a later visit starts afresh
    assert 'value="ผลการเรียนต่ำกว่าเกณฑ์"' not in page
    four_items.refresh_from_db()
    assert four_items.status == "submitted"  # nothing was decided on the way


def test_a_request_sent_back_to_the_learner_is_named_before_its_rule_is_retired(client, four_items, staff):
    """A request returned for evidence still leans on the rule; the retire box did not count it, and the learner
    went on gathering evidence for a course that could then only be rejected."""
    from transfers.services.requests import transfer_request_return

    rule = items_of(four_items)["ท21101"].equivalence
    transfer_request_return(actor=staff, request_id=four_items.pk, reason="ขอหลักฐานเพิ่ม")
    client.force_login(staff)
    page = client.get(reverse("transfers:rule_detail", args=[rule.pk])).content.decode()
    named = page.split('id="waiting-on-rule"', 1)[1].split("</div>", 1)[0]
    assert f">#{four_items.pk}</a> · ส่งกลับเพื่อขอข้อมูลเพิ่มเติม" in named


def test_a_decision_sent_from_a_second_tab_after_another_officer_decided_says_so(client, four_items, staff):
    items = items_of(four_items)
    other = UserFactory(username="staff-other", role="provincial_staff", first_name="สุดา", last_name="ตัดสินก่อน")
    transfer_request_decide(
        actor=other, request_id=four_items.pk,
        decisions={i.pk: (False, "ไม่ผ่านตามมติ") for i in items.values()},
    )  # fmt: skip
    client.force_login(staff)
    sent = {f"decision_{i.pk}": "reject" for i in items.values()} | {f"reason_{i.pk}": "x" for i in items.values()}
    response = client.post(decide_url(four_items), sent, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == four_items.get_absolute_url()
    assert "สุดา ตัดสินก่อน" in page and 'id="error-summary"' not in page


def test_a_course_already_in_a_draft_is_pointed_out_and_a_draft_that_can_no_longer_be_sent_says_why(
    client, pupil, learner_user, programme, rules, banked, dst
):
    banked("ท21101", grade="3.5")
    first = transfer_request_create(
        actor=learner_user, learner=pupil, programme=programme, target_course_ids=[dst["ท21101"].pk]
    )
    client.force_login(learner_user)
    page = client.get(reverse("transfers:request_new"), {"programme": programme.pk}).content.decode()
    note = page.split(f'id="in-draft-{dst["ท21101"].pk}"', 1)[1].split("</div>", 1)[0]
    assert first.get_absolute_url() in note
    # Not ticked for the learner: saving the page as it came made a second draft of the same courses.
    assert re.search(rf'name="target" value="{dst["ท21101"].pk}"[^>]*>', page)
    assert "checked" not in re.search(rf'name="target" value="{dst["ท21101"].pk}"[^>]*>', page).group(0)
    second = transfer_request_create(
        actor=learner_user, learner=pupil, programme=programme, target_course_ids=[dst["ท21101"].pk]
    )
    transfer_request_submit(actor=learner_user, request_id=first.pk)
    page = client.get(second.get_absolute_url()).content.decode()
    assert 'id="held-elsewhere"' in page and first.get_absolute_url() in page
    assert reverse("transfers:request_submit", args=[second.pk]) not in page  # no button that can only be refused
    assert reverse("transfers:request_withdraw", args=[second.pk]) in page


def test_the_officer_goes_back_to_the_queue_as_they_filtered_it(client, four_items, staff):
    client.force_login(staff)
    client.get(reverse("transfers:queue"), {"status": "submitted", "institution": four_items.target_institution_id})
    page = client.get(four_items.get_absolute_url()).content.decode()
    back = re.search(r'<a href="([^"]*)" id="back-to-queue">', page).group(1).replace("&amp;", "&")
    assert back.startswith(reverse("transfers:queue") + "?") and "status=submitted" in back
    assert f"institution={four_items.target_institution_id}" in back
    client.get(reverse("transfers:queue"))  # the whole queue again: the way back is the plain queue
    page = client.get(four_items.get_absolute_url()).content.decode()
    assert f'<a href="{reverse("transfers:queue")}" id="back-to-queue">' in page


def test_the_confirmation_says_what_the_decision_posted(client, four_items, staff):
    items = items_of(four_items)
    maths, social = items["ค21101"], items["ส21101"]
    client.force_login(staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(decide_url(four_items), {
        "approve_matched": "1", "matched_reason_code": "rule",
        f"decision_{maths.pk}": "reject", f"reason_{maths.pk}": "grade below the minimum",
        f"decision_{social.pk}": "reject", f"reason_{social.pk}": "not assessed",
    }, follow=True)  # fmt: skip
    posted = sum(items[c].target_course.credits for c in ("ท21101", "ว21101"))
    page = unescape(response.content.decode())
    assert f"2 items approved, {posted.normalize():f} credits posted to the learner's record. 2 items rejected." in page


def test_a_course_both_ticked_and_chosen_for_an_assessment_is_marked_beside_its_dropdown(
    client, pupil, learner_user, programme, rules, banked, dst
):
    banked("ท21101", grade="3.5")
    art = banked("ศ21101", grade="4")  # no rule covers it: offered for an assessment
    client.force_login(learner_user)
    url = reverse("transfers:request_new") + f"?programme={programme.pk}"
    thai = dst["ท21101"].pk
    page = client.post(url, {"create": "1", "target": [thai], f"assess_{art.pk}": thai, "note": "ขอบคุณ"})
    page = page.content.decode()
    assert not TransferRequest.objects.exists()
    select = page.split(f'name="assess_{art.pk}"', 1)[1].split("</div>", 1)[0]
    assert 'aria-invalid="true"' in select and f'id="assess_{art.pk}_error"' in select
    assert f'href="#assess_{art.pk}"' in page.split('id="request-error"', 1)[1].split("</div>", 1)[0]
    assert "ขอบคุณ</textarea>" in page


def test_a_learner_adds_courses_to_a_draft_not_yet_sent_and_nowhere_else(
    client, pupil, learner_user, registrar, programme, rules, banked, dst
):
    """A learner who found another course after saving a draft had to withdraw it and start again; the draft's page
    now leads to its programme's courses, where what it already asks for is said so and the rest can be added."""
    banked("ท21101", grade="3.5")
    banked("ว21101", grade="3")
    art = banked("ศ21101", grade="4")  # no rule covers it: it may be assessed as a course of the programme
    draft = transfer_request_create(
        actor=learner_user, learner=pupil, programme=programme, target_course_ids=[dst["ท21101"].pk]
    )
    client.force_login(learner_user)
    add = reverse("transfers:request_new") + f"?into={draft.pk}"
    assert f'id="add-courses" href="{add}"' in client.get(draft.get_absolute_url()).content.decode()
    page = client.get(add).content.decode()
    assert re.search(rf'name="target" value="{dst["ท21101"].pk}"[^>]*disabled', page)
    assert "มีอยู่ในคำร้องนี้แล้ว" in page.split(f'id="in-draft-{dst["ท21101"].pk}"', 1)[1].split("</div>", 1)[0]
    assert re.search(rf'name="target" value="{dst["ว21101"].pk}"[^>]*checked', page)
    sent = reverse("transfers:request_new") + f"?programme={programme.pk}&into={draft.pk}"
    response = client.post(sent, {"create": "1", "target": [dst["ว21101"].pk]})
    assert response.status_code == 302 and response.url == draft.get_absolute_url()
    assert sorted(i.target_course.code for i in draft.items.all()) == ["ท21101", "ว21101"]
    assert TransferRequest.objects.filter(learner=pupil).count() == 1  # added to it, not a second draft
    # Asked again for a course it holds: refused, with nothing added.
    page = client.post(sent, {"create": "1", "target": [dst["ท21101"].pk]}).content.decode()
    assert "มีอยู่ในคำร้องนี้แล้ว: ท21101" in page and draft.items.count() == 2
    # A credit asked to be assessed is not offered again, nor is the course it is assessed for.
    assert client.post(sent, {"create": "1", f"assess_{art.pk}": dst["ส21101"].pk}).status_code == 302
    assert draft.items.count() == 3
    page = client.get(add).content.decode()
    assert f'name="assess_{art.pk}"' not in page and f'<option value="{dst["ส21101"].pk}"' not in page
    with pytest.raises(ValidationError, match="ประเมินเป็นรายวิชาอื่นอีกไม่ได้"):  # the same credit for another course
        transfer_request_add(actor=learner_user, request_id=draft.pk, target_course_ids=[],
                             assessments={dst["ค21101"].pk: [art.pk]})  # fmt: skip
    assert draft.items.count() == 3
    # Another's draft, or one already sent, takes nothing more: a 404, and no button on its page.
    client.force_login(registrar)
    assert client.get(add).status_code == 404
    transfer_request_submit(actor=learner_user, request_id=draft.pk)
    client.force_login(learner_user)
    assert client.get(add).status_code == 404
    assert 'id="add-courses"' not in client.get(draft.get_absolute_url()).content.decode()
    with pytest.raises(ValidationError, match="เพิ่มรายวิชาไม่ได้อีก"):
        transfer_request_add(actor=learner_user, request_id=draft.pk, target_course_ids=[dst["ค21101"].pk])


def test_the_officer_goes_from_one_proposed_rule_to_the_next_they_may_decide(client, staff, proposer, src, dst):
    """In the order of the list of proposals the officer came from (newest first: the way back went the other way,
    and from the top row straight to the end), passing over the officer's own (another decides those); at the end,
    the list of proposals with a word that those passed over still wait, or that none is left."""
    from transfers.models import Equivalence

    first, second, third = (
        equivalence_propose(actor=proposer, source_courses=[src[code]], target_courses=[dst[code]], basis="x")
        for code in ("ท21101", "ว21101", "ค21101")
    )
    own = equivalence_propose(actor=staff, source_courses=[src["ค21102"]], target_courses=[dst["ค21101"]], basis="x")
    Equivalence.objects.filter(pk=own.pk).update(proposed_at=second.proposed_at)  # between the others, by time
    client.force_login(staff)
    nxt = reverse("transfers:rule_next")
    listed = client.get(reverse("transfers:rules"), {"status": "proposed"}).content.decode()
    assert listed.index(f'href="{third.get_absolute_url()}"') < listed.index(f'href="{second.get_absolute_url()}"')
    page = client.get(third.get_absolute_url()).content.decode()
    assert f'href="{nxt}?after={third.pk}" id="next-rule"' in page
    assert client.get(nxt, {"after": third.pk}).url == second.get_absolute_url()  # the officer's own passed over
    assert client.get(nxt, {"after": second.pk}).url == first.get_absolute_url()
    response = client.get(nxt, {"after": first.pk}, follow=True)  # past the last: the list, not round again
    assert response.redirect_chain[-1][0] == reverse("transfers:rules") + "?status=proposed"
    assert "ยังมีอีก 2 รายการที่รอท่านพิจารณา" in response.content.decode()
    for rule in (first, second, third):
        equivalence_decide(actor=staff, rule_id=rule.pk, approve=True, reason="ผ่านคณะกรรมการ")
    response = client.get(nxt, {"after": first.pk}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("transfers:rules") + "?status=proposed"
    assert "ไม่มีการเทียบรายวิชาอื่นที่รอท่านพิจารณา" in response.content.decode()
    # One proposed since, at the top of the list: still waiting, and not one the officer "passed over".
    equivalence_propose(actor=proposer, source_courses=[src["ค21102"]], target_courses=[dst["ว21101"]], basis="x")
    message = client.get(nxt, {"after": first.pk}, follow=True).content.decode()
    assert "ยังมีอีก 1 รายการที่รอท่านพิจารณา" in message and "ที่ท่านข้ามไว้" not in message


def test_a_request_returned_to_the_registrar_who_filed_it_says_so_and_asks_to_be_sent_again(
    client, pupil, registrar, staff, programme, rules, banked, dst
):
    """The office's note went "to the learner" although a registrar had filed the request; and once back, its courses
    still read "waiting for a decision" under a plain "submit" button."""
    registrar.first_name, registrar.last_name = "วิไลวรรณ", "ทะเบียนดี"
    registrar.save()
    banked("ท21101", grade="3.5")
    filed = transfer_request_create(
        actor=registrar, learner=pupil, programme=programme, target_course_ids=[dst["ท21101"].pk]
    )
    transfer_request_submit(actor=registrar, request_id=filed.pk)
    client.force_login(staff)
    page = client.get(filed.get_absolute_url()).content.decode()
    assert "ส่งกลับให้ วิไลวรรณ ทะเบียนดี ผู้ยื่นคำร้อง เพื่อขอข้อมูลเพิ่มเติม" in page
    # Sent back with nothing said: the message asks what the registrar, not "the learner", must add.
    refused = client.post(reverse("transfers:request_return", args=[filed.pk]), {"reason": " "}).content.decode()
    assert "กรุณาระบุสิ่งที่วิไลวรรณ ทะเบียนดี ผู้ยื่นคำร้อง ต้องส่งเพิ่ม" in refused
    response = client.post(reverse("transfers:request_return", args=[filed.pk]), {"reason": "ขอใบรับรองผลการเรียน"},
                           follow=True)  # fmt: skip
    assert "ส่งคำร้องกลับให้ วิไลวรรณ ทะเบียนดี ผู้ยื่นคำร้องแล้ว" in response.content.decode()
    officer_note = response.content.decode().split('id="office-note"', 1)[1].split("</div>", 1)[0]
    assert "แล้วยื่นคำร้องอีกครั้ง" not in officer_note  # the next step is the filer's, not said to the officer
    client.force_login(registrar)
    page = client.get(filed.get_absolute_url()).content.decode()
    assert "ส่งกลับมาแล้ว รอยื่นคำร้องอีกครั้ง" in page and "ยื่นต่อสำนักงานศึกษาธิการจังหวัดอีกครั้ง" in page
    note = page.split('id="office-note"', 1)[1].split("</div>", 1)[0]
    assert "ขอใบรับรองผลการเรียน" in note and "แล้วยื่นคำร้องอีกครั้ง" in note  # what was asked, and what next
    # Sent again: the office's words are what it asked then, no longer an instruction in a warning box.
    transfer_request_submit(actor=registrar, request_id=filed.pk, reply="แนบใบรับรองแล้ว")
    page = client.get(filed.get_absolute_url()).content.decode()
    note = page.split('id="office-note">', 1)[1].split("</p>", 1)[0]
    assert "ส่งกลับโดย staff1 เมื่อ" in note and "ขอ:</span> ขอใบรับรองผลการเรียน" in note  # who asked, and when
    assert 'id="exchange"' in page and "alert-warning" not in page.split('id="office-note"', 1)[0].rsplit("<div", 1)[-1]


def test_the_filer_takes_a_course_out_of_a_request_not_yet_sent_and_the_trail_says_who(
    client, pupil, learner_user, registrar, staff, programme, rules, banked, dst
):
    """A course saved into a draft by mistake, or one another request already asks for, could only be dropped by
    withdrawing the whole request and choosing every other course again."""
    banked("ท21101", grade="3.5")
    banked("ว21101", grade="3")
    art = banked("ศ21101", grade="4")
    thai, science = dst["ท21101"].pk, dst["ว21101"].pk
    sent = transfer_request_create(actor=learner_user, learner=pupil, programme=programme, target_course_ids=[thai])
    draft = transfer_request_create(
        actor=learner_user, learner=pupil, programme=programme, target_course_ids=[thai, science],
        assessments={dst["ส21101"].pk: [art.pk]},
    )  # fmt: skip
    transfer_request_submit(actor=learner_user, request_id=sent.pk)  # the draft can't be sent now, as it is
    items = items_of(draft)
    remove = reverse("transfers:request_remove_item", args=[draft.pk])
    client.force_login(learner_user)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert 'id="held-elsewhere"' in page and "นำรายวิชาเหล่านี้ออกจากคำร้องนี้" in page
    for item in items.values():  # a button on each course, saying which course it takes out
        button = page.split(f'id="item-{item.pk}"', 1)[1].split("</button>", 1)[0]
        assert f'formaction="{remove}" name="item" value="{item.pk}"' in button
        assert item.target_course.code in button
    science_limit = [c for c in items["ว21101"].conditions if c["key"] == "limit"][0]["params"]
    assert science_limit["used"] == "1.5"  # counted after the Thai course, saved first
    response = client.post(remove, {"item": items["ท21101"].pk}, follow=True)
    assert response.redirect_chain[-1][0] == draft.get_absolute_url()
    page = response.content.decode()
    assert "นำ ท21101 ออกจากคำร้องแล้ว" in page and 'id="held-elsewhere"' not in page
    # The course left no longer counts the one taken out toward the transfer limit.
    science = draft.items.get(target_course=dst["ว21101"])
    assert [c for c in science.conditions if c["key"] == "limit"][0]["params"]["used"] == "0"
    # Pressed again on a page left open: already done, said without alarm.
    again = client.post(remove, {"item": items["ท21101"].pk}, follow=True).content.decode()
    assert "รายวิชานั้นไม่อยู่ในคำร้องนี้แล้ว" in again and "alert-danger" not in again
    assert sorted(items_of(draft)) == ["ว21101", "ส21101"]
    assert reverse("transfers:request_submit", args=[draft.pk]) in page  # nothing holds it up now
    trail = pghistory.models.Events.objects.filter(pgh_context__service="transfer_request_remove_item")
    assert {e.pgh_model for e in trail} == {"transfers.TransferItemEvent", "transfers.TransferItemSourceEvent"}
    event = trail.get(pgh_model="transfers.TransferItemEvent", pgh_label="delete")
    assert event.pgh_label == "delete" and event.pgh_context["user"] == learner_user.pk
    assert event.pgh_data["target_course_id"] == thai  # what was taken out, by whom
    # Someone else's request: a 404, and nothing taken out.
    client.force_login(registrar)
    assert client.post(remove, {"item": items["ว21101"].pk}).status_code == 404
    assert draft.items.count() == 2
    # The last course is not taken out: the request would be empty; withdrawing it is the way.
    client.force_login(learner_user)
    client.post(remove, {"item": items["ว21101"].pk})
    with pytest.raises(ValidationError, match="ถอนคำร้อง"):
        transfer_request_remove_item(actor=learner_user, request_id=draft.pk, item_id=items["ส21101"].pk)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert 'name="item"' not in page  # no button that can only be refused
    # Once sent, its courses are the office's to decide: no button, and the service refuses.
    transfer_request_submit(actor=learner_user, request_id=draft.pk)
    with pytest.raises(ValidationError, match="เปลี่ยนรายวิชาไม่ได้อีก"):
        transfer_request_remove_item(actor=learner_user, request_id=draft.pk, item_id=items["ส21101"].pk)
    assert draft.items.count() == 1


def test_a_course_the_office_assessed_stays_in_a_returned_request(
    client, pupil, learner_user, staff, programme, rules, banked, dst
):
    banked("ท21101", grade="3.5")
    art = banked("ศ21101", grade="4")
    filed = transfer_request_create(
        actor=learner_user, learner=pupil, programme=programme, target_course_ids=[dst["ท21101"].pk],
        assessments={dst["ส21101"].pk: [art.pk]},
    )  # fmt: skip
    transfer_request_submit(actor=learner_user, request_id=filed.pk)
    items = items_of(filed)
    assessment_record(
        actor=staff, item_id=items["ส21101"].pk, method="CP", score=Decimal("78"), max_score=Decimal("100"),
        pass_score=Decimal("60"), assessor="คณะกรรมการ", assessed_on=datetime.date(2026, 11, 1),
    )  # fmt: skip
    transfer_request_return(actor=staff, request_id=filed.pk, reason="ขอใบรับรองผลการเรียน")
    client.force_login(learner_user)
    page = client.get(filed.get_absolute_url()).content.decode()
    assert f'value="{items["ท21101"].pk}"' in page and f'name="item" value="{items["ส21101"].pk}"' not in page
    with pytest.raises(ValidationError, match="บันทึกผลการประเมิน ส21101 แล้ว"):
        transfer_request_remove_item(actor=learner_user, request_id=filed.pk, item_id=items["ส21101"].pk)
    transfer_request_remove_item(actor=learner_user, request_id=filed.pk, item_id=items["ท21101"].pk)
    assert sorted(items_of(filed)) == ["ส21101"]


def test_the_registrars_home_leads_to_the_requests_waiting_on_them(
    client, pupil, registrar, staff, programme, rules, banked, dst, school
):
    """A request the office sent back sat in a list under "More", looking like every other: nothing led the registrar
    who filed it there. Their home page now lists what waits on them, sent back first, with what the office asked."""
    from tests.factories import UserFactory

    banked("ท21101", grade="3.5")
    banked("ว21101", grade="3")
    returned = transfer_request_create(
        actor=registrar, learner=pupil, programme=programme, target_course_ids=[dst["ท21101"].pk]
    )
    transfer_request_submit(actor=registrar, request_id=returned.pk)
    transfer_request_return(actor=staff, request_id=returned.pk, reason="ขอสำเนา ปพ.1 ที่รับรองแล้ว")
    draft = transfer_request_create(
        actor=registrar, learner=pupil, programme=programme, target_course_ids=[dst["ว21101"].pk]
    )
    client.force_login(registrar)
    box = client.get(reverse("home")).content.decode().split('id="requests-with-you"', 1)[1].split("</ul>", 1)[0]
    assert box.index(returned.get_absolute_url()) < box.index(draft.get_absolute_url())  # sent back first
    assert "ขอสำเนา ปพ.1 ที่รับรองแล้ว" in box and "ฉบับร่าง ยังไม่ได้ส่ง" in box
    colleague = UserFactory(username="registrar-b", role=registrar.role, institution=school)
    client.force_login(colleague)  # another registrar's requests are theirs to follow, not this one's
    assert 'id="requests-with-you"' not in client.get(reverse("home")).content.decode()
    transfer_request_submit(actor=registrar, request_id=returned.pk, reply="แนบสำเนาแล้ว")
    transfer_request_submit(actor=registrar, request_id=draft.pk)
    client.force_login(registrar)
    assert 'id="requests-with-you"' not in client.get(reverse("home")).content.decode()  # nothing waits on them now


def test_each_item_offers_only_the_standard_reasons_that_can_be_true_of_it(client, four_items, staff):
    """An item with no rule offered "meets every condition of the approved equivalence rule", and an item under a
    rule "passed the assessment": picked, either wrote a false reason into the learner's record. Each now offers only
    what can be true of it, and the server drops a reason sent for the wrong kind of item."""
    items = items_of(four_items)
    thai, social = items["ท21101"], items["ส21101"]
    assessment_record(actor=staff, item_id=social.pk, method="CP", score=Decimal("78"), max_score=Decimal("100"),
                      pass_score=Decimal("60"), assessor="คณะกรรมการ",
                      assessed_on=datetime.date(2026, 11, 1))  # fmt: skip
    client.force_login(staff)
    page = client.get(four_items.get_absolute_url()).content.decode()

    def offered(box):
        return re.findall(r'<option value="([a-z]+)"', page.split(f'id="{box}"', 1)[1].split("</select>", 1)[0])

    assert offered(f"reason_code_{social.pk}") == ["assessment", "committee"]
    assert offered(f"reason_code_{thai.pk}") == ["rule", "committee"]
    assert offered("matched_reason_code") == ["rule", "committee"]
    # Sent anyway (a page from before, or by hand): not taken; with no words of the officer's own, it is refused.
    page = client.post(decide_url(four_items), {
        f"decision_{social.pk}": "approve", f"reason_code_{social.pk}": "rule", f"reason_{social.pk}": "",
    }).content.decode()  # fmt: skip
    social_block = page[page.index(f'id="item-{social.pk}"') :].split('class="list-group-item')[0]
    assert "เลือกเหตุผลมาตรฐาน หรือพิมพ์เหตุผล สำหรับการอนุมัตินี้" in social_block
    social.refresh_from_db()
    assert social.decision == "pending"
    maths = items["ค21101"]
    client.post(decide_url(four_items), {
        "approve_matched": "1", "matched_reason_code": "rule", "matched_reason": "",
        f"decision_{maths.pk}": "reject", f"reason_{maths.pk}": "ผลการเรียนต่ำกว่าเกณฑ์",
        f"decision_{social.pk}": "approve", f"reason_code_{social.pk}": "assessment", f"reason_{social.pk}": "",
    })  # fmt: skip
    social.refresh_from_db()
    thai.refresh_from_db()
    assert social.decision == "approved" and social.decision_reason == "standard:assessment"
    assert thai.decision == "approved" and thai.decision_reason == "standard:rule"


def test_a_course_the_office_refused_is_not_offered_again_as_if_nothing_happened(
    client, pupil, learner_user, programme, rules, banked, dst, staff
):
    """After the office refused ท21101 with a reason, the learner's progress box still listed it as "could transfer",
    and a new request had it ticked and marked "meets the rule", the refusal nowhere in sight."""
    banked("ท21101", grade="3.5")
    banked("ว21101", grade="3")
    request = transfer_request_create(
        actor=learner_user, learner=pupil, programme=programme, target_course_ids=[dst["ท21101"].pk]
    )
    transfer_request_submit(actor=learner_user, request_id=request.pk)
    [item] = request.items.all()
    reason = "เนื้อหาไม่ตรงกับหลักสูตรปลายทาง"
    transfer_request_decide(actor=staff, request_id=request.pk, decisions={item.pk: (False, reason)})
    client.force_login(learner_user)
    home = client.get("/", {"programme": programme.pk}).content.decode()
    could = home.split('id="progress"', 1)[1]
    assert "ท21101" not in could.split("could-transfer", 1)[-1].split("</ul>", 1)[0]  # not among what could transfer
    refused = could.split('id="refused-before"', 1)[1].split("</ul>", 1)[0]
    assert "ท21101" in refused and reason in refused and f"#{request.pk}" in refused
    page = client.get(reverse("transfers:request_new"), {"programme": programme.pk}).content.decode()
    thai = re.search(rf'<input[^>]*value="{dst["ท21101"].pk}"[^>]*>', page).group(0)
    science = re.search(rf'<input[^>]*value="{dst["ว21101"].pk}"[^>]*>', page).group(0)
    assert "checked" not in thai and "checked" in science  # not ticked for them; one never refused still is
    said = page.split(f'id="refused-{dst["ท21101"].pk}"', 1)[1][:400]
    assert reason in said and f"#{request.pk}" in said
    # Asked again and approved: the old refusal is no longer said beside a course the learner now holds.
    again = transfer_request_create(
        actor=learner_user, learner=pupil, programme=programme, target_course_ids=[dst["ท21101"].pk]
    )
    transfer_request_submit(actor=learner_user, request_id=again.pk)
    [item] = again.items.all()
    transfer_request_decide(actor=staff, request_id=again.pk, decisions={item.pk: (True, "standard:rule")})
    page = client.get(reverse("transfers:request_new"), {"programme": programme.pk}).content.decode()
    assert f'id="refused-{dst["ท21101"].pk}"' not in page


def test_an_item_approved_on_its_own_has_its_likely_reason_picked_and_is_approved_in_one_round(
    client, four_items, staff
):
    """Choosing Approve on one item and saving was refused ("pick a standard reason or type one"): the bulk approval
    had its reason picked, the item's own list stood at "—"."""
    items = items_of(four_items)
    thai = items["ท21101"]
    client.force_login(staff)
    page = client.get(reverse("transfers:request_detail", args=[four_items.pk])).content.decode()
    select = page.split(f'name="reason_code_{thai.pk}"', 1)[1].split("</select>", 1)[0]
    assert '<option value="rule" selected>' in select
    assessed = items["ส21101"]
    select = page.split(f'name="reason_code_{assessed.pk}"', 1)[1].split("</select>", 1)[0]
    assert '<option value="assessment" selected>' in select
    data = {f"decision_{thai.pk}": "approve", f"reason_code_{thai.pk}": "rule"}  # as the page sends it
    for code, item in items.items():
        if code != "ท21101":
            data.update({f"decision_{item.pk}": "reject", f"reason_{item.pk}": "ยังไม่ผ่านเกณฑ์ของหลักสูตร"})
    assert client.post(decide_url(four_items), data).status_code == 302
    thai.refresh_from_db()
    assert thai.decision == "approved"


def test_the_transfer_limit_counts_credits_already_transferred_by_an_earlier_request(
    pupil, learner_user, programme, rules, banked, dst, staff
):
    """Each request had been checked against the whole limit, counting only credits already moved into its own
    courses: two requests could carry more than the programme allows by transfer."""
    programme.required_credits = Decimal("6")  # a limit of 4.5 credits
    programme.save()
    for code in ("ท21101", "ค21101", "ค21102", "ว21101"):
        banked(code, grade="3.5")
    first = transfer_request_create(
        actor=learner_user, learner=pupil, programme=programme, target_course_ids=[dst["ท21101"].pk]
    )
    transfer_request_submit(actor=learner_user, request_id=first.pk)
    [item] = first.items.all()
    transfer_request_decide(actor=staff, request_id=first.pk, decisions={item.pk: (True, "standard:rule")})  # 1.5
    second = transfer_request_create(
        actor=learner_user, learner=pupil, programme=programme,
        target_course_ids=[dst["ค21101"].pk, dst["ว21101"].pk, dst["ว21102"].pk],
    )  # fmt: skip
    transfer_request_submit(actor=learner_user, request_id=second.pk)
    decisions = {i.pk: (True, "standard:rule") for i in second.items.all()}  # 2.0 + 1.0 + 1.0: 5.5 in all
    with pytest.raises(ValidationError):  # what would pass the limit fails it now, and can only be rejected
        transfer_request_decide(actor=staff, request_id=second.pk, decisions=decisions)
    over = [i for i in second.items.all() if any(c["key"] == "limit" and not c["passed"] for c in i.conditions)]
    assert over, "an item over the programme's limit"
    transferred = CreditDeposit.objects.filter(learner=pupil, origin="transfer_in")
    assert sum(d.credits for d in transferred) == Decimal("1.5")  # nothing of the second written


def test_saving_the_request_page_again_after_going_back_opens_the_draft_it_made_instead_of_a_copy(
    client, pupil, learner_user, programme, rules, banked, dst
):
    banked("ท21101", grade="3.5")
    art = banked("ศ21101", grade="4")  # no rule covers it: offered for an assessment
    client.force_login(learner_user)
    url = reverse("transfers:request_new") + f"?programme={programme.pk}"
    sent = {"create": "1", "target": [dst["ท21101"].pk], f"assess_{art.pk}": dst["ค21101"].pk, "note": "ขอบคุณ"}
    first = client.post(url, sent)
    draft = TransferRequest.objects.get()
    assert first.url == draft.get_absolute_url()
    again = client.post(url, sent, follow=True)  # the browser's Back, then Save on the page as it was left
    assert TransferRequest.objects.count() == 1
    assert again.redirect_chain[-1][0] == draft.get_absolute_url()
    assert f"#{draft.pk}" in unescape(again.content.decode())
    client.post(url, {**sent, "note": "อีกฉบับ"})  # another note, or other courses, are another request
    client.post(url, {**sent, "target": []})
    assert TransferRequest.objects.count() == 3


def test_a_registrar_saving_what_the_learners_own_draft_asks_for_gets_a_request_of_their_own(
    client, pupil, learner_user, receiving, programme, rules, banked, dst
):
    """Sent to the learner's draft as "already saved": the registrar had saved nothing and could do nothing there."""
    banked("ท21101", grade="3.5")
    theirs = transfer_request_create(
        actor=learner_user, learner=pupil, programme=programme, target_course_ids=[dst["ท21101"].pk]
    )
    from tests.factories import UserFactory

    registrar = UserFactory(role="registrar", institution=receiving)
    client.force_login(registrar)
    client.post(reverse("transfers:request_new"), {"national_id": pupil.national_id})
    url = reverse("transfers:request_new") + f"?programme={programme.pk}"
    response = client.post(url, {"create": "1", "target": [dst["ท21101"].pk], "note": ""})
    mine = TransferRequest.objects.exclude(pk=theirs.pk).get()
    assert mine.created_by == registrar and response.url == mine.get_absolute_url()
