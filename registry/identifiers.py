"""Learner identifiers: Thai national ID (with check digit), G-code, passport number."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidComponent
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.th import pin

from .digits import ascii_digits
from .message_codes import render

G_CODE_RE = re.compile(r"^G\d{12}$")
PASSPORT_RE = re.compile(r"^[A-Z0-9]{6,15}$")
# Characters people paste by accident: zero-width spaces and joiners, the BOM; and control characters (a NUL
# byte among them), which no typed text means and PostgreSQL cannot store. Tabs and line breaks are spaces.
INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class IdType:
    CITIZEN = "citizen"
    G_CODE = "g_code"
    PASSPORT = "passport"


def clean_text(value: str) -> str:
    """Normalise typed or imported text: NFC, no invisible characters, single spaces."""
    value = unicodedata.normalize("NFC", value or "")
    value = INVISIBLE_RE.sub("", value)
    return " ".join(value.split())


def clean_paragraphs(value: str) -> str:
    """clean_text for each line of a longer text (a note), keeping its line breaks: one blank line at most between
    paragraphs, none at either end."""
    lines = [clean_text(line) for line in (value or "").splitlines()]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip("\n")


def catalogue_code(value: str) -> str:
    """A code of the catalogue (a course's, a programme's, an institution's) as typed or imported: spaces tidied,
    Thai digits as 0-9, capitals. "ท๒๑๑๐๑" had been saved as a second course beside ท21101."""
    return ascii_digits(clean_text(value)).upper()


def normalize_identifier(value: str) -> str:
    """Strip spaces, dashes and invisible characters; upper-case letters; Thai digits as 0-9 (a national ID typed in
    Thai digits had been refused as having a wrong check digit)."""
    value = ascii_digits(clean_text(value))
    return re.sub(r"[\s\-]", "", value).upper()


# Thirteen digits, or G and twelve, not part of a longer number (a row of 30 nines is no one's ID).
PERSONAL_ID_IN_TEXT_RE = re.compile(r"(?<!\d)(\d{13}|G\d{12})(?!\d)")


def looks_like_personal_id(text: str) -> bool:
    """Text holding a national ID (dashes and spaces allowed inside it) or a G-code, alone or among other words
    ("1101700207030 สมชาย"): what a search kept in the page address (a GET form) must not search for, so that the
    number stays out of addresses, histories and server logs. Read with the dashes left out, and with the spaces
    too ("1 1017 00207 03 0"), so a number typed beside it ("1101700207030 2568") does not hide it."""
    text = clean_text(text).upper().replace("-", "")
    return any(PERSONAL_ID_IN_TEXT_RE.search(variant) for variant in (text, re.sub(r"\s", "", text)))


# A 13-digit ID as a spreadsheet shows a number it read (6.42045E+12): the digits after the sixth are lost.
SPREADSHEET_NUMBER_RE = re.compile(r"\d(\.\d+)?E\+?\d{1,2}")


def detect_id_type(value: str) -> str:
    """Guess the kind of an already-normalised identifier."""
    if value.isdigit():
        return IdType.CITIZEN
    if value.startswith("G") and value[1:].isdigit():
        return IdType.G_CODE
    return IdType.PASSPORT


def identifier_problem(value: str, id_type: str) -> str | None:
    """The message code (registry/message_codes.py) of what is wrong with an identifier, or None when it is fine.

    A 13-digit number is judged by the rules of Thai national IDs (python-stdnum): one whose check digit is right
    but which no person is given (it starts with 0 or 9) is said to be so, not called a check-digit error.
    """
    value = normalize_identifier(value)
    if id_type == IdType.CITIZEN:
        if re.fullmatch(r"0\d{9}", value):
            return "id_phone"
        if not re.fullmatch(r"\d{13}", value):
            return "id_length"
        try:
            pin.validate(value)
        except InvalidComponent:
            if value[-1] != pin.calc_check_digit(value):
                return "id_checksum"
            return "id_company" if value[0] == "0" else "id_not_issued"
        except StdnumError:
            return "id_checksum"
    elif id_type == IdType.G_CODE:
        if not G_CODE_RE.fullmatch(value):
            return "g_code_format"
    elif id_type == IdType.PASSPORT:
        if SPREADSHEET_NUMBER_RE.fullmatch(value):
            return "id_spreadsheet_number"
        if re.search(r"[\u0e00-\u0e7f]", value):  # no passport has Thai letters: a name typed in the ID box
            return "id_is_a_name"
        if not PASSPORT_RE.fullmatch(value):
            return "passport_format"
    else:
        return "id_type"
    return None


def validate_identifier(value: str, id_type: str) -> str:
    """Return the normalised identifier or raise a ValidationError with a Thai-first message."""
    value = normalize_identifier(value)
    code = identifier_problem(value, id_type)
    if code == "id_type":
        raise ValidationError(_("Choose the kind of identifier."), code="id_type")
    if code:
        raise ValidationError(render(code), code=code)
    return value


def format_national_id(value: str) -> str:
    """1-2345-67890-12-3 for a 13-digit ID; other identifiers unchanged."""
    if len(value) == 13 and value.isdigit():
        return f"{value[0]}-{value[1:5]}-{value[5:10]}-{value[10:12]}-{value[12]}"
    return value


def mask_identifier(value: str) -> str:
    """Show only the first and the last few characters: 1-xxxx-xxxxx-12-3."""
    if len(value) == 13 and value.isdigit():
        return f"{value[0]}-xxxx-xxxxx-{value[10:12]}-{value[12]}"
    if len(value) <= 4:
        return "x" * len(value)
    return value[:1] + "x" * (len(value) - 4) + value[-3:]
