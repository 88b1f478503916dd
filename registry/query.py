"""Words typed into a search box and read from the query string, checked as a form field would check them.

A NUL byte or a page of text in `?q=` is not a search anyone meant: Django's CharField refuses both (its
ProhibitNullCharactersValidator and max_length), the page says why in the reader's language, and it answers as if
nothing had been typed, instead of passing the value on to PostgreSQL, which cannot hold a NUL.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .digits import ascii_digits
from .identifiers import clean_text, looks_like_personal_id

SEARCH_MAX_LENGTH = 100

# Searches kept in the page address (GET forms) do not take a national ID or G-code: it would be in the address bar,
# the browser's history and the server's logs. The box says so beside itself; app.js says it before sending, from the
# box's data-personal-id-refused attribute (personal_id_attrs), so the number is never sent at all.
PERSONAL_ID_REFUSED = _(
    "A national ID is not searched here, so that it never shows in a page address: search by the learner's name."
)


# The same, in a box that finds no learner (programmes, rules): there is no learner's name to search by instead.
ID_NOT_SEARCHED = _("A national ID is not searched here, so that it never shows in a page address.")


def refuse_personal_id(value: str) -> None:
    """A form field validator: a national ID or G-code is refused (PERSONAL_ID_REFUSED)."""
    if looks_like_personal_id(value):
        raise ValidationError(PERSONAL_ID_REFUSED, code="personal_id")


def refuse_id_in_search(value: str) -> None:
    """A form field validator for a search that finds no learner: a national ID or G-code is refused."""
    if looks_like_personal_id(value):
        raise ValidationError(ID_NOT_SEARCHED, code="personal_id")


def personal_id_attrs() -> dict:
    """The search box's attribute from which app.js refuses an ID before it is sent (in the page's language)."""
    return {"data-personal-id-refused": str(PERSONAL_ID_REFUSED)}


def query_text(
    request, name: str = "q", *, max_length: int = SEARCH_MAX_LENGTH, source=None, refuse_id: bool = True
) -> str:
    """The cleaned text of one query parameter (of `source`, request.GET unless given), or "" with the reason added
    to the page's messages. A national ID is refused so (ID_NOT_SEARCHED), unless the caller says it refuses one
    itself, beside its box (`refuse_id=False`)."""
    field = forms.CharField(
        required=False, max_length=max_length, validators=[refuse_id_in_search] if refuse_id else []
    )
    try:
        return clean_text(field.clean((request.GET if source is None else source).get(name, "")))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return ""


def forget_refused_id(form, name: str = "q") -> bool:
    """After a form refused a national ID in its box `name` (refuse_personal_id): the box comes back empty and marked,
    so that sending the form again does not put the number in the address; the error stays beside it."""
    if not any(error.code == "personal_id" for error in form.errors.as_data().get(name, [])):
        return False
    form.data = form.data.copy()
    form.data.pop(name, None)
    widget = form.fields[name].widget
    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
    return True


def mark_invalid(form) -> None:
    """Each box of a GET form that refused what was typed outlined as Bootstrap marks a field in error (the message
    beside it alone was easy to miss above a list)."""
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            if "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def typed_number(text: str) -> int | None:
    """A record's number as a search box is typed with it ("#1313", "1313", in Thai digits too), else None: the
    number messages and lists name a deposit or a request by."""
    number = ascii_digits(text or "").strip().lstrip("#").strip()
    return row_id(number) if len(number) <= 12 else None


def row_id(value) -> int | None:
    """A row's id as typed into an address or a form (`?after=12`, `assess=7`): a whole number PostgreSQL's bigint
    holds, else None. A longer run of digits would be a database error, not a row that is not there."""
    value = str(value or "")
    return int(value) if value.isdigit() and len(value) < 19 else None
