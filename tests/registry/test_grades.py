from decimal import Decimal

import pytest

from registry.grades import BASIC, HIGHER, VOCATIONAL, normalize_grade
from registry.models import Level, scale_for_level


@pytest.mark.parametrize(
    "level, scale",
    [
        (Level.PRIMARY, BASIC),
        (Level.LOWER_SECONDARY, BASIC),
        (Level.UPPER_SECONDARY, BASIC),
        (Level.SHORT_COURSE, BASIC),
        (Level.VOCATIONAL_CERTIFICATE, VOCATIONAL),
        (Level.HIGH_VOCATIONAL, VOCATIONAL),
        (Level.BACHELOR, HIGHER),
    ],
)
def test_every_level_has_its_grade_scale(level, scale):
    assert scale_for_level(level) is scale


def test_basic_education_scale():
    assert BASIC.codes[:8] == ["4", "3.5", "3", "2.5", "2", "1.5", "1", "0"]
    for code in ["4", "1", "ผ"]:
        assert BASIC.earns_credit(code)
    for code in ["0", "ร", "มส", "มผ"]:
        assert code in BASIC
        assert not BASIC.earns_credit(code)
    assert "A" not in BASIC
    assert "ข.ร." not in BASIC


def test_vocational_scale_remarks_earn_no_credit():
    for code in ["ข.ร.", "ข.ส.", "ถ.ล."]:
        assert code in VOCATIONAL
        assert not VOCATIONAL.earns_credit(code)
    assert VOCATIONAL.earns_credit("2")
    assert "B+" not in VOCATIONAL


def test_higher_education_scale():
    assert HIGHER.get("B+").points == Decimal("3.5")
    assert HIGHER.earns_credit("S")
    for code in ["F", "U", "W", "I"]:
        assert not HIGHER.earns_credit(code)
    assert "3.5" not in HIGHER


@pytest.mark.parametrize("scale", [BASIC, VOCATIONAL, HIGHER])
def test_recognition_notations_earn_credit_outside_the_gpa(scale):
    for code in ["CS", "CE", "CT", "CP", "CN", "TC", "TR"]:
        grade = scale.get(code)
        assert grade.earns_credit and grade.recognition and grade.points is None


def test_minimum_grade_is_a_property_of_the_scale_not_a_string_compare():
    assert BASIC.meets_minimum("2", Decimal("2"))
    assert BASIC.meets_minimum("3.5", Decimal("2"))
    assert not BASIC.meets_minimum("1.5", Decimal("2"))
    assert BASIC.meets_minimum("ผ", Decimal("2"))
    assert not BASIC.meets_minimum("มผ", Decimal("2"))
    assert HIGHER.meets_minimum("C", Decimal("2"))
    assert not HIGHER.meets_minimum("D+", Decimal("2"))
    # "10" > "2" as strings, but it is not a grade at all.
    assert not BASIC.meets_minimum("10", Decimal("2"))


def test_typed_grades_are_normalised():
    assert normalize_grade(" b+ ") == "B+"
    assert normalize_grade("4.0") == "4"
    assert normalize_grade("ขร") == "ข.ร."
    assert BASIC.get("2.0").code == "2"
    # A spreadsheet column formatted with two decimals writes 3.50 and 4.00: the same grades, not unknown ones.
    assert [normalize_grade(g) for g in ("3.50", "4.00", "๓.๕๐", "0.00")] == ["3.5", "4", "3.5", "0"]
    assert BASIC.get("1.50").code == "1.5" and BASIC.get("3.55") is None


def test_failed_and_pending_grades_add_no_credit_to_a_balance(learner_user, school_course, registrar):
    from registry.selectors import learner_balance
    from tests.factories import DepositFactory

    learner = learner_user.learner
    for year, grade in [(2565, "3"), (2566, "0"), (2567, "มส"), (2568, "ร")]:
        DepositFactory(learner=learner, course=school_course, grade=grade, academic_year=year, recorded_by=registrar)
    assert learner_balance(learner).total == school_course.credits


test_failed_and_pending_grades_add_no_credit_to_a_balance = pytest.mark.django_db(
    test_failed_and_pending_grades_add_no_credit_to_a_balance
)


@pytest.mark.django_db
def test_a_course_passed_twice_counts_its_credits_once_on_the_balance_the_transcript_and_the_ledger_check(
    client, learner_user, school_course, registrar
):
    """A course recorded again in another term (a retake to raise the grade, or the same result typed twice) had
    added its credits again: one school's total on an official transcript was 13.5 credits for about 6.5."""
    from django.urls import reverse

    from creditbank.ledger import balances_disagree
    from registry.selectors import learner_balance
    from tests.factories import CourseFactory, DepositFactory
    from transcripts.rendering import render_html, transcript_data

    learner = learner_user.learner
    other = CourseFactory(institution=school_course.institution, credits=Decimal("1.0"))
    for year, grade in [(2566, "2"), (2567, "4"), (2568, "3")]:
        DepositFactory(learner=learner, course=school_course, grade=grade, academic_year=year, recorded_by=registrar)
    DepositFactory(learner=learner, course=other, grade="3", recorded_by=registrar)
    expected = school_course.credits + other.credits
    assert learner_balance(learner).total == expected
    data = transcript_data(learner)
    assert data.total == expected and sum(s.credits for s in data.sections) == expected
    assert balances_disagree() == []  # the ledger check counts by the same rule
    from creditbank.reports import province_figures
    from registry.selectors import institution_summary

    # The committee's report and the school's figures too (they had added every pass).
    assert province_figures().totals["credits"] == expected
    assert institution_summary(school_course.institution)["credits"] == expected
    html = render_html(data, transcript=None, lang="th", official=False)
    assert html.count(f"({school_course.credits:.1f})") == 2 and 'id="repeats"' in html  # listed, in brackets
    client.force_login(learner_user)
    for address in ("/", reverse("my_credits")):
        page = client.get(address).content.decode()
        assert page.count("ผ่านวิชานี้มาก่อนแล้ว") == 2, address  # the two later passes say why they add nothing


@pytest.mark.django_db
def test_of_two_passes_the_first_completed_counts_even_when_it_was_typed_in_later(
    learner_user, school_course, registrar
):
    """An earlier term typed in after a later one had been the one marked "passed again"."""
    import datetime

    from creditbank.ledger import balances_disagree
    from registry.selectors import balance_of, learner_history
    from tests.factories import DepositFactory

    learner = learner_user.learner
    later = DepositFactory(learner=learner, course=school_course, grade="4", academic_year=2568, term=1,
                           completed_on=datetime.date(2025, 9, 30), recorded_by=registrar)  # fmt: skip
    earlier = DepositFactory(learner=learner, course=school_course, grade="3", academic_year=2566, term=2,
                             completed_on=datetime.date(2024, 3, 15), recorded_by=registrar)  # fmt: skip
    rows = list(learner_history(learner))
    balance_of(rows)
    marked = {d.pk: d.repeat for d in rows}
    assert marked == {later.pk: True, earlier.pk: False}
    assert balances_disagree() == []
