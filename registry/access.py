"""Who may see what. Every view checks its role here; every object lookup is scoped to the user."""

from collections.abc import Callable
from functools import wraps

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Course, CreditDeposit, CreditImport, Learner, RecordAccess, Role

# The learners a registrar found by their full identifier during this session (their ids, newest last).
FOUND_BY_ID = "learners_found_by_id"


@rules.predicate
def is_provincial_staff(user):
    return user.is_authenticated and user.role == Role.PROVINCIAL_STAFF


@rules.predicate
def is_registrar(user):
    return user.is_authenticated and user.role == Role.REGISTRAR and user.institution_id is not None


@rules.predicate
def is_learner(user):
    return user.is_authenticated and user.role == Role.LEARNER and hasattr(user, "learner")


@rules.predicate
def is_administrator(user):
    return user.is_authenticated and (user.role == Role.ADMINISTRATOR or user.is_superuser)


def role_required(*predicates: Callable) -> Callable:
    """Anonymous users go to the login page; a logged-in user without the role gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(p(request.user) for p in predicates):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def deposits_visible_to(user):
    """The deposits a user may read: a registrar's institution's, a learner's own, all for staff."""
    qs = CreditDeposit.objects.all()
    if is_provincial_staff(user) or is_administrator(user):
        return qs
    if is_registrar(user):
        return qs.filter(course__institution_id=user.institution_id)
    if is_learner(user):
        return qs.filter(learner_id=user.learner.pk)
    return qs.none()


def get_deposit_for_user(user, pk: int) -> CreditDeposit:
    """Another institution's or another learner's deposit is a 404, never a 403: we do not confirm it exists."""
    return get_object_or_404(deposits_visible_to(user).select_related("course__institution", "learner"), pk=pk)


def learners_visible_to(user):
    if is_provincial_staff(user) or is_administrator(user):
        return Learner.objects.all()
    if is_registrar(user):
        return institution_learners(user.institution_id)
    if is_learner(user):
        return Learner.objects.filter(pk=user.learner.pk)
    return Learner.objects.none()


def institution_learners(institution_id: int):
    """An institution's learners: those it registered and those it holds credits for (active deposits: one recorded
    for the wrong person and voided gives the school no lasting reach to that person's record, transcript and
    password slip).

    The learners with deposits here are one set PostgreSQL builds once (a hashed subplan), not a check per learner.
    """
    with_deposits = CreditDeposit.objects.active().filter(course__institution_id=institution_id).values("learner_id")
    return Learner.objects.filter(Q(registered_by_institution_id=institution_id) | Q(pk__in=with_deposits))


def institution_learner_ids(institution_id: int) -> list[int]:
    """The ids of an institution's learners (institution_learners), read as a list for its lists and searches.

    A few thousand ids at most; given as a list, PostgreSQL fetches those learners by primary key, where the subquery
    form leads it to scan every learner of the province for a name before checking who belongs here.
    """
    # .order_by(): no model ordering inside the UNION, so the deposits' part is read from deposit_course_learner_idx
    # alone instead of sorting every deposit of the institution by date first.
    registered = Learner.objects.filter(registered_by_institution_id=institution_id).order_by()
    with_deposits = CreditDeposit.objects.active().filter(course__institution_id=institution_id).order_by()
    return list(registered.values_list("pk", flat=True).union(with_deposits.values_list("learner_id", flat=True)))


def get_learner_for_user(user, pk: int) -> Learner:
    return get_object_or_404(learners_visible_to(user), pk=pk)


def learner_by_full_identifier(request, identifier: str, *, what: str) -> Learner | None:
    """Any registered learner, found by the full identifier: the one way past an institution's own learners.

    Search, the learner's page, the deposit form and a transfer request on the learner's behalf all go through here:
    each finding is logged (RecordAccess `what`), and the learner is remembered for this session so that the
    learner's page and the deposit form open for them without the identifier being typed again.
    """
    learner = Learner.objects.filter(national_id=identifier).first()
    if learner is not None:
        note_found_by_id(request, learner, what=what)
    return learner


def note_found_by_id(request, learner: Learner, *, what: str) -> None:
    """A learner reached by their full identifier (by this module's lookup, or a form's): logged, and remembered for
    this session."""
    RecordAccess.objects.create(user=request.user, learner=learner, what=what)
    found = [pk for pk in request.session.get(FOUND_BY_ID, []) if pk != learner.pk]
    request.session[FOUND_BY_ID] = (found + [learner.pk])[-50:]


def get_learner_for_registrar(request, pk: int) -> tuple[Learner, bool]:
    """The institution's own learner (True), or one the registrar found by full identifier this session (False).

    Anyone else is a 404. For a learner of another institution a page shows only their name, the masked identifier
    and this institution's own records: never another institution's deposits.
    """
    learner = institution_learners(request.user.institution_id).filter(pk=pk).first()
    if learner is not None:
        return learner, True
    if pk in request.session.get(FOUND_BY_ID, []):
        return get_object_or_404(Learner, pk=pk), False
    raise Http404


def get_course_for_registrar(user, pk: int) -> Course:
    return get_object_or_404(Course, pk=pk, institution_id=user.institution_id)


def get_import_for_registrar(user, pk: int) -> CreditImport:
    return get_object_or_404(
        CreditImport.objects.select_related("uploaded_by"), pk=pk, institution_id=user.institution_id
    )
