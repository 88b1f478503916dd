"""The filter bars' lean select writes what Django's own Select writes: the same options, escaped, the same choice."""

import re

import pytest
from django import forms

from registry.form_helpers import FlatSelect
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

    ours, djangos = html(FlatSelect), html(forms.Select)
    assert ours == djangos
    assert "&lt;1&gt; &amp; ๑" in ours
    selected = re.findall(r'<option value="([^"]*)" selected>', ours)
    assert selected == [str(courses[1].pk) if chosen == "second" else ""]


@pytest.mark.parametrize("chosen", [None, "2"])
def test_a_choice_with_translated_labels_and_flag_attributes_renders_as_djangos_select_does(chosen):
    from django.utils.translation import gettext_lazy, override

    from registry.models import DepositStatus

    choices = [("", "---------"), ("1", gettext_lazy("term")), ("2", 'say "two" <b>'), *DepositStatus.choices]
    attrs = {"id": "filter-term", "class": "form-select", "required": True, "disabled": False, "title": "<x>"}

    def html(widget):
        field = forms.ChoiceField(choices=choices, required=False, widget=widget)
        return squeezed(field.widget.render("term", chosen, attrs=attrs))

    with override("th"):
        ours, djangos = html(FlatSelect), html(forms.Select)
    assert ours == djangos
    assert " required " in ours and "disabled" not in ours and 'title="&lt;x&gt;"' in ours
    assert "ภาคเรียน" in ours and "&quot;two&quot; &lt;b&gt;" in ours


def test_no_value_is_the_empty_value_and_only_the_first_of_two_equal_values_is_chosen():
    choices = [(None, "—"), ("1", "one"), ("1", "one again")]

    def html(widget, value):
        field = forms.ChoiceField(choices=choices, required=False, widget=widget)
        return squeezed(field.widget.render("n", value, attrs={"id": "n"}))

    for value in (None, "1"):
        assert html(FlatSelect, value) == html(forms.Select, value)
    assert html(FlatSelect, "1").count(" selected") == 1
