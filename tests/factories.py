import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from registry import demo
from registry.models import Course, CreditDeposit, Institution, Learner, Level, Role, User
from transfers.models import Equivalence, TransferRequest


class InstitutionFactory(DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"T{n:06d}")
    name_th = factory.Sequence(lambda n: f"โรงเรียนทดสอบ {n}")
    name_en = factory.Sequence(lambda n: f"Test School {n}")
    kind = Institution.Kind.SCHOOL
    district = "mueang_phichit"
    mou_member = True
    mou_signed_on = datetime.date(2023, 6, 15)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.LEARNER
    password = factory.django.Password("pw-for-tests")


class LearnerFactory(DjangoModelFactory):
    class Meta:
        model = Learner

    national_id = factory.Sequence(lambda n: demo.national_id(__import__("random").Random(n)))
    id_type = "citizen"
    prefix = "mr"
    first_name = "สมชาย"
    last_name = factory.Sequence(lambda n: f"ทดสอบ{n}")
    birth_date = datetime.date(2005, 5, 5)


class CourseFactory(DjangoModelFactory):
    class Meta:
        model = Course

    institution = factory.SubFactory(InstitutionFactory)
    # Made-up codes ("ท9" and five digits) never equal a real one a test names ("ท21101"), whatever the sequence.
    code = factory.Sequence(lambda n: f"ท9{n:05d}")
    title_th = factory.Sequence(lambda n: f"ภาษาไทย {n}")
    title_en = factory.Sequence(lambda n: f"Thai {n}")
    credits = Decimal("1.5")
    hours = 60
    level = Level.LOWER_SECONDARY
    subject_group = "ภาษาไทย"
    learning_type = "formal"


class DepositFactory(DjangoModelFactory):
    class Meta:
        model = CreditDeposit

    learner = factory.SubFactory(LearnerFactory)
    course = factory.SubFactory(CourseFactory)
    credits = factory.LazyAttribute(lambda o: o.course.credits)
    grade = "3"
    completed_on = datetime.date(2025, 3, 15)
    academic_year = 2567
    term = 2
    learning_type = factory.LazyAttribute(lambda o: o.course.learning_type)
    recorded_by = factory.SubFactory(UserFactory, role=Role.ADMINISTRATOR)


class EquivalenceFactory(DjangoModelFactory):
    class Meta:
        model = Equivalence

    basis = "เนื้อหาตรงกัน"
    proposed_by = factory.SubFactory(UserFactory, role=Role.PROVINCIAL_STAFF)


class TransferRequestFactory(DjangoModelFactory):
    class Meta:
        model = TransferRequest

    learner = factory.SubFactory(LearnerFactory)
    target_institution = factory.SubFactory(InstitutionFactory)
    created_by = factory.SubFactory(UserFactory, role=Role.PROVINCIAL_STAFF)
