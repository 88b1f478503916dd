"""Demo transfer data: a programme at โรงเรียนตะพานหิน, rules into it of every shape, and a waiting request."""

import datetime
from decimal import Decimal

from registry.models import Course, CreditDeposit

from .matching import evaluate
from .models import Equivalence, Programme, TransferRequest
from .services.requests import transfer_request_create, transfer_request_submit
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


def seed(*, staff, learners):
    """Idempotent: rules and the programme are created once; the waiting request only if none exists."""
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
                actor=staff,
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
            free = Course.objects.filter(institution=target_school).exclude(pk__in=matches).first()
            assessments = {free.pk: [spare.pk]}
        if matches or assessments:
            request = transfer_request_create(
                actor=learner.user or staff, learner=learner, programme=programme, target_course_ids=matches,
                assessments=assessments, note="ขอเทียบโอนเพื่อเข้าเรียนภาคเรียนที่ 1/2569",
            )  # fmt: skip
            transfer_request_submit(actor=learner.user or staff, request_id=request.pk)
    return programme
