"""Demo transfer data: a programme at โรงเรียนตะพานหิน, rules into it of every shape, a rule waiting for a decision,
and requests in every state (one under review with waiting items of every verdict)."""

import datetime
from decimal import Decimal

import pghistory

from registry.demo import completion_date
from registry.models import Course, CreditDeposit, DepositOrigin, Learner

from .matching import evaluate
from .models import Equivalence, EquivalenceStatus, Programme, RequestStatus, TransferRequest
from .services.requests import (
    transfer_request_create,
    transfer_request_decide,
    transfer_request_return,
    transfer_request_start_review,
    transfer_request_submit,
    transfer_request_withdraw,
)
from .services.rules import equivalence_decide, equivalence_propose

RULES = [
    # (source institution, source codes), (target institution, target codes), same level, basis
    (("1066540101", ["ท21101"]), ("1066540202", ["ท21101"]), True, "หลักสูตรแกนกลาง ตัวชี้วัดเดียวกันทั้งหมด"),
    (("1066540101", ["ค21101"]), ("1066540202", ["ค21101"]), True, "หลักสูตรแกนกลาง ตัวชี้วัดเดียวกันทั้งหมด"),
    (("1066540101", ["ว21101"]), ("1066540202", ["ว21101"]), True, "หลักสูตรแกนกลาง ตัวชี้วัดเดียวกันทั้งหมด"),
    (("1066540101", ["ส21101"]), ("1066540202", ["ส21101"]), True, "หลักสูตรแกนกลาง ตัวชี้วัดเดียวกันทั้งหมด"),
    (("SKR-66010", ["ทช21001", "อช21001"]), ("1066540202", ["ง21101"]), True,
     "ทักษะการเรียนรู้และการขยายอาชีพรวมกันครอบคลุมผลการเรียนรู้การงานอาชีพ 1 ร้อยละ 80"),
    (("SKR-66010", ["สกร-อช-015"]), ("1066540202", ["ง21101", "ศ21101"]), False,
     "การทำขนมไทยเพื่อการค้าครอบคลุมงานอาชีพและการออกแบบงานศิลป์ ประเมินจากชิ้นงาน"),
]  # fmt: skip


def seed(*, staff, learners, proposer=None):
    """Idempotent: rules and the programme are created once; the waiting request only if none exists.

    Rules are proposed by `proposer` (another officer) and approved by `staff`: nobody approves their own rule.
    """
    proposer = proposer or staff
    course = {(c.institution.code, c.code): c for c in Course.objects.select_related("institution")}
    target_school = course[("1066540202", "ท21101")].institution
    programme, created = Programme.objects.get_or_create(
        institution=target_school,
        code="M3-TR",
        defaults={
            "name_th": "มัธยมศึกษาตอนต้น (รับเทียบโอน)",
            "name_en": "Lower secondary (transfer entry)",
            "level": "lower_secondary",
            "required_credits": Decimal("24"),
        },  # fmt: skip
    )
    if created:
        programme.courses.set(Course.objects.filter(institution=target_school))
    if not Equivalence.objects.exists():
        for (src_inst, src_codes), (dst_inst, dst_codes), same_level, basis in RULES:
            rule = equivalence_propose(
                actor=proposer,
                source_courses=[course[(src_inst, c)] for c in src_codes],
                target_courses=[course[(dst_inst, c)] for c in dst_codes],
                basis=basis,
                same_level=same_level,
                effective_from=datetime.date(2024, 5, 16),
            )
            equivalence_decide(actor=staff, rule_id=rule.pk, approve=True, reason="มติคณะกรรมการเทียบโอน ครั้งที่ 1/2567")
    if not TransferRequest.objects.exists():
        learner = learners[1]
        evaluation = evaluate(learner, programme)
        matches = [c.target.pk for c in evaluation.candidates if c.verdict == "match"]
        spare = CreditDeposit.objects.active().filter(learner=learner, course__institution__code="SKR-66010").first()
        assessments = {}
        if spare is not None:
            held = CreditDeposit.objects.active().filter(learner=learner).values("course")
            free = Course.objects.filter(institution=target_school).exclude(pk__in=matches).exclude(pk__in=held).first()
            assessments = {free.pk: [spare.pk]}
        if matches or assessments:
            request = transfer_request_create(
                actor=learner.user or staff, learner=learner, programme=programme, target_course_ids=matches,
                assessments=assessments, note="ขอเทียบโอนเพื่อเข้าเรียนภาคเรียนที่ 1/2569",
            )  # fmt: skip
            transfer_request_submit(actor=learner.user or staff, request_id=request.pk)
    return programme


# Requests in every state -----------------------------------------------------------------------------------------

DEMO_NOTE = "ตัวอย่างคำร้อง"
SOURCE_SCHOOL, TARGET_SCHOOL = "1066540101", "1066540202"
DEMO_YEAR, DEMO_TERM = 2564, 2  # no random demo deposit uses this term, so these never collide with them
# Under review: three courses whose rule matches, one whose grade is below the minimum, one with no rule (assessed).
UNDER_REVIEW_GRADES = {"ท21101": "3", "ค21101": "1", "ว21101": "3.5", "ส21101": "2.5", "พ21101": "4"}
SIMPLE_GRADES = {"ท21101": "3", "ว21101": "3"}


def seed_pending_rule(*, proposer):
    """A rule another officer proposed, waiting for `provincial` to approve or reject it."""
    english = Course.objects.filter(code="อ21101").select_related("institution")
    course = {(c.institution.code, c.code): c for c in english}
    source, target = course.get((SOURCE_SCHOOL, "อ21101")), course.get((TARGET_SCHOOL, "อ21101"))
    if source is None or target is None:
        return None
    waiting = Equivalence.objects.filter(status=EquivalenceStatus.PROPOSED, source_links__course=source).first()
    return waiting or equivalence_propose(
        actor=proposer, source_courses=[source], target_courses=[target],
        basis="ภาษาอังกฤษพื้นฐาน 1 ตัวชี้วัดตรงกันร้อยละ 85 (เสนอโดยเจ้าหน้าที่อีกคนหนึ่ง)",
        effective_from=datetime.date(2025, 5, 16),
    )  # fmt: skip


def _demo_learners(count: int) -> list[Learner]:
    """Learners without an account and without credits at the sending or the receiving school: their verdicts are
    ours to set, and nothing they ask for is a course they already hold."""
    there = CreditDeposit.objects.filter(course__institution__code__in=[SOURCE_SCHOOL, TARGET_SCHOOL]).values("learner")
    qs = Learner.objects.filter(user__isnull=True).exclude(pk__in=there).order_by("national_id")
    return list(qs[:count])


def _bank(learner, grades: dict, recorder):
    courses = {c.code: c for c in Course.objects.filter(institution__code=SOURCE_SCHOOL, code__in=grades)}
    for code, grade in grades.items():
        CreditDeposit.objects.create(
            learner=learner, course=courses[code], credits=courses[code].credits, grade=grade,
            completed_on=completion_date(DEMO_YEAR, DEMO_TERM), academic_year=DEMO_YEAR, term=DEMO_TERM,
            learning_type=courses[code].learning_type, recorded_by=recorder, origin=DepositOrigin.EARNED,
        )  # fmt: skip


def _request(programme, learner, filer, codes, assess_code=None):
    evaluation = evaluate(learner, programme)
    targets = [c.target.pk for c in evaluation.candidates if c.target.code in codes and c.target.code != assess_code]
    assessments = {}
    if assess_code:
        spare = next(d for d in evaluation.unmatched if d.course.code == assess_code)
        target = Course.objects.get(institution=programme.institution, code=assess_code)
        assessments = {target.pk: [spare.pk]}
    return transfer_request_create(
        actor=filer, learner=learner, programme=programme, target_course_ids=targets, assessments=assessments,
        note=f"{DEMO_NOTE}: ขอเทียบโอนเพื่อเข้าเรียนภาคเรียนที่ 1/2569",
    )  # fmt: skip


def seed_requests(*, programme, staff, filer):
    """One request in every state, filed by a registrar (`filer`) and decided by `staff`. Runs once."""
    if TransferRequest.objects.filter(learner_note__startswith=DEMO_NOTE).exists():
        return
    people = _demo_learners(8)
    if len(people) < 8:
        return
    with pghistory.context(user=filer.pk, service="seed_demo"):
        _bank(people[0], UNDER_REVIEW_GRADES, filer)
        for learner in people[1:]:
            _bank(learner, SIMPLE_GRADES, filer)
    under_review = _request(programme, people[0], filer, UNDER_REVIEW_GRADES, assess_code="พ21101")
    transfer_request_submit(actor=filer, request_id=under_review.pk)
    transfer_request_start_review(actor=staff, request_id=under_review.pk)
    _request(programme, people[1], filer, SIMPLE_GRADES)  # a draft
    transfer_request_submit(actor=filer, request_id=_request(programme, people[2], filer, SIMPLE_GRADES).pk)
    returned = _request(programme, people[3], filer, SIMPLE_GRADES)
    transfer_request_submit(actor=filer, request_id=returned.pk)
    transfer_request_return(actor=staff, request_id=returned.pk, reason="ขอสำเนาระเบียนแสดงผลการเรียน (ปพ.1) ที่รับรองแล้ว")
    for learner, approve in [(people[4], (True, True)), (people[5], (True, False)), (people[6], (False, False))]:
        request = _request(programme, learner, filer, SIMPLE_GRADES)
        transfer_request_submit(actor=filer, request_id=request.pk)
        items = list(request.items.order_by("pk"))
        reasons = {True: "ผ่านเกณฑ์การเทียบโอนที่อนุมัติแล้วครบทุกข้อ", False: "เนื้อหารายวิชาไม่ครอบคลุมตามที่หลักสูตรกำหนด"}
        decisions = {item.pk: (ok, reasons[ok]) for item, ok in zip(items, approve, strict=False)}
        transfer_request_decide(actor=staff, request_id=request.pk, decisions=decisions)
    withdrawn = _request(programme, people[7], filer, SIMPLE_GRADES)  # sent, then taken back before a decision
    transfer_request_submit(actor=filer, request_id=withdrawn.pk)
    transfer_request_withdraw(actor=filer, request_id=withdrawn.pk)


def demo_states() -> dict[str, int]:
    """How many requests of each state the demo holds (for the seed's own check and its tests)."""
    return {s: TransferRequest.objects.filter(status=s).count() for s in RequestStatus.values}
