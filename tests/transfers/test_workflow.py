import datetime
import threading
from decimal import Decimal

import pghistory.models
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from registry.models import CreditDeposit
from transfers.models import AppliedCredit, Assessment, Equivalence, TransferRequest
from transfers.services.requests import (
    assessment_record,
    transfer_request_create,
    transfer_request_decide,
    transfer_request_return,
    transfer_request_start_review,
    transfer_request_submit,
)
from transfers.services.rules import equivalence_decide, equivalence_propose, equivalence_retire

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(pupil, learner_user, programme, rules, banked, dst):
    banked("ท21101", grade="3.5")
    banked("ศ21101", grade="4")
    art = CreditDeposit.objects.get(course__code="ศ21101", learner=pupil)
    request = transfer_request_create(
        actor=learner_user,
        learner=pupil,
        programme=programme,
        target_course_ids=[dst["ท21101"].pk],
        assessments={dst["ส21101"].pk: [art.pk]},
    )
    return transfer_request_submit(actor=learner_user, request_id=request.pk)


def items_of(request):
    return {item.target_course.code: item for item in request.items.select_related("target_course")}


def test_approval_posts_transfer_in_deposits_with_their_notation_and_links(client, submitted, staff, pupil):
    items = items_of(submitted)
    assessment_record(
        actor=staff, item_id=items["ส21101"].pk, method="CP", score=Decimal("78"), max_score=Decimal("100"),
        pass_score=Decimal("60"), assessor="คณะกรรมการประเมินแฟ้มสะสมงาน", assessed_on=datetime.date(2026, 11, 1),
    )  # fmt: skip
    transfer_request_start_review(actor=staff, request_id=submitted.pk)
    decided = transfer_request_decide(
        actor=staff,
        request_id=submitted.pk,
        decisions={items["ท21101"].pk: (True, "ตรงตามเกณฑ์"), items["ส21101"].pk: (True, "แฟ้มผ่านเกณฑ์")},
    )
    assert decided.status == "approved" and decided.decided_by == staff
    posted = {d.course.code: d for d in CreditDeposit.objects.filter(origin="transfer_in").select_related("course")}
    assert posted["ท21101"].grade == "TR" and posted["ส21101"].grade == "CP"
    assert posted["ท21101"].course.institution == submitted.target_institution
    assert posted["ท21101"].learner == pupil and posted["ท21101"].credits == Decimal("1.5")
    thai = items_of(decided)["ท21101"]
    assert thai.posted_deposit == posted["ท21101"] and thai.equivalence.status == "approved"
    assert AppliedCredit.objects.filter(item=thai).count() == 1
    # The deposit's own page says it was transferred in, and by which request (only the lists had said so).
    client.force_login(staff)
    page = client.get(reverse("registry:deposit_detail", args=[posted["ท21101"].pk])).content.decode()
    origin = page.split('id="transfer-origin">', 1)[1].split("</td>", 1)[0]
    assert f'href="{submitted.get_absolute_url()}"' in origin and f"#{submitted.pk}" in origin


def test_staff_approve_one_item_and_reject_another_with_reasons(submitted, staff):
    items = items_of(submitted)
    decided = transfer_request_decide(
        actor=staff,
        request_id=submitted.pk,
        decisions={items["ท21101"].pk: (True, "ตรงตามเกณฑ์"), items["ส21101"].pk: (False, "ไม่มีหลักฐานการประเมิน")},
    )
    assert decided.status == "partly_approved"
    rejected = items_of(decided)["ส21101"]
    assert rejected.decision == "rejected" and rejected.decision_reason == "ไม่มีหลักฐานการประเมิน"
    assert CreditDeposit.objects.filter(origin="transfer_in").count() == 1


def test_every_decision_needs_a_reason_and_every_item_a_decision(submitted, staff):
    items = items_of(submitted)
    with pytest.raises(ValidationError):
        transfer_request_decide(actor=staff, request_id=submitted.pk, decisions={items["ท21101"].pk: (True, "ok")})
    with pytest.raises(ValidationError):
        transfer_request_decide(
            actor=staff, request_id=submitted.pk,
            decisions={items["ท21101"].pk: (True, " "), items["ส21101"].pk: (False, "ไม่ผ่าน")},
        )  # fmt: skip
    assert not CreditDeposit.objects.filter(origin="transfer_in").exists()


def test_an_assessment_item_cannot_be_approved_without_a_passed_assessment(submitted, staff):
    items = items_of(submitted)
    decisions = {items["ท21101"].pk: (True, "ผ่าน"), items["ส21101"].pk: (True, "ผ่าน")}
    with pytest.raises(ValidationError):
        transfer_request_decide(actor=staff, request_id=submitted.pk, decisions=decisions)
    assessment_record(
        actor=staff, item_id=items["ส21101"].pk, method="CE", score=Decimal("40"), max_score=Decimal("100"),
        pass_score=Decimal("50"), assessor="ครูผู้สอน", assessed_on=datetime.date(2026, 11, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError):
        transfer_request_decide(actor=staff, request_id=submitted.pk, decisions=decisions)
    assert not CreditDeposit.objects.filter(origin="transfer_in").exists()


def test_an_item_waiting_for_its_assessment_cannot_be_chosen_for_approval_and_says_why(client, submitted, staff):
    """It looked approvable; chosen, the whole form was refused on saving, the other items' answers with it."""
    item = items_of(submitted)["ส21101"]
    client.force_login(staff)
    page = client.get(submitted.get_absolute_url()).content.decode()
    row = page.split(f'id="item-{item.pk}"', 1)[1].split('id="item-', 1)[0]
    assert f'id="approve_{item.pk}" value="approve" disabled aria-describedby="needs-assessment-{item.pk}"' in row
    assert "ต้องบันทึกผลการประเมินก่อน" in row.split(f'id="needs-assessment-{item.pk}"', 1)[1][:200]
    assessment_record(
        actor=staff, item_id=item.pk, method="CE", score=Decimal("80"), max_score=Decimal("100"),
        pass_score=Decimal("50"), assessor="ครูผู้สอน", assessed_on=datetime.date(2026, 11, 1),
    )  # fmt: skip
    page = client.get(submitted.get_absolute_url()).content.decode()
    row = page.split(f'id="item-{item.pk}"', 1)[1].split('id="item-', 1)[0]
    assert f'id="approve_{item.pk}" value="approve" >' in row and "needs-assessment" not in row
    transfer_request_decide(actor=staff, request_id=submitted.pk, decisions={
        i.pk: (True, "ผ่าน") for i in items_of(submitted).values()})  # fmt: skip
    decided = client.get(submitted.get_absolute_url()).content.decode()
    assert decided.count('<div class="decision"><span class="badge text-bg-success fs-6">') == 2  # seen at a glance


def test_an_assessed_course_the_learner_already_holds_is_never_credited_twice(
    submitted, staff, pupil, learner_user, programme, dst, registrar
):
    from tests.factories import DepositFactory

    items = items_of(submitted)
    assessment_record(
        actor=staff, item_id=items["ส21101"].pk, method="CE", score=Decimal("80"), max_score=Decimal("100"),
        pass_score=Decimal("50"), assessor="ครูผู้สอน", assessed_on=datetime.date(2026, 11, 1),
    )  # fmt: skip
    earned = DepositFactory(learner=pupil, course=dst["ส21101"], grade="4", recorded_by=registrar)  # since asking
    decisions = {items["ท21101"].pk: (True, "ผ่าน"), items["ส21101"].pk: (True, "ผ่านการประเมิน")}
    with pytest.raises(ValidationError) as refused:
        transfer_request_decide(actor=staff, request_id=submitted.pk, decisions=decisions)
    assert "ส21101" in str(refused.value) and not CreditDeposit.objects.filter(origin="transfer_in").exists()
    art = CreditDeposit.objects.get(course__code="ศ21101", learner=pupil)
    for target, words in ((dst["ส21101"], "ส21101"), (dst["ท21101"], "ท21101")):  # held; chosen under a rule too
        with pytest.raises(ValidationError) as asked:
            transfer_request_create(
                actor=learner_user, learner=pupil, programme=programme, target_course_ids=[dst["ท21101"].pk],
                assessments={target.pk: [art.pk]},
            )  # fmt: skip
        assert words in str(asked.value)
    assert earned.status == "active"


def test_the_learners_note_keeps_its_paragraphs_and_a_draft_is_not_said_to_wait(
    client, pupil, learner_user, programme, rules, banked, dst
):
    banked("ท21101")
    note = "ขอเทียบโอนภาคเรียนที่ 1\r\n\r\n\r\nแนบเอกสาร   ครบแล้ว\n"
    draft = transfer_request_create(
        actor=learner_user, learner=pupil, programme=programme, target_course_ids=[dst["ท21101"].pk], note=note
    )
    assert draft.learner_note == "ขอเทียบโอนภาคเรียนที่ 1\n\nแนบเอกสาร ครบแล้ว"
    client.force_login(learner_user)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "ขอเทียบโอนภาคเรียนที่ 1<br><br>แนบเอกสาร ครบแล้ว" in page
    assert "ยังไม่ได้ส่ง" in page.split('class="decision"', 1)[1].split("</div>", 1)[0]


def test_a_learner_withdraws_a_request_before_it_is_decided_and_may_ask_for_its_courses_again(
    client, submitted, learner_user, pupil, programme, dst, staff
):
    from transfers.services.requests import transfer_request_withdraw

    client.force_login(learner_user)
    page = client.get(submitted.get_absolute_url()).content.decode()
    url = reverse("transfers:request_withdraw", args=[submitted.pk])
    assert f'action="{url}"' in page  # offered on the learner's own request while it waits
    assert client.post(url).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "withdrawn" and not CreditDeposit.objects.filter(origin="transfer_in").exists()
    assert f'action="{url}"' not in client.get(submitted.get_absolute_url()).content.decode()
    again = transfer_request_create(
        actor=learner_user, learner=pupil, programme=programme, target_course_ids=[dst["ท21101"].pk]
    )
    transfer_request_submit(actor=learner_user, request_id=again.pk)  # its course is no longer held
    with pytest.raises(ValidationError):  # a withdrawn request is not decided
        transfer_request_decide(
            actor=staff, request_id=submitted.pk, decisions={i.pk: (False, "x") for i in submitted.items.all()}
        )
    with pytest.raises(ValidationError):  # nor is a decided one withdrawn
        transfer_request_decide(
            actor=staff, request_id=again.pk, decisions={i.pk: (True, "ผ่าน") for i in again.items.all()}
        )
        transfer_request_withdraw(actor=learner_user, request_id=again.pk)
    assert TransferRequest.objects.get(pk=again.pk).status == "approved"
    assert pghistory.models.Events.objects.filter(
        pgh_context__service="transfer_request_withdraw"
    ).exists()  # who, when


@pytest.mark.parametrize(
    "action",
    [
        lambda r, staff, learner: transfer_request_submit(actor=learner, request_id=r.pk),  # submitted again
        lambda r, staff, learner: transfer_request_start_review(actor=staff, request_id=r.pk),  # after decision
        lambda r, staff, learner: transfer_request_return(actor=staff, request_id=r.pk, reason="ขอเอกสาร"),
    ],
)
def test_illegal_transitions_are_refused(submitted, staff, learner_user, action):
    items = items_of(submitted)
    decisions = {items["ท21101"].pk: (True, "ผ่าน"), items["ส21101"].pk: (False, "ไม่ผ่าน")}
    transfer_request_decide(actor=staff, request_id=submitted.pk, decisions=decisions)
    with pytest.raises(ValidationError) as exc:
        action(submitted, staff, learner_user)
    assert "illegal_transition" in str(exc.value.code) or exc.value.code == "illegal_transition"
    with pytest.raises(ValidationError):
        transfer_request_decide(actor=staff, request_id=submitted.pk, decisions=decisions)
    assert CreditDeposit.objects.filter(origin="transfer_in").count() == 1


def test_a_draft_cannot_be_decided_and_a_returned_request_can_be_resubmitted(
    pupil, learner_user, programme, rules, banked, dst, staff
):
    banked("ท21101")
    draft = transfer_request_create(
        actor=learner_user, learner=pupil, programme=programme, target_course_ids=[dst["ท21101"].pk]
    )
    item = draft.items.get()
    with pytest.raises(ValidationError):
        transfer_request_decide(actor=staff, request_id=draft.pk, decisions={item.pk: (True, "ผ่าน")})
    transfer_request_submit(actor=learner_user, request_id=draft.pk)
    transfer_request_start_review(actor=staff, request_id=draft.pk)
    returned = transfer_request_return(actor=staff, request_id=draft.pk, reason="ขอใบรับรองผลการเรียนฉบับจริง")
    assert returned.status == "returned" and "ใบรับรอง" in returned.staff_note
    assert transfer_request_submit(actor=learner_user, request_id=draft.pk, reply="ส่งฉบับจริงแล้ว").status == "submitted"


def test_only_staff_decide(submitted, registrar):
    items = items_of(submitted)
    with pytest.raises(ValidationError):
        transfer_request_decide(
            actor=registrar, request_id=submitted.pk, decisions={i.pk: (True, "x") for i in items.values()}
        )


def test_a_source_deposit_is_never_applied_twice_to_the_same_target(
    submitted, staff, pupil, learner_user, programme, dst
):
    items = items_of(submitted)
    transfer_request_decide(
        actor=staff, request_id=submitted.pk,
        decisions={items["ท21101"].pk: (True, "ผ่าน"), items["ส21101"].pk: (False, "ไม่ผ่าน")},
    )  # fmt: skip
    # The same Thai deposit, asked for again in a new request: the rule no longer matches ...
    with pytest.raises(ValidationError):
        again = transfer_request_create(
            actor=learner_user, learner=pupil, programme=programme, target_course_ids=[dst["ท21101"].pk]
        )
        item = again.items.get()
        assert item.verdict == "fail"
        transfer_request_submit(actor=learner_user, request_id=again.pk)
        transfer_request_decide(actor=staff, request_id=again.pk, decisions={item.pk: (True, "ผ่าน")})
    # ... and the database refuses a second application of the pair even past the services.
    from django.db import IntegrityError, transaction

    applied = AppliedCredit.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        AppliedCredit.objects.create(
            source_deposit=applied.source_deposit, target_course=applied.target_course, item=applied.item
        )
    assert CreditDeposit.objects.filter(origin="transfer_in").count() == 1


def test_the_limit_is_checked_again_at_approval(pupil, learner_user, programme, rules, banked, dst, staff):
    for code in ["ท21101", "ค21101", "ค21102", "ว21101"]:
        banked(code)
    request = transfer_request_create(
        actor=learner_user, learner=pupil, programme=programme,
        target_course_ids=[dst["ท21101"].pk, dst["ค21101"].pk, dst["ว21101"].pk, dst["ว21102"].pk],
    )  # fmt: skip
    transfer_request_submit(actor=learner_user, request_id=request.pk)
    programme.required_credits = Decimal("4")  # the institution tightens its limit to 3 credits meanwhile
    programme.save()
    decisions = {item.pk: (True, "ผ่าน") for item in request.items.all()}
    with pytest.raises(ValidationError):
        transfer_request_decide(actor=staff, request_id=request.pk, decisions=decisions)
    assert not CreditDeposit.objects.filter(origin="transfer_in").exists()


def test_a_new_rule_version_retires_the_old_one_and_leaves_approved_transfers_alone(
    submitted, staff, proposer, rules, dst
):
    items = items_of(submitted)
    transfer_request_decide(
        actor=staff, request_id=submitted.pk,
        decisions={items["ท21101"].pk: (True, "ผ่าน"), items["ส21101"].pk: (False, "ไม่ผ่าน")},
    )  # fmt: skip
    old = rules["thai"]
    v2 = equivalence_propose(
        actor=proposer, source_courses=list(old.source_courses.all()), target_courses=[dst["ท21101"]],
        basis="ปรับเกณฑ์เป็น 2.5", min_grade_points=Decimal("2.5"), replaces=old,
    )  # fmt: skip
    equivalence_decide(actor=staff, rule_id=v2.pk, approve=True, reason="มติคณะกรรมการ")
    old.refresh_from_db()
    assert v2.version == 2 and old.status == "retired" and old.effective_to is not None
    thai = items_of(TransferRequest.objects.get(pk=submitted.pk))["ท21101"]
    assert thai.equivalence_id == old.pk and thai.posted_deposit.status == "active"
    with pytest.raises(ValidationError):
        equivalence_decide(actor=staff, rule_id=v2.pk, approve=False, reason="เปลี่ยนใจ")


def test_only_the_receiving_institution_or_staff_propose_a_new_version_and_it_keeps_both_institutions(
    client, staff, rules, src, dst, receiving, registrar2, college_course
):
    from registry.models import Role
    from tests.factories import UserFactory

    old = rules["thai"]  # approved: src's school → dst's receiving school
    sources = list(old.source_courses.all())
    with pytest.raises(ValidationError):  # another school's registrar, aiming the rule at their own school
        equivalence_propose(actor=registrar2, source_courses=sources, target_courses=[college_course],
                            basis="ฉบับปรับปรุง", replaces=old)  # fmt: skip
    with pytest.raises(ValidationError) as refused:  # staff too: another receiving school is a new rule, not a version
        equivalence_propose(actor=staff, source_courses=sources, target_courses=[college_course],
                            basis="ฉบับปรับปรุง", replaces=old)  # fmt: skip
    assert "target_courses" in refused.value.error_dict
    assert not Equivalence.objects.filter(replaces=old).exists()
    client.force_login(registrar2)
    assert client.get(reverse("transfers:rule_revise", args=[old.pk])).status_code == 404
    assert reverse("transfers:rule_revise", args=[old.pk]) not in client.get(old.get_absolute_url()).content.decode()
    receiving_registrar = UserFactory(username="receiving-registrar", role=Role.REGISTRAR, institution=receiving)
    client.force_login(receiving_registrar)
    assert reverse("transfers:rule_revise", args=[old.pk]) in client.get(old.get_absolute_url()).content.decode()
    assert client.get(reverse("transfers:rule_revise", args=[old.pk])).status_code == 200
    v2 = equivalence_propose(actor=receiving_registrar, source_courses=sources, target_courses=[dst["ท21101"]],
                             basis="ปรับเกณฑ์", min_grade_points=Decimal("2.5"), replaces=old)  # fmt: skip
    assert v2.version == 2


def test_rule_proposals_are_checked(staff, src, dst, registrar, registrar2):
    with pytest.raises(ValidationError):
        equivalence_propose(actor=staff, source_courses=[src["ท21101"], src["ค21101"]],
                            target_courses=[dst["ท21101"], dst["ค21101"]], basis="หลายต่อหลาย")  # fmt: skip
    with pytest.raises(ValidationError):
        equivalence_propose(
            actor=staff, source_courses=[src["ท21101"]], target_courses=[src["ค21101"]], basis="ที่เดียวกัน"
        )
    with pytest.raises(ValidationError):  # a registrar of the sending institution may not propose
        equivalence_propose(actor=registrar, source_courses=[src["ท21101"]], target_courses=[dst["ท21101"]], basis="x")
    with pytest.raises(ValidationError):
        equivalence_propose(actor=staff, source_courses=[src["ท21101"]], target_courses=[dst["ท21101"]], basis=" ")
    assert not Equivalence.objects.exists()


def test_a_rule_requiring_the_same_level_between_courses_of_different_levels_is_refused(staff, src, dst):
    """Such a rule was proposed, approved and published in the guide though no learner could ever meet it."""
    from tests.factories import CourseFactory

    bachelor = CourseFactory(institution=dst["ท21101"].institution, code="GE102", level="bachelor")
    with pytest.raises(ValidationError) as refused, translation.override("th"):
        equivalence_propose(actor=staff, source_courses=[src["ท21101"]], target_courses=[bachelor], basis="x")
    message = refused.value.message_dict["same_level"][0]
    assert "มัธยมศึกษาตอนต้น" in message and "ปริญญาตรี" in message
    rule = equivalence_propose(
        actor=staff, source_courses=[src["ท21101"]], target_courses=[bachelor], basis="x", same_level=False
    )
    assert rule.status == "proposed"


def test_a_rule_over_the_same_courses_as_one_waiting_or_in_effect_is_refused(staff, proposer, src, dst):
    def propose(**extra):
        return equivalence_propose(
            actor=proposer, source_courses=[src["ท21101"]], target_courses=[dst["ท21101"]], basis="ทดสอบ", **extra
        )

    first = propose()
    with pytest.raises(ValidationError, match=f"#{first.pk}"):
        propose()  # the same courses, while the first waits for a decision
    equivalence_decide(actor=staff, rule_id=first.pk, approve=True, reason="อนุมัติ")
    with pytest.raises(ValidationError, match=f"#{first.pk}"):
        propose()  # and while it is in effect
    second = propose(replaces=first, min_grade_points=Decimal("2.5"))  # a new version of it is how it changes
    assert second.version == 2
    # A different mapping of one of the courses is a different rule.
    other = equivalence_propose(
        actor=proposer, source_courses=[src["ท21101"]], target_courses=[dst["ท21101"], dst["ค21101"]], basis="ทดสอบ"
    )
    assert other.pk


def test_rules_over_the_same_courses_in_periods_apart_are_both_allowed(staff, proposer, src, dst):
    def propose(start, end=None):
        return equivalence_propose(
            actor=proposer, source_courses=[src["ท21101"]], target_courses=[dst["ท21101"]], basis="ทดสอบ",
            effective_from=start, effective_to=end,
        )  # fmt: skip

    later = propose(datetime.date(2027, 1, 1))  # from next year, no end
    earlier = propose(datetime.date(2025, 1, 1), datetime.date(2026, 12, 31))  # ends the day before: no overlap
    assert earlier.pk != later.pk
    with pytest.raises(ValidationError, match=f"#{later.pk}"):
        propose(datetime.date(2026, 6, 1), datetime.date(2027, 1, 1))  # its last day is the later rule's first
    with pytest.raises(ValidationError, match=f"#{earlier.pk}"):
        propose(datetime.date(2026, 12, 31), datetime.date(2026, 12, 31))  # the earlier rule's last day only


def test_the_audit_trail_records_rule_changes_requests_and_decisions(submitted, staff, rules):
    items = items_of(submitted)
    transfer_request_decide(
        actor=staff, request_id=submitted.pk,
        decisions={items["ท21101"].pk: (True, "ผ่าน"), items["ส21101"].pk: (False, "ไม่ผ่าน")},
    )  # fmt: skip
    services = set(
        pghistory.models.Events.objects.filter(pgh_context__isnull=False).values_list("pgh_context__service", flat=True)
    )
    assert {"equivalence_propose", "equivalence_decide", "transfer_request_create", "transfer_request_submit",
            "transfer_request_decide"} <= services  # fmt: skip
    posted = CreditDeposit.objects.get(origin="transfer_in")
    posting = pghistory.models.Events.objects.tracks(posted).get()
    assert posting.pgh_context["service"] == "transfer_request_decide"
    assert posting.pgh_context["step"] == "deposit_record_transfer_in" and posting.pgh_context["user"] == staff.pk
    rule_events = pghistory.models.Events.objects.tracks(rules["thai"]).values_list("pgh_data__status", flat=True)
    assert list(rule_events) == ["proposed", "approved"]
    decided = pghistory.models.Events.objects.tracks(items["ส21101"]).last()
    assert decided.pgh_data["decision"] == "rejected" and decided.pgh_context["user"] == staff.pk


@pytest.mark.django_db(transaction=True)
def test_two_staff_approving_at_the_same_moment_post_once(submitted, staff, pupil):
    from tests.factories import UserFactory

    other_staff = UserFactory(username="staff2", role="provincial_staff")
    items = items_of(submitted)
    decisions = {items["ท21101"].pk: (True, "ผ่าน"), items["ส21101"].pk: (False, "ไม่ผ่าน")}
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(actor):
        try:
            barrier.wait()
            transfer_request_decide(actor=actor, request_id=submitted.pk, decisions=decisions)
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(who,)) for who in (staff, other_staff)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "refused"]
    assert CreditDeposit.objects.filter(origin="transfer_in", learner=pupil).count() == 1
    assert AppliedCredit.objects.count() == 1


def test_a_course_asked_for_in_a_request_not_yet_decided_cannot_be_asked_for_again(
    submitted, pupil, learner_user, programme, dst
):
    from transfers.matching import describe, evaluate

    again = evaluate(pupil, programme).by_target()[dst["ท21101"].pk]
    assert again.verdict == "fail"
    pending = next(c for c in again.conditions if c["key"] == "pending")
    assert f"#{submitted.pk}" in describe(pending)
    with pytest.raises(ValidationError) as refused:
        transfer_request_create(
            actor=learner_user, learner=pupil, programme=programme, target_course_ids=[dst["ท21101"].pk]
        )
    assert refused.value.code == "already_asked" and f"#{submitted.pk}" in refused.value.messages[0]
    # What to do, wherever it is said (a new request, courses added to one, a draft sent): leave them out of it.
    assert "ไม่รวมรายวิชาเหล่านี้ในคำร้องนี้" in refused.value.messages[0]
    # Nor for an assessment: the course of submitted's assessment item (ส21101) is asked for too.
    art = CreditDeposit.objects.get(course__code="ศ21101", learner=pupil)
    with pytest.raises(ValidationError) as refused:
        transfer_request_create(
            actor=learner_user, learner=pupil, programme=programme, target_course_ids=[],
            assessments={dst["ส21101"].pk: [art.pk]},
        )  # fmt: skip
    assert refused.value.code == "already_asked"
    # Its own request, checked again on its way through, is not held up by itself.
    assert all(c["key"] != "pending" for item in submitted.items.all() for c in item.conditions)


def test_a_returned_request_holds_nothing_and_is_checked_again_when_sent_back(
    submitted, staff, pupil, learner_user, programme, dst
):
    transfer_request_return(actor=staff, request_id=submitted.pk, reason="ขอเอกสารเพิ่ม")
    other = transfer_request_create(
        actor=learner_user, learner=pupil, programme=programme, target_course_ids=[dst["ท21101"].pk]
    )  # the learner may ask again elsewhere rather than answer
    transfer_request_submit(actor=learner_user, request_id=other.pk)
    with pytest.raises(ValidationError) as refused:
        transfer_request_submit(actor=learner_user, request_id=submitted.pk)
    assert refused.value.code == "already_asked" and f"#{other.pk}" in refused.value.messages[0]


def test_two_open_requests_for_one_course_from_before_the_rule_can_still_be_decided(
    pupil, learner_user, programme, rules, banked, dst, staff
):
    banked("ท21101", grade="3.5")
    first, second = (
        transfer_request_create(
            actor=learner_user, learner=pupil, programme=programme, target_course_ids=[dst["ท21101"].pk]
        )
        for _ in range(2)
    )
    transfer_request_submit(actor=learner_user, request_id=first.pk)
    TransferRequest.objects.filter(pk=second.pk).update(status="submitted")  # as data made before the check was
    item = first.items.get()
    decided = transfer_request_decide(actor=staff, request_id=first.pk, decisions={item.pk: (True, "ตรงตามเกณฑ์")})
    assert decided.status == "approved"


def test_two_drafts_for_one_course_cannot_both_be_submitted(pupil, learner_user, programme, rules, banked, dst):
    banked("ท21101", grade="3.5")
    first, second = (
        transfer_request_create(
            actor=learner_user, learner=pupil, programme=programme, target_course_ids=[dst["ท21101"].pk]
        )
        for _ in range(2)
    )  # a draft holds nothing: it may be left unsent
    transfer_request_submit(actor=learner_user, request_id=first.pk)
    with pytest.raises(ValidationError, match=f"#{first.pk}"):
        transfer_request_submit(actor=learner_user, request_id=second.pk)
    second.refresh_from_db()
    assert second.status == "draft" and second.submitted_at is None


def test_a_decided_request_frees_its_courses_for_a_new_request(submitted, staff, pupil, learner_user, programme, dst):
    items = items_of(submitted)
    transfer_request_start_review(actor=staff, request_id=submitted.pk)
    transfer_request_decide(
        actor=staff, request_id=submitted.pk,
        decisions={items["ท21101"].pk: (False, "เนื้อหาไม่ครบ"), items["ส21101"].pk: (False, "ยังไม่ได้ประเมิน")},
    )  # fmt: skip
    from transfers.matching import evaluate

    thai = evaluate(pupil, programme).by_target()[dst["ท21101"].pk]
    assert all(c["key"] != "pending" for c in thai.conditions)


def test_changing_an_assessment_starts_from_what_is_on_file_and_the_request_shows_it_whole(client, submitted, staff):
    items = items_of(submitted)
    assessment_record(
        actor=staff, item_id=items["ส21101"].pk, method="CP", score=Decimal("78"), max_score=Decimal("100"),
        pass_score=Decimal("60"), assessor="คณะกรรมการประเมิน", assessed_on=datetime.date(2026, 11, 1),
        notes="แฟ้มสะสมงานครบ",
    )  # fmt: skip
    client.force_login(staff)
    form = client.get(reverse("transfers:assessment", args=[items["ส21101"].pk])).content.decode()
    assert 'value="78' in form and 'value="คณะกรรมการประเมิน"' in form and "แฟ้มสะสมงานครบ" in form
    assert 'value="01/11/2569"' in form and 'value="CP" selected' in form
    url = reverse("transfers:assessment", args=[items["ส21101"].pk])
    client.post(reverse("set_language"), {"language": "en", "next": url})
    english = client.get(url).content.decode()
    assert 'value="01/11/2026"' in english  # C.E. on English pages, read back the same
    client.post(reverse("set_language"), {"language": "th", "next": url})
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert "1 พ.ย. 2569" in page or "1 พฤศจิกายน 2569" in page
    assert "แฟ้มสะสมงานครบ" in page and 'id="decided"' not in page
    transfer_request_decide(
        actor=staff, request_id=submitted.pk,
        decisions={items["ท21101"].pk: (True, "ผ่าน"), items["ส21101"].pk: (True, "ผ่านการประเมิน")},
    )  # fmt: skip
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert 'id="decided"' in page and staff.username in page.split('id="decided"', 1)[1].split("</span>", 1)[0]


def test_retiring_a_rule_keeps_its_approval_as_it_was_and_says_who_retired_it(client, staff, proposer, src, dst):
    rule = equivalence_propose(
        actor=proposer, source_courses=[src["ท21101"]], target_courses=[dst["ท21101"]], basis="ทดสอบ",
        effective_from=timezone.localdate() + datetime.timedelta(days=3),
    )  # fmt: skip
    equivalence_decide(actor=staff, rule_id=rule.pk, approve=True, reason="มติที่ประชุมครั้งที่ 4")
    equivalence_retire(actor=proposer, rule_id=rule.pk, reason="หลักสูตรปลายทางเปลี่ยน")
    rule.refresh_from_db()
    assert (rule.decided_by, rule.decision_reason) == (staff, "มติที่ประชุมครั้งที่ 4")  # the approval, untouched
    assert (rule.retired_by, rule.retire_reason) == (proposer, "หลักสูตรปลายทางเปลี่ยน") and rule.never_in_effect
    client.force_login(staff)
    page = client.get(rule.get_absolute_url()).content.decode()
    retired = page.split('id="retired-by"', 1)[1].split("</td>", 1)[0]
    assert "หลักสูตรปลายทางเปลี่ยน" in retired and "มติที่ประชุม" not in retired
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "<td>Yes</td>" in client.get(rule.get_absolute_url()).content.decode()  # a value alone: a capital
    assert 'id="never-in-effect"' in page


def test_a_rule_retired_today_is_in_effect_to_today_so_decisions_made_under_it_today_fall_within_its_dates(
    staff, proposer, src, dst
):
    """Retiring ended a rule yesterday: an approval made under it this morning then lay after its last day."""
    rule = equivalence_propose(
        actor=proposer, source_courses=[src["ท21101"]], target_courses=[dst["ท21101"]], basis="ทดสอบ",
        effective_from=timezone.localdate() - datetime.timedelta(days=30),
    )  # fmt: skip
    equivalence_decide(actor=staff, rule_id=rule.pk, approve=True, reason="มติที่ประชุม")
    equivalence_retire(actor=staff, rule_id=rule.pk, reason="หลักสูตรเปลี่ยน")
    rule.refresh_from_db()
    assert rule.effective_to == timezone.localdate() and not rule.never_in_effect
    assert not Equivalence.objects.in_effect(timezone.localdate()).filter(pk=rule.pk).exists()  # no new use


def test_a_note_written_by_the_registrar_who_filed_is_not_called_the_learners(
    client, pupil, learner_user, programme, rules, banked, dst, staff, registrar
):
    banked("ท21101", grade="3.5")
    banked("ว21101", grade="3")
    filed = transfer_request_create(actor=registrar, learner=pupil, programme=programme,
                                    target_course_ids=[dst["ท21101"].pk], note="ขอประเมินวิชานี้")  # fmt: skip
    own = transfer_request_create(actor=learner_user, learner=pupil, programme=programme,
                                  target_course_ids=[dst["ว21101"].pk], note="ขอเทียบโอน")  # fmt: skip
    client.force_login(staff)

    def note_on(request):
        page = client.get(request.get_absolute_url()).content.decode()
        return page.split('id="filer-note">', 1)[1].split("</p>", 1)[0]

    name = registrar.get_full_name() or registrar.username
    assert note_on(filed).startswith(f"หมายเหตุจาก {name} ผู้ยื่นคำร้อง: ขอประเมินวิชานี้")
    assert note_on(own).startswith("หมายเหตุจากผู้เรียน: ขอเทียบโอน")


def test_an_assessment_with_several_mistakes_says_all_of_them_at_once(client, submitted, staff):
    """A score above the maximum and a date in the future: the date's error came only on the next try."""
    item = items_of(submitted)["ส21101"]
    client.force_login(staff)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    body = client.post(reverse("transfers:assessment", args=[item.pk]), {
        "method": "CP", "score": "120", "max_score": "100", "pass_score": "60", "assessor": "คณะกรรมการ",
        "assessed_on": f"{tomorrow.day:02d}/{tomorrow.month:02d}/{tomorrow.year + 543}",
    }).content.decode()  # fmt: skip
    assert "คะแนนต้องไม่เกินคะแนนเต็ม" in body.split('id="error_1_id_score"', 1)[1].split("</", 1)[0]
    assert "ต้องไม่เป็นวันในอนาคต" in body.split('id="error_1_id_assessed_on"', 1)[1].split("</", 1)[0]
    assert not Assessment.objects.filter(item=item).exists()


def test_an_assessment_score_too_large_for_the_record_is_refused_beside_its_box(client, submitted, staff):
    """99999999999 or 1e5 had been a server error (the column holds up to 9999.99)."""
    items = items_of(submitted)
    client.force_login(staff)
    url = reverse("transfers:assessment", args=[items["ส21101"].pk])
    data = {"method": "CP", "score": "1e5", "max_score": "99999999999", "pass_score": "60",
            "assessor": "คณะกรรมการ", "assessed_on": "01/11/2569"}  # fmt: skip
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200 and "9999.99" in page.split('id="error_1_id_max_score"', 1)[1][:300]
    assert 'value="99999999999"' in page
