import datetime

import pytest
from django.db import IntegrityError, transaction

from tests.factories import CourseFactory, EquivalenceFactory, TransferRequestFactory

pytestmark = pytest.mark.django_db


def refused(constraint_name, fn):
    with pytest.raises(IntegrityError) as exc, transaction.atomic():
        fn()
    assert constraint_name in str(exc.value)


def test_equivalence_rules_are_checked_by_the_database():
    course = CourseFactory()
    refused("equivalence_distinct_courses", lambda: EquivalenceFactory(source_course=course, target_course=course))
    refused("equivalence_status_valid", lambda: EquivalenceFactory(status="maybe"))
    refused("equivalence_min_grade_in_range", lambda: EquivalenceFactory(min_grade_points=5))
    refused(
        "equivalence_dates_ordered",
        lambda: EquivalenceFactory(effective_from=datetime.date(2026, 1, 1), effective_to=datetime.date(2025, 1, 1)),
    )


def test_transfer_request_status_is_checked_by_the_database():
    refused("transfer_request_status_valid", lambda: TransferRequestFactory(status="lost"))
