import datetime
from decimal import Decimal

import pytest

from registry.models import Role
from tests.factories import CourseFactory, DepositFactory, InstitutionFactory, LearnerFactory, UserFactory
from transfers.models import Programme
from transfers.services import equivalence_decide, equivalence_propose


@pytest.fixture
def staff():
    return UserFactory(username="staff1", role=Role.PROVINCIAL_STAFF)


@pytest.fixture
def receiving():
    return InstitutionFactory(code="1066540202", name_th="โรงเรียนตะพานหิน")


@pytest.fixture
def src(school):
    """Source courses at the sending school, lower secondary."""
    return {
        code: CourseFactory(institution=school, code=code, title_th=title, credits=Decimal(credits))
        for code, title, credits in [
            ("ท21101", "ภาษาไทย 1", "1.5"),
            ("ค21101", "คณิตศาสตร์ 1", "1.0"),
            ("ค21102", "คณิตศาสตร์ 2", "1.0"),
            ("ว21101", "วิทยาศาสตร์ 1", "1.5"),
            ("ศ21101", "ศิลปะ 1", "0.5"),
        ]
    }


@pytest.fixture
def dst(receiving):
    """Target courses at the receiving school."""
    return {
        code: CourseFactory(institution=receiving, code=code, title_th=title, credits=Decimal(credits))
        for code, title, credits in [
            ("ท21101", "ภาษาไทยพื้นฐาน 1", "1.5"),
            ("ค21101", "คณิตศาสตร์พื้นฐาน 1", "2.0"),
            ("ว21101", "วิทยาศาสตร์ 1", "1.0"),
            ("ว21102", "วิทยาศาสตร์ 2", "1.0"),
            ("ส21101", "สังคมศึกษา 1", "1.5"),
        ]
    }


@pytest.fixture
def programme(receiving, dst):
    programme = Programme.objects.create(
        institution=receiving,
        code="M3",
        name_th="มัธยมศึกษาตอนต้น",
        level="lower_secondary",
        required_credits=Decimal("8"),
    )
    programme.courses.set(dst.values())
    return programme  # limit: 0.75 × 8 = 6 credits


@pytest.fixture
def rules(staff, src, dst):
    """One-to-one (Thai), a cluster (two maths → one), one-to-many (science → two), all approved."""

    def approved(sources, targets, **kwargs):
        rule = equivalence_propose(
            actor=staff,
            source_courses=sources,
            target_courses=targets,
            basis="เนื้อหาตรงกันร้อยละ 80",
            effective_from=datetime.date(2020, 1, 1),
            **kwargs,
        )
        return equivalence_decide(actor=staff, rule_id=rule.pk, approve=True, reason="ผ่านคณะกรรมการเทียบโอน")

    return {
        "thai": approved([src["ท21101"]], [dst["ท21101"]]),
        "maths": approved([src["ค21101"], src["ค21102"]], [dst["ค21101"]]),
        "science": approved([src["ว21101"]], [dst["ว21101"], dst["ว21102"]]),
    }


@pytest.fixture
def pupil(learner_user):
    return learner_user.learner


@pytest.fixture
def banked(pupil, src, registrar):
    """The learner's deposits at the sending school, all recent and good enough."""

    def bank(code, grade="3", completed=datetime.date(2025, 3, 15), year=2567, term=2):
        return DepositFactory(
            learner=pupil, course=src[code], grade=grade, completed_on=completed, academic_year=year, term=term,
            recorded_by=registrar,
        )  # fmt: skip

    return bank


__all__ = ["LearnerFactory"]
