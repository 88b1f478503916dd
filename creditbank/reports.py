"""Province-wide figures for the dashboard, the committee's reports and the public page. Reads only.

Every figure is one grouped query over the ledger; nothing here loops over rows in Python.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Max, Q, Sum
from django.utils import timezone

from registry.grades import CREDIT_EARNING_CODES
from registry.models import (
    CreditDeposit,
    CreditImport,
    DepositOrigin,
    Institution,
    Learner,
    LearningType,
    Level,
)
from transfers.models import Equivalence, EquivalenceStatus, RequestStatus, TransferRequest

SUPPRESS_BELOW = 5
DECIDED = [RequestStatus.APPROVED, RequestStatus.PARTLY_APPROVED, RequestStatus.REJECTED]
WAITING = [RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW]


@dataclass
class Period:
    start: datetime.date | None = None
    end: datetime.date | None = None

    def filter(self, field_name: str) -> Q:
        """Rows whose timestamp falls in the period (both ends included, in Thailand's days)."""
        condition = Q()
        if self.start:
            condition &= Q(**{f"{field_name}__date__gte": self.start})
        if self.end:
            condition &= Q(**{f"{field_name}__date__lte": self.end})
        return condition


@dataclass
class Figures:
    period: Period
    totals: dict = field(default_factory=dict)
    by_institution: list = field(default_factory=list)
    by_learning_type: list = field(default_factory=list)
    by_level: list = field(default_factory=list)
    by_year: list = field(default_factory=list)
    pipeline: dict = field(default_factory=dict)
    mou_activity: list = field(default_factory=list)


def deposits_in(period: Period):
    return CreditDeposit.objects.active().filter(origin=DepositOrigin.EARNED).filter(period.filter("recorded_at"))


EARNING = Q(grade__in=CREDIT_EARNING_CODES)


def _grouped(qs, key):
    return list(
        qs.values(key)
        .annotate(
            deposits=Count("id"), learners=Count("learner", distinct=True), credits=Sum("credits", filter=EARNING)
        )
        .order_by(key)
    )


def province_figures(period: Period | None = None) -> Figures:
    period = period or Period()
    deposits = deposits_in(period)
    figures = Figures(period)
    totals = deposits.aggregate(
        deposits=Count("id"), learners=Count("learner", distinct=True), credits=Sum("credits", filter=EARNING)
    )
    totals["credits"] = totals["credits"] or Decimal(0)
    totals["registered_learners"] = Learner.objects.filter(period.filter("created_at")).count()
    totals["institutions"] = Institution.objects.count()
    totals["mou_members"] = Institution.objects.filter(mou_member=True).count()
    figures.totals = totals

    names = dict(Institution.objects.values_list("pk", "name_th"))
    figures.by_institution = [
        {**row, "label": names[row["course__institution"]]} for row in _grouped(deposits, "course__institution")
    ]
    figures.by_institution.sort(key=lambda row: (-(row["credits"] or 0), row["label"]))
    types = dict(LearningType.choices)
    figures.by_learning_type = [
        {**row, "label": types[row["learning_type"]]} for row in _grouped(deposits, "learning_type")
    ]
    levels = dict(Level.choices)
    figures.by_level = [{**row, "label": levels[row["course__level"]]} for row in _grouped(deposits, "course__level")]
    figures.by_year = [{**row, "label": str(row["academic_year"])} for row in _grouped(deposits, "academic_year")]
    figures.pipeline = transfer_pipeline(period)
    figures.mou_activity = mou_activity(period)
    return figures


def transfer_pipeline(period: Period) -> dict:
    submitted = TransferRequest.objects.filter(period.filter("submitted_at"))
    by_status = dict(submitted.values_list("status").annotate(n=Count("id")).order_by())
    decided = sum(by_status.get(s, 0) for s in DECIDED)
    approved = by_status.get(RequestStatus.APPROVED, 0) + by_status.get(RequestStatus.PARTLY_APPROVED, 0)
    rejected = by_status.get(RequestStatus.REJECTED, 0)
    decision_time = ExpressionWrapper(F("decided_at") - F("submitted_at"), output_field=DurationField())
    timing = submitted.filter(status__in=DECIDED, decided_at__isnull=False).aggregate(
        average=Avg(decision_time), longest=Max(decision_time)
    )
    now = timezone.now()
    waiting = TransferRequest.objects.filter(status__in=WAITING, submitted_at__isnull=False)
    oldest = waiting.order_by("submitted_at").values_list("submitted_at", flat=True).first()
    return {
        "submitted": sum(by_status.values()),
        "by_status": [(RequestStatus(s).label, by_status.get(s, 0)) for s in RequestStatus.values if s != "draft"],
        "decided": decided,
        "approved": approved,
        "rejected": rejected,
        "approval_rate": round(100 * approved / decided, 1) if decided else None,
        "rejection_rate": round(100 * rejected / decided, 1) if decided else None,
        "average_days_to_decide": round(timing["average"].total_seconds() / 86400, 1) if timing["average"] else None,
        "longest_days_to_decide": round(timing["longest"].total_seconds() / 86400, 1) if timing["longest"] else None,
        "waiting_now": waiting.count(),
        "oldest_waiting_days": (now - oldest).days if oldest else None,
        "approved_rules": Equivalence.objects.filter(status=EquivalenceStatus.APPROVED).count(),
    }


def mou_activity(period: Period) -> list[dict]:
    """What each MOU member did in the period: deposits recorded, imports, the last day it recorded credits."""
    deposits = dict(deposits_in(period).values_list("course__institution").annotate(n=Count("id")).order_by())
    imports = dict(
        CreditImport.objects.filter(period.filter("uploaded_at"))
        .values_list("institution")
        .annotate(n=Count("id"))
        .order_by()
    )
    last = dict(CreditDeposit.objects.values_list("course__institution").annotate(last=Max("recorded_at")).order_by())
    return [
        {
            "institution": institution,
            "deposits": deposits.get(institution.pk, 0),
            "imports": imports.get(institution.pk, 0),
            "last_recorded": last.get(institution.pk),
        }
        for institution in Institution.objects.filter(mou_member=True).order_by("name_th")
    ]


def suppress(value):
    """Counts below five are not published: a small number could point at one learner."""
    if value is None:
        return None
    return value if value >= SUPPRESS_BELOW else f"< {SUPPRESS_BELOW}"


def public_figures() -> dict:
    """The transparency page: province totals with every small count suppressed; no names, no identifiers."""
    figures = province_figures()

    def rows(items):
        return [
            {"label": r["label"], "learners": suppress(r["learners"]), "deposits": suppress(r["deposits"]),
             "credits": (r["credits"] or 0) if r["learners"] >= SUPPRESS_BELOW else None}
            for r in items
        ]  # fmt: skip

    pipeline = figures.pipeline
    return {
        "learners": suppress(figures.totals["learners"]),
        "deposits": suppress(figures.totals["deposits"]),
        "credits": figures.totals["credits"] if figures.totals["learners"] >= SUPPRESS_BELOW else None,
        "institutions": suppress(figures.totals["institutions"]),
        "mou_members": suppress(figures.totals["mou_members"]),
        "by_learning_type": rows(figures.by_learning_type),
        "by_level": rows(figures.by_level),
        "by_year": rows(figures.by_year),
        "requests_decided": suppress(pipeline["decided"]),
        "requests_approved": suppress(pipeline["approved"]),
        "approved_rules": suppress(pipeline["approved_rules"]),
    }
