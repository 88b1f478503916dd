"""Reads for learners' pages: what has been applied to transfers and how far a programme is along."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from registry.grades import CREDIT_EARNING_CODES
from registry.models import CreditDeposit, Learner

from .matching import evaluate, programme_courses
from .models import AppliedCredit, ItemDecision, Programme, Verdict


def applied_credits(learner: Learner) -> Decimal:
    """Credits of the learner's deposits already used by approved transfers (each deposit counted once)."""
    deposit_ids = AppliedCredit.objects.filter(
        source_deposit__learner=learner, item__decision=ItemDecision.APPROVED
    ).values("source_deposit")
    return CreditDeposit.objects.filter(pk__in=deposit_ids).aggregate(t=Sum("credits"))["t"] or Decimal(0)


@dataclass
class Progress:
    programme: Programme
    earned: Decimal
    required: Decimal
    missing: list = field(default_factory=list)
    could_transfer: list = field(default_factory=list)

    @property
    def percent(self) -> int:
        return min(100, int(100 * self.earned / self.required)) if self.required else 0


def programme_progress(learner: Learner, programme: Programme) -> Progress:
    """Credits the learner holds in the programme's courses, what is missing, and what approved rules could add."""
    wanted = programme_courses(programme)
    credited = (
        CreditDeposit.objects.active()
        .filter(learner=learner, course_id__in=wanted, grade__in=CREDIT_EARNING_CODES)
        .select_related("course")
    )
    have = {}
    for deposit in credited:
        have.setdefault(deposit.course_id, deposit)
    earned = sum((d.credits for d in have.values()), Decimal(0))
    missing = list(programme.courses.exclude(pk__in=have.keys()).order_by("code")) if programme.courses.exists() else []
    evaluation = evaluate(learner, programme)
    could = [c for c in evaluation.candidates if c.verdict == Verdict.MATCH]
    return Progress(programme, earned, programme.required_credits, missing, could)
