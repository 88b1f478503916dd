"""Issued transcripts and batches of them: documents made from the ledger, each recorded so anyone can verify it."""

import re
import uuid

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import Course, Institution, Learner, User, choices_check, display_method


def transcript_path(instance, filename):
    return f"transcripts/issued/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


# A transcript's verification code: printed beside the QR code, read aloud and typed, so without 0, 1, I or O.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


@pghistory.track(exclude=["content_sha256", "pdf"])
class Transcript(models.Model):
    """An issued transcript: what was issued to whom, by whom, and a code anyone can verify it with."""

    # Its number, printed at its top: the year (B.E.) and its key, PCB2569-0000012. Counted, so not secret (the
    # verification code is); staff may type only its last digits, which are the key.
    NUMBER_SHAPE = re.compile(r"PCB\d{4}-?\d{7}")

    number = models.CharField(_("transcript number"), max_length=30, unique=True)
    verification_code = models.CharField(_("verification code"), max_length=32, unique=True)
    learner = models.ForeignKey(
        Learner, verbose_name=_("learner"), on_delete=models.PROTECT, related_name="transcripts"
    )
    issued_by = models.ForeignKey(User, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    official = models.BooleanField(_("official copy"), default=False)
    content_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    total_credits = models.DecimalField(_("total credits"), max_digits=7, decimal_places=1)
    course_count = models.PositiveIntegerField(_("courses"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, verbose_name=_("revoked by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)
    # A fingerprint of what the document says (transcripts.services.content_key): printing an official copy again
    # without any change hands back this one, with its number and its signed bytes (`pdf`).
    content_key = models.CharField(_("content fingerprint"), max_length=64, blank=True, default="")
    # Who the signature block names, as printed (name, then position): a copy is given again only as it was signed.
    signed_as = models.CharField(_("signed as"), max_length=400, blank=True, default="")
    # The learner as the public verify page names them, in each language, as they were named the day it was issued
    # ({"th": "นางสาวกนกวรรณ ศ.", "en": "Ms. Kanokwan S."}): the page had read today's name, which the learner may
    # change. Empty for a transcript issued before this was kept.
    learner_initialled = models.JSONField(_("learner, as named on issue (initialled)"), blank=True, default=dict)
    pdf = models.FileField(_("PDF as issued"), upload_to=transcript_path, blank=True)

    class Meta:
        verbose_name = _("transcript")
        verbose_name_plural = _("transcripts")
        ordering = ["-issued_at"]
        indexes = [
            # "Is there already an official copy of this content?" and a learner's copies, newest first.
            models.Index(fields=["learner", "content_key", "-issued_at"], name="transcript_learner_content_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(language__in=["th", "en"]), name="transcript_language_valid"),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoke_reason=""), name="transcript_revoke_has_reason"
            ),
        ]

    def __str__(self):
        return self.number

    def give_number(self):
        """Its number (NUMBER_SHAPE), once it has its key."""
        self.number = f"PCB{timezone.localdate().year + 543}-{self.pk:07d}"

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
    get_status_display = display_method("status", BatchStatus)
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


class CredentialKind(models.TextChoices):
    ACHIEVEMENT = "achievement", _("course achievement")
    CLR = "clr", _("comprehensive learner record")


@pghistory.track()
class IssuedCredential(models.Model):
    """An open credential issued here: what it covers and its place on the revocation status list.

    Its status bit is set when it is revoked, when the deposit it stands for is voided, or when the transcript that
    carries it is revoked; the status list is computed from these rows, so nothing has to be kept in step.
    """

    kind = models.CharField(_("kind"), max_length=12, choices=CredentialKind.choices)
    get_kind_display = display_method("kind", CredentialKind)
    uuid = models.UUIDField(_("credential id"), unique=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(Learner, verbose_name=_("learner"), on_delete=models.PROTECT, related_name="+")
    deposit = models.ForeignKey(
        "registry.CreditDeposit", verbose_name=_("deposit"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    transcript = models.ForeignKey(
        Transcript, verbose_name=_("transcript"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, verbose_name=_("revoked by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)

    class Meta:
        verbose_name = _("issued credential")
        verbose_name_plural = _("issued credentials")
        constraints = [
            choices_check("kind", CredentialKind.choices, "issued_credential_kind_valid"),
            # One achievement credential per deposit: it is issued again with the same id and status bit.
            models.UniqueConstraint(
                fields=["deposit"], condition=Q(kind="achievement"), name="issued_credential_one_per_deposit"
            ),
            models.CheckConstraint(
                condition=Q(kind="clr") | Q(deposit__isnull=False), name="issued_credential_achievement_has_deposit"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoke_reason=""), name="issued_credential_revoke_has_reason"
            ),
        ]

    def __str__(self):
        return f"urn:uuid:{self.uuid}"


@pghistory.track()
class TrustedIssuer(models.Model):
    """Another credit bank whose credentials the province accepts: its DID and its DID document (public keys).

    Kept in the admin. Credentials are checked offline against this list only; a status list the issuer publishes
    can be pasted here so revocation is checked without fetching anything.
    """

    did = models.CharField(_("DID"), max_length=300, unique=True)
    name = models.CharField(_("name"), max_length=200)
    did_document = models.JSONField(_("DID document (did.json)"))
    status_lists = models.JSONField(_("status list credentials"), default=list, blank=True)
    active = models.BooleanField(_("trusted"), default=True)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("trusted issuer")
        verbose_name_plural = _("trusted issuers")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(did__startswith="did:"), name="trusted_issuer_did_is_a_did"),
        ]

    def __str__(self):
        return f"{self.name} ({self.did})"


@pghistory.track()
class CredentialImport(models.Model):
    """A credential from another credit bank, verified and turned into a transfer-in request."""

    issuer = models.ForeignKey(TrustedIssuer, verbose_name=_("issuer"), on_delete=models.PROTECT, related_name="+")
    credential_id = models.CharField(_("credential id"), max_length=300)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    learner = models.ForeignKey(Learner, verbose_name=_("learner"), on_delete=models.PROTECT, related_name="+")
    transfer_request = models.OneToOneField(
        "transfers.TransferRequest", verbose_name=_("transfer request"), on_delete=models.PROTECT, related_name="+"
    )
    imported_by = models.ForeignKey(User, verbose_name=_("imported by"), on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        verbose_name = _("imported credential")
        verbose_name_plural = _("imported credentials")
        constraints = [
            # A credential is imported once: a second upload of the same one is refused.
            models.UniqueConstraint(fields=["issuer", "credential_id"], name="credential_import_once"),
        ]

    def __str__(self):
        return self.credential_id
