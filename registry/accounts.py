"""Learners' own accounts: a registrar issues a one-time code on a slip; with it the learner opens their account, or,
once it is open, sets a new password (many learners have no email for Django's own password reset)."""

import datetime
import functools
import secrets

import pghistory
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .digits import ascii_digits
from .identifiers import normalize_identifier
from .models import ActivationCode, Learner, Role, User
from .templatetags.thaidate import be_datetime

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper
CODE_LIFETIME = datetime.timedelta(days=30)
MAX_FAILURES = 5


def normalize_code(code: str) -> str:
    """A slip's code as typed: letters and digits only, capitals, Thai digits as 0-9 (GUMZ-๘ETP had been "does not
    match", a try used up)."""
    return "".join(ch for ch in ascii_digits(code or "").upper() if ch.isalnum())


def unused_codes(learner: Learner, now=None):
    """The learner's codes still good: not used, not expired (a new one ends them)."""
    return ActivationCode.objects.filter(learner=learner, used_at__isnull=True, expires_at__gt=now or timezone.now())


def activation_code_issue(
    *, actor: User, learner: Learner, birth_date: datetime.date | None = None
) -> tuple[ActivationCode, str]:
    """A new code for the learner (shown once, on the slip); earlier unused codes stop working. For a learner whose
    account is open, the code sets a new password (learner_set_password_by_code).

    The slip asks the learner for their birth date: a learner registered without one gets `birth_date` recorded first
    (from their ID card, by the registrar issuing the slip); with neither, no code is issued, as none could work."""
    if learner.birth_date is None and birth_date is None:
        raise ValidationError(
            {"birth_date": _("Type the learner's birth date from their ID card: the slip asks them for it.")}
        )
    plain = "".join(secrets.choice(ALPHABET) for _ in range(8))
    now = timezone.now()
    with transaction.atomic(), pghistory.context(user=actor.pk, service="activation_code_issue"):
        if learner.birth_date is None:
            learner.birth_date = birth_date
            learner.save(update_fields=["birth_date"])
        unused_codes(learner, now).update(expires_at=now)
        code = ActivationCode.objects.create(
            learner=learner, code_hash=make_password(plain), issued_by=actor, expires_at=now + CODE_LIFETIME
        )
        if learner.user_id and learner.user.email:
            account = learner.user
            transaction.on_commit(lambda: _tell_of_new_password_slip(account, actor))
    return code, f"{plain[:4]}-{plain[4:]}"


def _tell_of_new_password_slip(account: User, actor: User) -> None:
    """A slip sets a new password for whoever holds it: the account's owner hears of it at the address they gave, in
    their language, so a slip they did not ask for does not go unnoticed."""
    with translation.override(account.language or settings.LANGUAGE_CODE):
        send_mail(
            _("A slip to set a new password for your credit bank account"),
            _(
                "On %(when)s a registrar (%(who)s, %(where)s) printed a slip to set a new password for your Phichit "
                "credit bank account (username %(username)s). If you did not ask for it, tell the Phichit Provincial "
                "Education Office; your password stays as it is until the slip is used."
            )
            % {
                "when": be_datetime(timezone.now()),
                "who": actor.name_in(translation.get_language()),
                "where": actor.institution.name if actor.institution_id else "",
                "username": account.get_username(),
            },
            None,
            [account.email],
        )


def learner_activate(
    *, national_id: str, birth_date: datetime.date, code: str, username: str, password: str, email: str = ""
) -> User:
    """Open a learner's account. One message for every mismatch, so the form tells nothing to a guesser.

    Each failed try counts against the learner's open codes; after five a code no longer works.
    """
    national_id = normalize_identifier(national_id)
    with transaction.atomic():
        learner = Learner.objects.select_for_update().filter(national_id=national_id).first()
        match = _matching_code(learner, code, birth_date)
        if match is not None:
            # Said only to whoever holds a slip for this learner: before the code, the page had told anyone whether
            # a national ID had an open account.
            if learner.user_id:
                raise ValidationError(_("This learner's account is already open: log in, or reset the password."))
            return _open_account(learner, match, username, password, email)
    # Leaving the block normally keeps the failure count; only then is the attempt refused.
    raise ValidationError(
        _("These details do not match an activation code. Check the slip from your registrar, or ask for a new code."),
        code="no_match",
    )


def learner_set_password_by_code(*, national_id: str, birth_date: datetime.date, code: str, password: str) -> User:
    """A new password for a learner's open account, with the code on a slip from their registrar. One message for
    every mismatch, as when opening an account, and the same count of failures. The new password ends the account's
    other sessions (Django keys each session to the password)."""
    national_id = normalize_identifier(national_id)
    with transaction.atomic():
        learner = Learner.objects.select_for_update().filter(national_id=national_id).first()
        match = _matching_code(learner, code, birth_date)
        if match is not None:
            # Said only to whoever holds the slip: before it, the page tells a guesser nothing of who is registered.
            if not learner.user_id:
                raise ValidationError(
                    _("This learner has no account yet: open it with the slip, on the page for opening an account.")
                )
            user = learner.user
            if not user.is_active:
                raise ValidationError(_("This account is closed. Ask the provincial office to open it again."))
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise ValidationError({"password1": exc.messages}) from None
            user.set_password(password)
            with pghistory.context(user=user.pk, service="learner_set_password_by_code"):
                user.save(update_fields=["password"])
                match.used_at = timezone.now()
                match.save(update_fields=["used_at"])
            return user
    raise ValidationError(
        _("These details do not match a code. Check the slip from your registrar, or ask for a new one."),
        code="no_match",
    )


@functools.cache
def _no_code_hash() -> str:
    return make_password("no code is held for this learner")


def _matching_code(learner, code, birth_date):
    codes = list(unused_codes(learner).select_for_update().filter(failed_attempts__lt=MAX_FAILURES)) if learner else []
    if not codes:
        # As long to answer as a learner holding a code: the time had told a guesser which IDs have a slip out.
        check_password(normalize_code(code), _no_code_hash())
        return None
    match = next((c for c in codes if check_password(normalize_code(code), c.code_hash)), None)
    birth_date_right = learner.birth_date == birth_date
    if match is not None and birth_date_right:
        return match
    # A try counts against the learner's codes when one of the two was right: a slip's code with birth dates guessed,
    # or the birth date with codes guessed. Someone who knows only the ID (neither right) can no longer use up the
    # learner's slip by trying five times.
    counted = match is not None or birth_date_right
    # The same statement either way (its condition false when not counted): its time tells nothing of which.
    ActivationCode.objects.filter(
        pk__in=[c.pk for c in codes], failed_attempts__gte=0 if counted else MAX_FAILURES
    ).update(failed_attempts=F("failed_attempts") + 1)
    return None


def _open_account(learner, match, username, password, email):
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken; choose another.")})
    user = User(username=username, email=email, role=Role.LEARNER, first_name=learner.first_name,
                last_name=learner.last_name, first_name_en=learner.first_name_en,
                last_name_en=learner.last_name_en)  # fmt: skip
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from None
    user.set_password(password)
    with pghistory.context(service="learner_activate"):
        user.save()
        learner.user = user
        learner.save(update_fields=["user"])
        match.used_at = timezone.now()
        match.save(update_fields=["used_at"])
    return user
