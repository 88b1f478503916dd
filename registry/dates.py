"""Dates as Thai users type them: Buddhist Era or Common Era, day first."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .message_codes import render

BE_OFFSET = 543


class DateFormatError(ValueError):
    """The text is not written as a date at all."""


class NoSuchDate(ValueError):
    """Written as a date, but the calendar has no such day (31/02/2568) or the year is of no era we use."""

    def __init__(self, day: int, month: int, year: int, written_year: int):
        super().__init__(f"{day}/{month}/{year}")
        self.day, self.month, self.year, self.written_year = day, month, year, written_year

    @property
    def year_is_implausible(self) -> bool:
        return not (1900 <= self.year <= 2200)


def parse_date(text: str) -> datetime.date:
    """YYYY-MM-DD or DD/MM/YYYY (also with - or .); a year above 2400 is Buddhist Era.

    Raises DateFormatError when the text is not a date's shape, NoSuchDate when the day does not exist.
    """
    text = (text or "").strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
        if not match:
            raise DateFormatError(text)
        day, month, year = (int(g) for g in match.groups())
    written_year = year
    if year > 2400:
        year -= BE_OFFSET
    if not (1900 <= year <= 2200):
        raise NoSuchDate(day, month, year, written_year)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise NoSuchDate(day, month, year, written_year) from None


def date_problem(error: ValueError) -> tuple[str, dict]:
    """The message code and parameters for a date that could not be read (see registry/message_codes.py)."""
    if isinstance(error, NoSuchDate):
        if error.year_is_implausible:
            return "date_bad_year", {"year": error.written_year}
        if not 1 <= error.month <= 12:
            return "date_no_month", {"month": error.month}
        return "date_no_day", {"day": error.day, "month": error.month, "year": error.year}
    return "date_format", {}


def current_academic_year(today: datetime.date | None = None) -> int:
    """The Thai academic year (B.E.) runs from May to the following April."""
    today = today or datetime.date.today()
    return today.year + BE_OFFSET - (0 if today.month >= 5 else 1)


def current_term(today: datetime.date | None = None) -> int:
    """The term running now: the first from May to October, the second from November to April (the summer session
    is chosen by hand)."""
    today = today or datetime.date.today()
    return 1 if 5 <= today.month <= 10 else 2


class ThaiDateField(forms.DateField):
    """A date typed as 15/03/2568 (B.E.) or 15/03/2025 or 2025-03-15; shown back in B.E. on Thai pages and in C.E.
    on English ones (either is read back the same)."""

    default_error_messages = {"invalid": _("Type the date as day/month/year, e.g. 15/03/2025.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_date(str(value))
        except NoSuchDate as exc:
            code, params = date_problem(exc)
            raise forms.ValidationError(render(code, params), code=code) from None
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            year = value.year if get_language() == "en" else value.year + BE_OFFSET
            return f"{value.day:02d}/{value.month:02d}/{year}"
        return value


def buddhist_era_year(value):
    """Academic years are kept in B.E. A C.E. year (2026) had found nothing, and said nothing; a short one (66, as
    people say it) is the 2500s; anything else gets this year as the example."""
    if value is None or (2400 <= value <= 2700 and value == int(value)):
        return
    if value == int(value) and (0 <= value < 100 or 1900 <= value < 2400):
        be = 2500 + value if value < 100 else value + 543
        raise ValidationError(
            _("Academic years are in B.E.: for %(year)s, type %(be)s.") % {"year": int(value), "be": int(be)}
        )
    raise ValidationError(this_year_example())


def this_year_example() -> str:
    return _("Type the academic year in B.E., in four digits, e.g. %(be)s.") % {"be": timezone.localdate().year + 543}
