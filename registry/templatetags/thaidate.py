"""Buddhist Era dates for Thai pages: {{ value|be_date }} → "14 มกราคม 2568" (C.E. in English)."""

import datetime

from django import template
from django.utils import timezone, translation

register = template.Library()

THAI_MONTHS = [
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
]  # fmt: skip
THAI_MONTHS_SHORT = [
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
]  # fmt: skip
EN_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def _as_date(value):
    if isinstance(value, str):  # an ISO 8601 date or time from a credential's JSON ("2026-11-28T03:00:00Z")
        value = datetime.datetime.fromisoformat(value) if "T" in value else datetime.date.fromisoformat(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value
    return value


def format_date(value, short: bool = False, lang: str | None = None) -> str:
    if not value:
        return ""
    try:
        value = _as_date(value)
    except ValueError:
        return value  # not a date: shown as it came
    lang = lang or translation.get_language() or "th"
    if lang.startswith("th"):
        months = THAI_MONTHS_SHORT if short else THAI_MONTHS
        return f"{value.day} {months[value.month - 1]} {value.year + 543}"
    month = EN_MONTHS[value.month - 1]
    return f"{value.day} {month[:3] if short else month} {value.year}"


@register.filter
def be_date(value):
    """A date in the active language: Buddhist Era in Thai."""
    return format_date(value)


@register.filter
def be_date_short(value):
    return format_date(value, short=True)


@register.filter
def be_datetime(value):
    if not value:
        return ""
    local = _as_date(value)
    return f"{format_date(local, short=True)} {local:%H:%M}"


@register.filter
def be_year(year):
    """An academic year stored in B.E.: shown as is in Thai, as C.E. in English."""
    if year in (None, ""):
        return ""
    lang = translation.get_language() or "th"
    return str(year) if lang.startswith("th") else str(int(year) - 543)
