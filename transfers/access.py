"""Who sees which rules, programmes and requests. Another's object is a 404."""

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404

from registry.access import is_administrator, is_learner, is_provincial_staff, is_registrar

from .models import (
    Equivalence,
    EquivalenceStatus,
    EquivalenceTarget,
    Programme,
    RequestStatus,
    TransferItemSource,
    TransferRequest,
)


def requests_visible_to(user):
    qs = TransferRequest.objects.all()
    if is_provincial_staff(user) or is_administrator(user):
        return qs
    if is_learner(user):
        return qs.filter(learner_id=user.learner.pk)
    if is_registrar(user):
        # The receiving institution's registrars, and those whose deposits the request uses once it is sent (a
        # learner's unsent draft, and its note to the office, are not yet the sending school's to read).
        sources_here = TransferItemSource.objects.filter(
            item__request=OuterRef("pk"), deposit__course__institution_id=user.institution_id
        )
        sent = ~Q(status=RequestStatus.DRAFT)
        return qs.filter(
            Q(target_institution_id=user.institution_id) | Q(created_by=user) | (Exists(sources_here) & sent)
        )
    return qs.none()


def reads_documents(user, transfer_request: TransferRequest) -> bool:
    """Whether the user may read the documents attached to a request (certificates, ID pages, letters for the
    office): the learner, whoever filed it, the receiving institution's registrars and the office. A school whose
    credits the request only uses sees the request, not those papers."""
    if is_provincial_staff(user) or is_administrator(user):
        return True
    if is_learner(user):
        return transfer_request.learner_id == user.learner.pk
    return transfer_request.created_by_id == user.pk or (
        is_registrar(user) and transfer_request.target_institution_id == user.institution_id
    )


def get_request_for_user(user, pk) -> TransferRequest:
    return get_object_or_404(
        requests_visible_to(user).select_related(
            "learner", "target_institution", "programme", "created_by", "decided_by", "reviewer", "returned_by"
        ),
        pk=pk,
    )


def rules_visible_to(user):
    qs = Equivalence.objects.all()
    if is_provincial_staff(user) or is_administrator(user):
        return qs
    public = Q(status__in=[EquivalenceStatus.APPROVED, EquivalenceStatus.RETIRED])
    if is_registrar(user):
        into_here = EquivalenceTarget.objects.filter(
            equivalence=OuterRef("pk"), course__institution_id=user.institution_id
        )
        return qs.filter(public | Exists(into_here) | Q(proposed_by=user))
    return qs.filter(public)


def get_rule_for_user(user, pk) -> Equivalence:
    return get_object_or_404(rules_visible_to(user), pk=pk)


def rules_revisable_by(user):
    """Approved rules a user may propose a new version of: any, for provincial staff; for a registrar, those into
    their own institution (a new version replaces the old one when approved, so another school's rule is not theirs
    to replace)."""
    approved = Equivalence.objects.filter(status=EquivalenceStatus.APPROVED)
    if is_provincial_staff(user):
        return approved
    if is_registrar(user):
        into_here = EquivalenceTarget.objects.filter(
            equivalence=OuterRef("pk"), course__institution_id=user.institution_id
        )
        return approved.filter(Exists(into_here))
    return approved.none()


def programmes_editable_by(user):
    if is_registrar(user):
        return Programme.objects.filter(institution_id=user.institution_id)
    return Programme.objects.none()


def programmes_visible_to(user):
    if is_provincial_staff(user) or is_administrator(user):
        return Programme.objects.all()
    if is_registrar(user):
        return programmes_editable_by(user)
    return Programme.objects.filter(active=True)
