"""Helpers for the forms of every app: service errors shown beside their fields, a lean select for filter bars."""

import html
from functools import wraps

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_noop

# Django's own message for an empty required field ("This field is required."; in Thai "ฟิลด์นี้จำเป็น"), said again
# in our catalogues in words that say what to do. Every form's summary puts the field's name before it. Marked here
# so that makemessages keeps our translation of Django's message.
gettext_noop("This field is required.")


def add_errors(form, exc: ValidationError, fields: dict[str, str] | None = None):
    """A service's ValidationError shown next to the fields it names, or above the form. `fields` maps a name the
    service uses to the form's field that holds it (a rule's target_courses are typed in target_codes)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            field = (fields or {}).get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _escaped(value) -> str:
    """What a template writes for {{ value }}: a safe string as it is, anything else as text, escaped (Django's
    conditional_escape, without its lazy-string wrapper, which costs more than the escaping)."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


class FlatSelect(forms.Select):
    """Django's Select without optgroups, written in one pass: for the filter bars every list page shows (an
    institution's courses, the province's 300 institutions, a status) and long lists anywhere.

    Django's own builds a dict for each option and renders each option, and the attributes, through templates of
    their own: about a millisecond a select on every page view, and more for a long list. Here the attributes and
    the options are written by one expression each, every value and label escaped as a template would, and
    widgets/flat_select.html puts them in the select. The HTML is the same as Django's (tests/registry).
    """

    template_name = "widgets/flat_select.html"

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)  # not ChoiceWidget's: no option dicts
        widget = context["widget"]
        chosen = set(widget["value"])
        # As django/forms/widgets/attrs.html writes them: False left out, True as a bare name.
        widget["attrs_html"] = mark_safe(  # noqa: S308 - every value is escaped here
            "".join(
                f" {key}" if value is True else f' {key}="{_escaped(value)}"'
                for key, value in widget["attrs"].items()
                if value is not False
            )
        )
        options, selected = [], False
        for key, label in self.choices:
            key = "" if key is None else key  # as Django's optgroups: no value is the empty value
            mark = not selected and str(key) in chosen  # the first option with the value, as Django marks it
            selected = selected or mark
            label = _escaped(capfirst(str(label)))  # "Term 1": as templates/django/forms/widgets/select_option.html
            options.append(f'<option value="{_escaped(key)}"{" selected" if mark else ""}>{label}</option>')
        widget["options"] = mark_safe("\n".join(options))  # noqa: S308 - every value and label is escaped above
        return context


BLANK = "—"  # a select's empty choice, as every form writes it (Django's own is "---------")


def dash_for_blank(form) -> None:
    """Each select's empty choice written "—", as the deposit form's, not Django's "---------"."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None:
                field.empty_label = BLANK
        elif isinstance(field, forms.ChoiceField):
            field.choices = [(value, BLANK if value == "" else label) for value, label in field.choices]


def helper(submit_label) -> FormHelper:
    """A crispy form with one submit button. The browser's own checks are off (novalidate): the server says what is
    wrong beside each field, in the page's language, where the browser would say it in its own."""
    h = FormHelper()
    h.attrs = {"novalidate": ""}
    h.add_input(Submit("submit", submit_label))
    return h


def post_only(back: str, *, same_args: bool = True):
    """require_POST for a form's action that may send the form back with its errors. The address bar then shows the
    action, so a reload, or a visit from the history, is a GET: it goes back to the page the form lives on (`back`, a
    URL name taking the same arguments unless `same_args` is False), which checks who may see it, rather than to a
    blank 405. Other methods are still refused."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in ("GET", "HEAD"):
                return redirect(back, *args, **kwargs) if same_args else redirect(back)
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
