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
    by_institution: list[tuple[str, Decimal]] = field(default_factory=list)  # (institution name, credits)
    by_level: list[tuple[str, Decimal]] = field(default_factory=list)
    deposit_count: int = 0


def learner_balance(learner: Learner) -> Balance:
    """Totals of a learner's active, credit-earning deposits in one grouped query, however many there are."""
    rows = list(
        CreditDeposit.objects.active()
        .earning()
        .for_learner(learner)
        .values("origin", "learning_type", "course__level", "course__institution", "course__institution__name_th")
        .annotate(total=Sum("credits"), count=Count("id"))
        .order_by()
    )
    earned = [row for row in rows if row["origin"] == DepositOrigin.EARNED]
    balance = Balance(deposit_count=sum(row["count"] for row in earned))
    by_type = {lt: Decimal(0) for lt in LearningType.values}
    by_level: dict[str, Decimal] = {}
    by_institution: dict[int, list] = {}
    for row in earned:
        by_type[row["learning_type"]] += row["total"]
        by_level[row["course__level"]] = by_level.get(row["course__level"], Decimal(0)) + row["total"]
        entry = by_institution.setdefault(row["course__institution"], [row["course__institution__name_th"], Decimal(0)])
        entry[1] += row["total"]
    balance.by_learning_type = by_type
    balance.total = sum(by_type.values(), Decimal(0))
    levels = dict(Level.choices)
    balance.by_level = [(levels[level], total) for level, total in sorted(by_level.items())]
    balance.by_institution = sorted((tuple(v) for v in by_institution.values()), key=lambda item: (-item[1], item[0]))
    balance.transferred_in = sum((r["total"] for r in rows if r["origin"] == DepositOrigin.TRANSFER_IN), Decimal(0))
    return balance


def name_matches(text: str, prefix: str = "") -> Q:
    """Every word of `text` is part of the first or the last name (Thai, partial): "สม ใจ" finds สมชาย ใจดี."""
    condition = Q()
    for word in text.split():
        condition &= Q(**{f"{prefix}first_name__icontains": word}) | Q(**{f"{prefix}last_name__icontains": word})
    return condition


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
