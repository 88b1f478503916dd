"""Course equivalences and learners' transfer requests. Builds on registry; registry never imports this."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import Course, Institution, Learner, choices_check


class EquivalenceStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    RETIRED = "retired", _("retired")


@pghistory.track()
class Equivalence(models.Model):
    """A rule: a source course at one institution counts as a target course at another."""

    Status = EquivalenceStatus

    source_course = models.ForeignKey(
        Course, verbose_name=_("source course"), on_delete=models.PROTECT, related_name="equivalences_out"
    )
    target_course = models.ForeignKey(
        Course, verbose_name=_("target course"), on_delete=models.PROTECT, related_name="equivalences_in"
    )
    min_grade_points = models.DecimalField(_("minimum grade points"), max_digits=3, decimal_places=1, default=2)
    basis = models.TextField(_("basis"), blank=True, help_text=_("Content overlap, learning outcomes matched."))
    effective_from = models.DateField(_("effective from"), default=timezone.localdate)
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        verbose_name = _("course equivalence")
        verbose_name_plural = _("course equivalences")
        ordering = ["-proposed_at"]
        constraints = [
            choices_check("status", EquivalenceStatus.choices, "equivalence_status_valid"),
            models.CheckConstraint(
                condition=~Q(source_course=models.F("target_course")), name="equivalence_distinct_courses"
            ),
            models.CheckConstraint(
                condition=Q(min_grade_points__gte=0) & Q(min_grade_points__lte=4),
                name="equivalence_min_grade_in_range",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="equivalence_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.source_course.code} → {self.target_course.code}"


class TransferRequestStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    UNDER_REVIEW = "under_review", _("under review")
    APPROVED = "approved", _("approved")
    PARTLY_APPROVED = "partly_approved", _("partly approved")
    REJECTED = "rejected", _("rejected")
    RETURNED = "returned", _("returned for more information")


@pghistory.track()
class TransferRequest(models.Model):
    """A learner's request to count banked credits toward a programme at a target institution."""

    Status = TransferRequestStatus

    learner = models.ForeignKey(
        Learner, verbose_name=_("learner"), on_delete=models.PROTECT, related_name="transfer_requests"
    )
    target_institution = models.ForeignKey(
        Institution, verbose_name=_("target institution"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("transfer request")
        verbose_name_plural = _("transfer requests")
        ordering = ["-created_at"]
        constraints = [choices_check("status", TransferRequestStatus.choices, "transfer_request_status_valid")]
        indexes = [
            # The staff queue: requests in a status, oldest submission first.
            models.Index(fields=["status", "submitted_at"], name="transfer_request_queue_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.learner} → {self.target_institution}"
