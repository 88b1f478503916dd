"""Words typed into a search box and read from the query string, checked as a form field would check them.

A NUL byte or a page of text in `?q=` is not a search anyone meant: Django's CharField refuses both (its
ProhibitNullCharactersValidator and max_length), the page says why in the reader's language, and it answers as if
nothing had been typed, instead of passing the value on to PostgreSQL, which cannot hold a NUL.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError

from .identifiers import clean_text

SEARCH_MAX_LENGTH = 100


def query_text(request, name: str = "q", *, max_length: int = SEARCH_MAX_LENGTH, source=None) -> str:
    """The cleaned text of one query parameter (of `source`, request.GET unless given), or "" with the reason added
    to the page's messages."""
    field = forms.CharField(required=False, max_length=max_length)
    try:
        return clean_text(field.clean((request.GET if source is None else source).get(name, "")))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return ""
