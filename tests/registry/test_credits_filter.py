"""Credits on every list read as people write them, the same as Django's floatformat:"-1" wrote them."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.utils import translation

from registry.templatetags.numbers import credits


@pytest.mark.parametrize("value", [Decimal(n) / 10 for n in range(0, 1000, 7)] + [Decimal("120.0"), 0, 3, 2.5])
def test_credits_read_as_floatformat_minus_one_did(value):
    for language in ("th", "en"):
        with translation.override(language):
            assert credits(value) == floatformat(value, "-1")


def test_a_whole_number_has_no_decimal_point_and_a_half_keeps_it():
    assert credits(Decimal("3.0")) == "3"
    assert credits(Decimal("1.5")) == "1.5"
    assert credits(Decimal("2.25")) == "2.3"  # rounded half up to one place, as floatformat does


def test_no_value_shows_nothing():
    assert credits(None) == ""
    assert credits("") == ""
    assert credits("not a number") == ""


def test_every_template_has_the_filter_without_loading_it():
    assert Template("{{ value|credits }}").render(Context({"value": Decimal("4.0")})) == "4"
