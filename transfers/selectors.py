"""Reads across several models: rules with their courses, credits used by transfers, a programme's progress."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q

from registry.grades import CREDIT_EARNING_CODES
from registry.identifiers import clean_text
from registry.models import CreditDeposit, Learner

from .matching import evaluate, programme_courses
from .models import AppliedCredit, Equivalence, EquivalenceSource, EquivalenceTarget, ItemDecision, Programme, Verdict


def rules_with_courses():
    """Rules with their source and target courses and the courses' institutions (the public guide): one query for
    the rules and one for each side's links, each link joined to its course and institution.

    The links land in plain lists, `rule.source_list` and `rule.target_list` (transfers/_rule_courses.html), rather
    than in a related manager's cache: Django builds a queryset per rule and side for the latter, which a page of
    rules pays forty times."""
    sources = EquivalenceSource.objects.select_related("course__institution")
    targets = EquivalenceTarget.objects.select_related("course__institution")
    return Equivalence.objects.prefetch_related(
        Prefetch("source_links", queryset=sources, to_attr="source_list"),
        Prefetch("target_links", queryset=targets, to_attr="target_list"),
    )


def rule_queryset():
    """Rules with their courses (rules_with_courses) and the people who proposed and decided."""
    return rules_with_courses().select_related("proposed_by", "decided_by")


def search_rules(qs, q):
    """Rules whose source or target course code or Thai title contains `q`."""
    q = clean_text(q)
    if not q:
        return qs
    matches = Q(source_links__course__code__icontains=q) | Q(source_links__course__title_th__icontains=q)
    matches |= Q(target_links__course__code__icontains=q) | Q(target_links__course__title_th__icontains=q)
    return qs.filter(matches).distinct()


def with_applied(deposits):
    """Deposits annotated with `applied`: already used by an approved transfer (read with the deposits themselves)."""
    used = AppliedCredit.objects.filter(source_deposit=OuterRef("pk"), item__decision=ItemDecision.APPROVED)
    return deposits.annotate(applied=Exists(used))


def applied_credits(deposits) -> Decimal:
    """Credits of a learner's deposits already used by approved transfers, each deposit counted once
    (`deposits` come from with_applied)."""
    return sum((d.credits for d in deposits if d.applied), Decimal(0))


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


def programme_search(text: str, limit: int = 10):
    """Active programmes whose code, name or institution's name holds every word of `text`."""
    condition = Q()
    for word in text.split():
        condition &= (
            Q(code__icontains=word)
            | Q(name_th__icontains=word)
            | Q(name_en__icontains=word)
            | Q(institution__name_th__icontains=word)
        )
    return list(
        Programme.objects.filter(condition, active=True).select_related("institution").order_by("name_th")[:limit]
    )
