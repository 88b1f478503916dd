"""Course equivalences, programmes and learners' transfer requests. Builds on registry; registry never imports this."""

from decimal import Decimal

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from registry.models import (
    Course,
    CreditDeposit,
    Institution,
    Learner,
    Level,
    choices_check,
    display_method,
    local_name,
)
from registry.uploads import EXTENSIONS

from .reasons import reason_text

SHARE_DEFAULT = Decimal("0.75")
MIN_GRADE_DEFAULT = Decimal("2.0")


@pghistory.track()
class Programme(models.Model):
    """A target qualification of an institution: its required credits and courses, and its transfer limits."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="programmes"
    )
    code = models.CharField(_("programme code"), max_length=30)
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    get_level_display = display_method("level", Level)
    required_credits = models.DecimalField(_("required credits"), max_digits=5, decimal_places=1)
    courses = models.ManyToManyField(Course, verbose_name=_("courses"), related_name="programmes", blank=True)
    max_transfer_share = models.DecimalField(
        _("largest share of credits by transfer"),
        max_digits=3,
        decimal_places=2,
        default=SHARE_DEFAULT,
        help_text=_("0.75 means three quarters; some institutions use 0.50."),
    )
    min_grade_points = models.DecimalField(
        _("minimum grade points"), max_digits=3, decimal_places=1, default=MIN_GRADE_DEFAULT
    )
    max_course_age_years = models.PositiveSmallIntegerField(
        _("courses completed within (years)"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    active = models.BooleanField(_("open for transfers"), default=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["institution", "code"]
        # Programmes are listed on learners' balance pages.
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="programme_code_unique_per_institution"),
            models.CheckConstraint(condition=Q(required_credits__gt=0), name="programme_required_credits_positive"),
            models.CheckConstraint(
                condition=Q(max_transfer_share__gt=0) & Q(max_transfer_share__lte=1),
                name="programme_transfer_share_in_range",
            ),
            models.CheckConstraint(
                condition=Q(min_grade_points__gte=0) & Q(min_grade_points__lte=4),
                name="programme_min_grade_in_range",
            ),
            choices_check("level", Level.choices, "programme_level_valid"),
        ]

    def __str__(self):
        return f"{self.name} ({self.institution})"

    @property
    def name(self) -> str:
        """The name in the reader's language (local_name)."""
        return local_name(self.name_th, self.name_en)

    @property
    def transfer_limit(self) -> Decimal:
        return (self.required_credits * self.max_transfer_share).quantize(Decimal("0.1"))


class EquivalenceStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    RETIRED = "retired", _("retired")
    # Taken back by whoever proposed it, before a decision (a typo, the wrong course): kept, with the reason.
    WITHDRAWN = "withdrawn", pgettext_lazy("rule status", "withdrawn")


class EquivalenceQuerySet(models.QuerySet):
    def in_effect(self, on):
        """Approved rules in force on the day `on`: begun by then, and not ended before it."""
        return self.filter(status=EquivalenceStatus.APPROVED, effective_from__lte=on).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=on)
        )


def effective_dates_error(start, end) -> str | None:
    """A rule's dates: the end, when given, not before the start (the rule form says it with its other problems,
    the service checks it again)."""
    return str(_("The end date must not be before the start date.")) if start and end and end < start else None


@pghistory.track()
class Equivalence(models.Model):
    """A rule: one or more source courses at one institution count as one or more target courses at another.

    One-to-one, many-to-one (a cluster: every source course is needed) and one-to-many. Approved rules are never
    edited: a change is a new version that replaces the old one, so transfers already approved keep their rule.
    """

    Status = EquivalenceStatus

    source_courses = models.ManyToManyField(
        Course, verbose_name=_("source courses"), through="EquivalenceSource", related_name="equivalences_out"
    )
    target_courses = models.ManyToManyField(
        Course, verbose_name=_("target courses"), through="EquivalenceTarget", related_name="equivalences_in"
    )
    min_grade_points = models.DecimalField(
        _("minimum grade points"), max_digits=3, decimal_places=1, default=MIN_GRADE_DEFAULT
    )
    max_age_years = models.PositiveSmallIntegerField(
        _("completed within (years)"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    same_level = models.BooleanField(_("same level of education required"), default=True)
    basis = models.TextField(_("basis"), help_text=_("Content overlap, learning outcomes matched."))
    effective_from = models.DateField(_("effective from"), default=timezone.localdate)
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=EquivalenceStatus.choices, default="proposed")
    get_status_display = display_method("status", EquivalenceStatus)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    replaces = models.ForeignKey(
        "self", verbose_name=_("replaces"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
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
    # Retiring (by hand, or by approving a new version) is recorded apart: the approval stays as it was.
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("retired by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    retire_reason = models.TextField(_("reason for retiring"), blank=True)

    objects = EquivalenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("course equivalence")
        verbose_name_plural = _("course equivalences")
        ordering = ["-proposed_at"]
        constraints = [
            choices_check("status", EquivalenceStatus.choices, "equivalence_status_valid"),
            models.CheckConstraint(
                condition=Q(min_grade_points__gte=0) & Q(min_grade_points__lte=4),
                name="equivalence_min_grade_in_range",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="equivalence_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(status="proposed") | (Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
                name="equivalence_decision_has_who_and_when",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="equivalence_version_positive"),
            models.CheckConstraint(
                condition=~Q(status="retired") | (Q(retired_by__isnull=False) & Q(retired_at__isnull=False)),
                name="equivalence_retirement_has_who_and_when",
            ),
        ]
        indexes = [
            # The public guide and rule matching: approved rules, by effective date.
            models.Index(fields=["status", "effective_from"], name="equivalence_status_idx"),
            # The rules list (transfers.views.rules.rules): newest proposal first, a page at a time.
            models.Index(fields=["-proposed_at", "-id"], name="equivalence_recent_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} v{self.version}"

    def get_absolute_url(self):
        return reverse("transfers:rule_detail", args=[self.pk])

    @property
    def never_in_effect(self) -> bool:
        """Retired before the day it was to take effect (one retired on that day was in effect for part of it)."""
        return bool(self.retired_at) and timezone.localdate(self.retired_at) < self.effective_from


@pghistory.track()
class EquivalenceSource(models.Model):
    equivalence = models.ForeignKey(Equivalence, on_delete=models.CASCADE, related_name="source_links")
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("source course of a rule")
        verbose_name_plural = _(
            "source courses of a rule"
        )  # Django's own plural had added an English "s" to the Thai name
        constraints = [
            models.UniqueConstraint(fields=["equivalence", "course"], name="equivalence_source_once"),
        ]

    def __str__(self):
        return _("rule #%(rule)s, course #%(course)s") % {"rule": self.equivalence_id, "course": self.course_id}


@pghistory.track()
class EquivalenceTarget(models.Model):
    equivalence = models.ForeignKey(Equivalence, on_delete=models.CASCADE, related_name="target_links")
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("target course of a rule")
        verbose_name_plural = _(
            "target courses of a rule"
        )  # Django's own plural had added an English "s" to the Thai name
        constraints = [
            models.UniqueConstraint(fields=["equivalence", "course"], name="equivalence_target_once"),
        ]

    def __str__(self):
        return _("rule #%(rule)s, course #%(course)s") % {"rule": self.equivalence_id, "course": self.course_id}


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    UNDER_REVIEW = "under_review", _("under review")
    APPROVED = "approved", _("approved")
    PARTLY_APPROVED = "partly_approved", _("partly approved")
    REJECTED = "rejected", _("rejected")
    RETURNED = "returned", _("returned for more information")
    WITHDRAWN = "withdrawn", pgettext_lazy("request status", "withdrawn")


# Sent to the provincial office and not yet decided, whether or not a review has started: the queue, the staff home's
# count, the figures' "waiting now", and the requests that hold their courses (one open request per course).
WAITING_STATUSES = [RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW]
# Nothing is posted before a decision, so until then the learner may take the request back (its courses are free).
WITHDRAWABLE_STATUSES = [RequestStatus.DRAFT, RequestStatus.RETURNED, *WAITING_STATUSES]


@pghistory.track()
class TransferRequest(models.Model):
    """A learner's request to count banked credits toward a programme at a target institution."""

    Status = RequestStatus

    learner = models.ForeignKey(
        Learner, verbose_name=_("learner"), on_delete=models.PROTECT, related_name="transfer_requests"
    )
    target_institution = models.ForeignKey(
        Institution, verbose_name=_("target institution"), on_delete=models.PROTECT, related_name="+"
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, null=True, related_name="requests"
    )
    status = models.CharField(_("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.DRAFT)
    get_status_display = display_method("status", RequestStatus)  # on every row of the queue
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    learner_note = models.TextField(_("note from the learner"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    staff_note = models.TextField(_("note from the provincial office"), blank=True)
    # What the filer said when sending a returned request again: their answer to staff_note.
    filer_reply = models.TextField(_("answer to the provincial office"), blank=True)
    # Who pressed "Start the review", and when: shown to the other officers while it is under review.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_started_at = models.DateTimeField(_("review started at"), null=True, blank=True)
    # The last return and the answer to it. submitted_at stays the first sending: a request answered keeps its place
    # in the queue (it had gone to the back, looking new).
    returned_at = models.DateTimeField(_("sent back at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent back by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resubmitted_at = models.DateTimeField(_("sent again at"), null=True, blank=True)
    resubmitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent again by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("transfer request")
        verbose_name_plural = _("transfer requests")
        ordering = ["-created_at"]
        constraints = [choices_check("status", RequestStatus.choices, "transfer_request_status_valid")]
        indexes = [
            # The staff queue: requests in a status, oldest submission first.
            models.Index(fields=["status", "submitted_at"], name="transfer_request_queue_idx"),
            # The requests list (transfers.views.requests.requests_list): newest first, a page at a time.
            models.Index(fields=["-created_at", "-id"], name="transfer_request_recent_idx"),
            # The staff queue's order (transfers.views.requests.queue): waiting requests, oldest submission first, so a
            # page is the next entries of this index, however many requests wait.
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(status__in=WAITING_STATUSES),
                name="transfer_request_waiting_idx",
            ),
            # The officers' list of requests sent back (transfers.views.requests.returned): longest with the filer
            # first.
            models.Index(
                fields=["returned_at", "id"],
                condition=Q(status=RequestStatus.RETURNED),
                name="transfer_request_returned_idx",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.learner} → {self.target_institution}"

    def get_absolute_url(self):
        return reverse("transfers:request_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in (RequestStatus.DRAFT, RequestStatus.RETURNED)

    @property
    def last_sent_at(self):
        """When the office last received it: what it has seen of the request is what was there then."""
        return self.resubmitted_at or self.submitted_at

    def name_of(self, user) -> str:
        """Who did something on the request, by name: its learner by the name the registry holds for them (their login
        may carry none), anyone else by theirs."""
        return self.learner.full_name if user.pk == self.learner.user_id else user.display_name

    @property
    def takes_documents(self) -> bool:
        """The filer may add a document: while the request is with them, and while the office has it (a certificate
        forgotten when sending goes to it at once), not once it is decided or withdrawn."""
        return self.is_open or self.status in WAITING_STATUSES

    def office_has_seen(self, document) -> bool:
        """A document the office had: there when the request was last sent, or, of one sent back, when it was sent
        back (added while the office had it). It stays: the filer takes out only what is unseen."""
        had_until = self.returned_at if self.status == RequestStatus.RETURNED else self.last_sent_at
        return had_until is not None and document.uploaded_at <= had_until

    def added_after_sending(self, document) -> bool:
        """A document the filer added while the office had the request: marked for the officer, who may have read
        the request before it came."""
        return not self.is_open and self.last_sent_at is not None and document.uploaded_at > self.last_sent_at

    def added_since_return(self, document) -> bool:
        """A document the answer to the office's question brought: marked new for the officer."""
        return (
            self.returned_at is not None
            and document.uploaded_at > self.returned_at
            and not self.added_after_sending(document)
        )

    def is_filed_by(self, user) -> bool:
        """Whether `user` is the request's learner or whoever filed it: they alone send, change or withdraw it."""
        return user.pk in {self.learner.user_id, self.created_by_id}

    @property
    def can_be_withdrawn(self) -> bool:
        """Until it is decided: a draft, a request returned for more, or one waiting for the office."""
        return self.status in WITHDRAWABLE_STATUSES


class Verdict(models.TextChoices):
    MATCH = "match", _("meets the rule")
    FAIL = "fail", _("does not meet the rule")
    ASSESSMENT = "assessment", _("no rule: needs assessment")


class ItemDecision(models.TextChoices):
    PENDING = "pending", _("waiting for a decision")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


# A course taken out of a request not yet sent is deleted: the trail keeps what it was.
@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class TransferItem(models.Model):
    """One target course asked for, with its source deposits and the verdict explained condition by condition."""

    request = models.ForeignKey(
        TransferRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="items"
    )
    target_course = models.ForeignKey(
        Course, verbose_name=_("target course"), on_delete=models.PROTECT, related_name="transfer_items"
    )
    source_deposits = models.ManyToManyField(
        CreditDeposit, verbose_name=_("source deposits"), through="TransferItemSource", related_name="+"
    )
    equivalence = models.ForeignKey(
        Equivalence, verbose_name=_("rule"), on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict.choices)
    get_verdict_display = display_method("verdict", Verdict)
    conditions = models.JSONField(_("conditions checked"), default=list)
    decision = models.CharField(_("decision"), max_length=10, choices=ItemDecision.choices, default="pending")
    get_decision_display = display_method("decision", ItemDecision)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    posted_deposit = models.OneToOneField(
        CreditDeposit,
        verbose_name=_("transfer-in deposit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfer_item",
    )

    class Meta:
        verbose_name = _("transfer item")
        verbose_name_plural = _("transfer items")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "target_course"], name="transfer_item_one_per_target"),
            choices_check("verdict", Verdict.choices, "transfer_item_verdict_valid"),
            choices_check("decision", ItemDecision.choices, "transfer_item_decision_valid"),
            models.CheckConstraint(
                condition=Q(decision="pending") | (Q(decided_by__isnull=False) & ~Q(decision_reason="")),
                name="transfer_item_decision_has_who_and_why",
            ),
            models.CheckConstraint(
                condition=Q(posted_deposit__isnull=True) | Q(decision="approved"),
                name="transfer_item_posted_only_when_approved",
            ),
        ]

    def __str__(self):
        return f"{self.target_course.code} ({self.get_verdict_display()})"

    @property
    def decision_reason_text(self) -> str:
        """The reason as the reader reads it (a standard reason in their language)."""
        return reason_text(self.decision_reason)

    @property
    def outcome(self) -> str:
        """What became of the item: its request's "draft" or "withdrawn" (never decided, whatever `decision`
        says), else its decision. Reads the request, so load it with the item."""
        if self.request.status in (RequestStatus.DRAFT, RequestStatus.WITHDRAWN):
            return self.request.status
        return self.decision

    def get_outcome_display(self) -> str:
        if self.request.status == RequestStatus.DRAFT:
            return str(_("Not sent yet"))
        if self.request.status == RequestStatus.RETURNED and self.decision == ItemDecision.PENDING:
            return str(_("Sent back: waits until the request is sent again"))
        if self.request.status == RequestStatus.WITHDRAWN:
            return self.request.get_status_display()
        return self.get_decision_display()


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class TransferItemSource(models.Model):
    item = models.ForeignKey(TransferItem, on_delete=models.CASCADE, related_name="source_links")
    deposit = models.ForeignKey(CreditDeposit, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("credit a transfer item comes from")
        constraints = [models.UniqueConstraint(fields=["item", "deposit"], name="transfer_item_source_once")]

    def __str__(self):
        return f"{self.item_id}: {self.deposit_id}"


@pghistory.track()
class AppliedCredit(models.Model):
    """A source deposit applied to a target course by an approved item: each pair at most once, ever."""

    source_deposit = models.ForeignKey(CreditDeposit, on_delete=models.PROTECT, related_name="applications")
    target_course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(TransferItem, on_delete=models.PROTECT, related_name="applications")
    applied_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("applied credit")
        verbose_name_plural = _("applied credits")
        constraints = [
            models.UniqueConstraint(
                fields=["source_deposit", "target_course"], name="applied_credit_once_per_target_course"
            ),
        ]

    def __str__(self):
        return f"{self.source_deposit_id} → {self.target_course_id}"


class AssessmentMethod(models.TextChoices):
    CS = "CS", _("standardized test")
    CE = "CE", _("institutional examination")
    CT = "CT", _("training")
    CP = "CP", _("certified portfolio")


def assessment_evidence_path(instance, filename):
    import uuid

    return f"assessments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


@pghistory.track()
class Assessment(models.Model):
    """Recognition of prior learning for an item with no rule: how it was assessed, the score and by whom."""

    item = models.OneToOneField(
        TransferItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="assessment"
    )
    method = models.CharField(_("method"), max_length=2, choices=AssessmentMethod.choices)
    get_method_display = display_method("method", AssessmentMethod)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    max_score = models.DecimalField(_("out of"), max_digits=6, decimal_places=2)
    pass_score = models.DecimalField(_("pass mark"), max_digits=6, decimal_places=2)
    assessor = models.CharField(_("assessor"), max_length=200)
    assessed_on = models.DateField(_("assessed on"))
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            choices_check("method", AssessmentMethod.choices, "assessment_method_valid"),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=F("max_score")) & Q(max_score__gt=0),
                name="assessment_score_in_range",
            ),
            models.CheckConstraint(
                condition=Q(pass_score__gte=0) & Q(pass_score__lte=F("max_score")),
                name="assessment_pass_mark_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.method} {self.score}/{self.max_score}"

    @property
    def passed(self) -> bool:
        return self.score >= self.pass_score


@pghistory.track()
class AssessmentEvidence(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(_("file"), upload_to=assessment_evidence_path)
    content_type = models.CharField(_("content type"), max_length=40)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("assessment evidence file")
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=list(EXTENSIONS)),
                name="assessment_evidence_type_allowed",
            ),
        ]

    def __str__(self):
        return self.original_name or self.file.name

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def request_document_path(instance, filename):
    import uuid

    return f"requests/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


# At most this many documents on one request: enough for a certificate per course and a portfolio; a bound on storage.
MAX_REQUEST_DOCUMENTS = 10


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent())
class RequestDocument(models.Model):
    """A document the filer sends with a request (a certificate, a page of a portfolio, what the office asked for):
    added while the request is a draft, back with its filer, or with the office (TransferRequest.takes_documents),
    read by whoever may read the request."""

    request = models.ForeignKey(
        TransferRequest, verbose_name=_("transfer request"), on_delete=models.PROTECT, related_name="documents"
    )
    file = models.FileField(_("file"), upload_to=request_document_path)
    content_type = models.CharField(_("content type"), max_length=40)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=list(EXTENSIONS)), name="request_document_type_allowed"
            ),
        ]

    def __str__(self):
        return self.original_name or self.file.name

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]
