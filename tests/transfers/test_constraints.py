import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import CourseFactory, DepositFactory, EquivalenceFactory, TransferRequestFactory, UserFactory
from transfers.models import AppliedCredit, Assessment, Programme, TransferItem

pytestmark = pytest.mark.django_db


def refused(constraint_name, fn):
    with pytest.raises(IntegrityError) as exc, transaction.atomic():
        fn()
    assert constraint_name in str(exc.value)


def test_equivalence_rules_are_checked_by_the_database():
    staff = UserFactory(role="provincial_staff")
    decided = dict(decided_by=staff, decided_at=timezone.now())
    refused("equivalence_status_valid", lambda: EquivalenceFactory(status="maybe", **decided))
    refused("equivalence_min_grade_in_range", lambda: EquivalenceFactory(min_grade_points=5))
    refused("equivalence_version_positive", lambda: EquivalenceFactory(version=0))
    refused("equivalence_decision_has_who_and_when", lambda: EquivalenceFactory(status="approved"))
    refused(
        "equivalence_dates_ordered",
        lambda: EquivalenceFactory(effective_from=datetime.date(2026, 1, 1), effective_to=datetime.date(2025, 1, 1)),
    )


def test_programme_limits_are_checked_by_the_database(school):
    def make(**kw):
        data = dict(institution=school, code="P", name_th="ป", level="lower_secondary", required_credits=Decimal(10))
        data.update(kw)
        return Programme.objects.create(**data)

    refused("programme_required_credits_positive", lambda: make(required_credits=0))
    refused("programme_transfer_share_in_range", lambda: make(max_transfer_share=Decimal("1.5")))
    refused("programme_transfer_share_in_range", lambda: make(max_transfer_share=Decimal("0")))
    refused("programme_min_grade_in_range", lambda: make(min_grade_points=Decimal("4.5")))
    refused("programme_level_valid", lambda: make(level="phd"))
    make()
    refused("programme_code_unique_per_institution", lambda: make())


def test_transfer_request_and_item_rules_are_checked_by_the_database():
    refused("transfer_request_status_valid", lambda: TransferRequestFactory(status="lost"))
    request = TransferRequestFactory()
    course = CourseFactory()
    refused(
        "transfer_item_verdict_valid",
        lambda: TransferItem.objects.create(request=request, target_course=course, verdict="maybe"),
    )
    refused(
        "transfer_item_decision_has_who_and_why",
        lambda: TransferItem.objects.create(
            request=request, target_course=course, verdict="match", decision="approved"
        ),
    )
    TransferItem.objects.create(request=request, target_course=course, verdict="match")
    refused(
        "transfer_item_one_per_target",
        lambda: TransferItem.objects.create(request=request, target_course=course, verdict="match"),
    )


def test_a_source_deposit_is_applied_to_a_target_course_once_and_assessments_stay_in_range():
    deposit = DepositFactory()
    request = TransferRequestFactory(learner=deposit.learner)
    target = CourseFactory()
    item = TransferItem.objects.create(request=request, target_course=target, verdict="assessment")
    AppliedCredit.objects.create(source_deposit=deposit, target_course=target, item=item)
    refused(
        "applied_credit_once_per_target_course",
        lambda: AppliedCredit.objects.create(source_deposit=deposit, target_course=target, item=item),
    )
    staff = UserFactory(role="provincial_staff")

    def assess(**kw):
        data = dict(item=item, method="CS", score=50, max_score=100, pass_score=60, assessor="ก",
                    assessed_on=datetime.date(2026, 1, 1), recorded_by=staff)  # fmt: skip
        data.update(kw)
        return Assessment.objects.create(**data)

    refused("assessment_score_in_range", lambda: assess(score=120))
    refused("assessment_pass_mark_in_range", lambda: assess(pass_score=150))
    refused("assessment_method_valid", lambda: assess(method="XX"))


def test_transfer_in_deposits_carry_a_notation_and_earned_ones_do_not():
    refused("deposit_transfer_in_has_notation", lambda: DepositFactory(origin="transfer_in", grade="3"))
    refused("deposit_transfer_in_has_notation", lambda: DepositFactory(origin="earned", grade="TR"))
    refused("deposit_origin_valid", lambda: DepositFactory(origin="gift", grade="3"))
    assert DepositFactory(origin="transfer_in", grade="TR").pk
