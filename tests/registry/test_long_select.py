"""The lean select of long lists writes what Django's own Select writes: the same options, escaped, the same choice."""

import re

import pytest
from django import forms

from registry.form_helpers import LongSelect
from registry.models import Course
from tests.factories import CourseFactory


def squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.django_db
@pytest.mark.parametrize("chosen", [None, "", "second"])
def test_a_model_choice_renders_as_djangos_select_does(chosen):
    courses = [CourseFactory(code="ท21101", title_th="ภาษาไทย <1> & ๑"), CourseFactory(code="ค21101")]
    value = courses[1].pk if chosen == "second" else chosen
    queryset = Course.objects.filter(pk__in=[c.pk for c in courses]).order_by("code")

    def html(widget):
        field = forms.ModelChoiceField(queryset=queryset, required=False, widget=widget)
        return squeezed(field.widget.render("course", value, attrs={"id": "filter-course", "class": "form-select"}))

    ours, djangos = html(LongSelect), html(forms.Select)
    assert ours == djangos
    assert "&lt;1&gt; &amp; ๑" in ours
    selected = re.findall(r'<option value="([^"]*)" selected>', ours)
    assert selected == [str(courses[1].pk) if chosen == "second" else ""]
