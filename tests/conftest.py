"""Fixed people for every test: two institutions, their registrars, two learners, staff and an administrator."""

import pytest

from registry.models import Role

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


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2 is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
