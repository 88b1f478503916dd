"""Writes to the ledger. Every change goes through here: validated, atomic, and recorded in the audit trail."""

import datetime
from decimal import Decimal

import pghistory
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .deposit_rules import academic_year_error, completed_on_error, grade_error
from .grades import normalize_grade
from .identifiers import clean_text, validate_identifier
from .models import (
    RECOGNITION_CODES,
    Course,
    CreditDeposit,
    DepositEvidence,
    DepositOrigin,
    Institution,
    Learner,
    Role,
    User,
    birth_date_error,
)
from .uploads import CheckedFile


def learner_register(
    *,
    actor: User,
    national_id: str,
    id_type: str,
    prefix: str,
    first_name: str,
    last_name: str,
    first_name_en: str = "",
    last_name_en: str = "",
    birth_date: datetime.date | None = None,
) -> Learner:
    """Register a new learner. The identifier is checked; the same identifier is never registered twice."""
    national_id = validate_identifier(national_id, id_type)
    institution = actor.institution if actor.is_registrar else None
    if Learner.objects.filter(national_id=national_id).exists():
        raise ValidationError({"national_id": _("A learner with this identifier is already registered.")})
    if message := birth_date_error(birth_date):
        raise ValidationError({"birth_date": message})
    learner = Learner(
        national_id=national_id,
        id_type=id_type,
        prefix=prefix,
        first_name=clean_text(first_name),
        last_name=clean_text(last_name),
        first_name_en=clean_text(first_name_en),
        last_name_en=clean_text(last_name_en),
        birth_date=birth_date,
        registered_by_institution=institution,
    )
    learner.full_clean()
    with transaction.atomic(), pghistory.context(user=actor.pk, service="learner_register"):
        learner.save()
    return learner


def learner_set_english_name(*, actor: User, learner: Learner, first_name_en: str, last_name_en: str) -> Learner:
    """A learner's name in English, set by the learner (both parts, or neither to remove it); the audit trail keeps
    who changed it and what it was. Their account, if open, is named the same: the top bar of English pages had
    kept the Thai name."""
    with transaction.atomic():
        learner = _set_english_name(Learner, learner.pk, actor, "learner_set_english_name", first_name_en, last_name_en)
        if learner.user_id:
            with pghistory.context(user=actor.pk, service="learner_set_english_name"):
                User.objects.filter(pk=learner.user_id).update(
                    first_name_en=learner.first_name_en, last_name_en=learner.last_name_en
                )
    return learner


def user_set_english_name(*, actor: User, first_name_en: str, last_name_en: str) -> User:
    """A registrar's or officer's own name in English, which signs the English official copies they issue."""
    return _set_english_name(User, actor.pk, actor, "user_set_english_name", first_name_en, last_name_en)


def _set_english_name(model, pk: int, actor: User, service: str, first_name_en: str, last_name_en: str):
    first_name_en, last_name_en = clean_text(first_name_en), clean_text(last_name_en)
    if bool(first_name_en) != bool(last_name_en):
        raise ValidationError(_("Type both your first and your last name in English, or leave both empty."))
    with transaction.atomic(), pghistory.context(user=actor.pk, service=service):
        record = model.objects.select_for_update().get(pk=pk)
        record.first_name_en, record.last_name_en = first_name_en, last_name_en
        record.save(update_fields=["first_name_en", "last_name_en"])
    return record


def deposit_record(
    *,
    actor: User,
    learner: Learner,
    course: Course,
    grade: str,
    completed_on: datetime.date,
    academic_year: int,
    term: int,
    learning_type: str | None = None,
    credits: Decimal | None = None,
    evidence: CheckedFile | None = None,
) -> CreditDeposit:
    """Record credits a learner earned in a course of the actor's institution.

    The grade must belong to the scale of the course's level; credits default to the course's.
    """
    if actor.is_registrar and course.institution_id != actor.institution_id:
        raise ValidationError({"course": _("You can record credits only for your own institution's courses.")})
    grade = normalize_grade(grade)
    errors = {}
    if message := grade_error(grade, course.grade_scale):
        errors["grade"] = message
    if message := completed_on_error(completed_on, birth_date=learner.birth_date):
        errors["completed_on"] = message
    if message := academic_year_error(academic_year, completed_on):
        errors["academic_year"] = message
    credits = course.credits if credits is None else Decimal(credits)
    if credits <= 0:
        errors["credits"] = _("Credits must be more than zero.")
    if errors:
        raise ValidationError(errors)
    deposit = CreditDeposit(
        learner=learner,
        course=course,
        credits=credits,
        grade=grade,
        completed_on=completed_on,
        academic_year=academic_year,
        term=term,
        learning_type=learning_type or course.learning_type,
        recorded_by=actor,
    )
    deposit.full_clean(validate_constraints=False)
    try:
        with transaction.atomic(), pghistory.context(user=actor.pk, service="deposit_record"):
            deposit.save()
            if evidence is not None:
                evidence_attach(actor=actor, deposit=deposit, evidence=evidence)
    except IntegrityError as exc:
        if "deposit_one_active_per_course_and_term" in str(exc):
            existing = (
                CreditDeposit.objects.active()
                .filter(learner=learner, course=course, academic_year=academic_year, term=term)
                .values_list("pk", flat=True)
                .first()
            )
            message = _(
                "This learner already has deposit no. %(pk)s for this course in academic year %(year)s, term "
                "%(term)s. To change it, void that deposit first (give the reason), then record it again."
            ) % {"pk": existing, "year": academic_year, "term": term}
            # On the course: the form says it beside the field, once, and the error summary links to it.
            raise ValidationError({"course": ValidationError(message, code="duplicate_deposit")}) from exc
        raise
    return deposit


def void_values(actor: User, reason: str) -> dict:
    """What voiding writes on a deposit, one by hand or every one of an undone import: the status, why, who, when."""
    return {
        "status": CreditDeposit.Status.VOIDED,
        "void_reason": reason,
        "voided_by": actor,
        "voided_at": timezone.now(),
    }


def deposit_void(*, actor: User, deposit_id: int, reason: str) -> CreditDeposit:
    """Void a deposit with a reason. The row stays; only its status changes, under a row lock."""
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why this deposit is being voided.")})
    with transaction.atomic(), pghistory.context(user=actor.pk, service="deposit_void", reason=reason):
        deposit = CreditDeposit.objects.select_for_update().get(pk=deposit_id)
        if deposit.status != CreditDeposit.Status.ACTIVE:
            raise ValidationError(_("This deposit has already been voided."))
        values = void_values(actor, reason)
        for name, value in values.items():
            setattr(deposit, name, value)
        deposit.save(update_fields=list(values))
    return deposit


def evidence_attach(*, actor: User, deposit: CreditDeposit, evidence: CheckedFile) -> DepositEvidence:
    """Store a checked evidence file for a deposit under a name the server makes."""
    record = DepositEvidence(
        deposit=deposit,
        content_type=evidence.content_type,
        original_name=evidence.original_name,
        size=len(evidence.content),
        uploaded_by=actor,
    )
    record.file.save("evidence", ContentFile(evidence.content), save=False)
    with transaction.atomic(), pghistory.context(user=actor.pk, step="evidence_attach"):
        record.save()
    return record


LOCKED_WHEN_USED = ("code", "credits", "level")


def course_in_use(course: Course) -> bool:
    """A course with deposits keeps LOCKED_WHEN_USED (and its institution): the registrar's form, the admin and
    course_save all ask this."""
    return bool(course.pk) and course.deposits.exists()


def course_save(*, actor: User, institution: Institution, course: Course, changed: list[str]) -> Course:
    """Add or edit a catalogue course. A course with deposits keeps its code, credits and level."""
    with transaction.atomic(), pghistory.context(user=actor.pk, service="course_save", changed=changed):
        if course.pk:
            stored = Course.objects.select_for_update().get(pk=course.pk, institution=institution)
            if course_in_use(stored) and any(
                getattr(stored, name) != getattr(course, name) for name in LOCKED_WHEN_USED
            ):
                raise ValidationError(
                    _("Credits are already recorded for this course, so its code, credits and level cannot change.")
                )
        course.institution = institution
        course.full_clean()
        course.save()
    return course


def deposit_record_transfer_in(
    *,
    actor: User,
    learner: Learner,
    course: Course,
    notation: str,
    completed_on: datetime.date,
    academic_year: int,
    term: int,
    learning_type: str,
) -> CreditDeposit:
    """Post credits recognised by a transfer decision: a deposit at the receiving course carrying its notation.

    Called by the transfers app inside its approval transaction; the caller has checked the decision.
    """
    if notation not in RECOGNITION_CODES:
        raise ValidationError(_("Unknown notation %(notation)s.") % {"notation": notation})
    deposit = CreditDeposit(
        learner=learner,
        course=course,
        credits=course.credits,
        grade=notation,
        completed_on=completed_on,
        academic_year=academic_year,
        term=term,
        learning_type=learning_type,
        origin=DepositOrigin.TRANSFER_IN,
        recorded_by=actor,
    )
    with pghistory.context(user=actor.pk, step="deposit_record_transfer_in"):
        deposit.save()
    return deposit


def institution_code_locked(institution: Institution) -> bool:
    """An institution's code is in the address of each of its courses (/courses/<code>/<course>), which issued
    credentials name: once it has courses, the code stays."""
    return bool(institution.pk) and institution.courses.exists()


def institution_save(*, actor: User, institution: Institution, changed: list[str]) -> Institution:
    """Provincial staff add or edit an institution and its MOU status."""
    if not actor.is_provincial_staff:
        raise ValidationError(_("Only provincial staff manage institutions."))
    if "code" in changed and institution_code_locked(institution):
        raise ValidationError(
            {
                "code": _(
                    "This institution's courses, and credentials already issued, are known by this code: it cannot "
                    "change. To correct a wrong code, ask the system administrator."
                )
            }
        )
    if institution.mou_signed_on and not institution.mou_member:
        raise ValidationError(
            {"mou_signed_on": _("Only an MOU member has a signing date; tick MOU member or clear it.")}
        )
    institution.full_clean()
    with transaction.atomic(), pghistory.context(user=actor.pk, service="institution_save", changed=changed):
        institution.save()
    return institution


def registrar_account_errors(user: User, password: str) -> dict[str, list]:
    """What is wrong with a new account and its first password, all at once (the form shows each beside its field;
    registrar_account_create refuses the same)."""
    from django.contrib.auth.password_validation import validate_password

    errors = {}
    if user.username and User.objects.filter(username__iexact=user.username).exists():
        errors["username"] = [_("This username is taken; choose another.")]
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            errors["password"] = exc.messages
    return errors


def registrar_account_create(
    *, actor: User, institution: Institution, username: str, first_name: str, last_name: str, email: str, password: str
) -> User:
    """A registrar login for one institution, made by provincial staff."""
    if not actor.is_provincial_staff:
        raise ValidationError(_("Only provincial staff create registrar accounts."))
    user = User(
        username=username, first_name=clean_text(first_name), last_name=clean_text(last_name), email=email,
        role=Role.REGISTRAR, institution=institution,
    )  # fmt: skip
    if errors := registrar_account_errors(user, password):
        raise ValidationError(errors)
    user.set_password(password)
    user.password_change_required = True  # staff chose it: the registrar sets their own at the first login
    with transaction.atomic(), pghistory.context(user=actor.pk, service="registrar_account_create"):
        user.save()
    return user


def user_language_set(*, user: User, language: str) -> User:
    """Remember the language a signed-in user chose, so every page and device shows it from then on."""
    if language not in ("th", "en"):
        raise ValidationError({"language": _("Choose Thai or English.")})
    if user.language != language:
        with transaction.atomic(), pghistory.context(user=user.pk, service="user_language_set"):
            user.language = language
            user.save(update_fields=["language"])
    return user


def user_reactivate(*, actor: User, user_id: int) -> User:
    """Open a deactivated login again (the same account, its password unchanged)."""
    if not actor.is_provincial_staff:
        raise ValidationError(_("Only provincial staff reactivate accounts."))
    return _user_active_set(actor=actor, user_id=user_id, active=True, service="user_reactivate")


def user_deactivate(*, actor: User, user_id: int) -> User:
    """Close a login at once: it can no longer sign in, and its open sessions stop working on their next request
    (Django's ModelBackend refuses an inactive account whenever it reads the session's user)."""
    if not actor.is_provincial_staff:
        raise ValidationError(_("Only provincial staff deactivate accounts."))
    return _user_active_set(actor=actor, user_id=user_id, active=False, service="user_deactivate")


def _user_active_set(*, actor: User, user_id: int, active: bool, service: str) -> User:
    with transaction.atomic(), pghistory.context(user=actor.pk, service=service):
        user = User.objects.select_for_update().get(pk=user_id)
        user.is_active = active
        user.save(update_fields=["is_active"])
    return user
