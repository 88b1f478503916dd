"""Small checks shared by the rule and request services."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from registry.identifiers import clean_text


def require_reason(reason: str) -> str:
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for this decision.")})
    return reason
