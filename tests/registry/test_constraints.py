"""Every rule the database enforces, proven by writing past the forms and services."""

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from registry.models import Course, CreditDeposit, Institution, Learner, User
from tests.factories import CourseFactory, DepositFactory, InstitutionFactory, LearnerFactory, UserFactory

pytestmark = pytest.mark.django_db


def refused(constraint_name, fn):
    with pytest.raises(IntegrityError) as exc, transaction.atomic():
        fn()
    assert constraint_name in str(exc.value)


def test_institution_kind_district_and_mou_are_checked():
    refused("institution_kind_valid", lambda: InstitutionFactory(kind="bank"))
    refused("institution_district_valid", lambda: InstitutionFactory(district="bangkok"))
    refused(
        "institution_mou_date_needs_membership",
        lambda: InstitutionFactory(mou_member=False, mou_signed_on=datetime.date(2024, 1, 1)),
    )
    InstitutionFactory(code="X1")
    refused("registry_institution_code_key", lambda: Institution.objects.create(
        code="X1", name_th="ซ้ำ", kind="school", district="sam_ngam"
    ))  # fmt: skip


def test_user_roles_and_registrar_institution_are_checked(school):
    refused("user_role_valid", lambda: UserFactory(role="superhero"))
    refused("user_registrar_has_institution", lambda: UserFactory(role="registrar", institution=None))
    refused("user_only_registrar_has_institution", lambda: UserFactory(role="learner", institution=school))


def test_learner_identifier_must_match_its_kind_and_be_unique():
    refused("learner_identifier_matches_type", lambda: LearnerFactory(national_id="12345", id_type="citizen"))
    refused("learner_identifier_matches_type", lambda: LearnerFactory(national_id="1101700207030", id_type="g_code"))
    refused("learner_id_type_valid", lambda: LearnerFactory(id_type="licence"))
    refused("learner_prefix_valid", lambda: LearnerFactory(prefix="dr"))
    refused("learner_first_name_required", lambda: LearnerFactory(first_name=""))
    LearnerFactory(national_id="G123456789012", id_type="g_code")
    refused("registry_learner_national_id_key", lambda: LearnerFactory(national_id="G123456789012", id_type="g_code"))


def test_course_credits_level_and_code_are_checked(school):
    refused("course_credits_positive", lambda: CourseFactory(institution=school, credits=Decimal("0")))
    refused("course_credits_positive", lambda: CourseFactory(institution=school, credits=Decimal("-1")))
    refused("course_credits_half_steps", lambda: CourseFactory(institution=school, credits=Decimal("1.3")))
    refused("course_credits_at_most_99", lambda: CourseFactory(institution=school, credits=Decimal("150")))
    refused("course_level_valid", lambda: CourseFactory(institution=school, level="kindergarten"))
    refused("course_learning_type_valid", lambda: CourseFactory(institution=school, learning_type="online"))
    CourseFactory(institution=school, code="ค21101")
    refused("course_code_unique_per_institution", lambda: CourseFactory(institution=school, code="ค21101"))
    # The same code at another institution is another course.
    assert CourseFactory(code="ค21101").pk


def test_deposit_fields_are_checked(deposit):
    base = dict(learner=deposit.learner, course=deposit.course, recorded_by=deposit.recorded_by)
    refused("deposit_credits_positive", lambda: DepositFactory(**base, credits=Decimal("0"), term=1))
    refused("deposit_credits_positive", lambda: DepositFactory(**base, credits=Decimal("-0.5"), term=1))
    refused("deposit_credits_half_steps", lambda: DepositFactory(**base, credits=Decimal("0.7"), term=1))
    refused("deposit_term_valid", lambda: DepositFactory(**base, term=4))
    refused("deposit_learning_type_valid", lambda: DepositFactory(**base, learning_type="online", term=1))
    refused("deposit_status_valid", lambda: DepositFactory(**base, status="pending", term=1))
    refused("deposit_grade_known", lambda: DepositFactory(**base, grade="A+", term=1))
    refused("deposit_academic_year_buddhist_era", lambda: DepositFactory(**base, academic_year=2024, term=1))
    refused("deposit_void_has_reason_and_time", lambda: DepositFactory(**base, status="voided", term=1))


def test_no_second_active_deposit_of_a_course_in_the_same_year_and_term(deposit):
    same = dict(
        learner=deposit.learner,
        course=deposit.course,
        academic_year=deposit.academic_year,
        term=deposit.term,
        recorded_by=deposit.recorded_by,
    )
    refused("deposit_one_active_per_course_and_term", lambda: DepositFactory(**same))
    # Another term is fine.
    assert DepositFactory(**{**same, "term": 1}).pk


def test_a_voided_deposit_may_be_recorded_again(deposit):
    CreditDeposit.objects.filter(pk=deposit.pk).update(
        status="voided", void_reason="ผิดภาคเรียน", voided_at=timezone.now()
    )
    again = DepositFactory(
        learner=deposit.learner,
        course=deposit.course,
        academic_year=deposit.academic_year,
        term=deposit.term,
        recorded_by=deposit.recorded_by,
    )
    assert again.pk != deposit.pk


def raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    "column, value",
    [("credits", 3), ("grade", "4"), ("learner_id", None), ("course_id", None), ("academic_year", 2560)],
)
def test_raw_sql_cannot_change_a_deposits_ledger_fields(deposit, column, value):
    if column == "learner_id":
        value = LearnerFactory().pk
    if column == "course_id":
        value = CourseFactory().pk
    with pytest.raises(DatabaseError) as exc:
        raw(f"UPDATE registry_creditdeposit SET {column} = %s WHERE id = %s", [value, deposit.pk])  # noqa: S608
    assert "deposit_ledger_fields_read_only" in str(exc.value)
    deposit.refresh_from_db()
    assert deposit.credits == Decimal("1.5") and deposit.grade == "3"


def test_raw_sql_cannot_delete_a_deposit(deposit):
    with pytest.raises(DatabaseError) as exc:
        raw("DELETE FROM registry_creditdeposit WHERE id = %s", [deposit.pk])
    assert "deposit_no_delete" in str(exc.value)
    assert CreditDeposit.objects.filter(pk=deposit.pk).exists()


def test_a_void_is_final(deposit):
    raw(
        "UPDATE registry_creditdeposit SET status = 'voided', void_reason = 'ผิด', voided_at = now() WHERE id = %s",
        [deposit.pk],
    )
    with pytest.raises(DatabaseError) as exc:
        raw(
            "UPDATE registry_creditdeposit SET status = 'active', void_reason = '', voided_at = NULL WHERE id = %s",
            [deposit.pk],
        )
    assert "deposit_void_is_final" in str(exc.value)


def test_courses_and_learners_with_deposits_cannot_be_deleted(deposit):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        Course.objects.filter(pk=deposit.course_id).delete()
    with pytest.raises(ProtectedError):
        Learner.objects.filter(pk=deposit.learner_id).delete()
    with pytest.raises(ProtectedError):
        User.objects.filter(pk=deposit.recorded_by_id).delete()
