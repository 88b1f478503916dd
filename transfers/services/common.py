"""Small checks shared by the rule and request services."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from registry.access import is_administrator, is_provincial_staff
from registry.identifiers import clean_text
from registry.models import User


def require_reason(reason: str) -> str:
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for this decision.")})
    return reason


def deciding_role(actor: User) -> str:
    """Who may decide rules and requests: provincial staff, or an administrator standing in for a second officer.

    A one-officer office cannot keep proposing and approving apart by itself; an administrator then decides, and
    the role is written into the audit trail's context (`acting_as`) so the exception stays visible.
    """
    if is_provincial_staff(actor):
        return "provincial_staff"
    if is_administrator(actor):
        return "administrator"
    raise ValidationError(_("Only provincial staff (or an administrator) decide."), code="not_allowed")


def refuse_own_work(actor: User, involved: set, message: str):
    """Separation of duties: whoever proposed a rule or filed a request does not decide it."""
    if actor.pk in involved:
        raise ValidationError(message, code="separation_of_duties")
