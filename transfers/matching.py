"""Which banked credits count toward a programme, and why: every rule and condition, explained.

Reads only. The verdicts shown to a learner before submitting (the what-if), stored on items at submission, and
checked again at approval all come from `evaluate`.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import Course, CreditDeposit, DepositOrigin, Learner, Level
from registry.templatetags.numbers import credits as credit_text
from registry.templatetags.thaidate import format_date

from .models import (
    WAITING_STATUSES,
    AppliedCredit,
    Equivalence,
    ItemDecision,
    Programme,
    RequestStatus,
    TransferItem,
    Verdict,
)
from .reasons import reason_text


@dataclass
class Candidate:
    target: Course
    rule: Equivalence | None
    deposits: list
    conditions: list = field(default_factory=list)  # {"key", "passed", "params"}
    # The office's latest refusal of this course for the learner, (request id, reason as read): the rule may still
    # match, and the learner may ask again, but is told why it was refused rather than offered it as new.
    refused: tuple[int, str] | None = None

    @property
    def verdict(self) -> str:
        if self.rule is None:
            return Verdict.ASSESSMENT
        return Verdict.MATCH if all(c["passed"] for c in self.conditions) else Verdict.FAIL

    def check(self, key: str, passed: bool, **params):
        self.conditions.append({"key": key, "passed": bool(passed), "params": params})

    @property
    def asked_in(self) -> int | None:
        """The request, sent and not yet decided, already asking for this course, when that alone keeps the rule from
        matching: the course is on its way, not failed."""
        failing = [c for c in self.conditions if not c["passed"]]
        if self.rule is not None and failing and all(c["key"] == "pending" for c in failing):
            return failing[0]["params"]["request"]
        return None


@dataclass
class Evaluation:
    programme: Programme
    candidates: list
    unmatched: list  # the learner's deposits no rule applies to: they can be assessed
    transferred_before: Decimal
    limit: Decimal
    asked: dict = field(default_factory=dict)  # course id -> the waiting request already asking for it

    def by_target(self) -> dict:
        return {c.target.pk: c for c in self.candidates}


def rules_in_effect(on: datetime.date):
    return Equivalence.objects.in_effect(on).prefetch_related("source_links__course", "target_links__course")


def programme_courses(programme: Programme) -> set[int]:
    ids = set(programme.courses.values_list("pk", flat=True))
    if not ids:  # a programme with no listed courses takes any course of its institution
        ids = set(Course.objects.filter(institution=programme.institution_id).values_list("pk", flat=True))
    return ids


def transferred_into(learner: Learner, course_ids) -> Decimal:
    return CreditDeposit.objects.active().filter(
        learner=learner, origin=DepositOrigin.TRANSFER_IN, course_id__in=course_ids
    ).aggregate(total=Sum("credits"))["total"] or Decimal(0)


def asked_elsewhere(learner: Learner, target_ids, *, except_request: int | None = None) -> dict[int, tuple[str, int]]:
    """Target courses another request of the learner's already asks for, sent and not yet decided: {course id: (code,
    request id)}. Such a request holds its courses, one open request per course. A draft holds nothing (it may be left
    unsent), nor does a request returned to the learner (it may never be sent again); either is checked when sent."""
    return _asked_in(learner, target_ids, WAITING_STATUSES, except_request)


def in_open_drafts(learner: Learner, target_ids, *, except_request: int | None = None) -> dict[int, tuple[str, int]]:
    """Target courses a draft of the learner's (or a request returned to them) already asks for: {course id: (code,
    request id)}. They hold nothing, but a second request for the same course can never be sent beside the first."""
    return _asked_in(learner, target_ids, [RequestStatus.DRAFT, RequestStatus.RETURNED], except_request)


def same_draft(
    learner: Learner, programme: Programme, target_ids, assessments: dict[int, list[int]], note: str, *, filer
):
    """A draft `filer` saved for the learner into this programme that already asks for exactly these courses (the
    rule targets, and each assessment with the same credits), with this note: saving the page again, after going
    Back to it, would make a copy that could never be sent beside it. Its id, or None. Another's draft is not
    "already saved" by this filer (a registrar had been sent to the learner's own draft, with nothing to press)."""
    wanted = {(int(t), frozenset()) for t in target_ids} | {
        (int(t), frozenset(map(int, ds))) for t, ds in assessments.items()
    }
    drafts = {}
    rows = TransferItem.objects.filter(
        request__learner=learner, request__programme=programme, request__status=RequestStatus.DRAFT,
        request__learner_note=note, request__created_by=filer, decision=ItemDecision.PENDING,
    ).values_list("request_id", "pk", "target_course_id", "verdict", "source_links__deposit_id")  # fmt: skip
    for request_id, item_id, target_id, verdict, deposit_id in rows:
        items = drafts.setdefault(request_id, {})
        _target, sources = items.setdefault(item_id, (target_id, set()))
        if verdict == Verdict.ASSESSMENT and deposit_id is not None:
            sources.add(deposit_id)
    for request_id, items in sorted(drafts.items()):
        if {(target, frozenset(sources)) for target, sources in items.values()} == wanted:
            return request_id
    return None


def _asked_in(learner, target_ids, statuses, except_request) -> dict[int, tuple[str, int]]:
    """The first request (in `statuses`) whose item still waits on each of these target courses."""
    rows = (
        TransferItem.objects.filter(
            request__learner=learner, target_course_id__in=list(target_ids), decision=ItemDecision.PENDING,
            request__status__in=statuses,
        )
        .exclude(request_id=except_request)
        .order_by("target_course__code", "request_id")
        .values_list("target_course_id", "target_course__code", "request_id")
    )  # fmt: skip
    asked = {}
    for course_id, code, request_id in rows:
        asked.setdefault(course_id, (code, request_id))
    return asked


def refusals(learner: Learner, target_ids) -> dict[int, tuple[int, str]]:
    """{target course id: (request id, reason)}: the office's latest refusal of each of these courses for the
    learner, in a request it decided."""
    rows = (
        TransferItem.objects.filter(
            request__learner=learner, target_course_id__in=list(target_ids), decision=ItemDecision.REJECTED
        )
        .order_by("-decided_at", "-pk")
        .values_list("target_course_id", "request_id", "decision_reason")
    )
    found = {}
    for course_id, request_id, reason in rows:
        found.setdefault(course_id, (request_id, reason_text(reason)))
    return found


def evaluate(
    learner: Learner,
    programme: Programme,
    on: datetime.date | None = None,
    only: set[int] | None = None,
    check_pending: bool = True,
) -> Evaluation:
    """Every rule that could carry the learner's active deposits into the programme, with its conditions.

    `only` limits the result to some target courses (those of a request), so the transfer limit is counted over
    just those; `check_pending` (for a new request) fails a course another open request already asks for.
    """
    on = on or timezone.localdate()
    in_programme = programme_courses(programme)
    wanted = in_programme & only if only is not None else in_programme
    deposits = list(
        CreditDeposit.objects.active()
        .filter(learner=learner, origin=DepositOrigin.EARNED)
        .select_related("course__institution")
        .order_by("-completed_on", "-pk")
    )
    latest = {}
    for deposit in deposits:  # the most recent result of each course counts
        latest.setdefault(deposit.course_id, deposit)
    applied = set(
        AppliedCredit.objects.filter(source_deposit__learner=learner).values_list(
            "source_deposit_id", "target_course_id"
        )
    )
    credited = set(  # courses the learner already holds credit for (a failed attempt holds none)
        CreditDeposit.objects.holding()
        .filter(learner=learner, course_id__in=wanted)
        .values_list("course_id", flat=True)
    )
    pending = {c: r for c, (_code, r) in asked_elsewhere(learner, wanted).items()} if check_pending else {}
    refused = refusals(learner, wanted)
    min_grade = programme.min_grade_points
    best: dict[int, Candidate] = {}
    used_deposits = set()
    for rule in rules_in_effect(on):
        sources = [link.course for link in rule.source_links.all()]
        targets = [link.course for link in rule.target_links.all() if link.course_id in wanted]
        present = [latest[c.pk] for c in sources if c.pk in latest]
        if not targets or not present:
            continue
        for target in targets:
            candidate = Candidate(target=target, rule=rule, deposits=present)
            _check_rule(candidate, rule, sources, present, target, programme, min_grade, on, applied, credited, pending)
            # A refusal since made good (the course now held, by a later approval) is history, not news.
            candidate.refused = refused.get(target.pk) if target.pk not in credited else None
            current = best.get(target.pk)
            if current is None or (current.verdict != Verdict.MATCH and candidate.verdict == Verdict.MATCH):
                best[target.pk] = candidate
        used_deposits.update(d.pk for d in present)

    # The limit is the programme's: credits already transferred into any of its courses count, not only into the
    # courses asked for now (two requests had each been checked against the whole limit).
    before = transferred_into(learner, in_programme)
    limit = programme.transfer_limit
    running = before
    candidates = sorted(best.values(), key=lambda c: (c.verdict != Verdict.MATCH, c.target.code))
    for candidate in candidates:
        if candidate.verdict != Verdict.MATCH:
            continue
        after = running + candidate.target.credits
        candidate.check(
            "limit", after <= limit, used=str(running), adding=str(candidate.target.credits), limit=str(limit)
        )
        if after <= limit:
            running = after
    unmatched = [d for d in latest.values() if d.pk not in used_deposits]
    return Evaluation(programme, candidates, unmatched, before, limit, pending)


def _check_rule(candidate, rule, sources, present, target, programme, min_grade, on, applied, credited, pending):
    have = {d.course_id for d in present}
    missing = [c.code for c in sources if c.pk not in have]
    if len(sources) > 1:
        candidate.check("cluster", not missing, missing=", ".join(missing), needed=", ".join(c.code for c in sources))
    minimum = max(rule.min_grade_points, min_grade)
    for deposit in present:
        scale = deposit.course.grade_scale
        candidate.check("grade", scale.meets_minimum(deposit.grade, minimum), course=deposit.course.code,
                        grade=deposit.grade, minimum=str(minimum))  # fmt: skip
    years = [y for y in (rule.max_age_years, programme.max_course_age_years) if y]
    if years:
        oldest = years_before(on, min(years))
        for deposit in present:
            candidate.check("age", deposit.completed_on >= oldest, course=deposit.course.code,
                            completed=deposit.completed_on.isoformat(), years=min(years))  # fmt: skip
    if rule.same_level:
        for deposit in present:
            candidate.check("level", deposit.course.level == target.level, course=deposit.course.code,
                            source=deposit.course.level, target=target.level)  # fmt: skip
    for deposit in present:
        if (deposit.pk, target.pk) in applied:
            candidate.check("applied", False, course=deposit.course.code, target=target.code)
    if target.pk in credited:
        candidate.check("credited", False, target=target.code)
    if target.pk in pending:
        candidate.check("pending", False, target=target.code, request=pending[target.pk])


def _date_in_words(iso: str) -> str:
    """A condition's date (kept as YYYY-MM-DD) in the reader's language: Buddhist Era in Thai."""
    try:
        return format_date(datetime.date.fromisoformat(iso))
    except (TypeError, ValueError):
        return iso


def years_before(on: datetime.date, years: int) -> datetime.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def describe(condition: dict) -> str:
    """A condition in words, in the active language."""
    p = condition["params"]
    ok = condition["passed"]
    key = condition["key"]
    if key == "cluster":
        return (
            _("All courses of the cluster are banked (%(needed)s)") % p
            if ok
            else _("Cluster incomplete: still missing %(missing)s") % p
        )
    if key == "grade":
        return (
            _("%(course)s: grade %(grade)s meets the minimum %(minimum)s")
            if ok
            else _("%(course)s: grade %(grade)s is below the minimum %(minimum)s")
        ) % p
    if key == "age":
        return (
            _("%(course)s: completed %(completed)s, within %(years)s years")
            if ok
            else _("%(course)s: completed %(completed)s, more than %(years)s years ago")
        ) % {**p, "completed": _date_in_words(p["completed"])}
    if key == "level":
        levels = dict(Level.choices)  # kept as codes, named in the reader's language (older items kept the words)
        words = {"source": levels.get(p["source"], p["source"]), "target": levels.get(p["target"], p["target"])}
        return (
            _("%(course)s: same level of education (%(source)s)")
            if ok
            else _("%(course)s: level %(source)s differs from %(target)s")
        ) % {**p, **words}
    if key == "applied":
        return _("%(course)s has already been applied to %(target)s") % p
    if key == "credited":
        return _("%(target)s is already among the learner's credits") % p
    if key == "pending":
        return _("%(target)s is already asked for in request #%(request)s, not yet decided") % p
    if key == "credential":
        return (
            _("%(code)s %(title)s: %(credits)s credits, grade %(grade)s, from %(issuer)s (a verified credential)") % p
        )
    if key == "rule_retired":
        return _("Rule #%(rule)s was retired on %(on)s and no rule in effect covers this course now") % {
            **p,
            "on": _date_in_words(p["on"]),
        }
    if key == "rule_gone":
        return _("No rule in effect today covers this course")
    if key == "limit":
        # Credits as people write them ("18", "1.5"), also for checks kept with older requests ("18.0").
        p = {**p, **{name: credit_text(p[name]) or p[name] for name in ("used", "adding", "limit") if name in p}}
        return (
            _("Within the transfer limit: %(used)s + %(adding)s of at most %(limit)s credits")
            if ok
            else _("Transfer limit reached: %(used)s + %(adding)s would exceed %(limit)s credits")
        ) % p
    return key
