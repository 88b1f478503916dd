"""The main pages run the same number of queries whatever the size of the data (and at most 10)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import CourseFactory, DepositFactory, LearnerFactory, TransferRequestFactory

pytestmark = pytest.mark.django_db

PAGES = {
    "learner balance": ("learner", "get", lambda: reverse("home"), None),
    "registrar deposit list": ("registrar", "get", lambda: reverse("registry:deposits"), None),
    "registrar learner search": ("registrar", "post", lambda: reverse("registry:learners"), {"q": "สม"}),
    "registrar home": ("registrar", "get", lambda: reverse("home"), None),
    "staff queue": ("provincial", "get", lambda: reverse("transfers:queue"), None),
    "staff home": ("provincial", "get", lambda: reverse("home"), None),
    "staff list of requests sent back": ("provincial", "get", lambda: reverse("transfers:returned"), None),
    "dashboard for a period (computed live)": (
        "provincial",
        "get",
        lambda: reverse("dashboard"),
        {"start": "01/01/2500"},
    ),
    "transfer guide": ("provincial", "get", lambda: reverse("transfers:guide"), None),
}


def grow(times, school, registrar, learner, programme):
    """Add `times` more of everything: deposits for the learner, other learners, courses, requests."""
    for _ in range(times):
        course = CourseFactory(institution=school)
        DepositFactory(learner=learner, course=course, recorded_by=registrar)
        other = LearnerFactory(first_name="สมหญิง", registered_by_institution=school)
        DepositFactory(learner=other, course=course, recorded_by=registrar, grade="ผ")
        TransferRequestFactory(learner=other, status="submitted", programme=programme,
                               target_institution=programme.institution)  # fmt: skip
        # Rows that name an officer (under review by, sent back by): by their English name on English pages.
        TransferRequestFactory(learner=other, status="under_review", programme=programme, reviewer=registrar,
                               submitted_at=timezone.now(), target_institution=programme.institution)  # fmt: skip
        TransferRequestFactory(learner=other, status="returned", programme=programme, returned_by=registrar,
                               returned_at=timezone.now(), staff_note="ขอสำเนาที่รับรองแล้ว",
                               target_institution=programme.institution)  # fmt: skip


def count(client, method, url, data):
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize("language", ["th", "en"])  # English pages read other columns (names in English)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_query_count_is_bounded_and_does_not_grow(
    client, page, language, school, registrar, provincial, learner_user, programme, rules
):
    role, method, url, data = PAGES[page]
    user = {"learner": learner_user, "registrar": registrar, "provincial": provincial}[role]
    client.force_login(user)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    grow(2, school, registrar, learner_user.learner, programme)
    count(client, method, url(), data)  # the first visit may compute the province figures' snapshot
    small = count(client, method, url(), data)
    grow(25, school, registrar, learner_user.learner, programme)
    large = count(client, method, url(), data)
    assert small == large, f"{page}: {small} queries with little data, {large} with more"
    assert large <= 10, f"{page}: {large} queries"
