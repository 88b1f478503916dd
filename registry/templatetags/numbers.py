"""Credits as people write them: {{ value|credits }} → "3", "1.5" (as floatformat:"-1", at a fraction of its cost).

Credits are kept with one decimal place (DecimalField(decimal_places=1)), so a list of fifty deposits should not
pay for floatformat's general rounding and localisation fifty times. Sums of credits have one place too.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.translation import ngettext

register = template.Library()
TENTH = Decimal("0.1")


@register.filter
def credits(value) -> str:
    """One decimal place, none when it is zero: 3.0 → "3", 1.5 → "1.5", 2.25 → "2.3"; "" for no value."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return str(number)


@register.filter
def credits_unit(value) -> str:
    """Credits with their unit, in the page's language: "1 credit", "1.5 credits", "3 credits"; "3 หน่วยกิต"."""
    shown = credits(value)
    if not shown:
        return ""
    # English reads a fraction as plural ("0.5 credits"); gettext's plural rules take whole numbers only.
    count = int(shown) if shown.isdigit() else 2
    return ngettext("%(n)s credit", "%(n)s credits", count) % {"n": shown}


@register.filter
def grouped(value):
    """A count or a total with its thousands grouped: 2381 → "2,381", 2381.5 → "2,381.5" (credits as `credits`
    writes them); nothing for no value. Anything else, such as a suppressed "< 5", is shown as it is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal | float):
        whole, _dot, fraction = credits(value).partition(".")
        return f"{int(whole):,}" + (f".{fraction}" if fraction else "") if whole.lstrip("-").isdigit() else value
    return value
