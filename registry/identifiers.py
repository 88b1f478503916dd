"""Learner identifiers: Thai national ID (with check digit), G-code, passport number."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.th import pin

G_CODE_RE = re.compile(r"^G\d{12}$")
PASSPORT_RE = re.compile(r"^[A-Z0-9]{6,15}$")
# Characters people paste by accident: zero-width spaces and joiners, the BOM.
INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


class IdType:
    CITIZEN = "citizen"
    G_CODE = "g_code"
    PASSPORT = "passport"


def clean_text(value: str) -> str:
    """Normalise typed or imported text: NFC, no invisible characters, single spaces."""
    value = unicodedata.normalize("NFC", value or "")
    value = INVISIBLE_RE.sub("", value)
    return " ".join(value.split())


def normalize_identifier(value: str) -> str:
    """Strip spaces, dashes and invisible characters; upper-case letters."""
    value = clean_text(value)
    return re.sub(r"[\s\-]", "", value).upper()


def detect_id_type(value: str) -> str:
    """Guess the kind of an already-normalised identifier."""
    if value.isdigit():
        return IdType.CITIZEN
    if value.startswith("G") and value[1:].isdigit():
        return IdType.G_CODE
    return IdType.PASSPORT


def validate_identifier(value: str, id_type: str) -> str:
    """Return the normalised identifier or raise a ValidationError with a Thai-first message."""
    value = normalize_identifier(value)
    if id_type == IdType.CITIZEN:
        if not re.fullmatch(r"\d{13}", value):
            raise ValidationError(
                _("A national ID has 13 digits; check the number and type it again."), code="id_length"
            )
        try:
            pin.validate(value)
        except StdnumError:
            raise ValidationError(
                _("This national ID's check digit is wrong; check every digit against the ID card."),
                code="id_checksum",
            ) from None
    elif id_type == IdType.G_CODE:
        if not G_CODE_RE.fullmatch(value):
            raise ValidationError(
                _("A G-code is the letter G followed by 12 digits, for example G123456789012."),
                code="g_code_format",
            )
    elif id_type == IdType.PASSPORT:
        if not PASSPORT_RE.fullmatch(value):
            raise ValidationError(_("A passport number has 6 to 15 letters or digits."), code="passport_format")
    else:
        raise ValidationError(_("Choose the kind of identifier."), code="id_type")
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
