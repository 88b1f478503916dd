"""Dates as Thai users type them: Buddhist Era or Common Era, day first."""

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

BE_OFFSET = 543


def parse_date(text: str) -> datetime.date:
    """YYYY-MM-DD or DD/MM/YYYY (also with - or .); a year above 2400 is Buddhist Era. Raises ValueError."""
    text = (text or "").strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
        if not match:
            raise ValueError(text)
        day, month, year = (int(g) for g in match.groups())
    if year > 2400:
        year -= BE_OFFSET
    return datetime.date(year, month, day)


def current_academic_year(today: datetime.date | None = None) -> int:
    """The Thai academic year (B.E.) runs from May to the following April."""
    today = today or datetime.date.today()
    return today.year + BE_OFFSET - (0 if today.month >= 5 else 1)


class ThaiDateField(forms.DateField):
    """A date typed as 15/03/2568 (B.E.) or 15/03/2025 or 2025-03-15; shown back in B.E."""

    default_error_messages = {"invalid": _("Type the date as day/month/year, e.g. 15/03/2568.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_date(str(value))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return f"{value.day:02d}/{value.month:02d}/{value.year + BE_OFFSET}"
        return value
