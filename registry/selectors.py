"""Reads across several models: a learner's balance, an institution's activity, the province's totals."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from .grades import CREDIT_EARNING_CODES
from .models import CreditDeposit, DepositOrigin, Institution, Learner, LearningType, Level


@dataclass
class Balance:
    """Credits earned (never counted twice) and, apart, credits recognised by transfer into a programme."""

    total: Decimal = Decimal(0)
    transferred_in: Decimal = Decimal(0)
    by_learning_type: dict[str, Decimal] = field(default_factory=dict)
    by_institution: list[tuple[Institution, Decimal]] = field(default_factory=list)
    by_level: list[tuple[str, Decimal]] = field(default_factory=list)
    deposit_count: int = 0


def learner_balance(learner: Learner) -> Balance:
    """Totals of a learner's active deposits, in two queries however many deposits there are."""
    everything = CreditDeposit.objects.active().earning().for_learner(learner)
    active = everything.filter(origin=DepositOrigin.EARNED)
    by_type = dict(active.values_list("learning_type").annotate(total=Sum("credits")).order_by())
    rows = active.values("course__institution").annotate(total=Sum("credits")).order_by("-total", "course__institution")
    rows = list(rows)
    institutions = Institution.objects.in_bulk([row["course__institution"] for row in rows])
    balance = Balance(
        total=sum(by_type.values(), Decimal(0)),
        by_learning_type={lt: by_type.get(lt, Decimal(0)) for lt in LearningType.values},
        by_institution=[(institutions[row["course__institution"]], row["total"]) for row in rows],
    )
    levels = dict(Level.choices)
    balance.by_level = [
        (levels[row["course__level"]], row["total"])
        for row in active.values("course__level").annotate(total=Sum("credits")).order_by("course__level")
    ]
    counts = everything.aggregate(
        earned=Count("id", filter=Q(origin=DepositOrigin.EARNED)),
        transferred=Sum("credits", filter=Q(origin=DepositOrigin.TRANSFER_IN)),
    )
    balance.deposit_count = counts["earned"]
    balance.transferred_in = counts["transferred"] or Decimal(0)
    return balance


def learner_history(learner: Learner):
    """Every deposit of a learner, voided ones included, newest completion first."""
    return (
        CreditDeposit.objects.for_learner(learner)
        .select_related("course__institution")
        .order_by("-completed_on", "course__code")
    )


def institution_summary(institution: Institution) -> dict:
    deposits = CreditDeposit.objects.for_institution(institution)
    totals = deposits.active().aggregate(
        credits=Sum("credits", filter=Q(grade__in=CREDIT_EARNING_CODES)),
        count=Count("id"),
        learners=Count("learner", distinct=True),
    )
    return {
        "credits": totals["credits"] or Decimal(0),
        "deposits": totals["count"],
        "learners": totals["learners"],
        "courses": institution.courses.count(),
        "voided": deposits.filter(status=CreditDeposit.Status.VOIDED).count(),
    }


def province_summary() -> dict:
    active = CreditDeposit.objects.active().earning().filter(origin=DepositOrigin.EARNED)
    by_type = dict(active.values_list("learning_type").annotate(total=Sum("credits")).order_by())
    return {
        "institutions": Institution.objects.count(),
        "mou_members": Institution.objects.filter(mou_member=True).count(),
        "learners": Learner.objects.count(),
        "deposits": active.count(),
        "credits": sum(by_type.values(), Decimal(0)),
        "by_learning_type": [(lt, label, by_type.get(lt, Decimal(0))) for lt, label in LearningType.choices],
    }
