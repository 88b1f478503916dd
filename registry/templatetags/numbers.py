"""Credits as people write them: {{ value|credits }} → "3", "1.5" (as floatformat:"-1", at a fraction of its cost).

Credits are kept with one decimal place (DecimalField(decimal_places=1)), so a list of fifty deposits should not
pay for floatformat's general rounding and localisation fifty times. Sums of credits have one place too.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

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
