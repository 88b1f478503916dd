"""The rules a deposit keeps however it arrives: the deposit form, `services.deposit_record` or a spreadsheet import.

Each rule returns its message when broken and None when kept, so a service can gather them by field, a form can
raise one, and the importer can pin one to a row's column. Nothing here reads the database.
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from .grades import GradeScale


def grade_scale_message(grade: str, scale: GradeScale) -> str:
    """The message for a grade that is not a code of the scale (the deposit form formats it with its own value)."""
    return _("Grade %(grade)s is not in the %(scale)s scale; choose one of: %(codes)s.") % {
        "grade": grade,
        "scale": scale.name,
        "codes": ", ".join(scale.codes),
    }


def grade_error(grade: str, scale: GradeScale) -> str | None:
    """A grade must be a code of the scale of the course's level."""
    return None if grade in scale else grade_scale_message(grade, scale)


def completed_on_error(completed_on: datetime.date, today: datetime.date | None = None) -> str | None:
    """Credits are deposited for learning already completed."""
    if completed_on > (today or timezone.localdate()):
        return _("The completion date cannot be in the future.")
    return None


def is_credit_amount(value: Decimal) -> bool:
    """Credits are above zero, at most 99, in half-credit steps: the rule the database checks on courses too."""
    return value.is_finite() and 0 < value <= 99 and (value * 2) % 1 == 0


def credit_amount_error(value: Decimal | None) -> str | None:
    """A course's credits must be a credit amount; None stands for text that is not a number at all."""
    if value is not None and is_credit_amount(value):
        return None
    return _("Credits must be a number above zero, in half-credit steps (e.g. 1.5).")
