"""The rules a deposit keeps however it arrives: the deposit form, `services.deposit_record` or a spreadsheet import.

Each rule returns its message when broken and None when kept, so a service can gather them by field and a form can
raise one; the `*_problem` forms return a message code and its parameters, which the importer keeps in its report
(registry/message_codes.py puts them into words in the reader's language). Nothing here reads the database.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from .dates import current_academic_year
from .grades import GradeScale
from .message_codes import render


def grade_scale_message(grade: str, scale: GradeScale) -> str:
    """The message for a grade that is not a code of the scale (the deposit form formats it with its own value)."""
    return render(*grade_problem_params(grade, scale))


def grade_problem_params(grade: str, scale: GradeScale) -> tuple[str, dict]:
    return "grade_scale", {"grade": grade, "scale": scale.key, "codes": ", ".join(scale.codes)}


def grade_problem(grade: str, scale: GradeScale) -> tuple[str, dict] | None:
    """A grade must be a code of the scale of the course's level."""
    return None if grade in scale else grade_problem_params(grade, scale)


def grade_error(grade: str, scale: GradeScale) -> str | None:
    return None if grade in scale else grade_scale_message(grade, scale)


def completed_on_problem(
    completed_on: datetime.date, today: datetime.date | None = None, *, birth_date: datetime.date | None = None
) -> tuple | None:
    """Credits are deposited for learning already completed, and completed after the learner was born."""
    if completed_on > (today or timezone.localdate()):
        return "completed_future", {}
    if birth_date is not None and completed_on < birth_date:
        return "completed_before_birth", {}
    return None


def completed_on_error(
    completed_on: datetime.date, today: datetime.date | None = None, *, birth_date: datetime.date | None = None
) -> str | None:
    problem = completed_on_problem(completed_on, today, birth_date=birth_date)
    return render(*problem) if problem else None


def academic_year_problem(
    year: int, completed_on: datetime.date | None = None, today: datetime.date | None = None
) -> tuple | None:
    """An academic year (B.E.) that has begun, not after the course was completed in it, and not long before.

    Academic year 2568 begins in May 2025 (C.E.), so a course completed in it is completed then or later. A course
    is completed in its academic year, or in the next one (a resit, a result pending until then): a year further back
    is a typing slip (2560 for 2568) that would file the credits under the wrong year for good.
    """
    current = current_academic_year(today or timezone.localdate())
    if year > current:
        return "year_future", {"year": year, "current": current}
    if completed_on is not None and current_academic_year(completed_on) < year:
        # Compared as academic years: a course completed in March 2568 B.E. was in academic year 2567 (term 2), so
        # filed under 2568 it would sit in a year that began two months after it ended.
        return "year_after_completion", {"year": year, "completed": current_academic_year(completed_on)}
    if completed_on is not None and current_academic_year(completed_on) - year > 1:
        return "year_long_before_completion", {"year": year, "completed": current_academic_year(completed_on)}
    return None


def academic_year_error(
    year: int, completed_on: datetime.date | None = None, today: datetime.date | None = None
) -> str | None:
    problem = academic_year_problem(year, completed_on, today)
    return render(*problem) if problem else None


def is_credit_amount(value: Decimal) -> bool:
    """Credits are above zero, at most 99, in half-credit steps: the rule the database checks on courses too."""
    return value.is_finite() and 0 < value <= 99 and (value * 2) % 1 == 0


def credit_amount_error(value: Decimal | None) -> str | None:
    """A course's credits must be a credit amount; None stands for text that is not a number at all."""
    if value is not None and is_credit_amount(value):
        return None
    return render("credits_amount")
