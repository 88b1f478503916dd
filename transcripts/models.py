"""Issued transcripts and batches of them: documents made from the ledger, each recorded so anyone can verify it."""

import uuid

import pghistory
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import Course, Institution, Learner, User, choices_check


@pghistory.track(exclude=["content_sha256"])
class Transcript(models.Model):
    """An issued transcript: what was issued to whom, by whom, and a code anyone can verify it with."""

    number = models.CharField(_("transcript number"), max_length=30, unique=True)
    verification_code = models.CharField(_("verification code"), max_length=32, unique=True)
    learner = models.ForeignKey(
        Learner, verbose_name=_("learner"), on_delete=models.PROTECT, related_name="transcripts"
    )
    issued_by = models.ForeignKey(User, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    language = models.CharField(_("language"), max_length=2, choices=[("th", "ไทย"), ("en", "English")])
    official = models.BooleanField(_("official copy"), default=False)
    content_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    total_credits = models.DecimalField(_("total credits"), max_digits=7, decimal_places=1)
    course_count = models.PositiveIntegerField(_("courses"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, verbose_name=_("revoked by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)

    class Meta:
        verbose_name = _("transcript")
        verbose_name_plural = _("transcripts")
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(condition=Q(language__in=["th", "en"]), name="transcript_language_valid"),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoke_reason=""), name="transcript_revoke_has_reason"
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


def batch_path(instance, filename):
    return f"transcripts/batches/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


@pghistory.track(exclude=["done"])
class TranscriptBatch(models.Model):
    """Transcripts of many learners in one PDF, made in the background."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(User, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, null=True, blank=True)
    academic_year = models.PositiveSmallIntegerField(_("academic year (B.E.)"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=2, default="th")
    status = models.CharField(_("status"), max_length=8, choices=BatchStatus.choices, default=BatchStatus.QUEUED)
    total = models.PositiveIntegerField(_("learners"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    file = models.FileField(_("file"), upload_to=batch_path, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("transcript batch")
        verbose_name_plural = _("transcript batches")
        ordering = ["-requested_at"]
        constraints = [
            choices_check("status", BatchStatus.choices, "batch_status_valid"),
            models.CheckConstraint(condition=Q(done__lte=F("total")), name="batch_done_at_most_total"),
            models.CheckConstraint(
                condition=Q(course__isnull=False) | Q(academic_year__isnull=False), name="batch_has_a_filter"
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_status_display()}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.status == BatchStatus.DONE else 0)
