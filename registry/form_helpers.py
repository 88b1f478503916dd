"""Turns a service's ValidationError into form errors, so a view can show it next to the fields it names."""

from django.core.exceptions import ValidationError


def add_errors(form, exc: ValidationError):
    """A service's ValidationError shown next to the fields it names, or above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
