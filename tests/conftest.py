"""Fixed people for every test: two institutions, their registrars, two learners, staff and an administrator."""

import datetime
from decimal import Decimal

import pytest

from registry.models import Role
from transfers.models import Programme
from transfers.services.rules import equivalence_decide, equivalence_propose

from .factories import CourseFactory, DepositFactory, InstitutionFactory, LearnerFactory, UserFactory


@pytest.fixture
def school():
    return InstitutionFactory(code="1066540101", name_th="โรงเรียนพิจิตรพิทยาคม")


@pytest.fixture
def college():
    return InstitutionFactory(code="1366100001", name_th="วิทยาลัยเทคนิคพิจิตร", kind="vocational_college")


@pytest.fixture
def registrar(school):
    return UserFactory(username="registrar", role=Role.REGISTRAR, institution=school, first_name="วิไลวรรณ")


@pytest.fixture
def registrar2(college):
    return UserFactory(username="registrar2", role=Role.REGISTRAR, institution=college)


@pytest.fixture
def provincial():
    return UserFactory(username="provincial", role=Role.PROVINCIAL_STAFF)


@pytest.fixture
def administrator():
    return UserFactory(username="admin", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)


@pytest.fixture
def learner_user():
    user = UserFactory(username="learner", role=Role.LEARNER)
    LearnerFactory(user=user, first_name="สุภาพร", last_name="ใจดี", prefix="miss")
    return user


@pytest.fixture
def learner2_user():
    user = UserFactory(username="learner2", role=Role.LEARNER)
    LearnerFactory(user=user, first_name="ธนากร", last_name="ศรีสุข")
    return user


@pytest.fixture
def school_course(school):
    return CourseFactory(institution=school, code="ท21101", title_th="ภาษาไทย 1")


@pytest.fixture
def college_course(college):
    return CourseFactory(
        institution=college, code="20000-1101", title_th="ภาษาไทยพื้นฐาน", level="voc_cert", credits="1.0"
    )


@pytest.fixture
def deposit(learner_user, school_course, registrar):
    return DepositFactory(learner=learner_user.learner, course=school_course, recorded_by=registrar)


@pytest.fixture
def other_deposit(learner2_user, college_course, registrar2):
    return DepositFactory(learner=learner2_user.learner, course=college_course, recorded_by=registrar2, grade="2.5")


@pytest.fixture(scope="session")
def issuer_keys_dir(tmp_path_factory):
    """Signing material made for this test run only (keys are never committed)."""
    from transcripts.keys import create_keys

    directory = tmp_path_factory.mktemp("issuer-keys")
    create_keys(directory)
    return directory


@pytest.fixture(autouse=True)
def issuer_keys(settings, issuer_keys_dir):
    settings.ISSUER_KEYS_DIR = issuer_keys_dir
    settings.ISSUER_TSA_URL = ""
    return issuer_keys_dir


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2 is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def thai_outside_requests():
    """Each test starts in the site's language: a request a test made in English leaves English active in the thread
    (as Django's own LocaleMiddleware does), and names and labels read outside a request follow it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# Transfers: a sending school, a receiving school, a programme and approved rules of each shape.


@pytest.fixture
def staff():
    return UserFactory(username="staff1", role=Role.PROVINCIAL_STAFF)


@pytest.fixture
def proposer():
    """A second provincial officer who proposes rules: whoever proposes a rule never approves it."""
    return UserFactory(username="staff-proposer", role=Role.PROVINCIAL_STAFF)


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
def rules(staff, proposer, src, dst):
    """One-to-one (Thai), a cluster (two maths → one), one-to-many (science → two), all approved."""

    def approved(sources, targets, **kwargs):
        rule = equivalence_propose(
            actor=proposer,
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
