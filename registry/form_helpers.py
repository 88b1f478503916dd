"""Helpers for the forms of every app: service errors shown beside their fields, a lean select for long lists."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.safestring import mark_safe


def add_errors(form, exc: ValidationError):
    """A service's ValidationError shown next to the fields it names, or above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class LongSelect(forms.Select):
    """Django's Select for a long flat list (an institution's courses, the province's institutions).

    Django's own builds a dict for each option and renders each through a template of its own; a filter of 300
    institutions pays that on every page view. Here the options are written in one pass, each value and label
    escaped as a template would, and the select's template puts them in. No optgroups.
    """

    template_name = "widgets/long_select.html"

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)  # not ChoiceWidget's: no option dicts
        chosen = set(context["widget"]["value"])
        context["widget"]["options"] = mark_safe(  # noqa: S308 - every value and label is escaped here
            "\n".join(
                f'<option value="{escape(key)}"{" selected" if str(key) in chosen else ""}>{escape(label)}</option>'
                for key, label in self.choices
            )
        )
        return context
