import datetime
from decimal import Decimal

import pghistory.models
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from registry.models import CreditDeposit, Learner
from registry.services import deposit_record, deposit_void, learner_register

pytestmark = pytest.mark.django_db


def record(registrar, learner, course, **overrides):
    args = dict(
        actor=registrar,
        learner=learner,
        course=course,
        grade="3.5",
        completed_on=datetime.date(2025, 3, 15),
        academic_year=2567,
        term=2,
    )
    args.update(overrides)
    return deposit_record(**args)


def test_registrar_records_a_deposit_with_the_courses_credits_and_learning_type(registrar, learner_user, school_course):
    deposit = record(registrar, learner_user.learner, school_course)
    assert deposit.credits == Decimal("1.5")
    assert deposit.learning_type == "formal"
    assert deposit.status == "active" and deposit.recorded_by == registrar


def test_a_grade_outside_the_courses_scale_is_refused(registrar, learner_user, school_course):
    with pytest.raises(ValidationError) as exc:
        record(registrar, learner_user.learner, school_course, grade="B+")
    assert "grade" in exc.value.message_dict
    assert not CreditDeposit.objects.exists()


def test_the_service_refuses_a_year_not_begun_and_a_date_before_the_learners_birth(
    registrar, learner_user, school_course
):
    learner = learner_user.learner
    learner.birth_date = datetime.date(2010, 6, 1)
    learner.save()
    with pytest.raises(ValidationError) as exc:
        record(registrar, learner, school_course, completed_on=datetime.date(2009, 3, 15), academic_year=2700)
    assert set(exc.value.message_dict) == {"completed_on", "academic_year"}
    assert not CreditDeposit.objects.exists()


def test_a_completion_date_in_the_future_is_refused(registrar, learner_user, school_course):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        record(registrar, learner_user.learner, school_course, completed_on=tomorrow)
    assert "completed_on" in exc.value.message_dict
    assert not CreditDeposit.objects.exists()


def test_zero_credits_are_refused(registrar, learner_user, school_course):
    with pytest.raises(ValidationError) as exc:
        record(registrar, learner_user.learner, school_course, credits=Decimal("0"))
    assert "credits" in exc.value.message_dict


def test_registrar_cannot_record_for_another_institutions_course(registrar, learner_user, college_course):
    with pytest.raises(ValidationError):
        record(registrar, learner_user.learner, college_course, grade="3")
    assert not CreditDeposit.objects.exists()


def test_the_same_course_twice_in_one_term_is_refused_with_a_message(registrar, learner_user, school_course):
    record(registrar, learner_user.learner, school_course)
    with pytest.raises(ValidationError) as exc:
        record(registrar, learner_user.learner, school_course)
    [error] = exc.value.error_dict["course"]
    first = CreditDeposit.objects.get()
    assert error.code == "duplicate_deposit" and f"เลขที่ {first.pk}" in exc.value.messages[0]


def test_void_needs_a_reason_and_keeps_the_row(registrar, deposit):
    with pytest.raises(ValidationError):
        deposit_void(actor=registrar, deposit_id=deposit.pk, reason="   ")
    voided = deposit_void(actor=registrar, deposit_id=deposit.pk, reason="บันทึกผิดภาคเรียน")
    voided.refresh_from_db()
    assert voided.status == "voided" and voided.void_reason == "บันทึกผิดภาคเรียน"
    assert voided.voided_by == registrar and voided.voided_at is not None
    with pytest.raises(ValidationError):
        deposit_void(actor=registrar, deposit_id=deposit.pk, reason="อีกครั้ง")


def test_recording_and_voiding_leave_who_when_and_what_in_the_audit_trail(registrar, learner_user, school_course):
    deposit = record(registrar, learner_user.learner, school_course)
    deposit_void(actor=registrar, deposit_id=deposit.pk, reason="ผิดรายวิชา")
    events = list(
        pghistory.models.Events.objects.tracks(deposit)
        .order_by("pgh_created_at")
        .values("pgh_label", "pgh_data", "pgh_context", "pgh_created_at")
    )
    assert [e["pgh_label"] for e in events] == ["insert", "update"]
    insert, void = events
    assert insert["pgh_context"]["user"] == registrar.pk
    assert insert["pgh_context"]["service"] == "deposit_record"
    assert insert["pgh_data"]["grade"] == "3.5" and insert["pgh_data"]["status"] == "active"
    assert void["pgh_context"]["user"] == registrar.pk
    assert void["pgh_context"]["reason"] == "ผิดรายวิชา"
    assert void["pgh_data"]["status"] == "voided"
    assert insert["pgh_created_at"] <= void["pgh_created_at"]


def test_learner_register_checks_the_id_and_never_registers_it_twice(registrar):
    learner = learner_register(
        actor=registrar,
        national_id="1-1017-00207-03-0",
        id_type="citizen",
        prefix="mr",
        first_name="สม\u200bชาย",
        last_name="ใจดี",
    )
    assert learner.national_id == "1101700207030" and learner.first_name == "สมชาย"
    with pytest.raises(ValidationError) as exc:
        learner_register(
            actor=registrar, national_id="1101700207030", id_type="citizen", prefix="mr", first_name="อื่น", last_name="x"
        )
    assert "national_id" in exc.value.message_dict
    with pytest.raises(ValidationError):
        learner_register(
            actor=registrar, national_id="1101700207031", id_type="citizen", prefix="mr", first_name="ก", last_name="ข"
        )
    assert Learner.objects.count() == 1
