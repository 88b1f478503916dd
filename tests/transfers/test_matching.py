import datetime
from decimal import Decimal

import pytest

from tests.factories import CourseFactory
from transfers.matching import describe, evaluate
from transfers.models import Equivalence, Verdict
from transfers.services.rules import equivalence_decide, equivalence_propose, equivalence_retire

pytestmark = pytest.mark.django_db


def conditions(candidate):
    return {(c["key"], c["passed"]) for c in candidate.conditions}


def test_one_to_one_rule_matches_with_every_condition_explained(pupil, programme, rules, banked, dst):
    banked("ท21101", grade="3.5")
    result = evaluate(pupil, programme).by_target()
    thai = result[dst["ท21101"].pk]
    assert thai.verdict == Verdict.MATCH and thai.rule == rules["thai"]
    assert conditions(thai) == {("grade", True), ("level", True), ("limit", True)}
    assert "3.5" in " ".join(describe(c) for c in thai.conditions)


def test_grade_below_the_minimum_fails_and_says_so(pupil, programme, rules, banked, dst):
    banked("ท21101", grade="1.5")
    thai = evaluate(pupil, programme).by_target()[dst["ท21101"].pk]
    assert thai.verdict == Verdict.FAIL and ("grade", False) in conditions(thai)
    assert "ต่ำกว่าเกณฑ์" in describe(next(c for c in thai.conditions if c["key"] == "grade"))


def test_pass_fail_grade_meets_the_minimum(pupil, programme, rules, banked, dst):
    banked("ท21101", grade="ผ")
    assert evaluate(pupil, programme).by_target()[dst["ท21101"].pk].verdict == Verdict.MATCH


def test_a_course_older_than_the_rule_allows_fails(pupil, programme, staff, proposer, src, dst, banked):
    rule = equivalence_propose(
        actor=proposer, source_courses=[src["ศ21101"]], target_courses=[dst["ส21101"]], basis="ทดสอบ", max_age_years=5,
        same_level=True, effective_from=datetime.date(2020, 1, 1),
    )  # fmt: skip
    equivalence_decide(actor=staff, rule_id=rule.pk, approve=True, reason="อนุมัติ")
    banked("ศ21101", completed=datetime.date(2015, 3, 15), year=2557)
    candidate = evaluate(pupil, programme, on=datetime.date(2026, 11, 23)).by_target()[dst["ส21101"].pk]
    assert candidate.verdict == Verdict.FAIL and ("age", False) in conditions(candidate)


def test_a_different_level_fails_when_the_rule_needs_the_same_level(
    pupil, programme, staff, proposer, school, dst, registrar
):
    from tests.factories import DepositFactory

    upper = CourseFactory(institution=school, code="ท31101", level="upper_secondary")
    rule = equivalence_propose(
        actor=proposer, source_courses=[upper], target_courses=[dst["ส21101"]], basis="ทดสอบ", same_level=False
    )
    # As a rule proposed before proposals were refused for this (transfers.services.rules) still is.
    Equivalence.objects.filter(pk=rule.pk).update(same_level=True)
    equivalence_decide(actor=staff, rule_id=rule.pk, approve=True, reason="อนุมัติ")
    DepositFactory(learner=pupil, course=upper, grade="4", recorded_by=registrar)
    candidate = evaluate(pupil, programme).by_target()[dst["ส21101"].pk]
    assert ("level", False) in conditions(candidate)


def test_an_incomplete_cluster_fails_and_names_the_missing_course(pupil, programme, rules, banked, dst):
    banked("ค21101")
    maths = evaluate(pupil, programme).by_target()[dst["ค21101"].pk]
    assert maths.verdict == Verdict.FAIL and ("cluster", False) in conditions(maths)
    assert "ค21102" in describe(next(c for c in maths.conditions if c["key"] == "cluster"))
    banked("ค21102")
    maths = evaluate(pupil, programme).by_target()[dst["ค21101"].pk]
    assert maths.verdict == Verdict.MATCH and len(maths.deposits) == 2


def test_one_to_many_gives_every_target(pupil, programme, rules, banked, dst):
    banked("ว21101")
    result = evaluate(pupil, programme).by_target()
    assert result[dst["ว21101"].pk].verdict == Verdict.MATCH
    assert result[dst["ว21102"].pk].verdict == Verdict.MATCH


def test_the_transfer_limit_stops_further_matches(pupil, programme, rules, banked, dst):
    programme.required_credits = Decimal("4")  # limit 3 credits
    programme.save()
    for code in ["ท21101", "ค21101", "ค21102", "ว21101"]:
        banked(code)
    result = evaluate(pupil, programme)
    verdicts = {c.target.code: c.verdict for c in result.candidates}
    assert result.limit == Decimal("3.0")
    # ค21101 (2) first by code, then ท21101 (1.5) would exceed 3.
    assert verdicts["ค21101"] == Verdict.MATCH
    assert verdicts["ท21101"] == Verdict.FAIL
    limited = next(c for c in result.candidates if c.target.code == "ท21101")
    assert ("limit", False) in conditions(limited)


def test_retired_and_not_yet_effective_rules_do_not_apply(pupil, programme, rules, banked, dst, staff, proposer):
    banked("ท21101")
    equivalence_retire(actor=staff, rule_id=rules["thai"].pk, reason="หลักสูตรเปลี่ยน")
    assert dst["ท21101"].pk not in evaluate(pupil, programme).by_target()
    future = equivalence_propose(
        actor=proposer, source_courses=[rules["thai"].source_courses.get()], target_courses=[dst["ท21101"]],
        basis="ฉบับใหม่", effective_from=datetime.date(2099, 1, 1),
    )  # fmt: skip
    equivalence_decide(actor=staff, rule_id=future.pk, approve=True, reason="อนุมัติล่วงหน้า")
    assert dst["ท21101"].pk not in evaluate(pupil, programme).by_target()


def test_deposits_no_rule_covers_are_offered_for_assessment(pupil, programme, rules, banked):
    art = banked("ศ21101")
    assert [d.pk for d in evaluate(pupil, programme).unmatched] == [art.pk]


def test_voided_deposits_do_not_count(pupil, programme, rules, banked, dst, registrar):
    from registry.services import deposit_void

    deposit = banked("ท21101")
    deposit_void(actor=registrar, deposit_id=deposit.pk, reason="ผิด")
    assert dst["ท21101"].pk not in evaluate(pupil, programme).by_target()


def test_a_condition_reads_in_the_readers_language_whatever_language_it_was_checked_in(
    pupil, programme, staff, proposer, src, dst, banked
):
    from django.utils import translation

    rule = equivalence_propose(
        actor=proposer, source_courses=[src["ศ21101"]], target_courses=[dst["ส21101"]], basis="ทดสอบ", max_age_years=5,
        same_level=True, effective_from=datetime.date(2020, 1, 1),
    )  # fmt: skip
    equivalence_decide(actor=staff, rule_id=rule.pk, approve=True, reason="อนุมัติ")
    banked("ศ21101", completed=datetime.date(2024, 3, 15), year=2566)
    with translation.override("en"):  # checked on an English page, as a request made in English is
        candidate = evaluate(pupil, programme, on=datetime.date(2026, 11, 23)).by_target()[dst["ส21101"].pk]
    words = {c["key"]: c for c in candidate.conditions}
    with translation.override("th"):
        assert "มัธยมศึกษาตอนต้น" in describe(words["level"]) and "lower" not in describe(words["level"])
        assert "15 มีนาคม 2567" in describe(words["age"])  # Buddhist Era, not 2024-03-15
    with translation.override("en"):
        assert "lower secondary" in describe(words["level"]).lower() and "15 March 2024" in describe(words["age"])


def test_a_level_kept_in_words_by_an_older_request_still_reads():
    condition = {"key": "level", "passed": True, "params": {"course": "ท21101", "source": "มัธยมศึกษาตอนต้น",
                                                            "target": "มัธยมศึกษาตอนต้น"}}  # fmt: skip
    assert "มัธยมศึกษาตอนต้น" in describe(condition)


def test_the_transfer_limit_reads_in_credits_as_people_write_them():
    """ "0 + 1.5 of at most 18 credits", also for a check kept with an older request as "18.0"."""
    from django.utils import translation

    with translation.override("en"):
        kept = {"key": "limit", "passed": True, "params": {"used": "0", "adding": "1.5", "limit": "18.0"}}
        assert describe(kept) == "Within the transfer limit: 0 + 1.5 of at most 18 credits"
        over = {"key": "limit", "passed": False, "params": {"used": "17.0", "adding": "3.0", "limit": "18.0"}}
        assert describe(over) == "Transfer limit reached: 17 + 3 would exceed 18 credits"
