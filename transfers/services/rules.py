"""Writes for equivalence rules and programmes: checked, atomic, locked where a decision is made, audited."""

import datetime
from decimal import Decimal

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.access import is_provincial_staff, is_registrar
from registry.identifiers import clean_text
from registry.models import Course, Level, User

from ..models import (
    Equivalence,
    EquivalenceSource,
    EquivalenceStatus,
    EquivalenceTarget,
    Programme,
    effective_dates_error,
)
from .common import deciding_role, refuse_own_work, require_reason
from .requests import recheck_requests_leaning_on


def equivalence_propose(
    *,
    actor: User,
    source_courses: list[Course],
    target_courses: list[Course],
    basis: str,
    min_grade_points: Decimal = Decimal("2.0"),
    max_age_years: int | None = None,
    same_level: bool = True,
    effective_from: datetime.date | None = None,
    effective_to: datetime.date | None = None,
    replaces: Equivalence | None = None,
) -> Equivalence:
    """Propose a rule (or a new version of one). Provincial staff, or a registrar of the receiving institution."""
    errors = {}
    if not source_courses:
        errors["source_courses"] = _("Choose at least one source course.")
    if not target_courses:
        errors["target_courses"] = _("Choose at least one target course.")
    if errors:
        raise ValidationError(errors)
    if len(source_courses) > 1 and len(target_courses) > 1:
        raise ValidationError(_("A rule maps one course to one or more, or a cluster of courses to one course."))
    source_inst = {c.institution_id for c in source_courses}
    target_inst = {c.institution_id for c in target_courses}
    if len(source_inst) > 1:
        errors["source_courses"] = _("All source courses must belong to one institution.")
    if len(target_inst) > 1:
        errors["target_courses"] = _("All target courses must belong to one institution.")
    if not errors and source_inst == target_inst:
        errors["target_courses"] = _("The target courses must belong to another institution.")
    if errors:
        raise ValidationError(errors)
    if not is_provincial_staff(actor) and not (is_registrar(actor) and actor.institution_id in target_inst):
        raise ValidationError(
            _("Only provincial staff or a registrar of the receiving institution may propose a rule.")
        )
    if replaces is not None:
        _check_new_version(actor, replaces, source_inst, target_inst)
    rule = Equivalence(
        min_grade_points=min_grade_points,
        max_age_years=max_age_years,
        same_level=same_level,
        basis=clean_text(basis),
        effective_from=effective_from or timezone.localdate(),
        effective_to=effective_to,
        proposed_by=actor,
        replaces=replaces,
        version=(replaces.version + 1) if replaces else 1,
    )
    if not rule.basis:
        raise ValidationError({"basis": _("Say why the courses are equivalent (content overlap, outcomes).")})
    levels = {c.level for c in source_courses} | {c.level for c in target_courses}
    if same_level and len(levels) > 1:  # every source course is checked against the target's level (matching)
        names = dict(Level.choices)
        raise ValidationError({"same_level": _(
            "The courses are at different levels (%(source)s; %(target)s): with the same level required, no learner "
            "could ever meet this rule. Untick it, or choose courses of the same level."
        ) % {
            "source": ", ".join(sorted({str(names[c.level]) for c in source_courses})),
            "target": ", ".join(sorted({str(names[c.level]) for c in target_courses})),
        }})  # fmt: skip
    if message := effective_dates_error(rule.effective_from, effective_to):
        raise ValidationError({"effective_to": message})
    if same := _same_courses(source_courses, target_courses, rule.effective_from, effective_to, replaces):
        raise ValidationError(
            (_("Rule #%(rule)s (%(status)s), which you proposed, already maps these courses: open it, and withdraw it "
               "there if it is wrong.") if same.status == EquivalenceStatus.PROPOSED and same.proposed_by_id == actor.pk
             else _("Rule #%(rule)s (%(status)s) already maps these courses: open it instead; whoever proposed it may "
               "withdraw it there.") if same.status == EquivalenceStatus.PROPOSED else
             _("Rule #%(rule)s (%(status)s) already maps these courses: open it instead, or propose a new version of "
               "it from its page.")) % {"rule": same.pk, "status": same.get_status_display()},
            code="duplicate_rule",
        )  # fmt: skip
    with transaction.atomic(), pghistory.context(user=actor.pk, service="equivalence_propose"):
        rule.save()
        EquivalenceSource.objects.bulk_create([EquivalenceSource(equivalence=rule, course=c) for c in source_courses])
        EquivalenceTarget.objects.bulk_create([EquivalenceTarget(equivalence=rule, course=c) for c in target_courses])
    return rule


def _check_new_version(actor, replaces, source_inst, target_inst):
    """A new version keeps the rule's two institutions (other courses, grades or dates, the same path), and is
    proposed by provincial staff or by a registrar of the institution the rule leads into: approving it retires the
    old version, so it must not take a rule away from another institution's learners."""
    old_source = set(replaces.source_courses.values_list("institution_id", flat=True))
    old_target = set(replaces.target_courses.values_list("institution_id", flat=True))
    if not is_provincial_staff(actor) and actor.institution_id not in old_target:
        raise ValidationError(
            _("Only provincial staff or a registrar of the receiving institution may propose a rule.")
        )
    errors = {}
    if source_inst != old_source:
        errors["source_courses"] = _("A new version keeps the rule's source institution; propose a new rule instead.")
    if target_inst != old_target:
        errors["target_courses"] = _(
            "A new version keeps the rule's receiving institution; propose a new rule instead."
        )
    if errors:
        raise ValidationError(errors)


def _same_courses(sources, targets, effective_from, effective_to, replaces) -> Equivalence | None:
    """A rule waiting for a decision or approved, over exactly these courses, whose dates overlap the new rule's
    (not the rule a new version replaces). Two rules for the same courses in periods apart are both allowed."""
    wanted = ({c.pk for c in sources}, {c.pk for c in targets})
    overlapping = Q(effective_to__isnull=True) | Q(effective_to__gte=effective_from)
    if effective_to:
        overlapping &= Q(effective_from__lte=effective_to)
    rules = (
        Equivalence.objects.filter(target_links__course__in=[c.pk for c in targets])
        .filter(Q(status__in=[EquivalenceStatus.PROPOSED, EquivalenceStatus.APPROVED]) & overlapping)
        .exclude(pk=replaces.pk if replaces else None)
        .prefetch_related("source_links", "target_links")
        .distinct()
        .order_by("pk")
    )
    for rule in rules:
        if ({x.course_id for x in rule.source_links.all()}, {x.course_id for x in rule.target_links.all()}) == wanted:
            return rule
    return None


def equivalence_decide(*, actor: User, rule_id: int, approve: bool, reason: str) -> Equivalence:
    """Staff approve or reject a proposed rule. Approving a new version retires the version it replaces.

    Whoever proposed the rule does not decide it; an administrator may decide for a one-officer office.
    """
    role = deciding_role(actor)
    reason = require_reason(reason)
    context = {"user": actor.pk, "service": "equivalence_decide", "reason": reason, "acting_as": role}
    with transaction.atomic(), pghistory.context(**context):
        rule = Equivalence.objects.select_for_update().get(pk=rule_id)
        if rule.status == EquivalenceStatus.WITHDRAWN:
            raise ValidationError(_("Its proposer has withdrawn this rule: there is nothing to decide."))
        if rule.status != EquivalenceStatus.PROPOSED:
            raise ValidationError(_("This rule has already been decided."), code="already_decided")
        refuse_own_work(
            actor, {rule.proposed_by_id}, _("You proposed this rule; another officer must approve or reject it.")
        )
        rule.status = EquivalenceStatus.APPROVED if approve else EquivalenceStatus.REJECTED
        rule.decided_by, rule.decided_at, rule.decision_reason = actor, timezone.now(), reason
        rule.save()
        if approve and rule.replaces_id:
            old = Equivalence.objects.select_for_update().get(pk=rule.replaces_id)
            if old.status == EquivalenceStatus.APPROVED:
                _retire(old, actor, _("Replaced by version %(v)s.") % {"v": rule.version}, rule.effective_from)
                recheck_requests_leaning_on(old.pk)
    return rule


def equivalence_withdraw(*, actor: User, rule_id: int, reason: str) -> Equivalence:
    """Whoever proposed a rule takes it back before it is decided: a proposal with a mistake in it had waited for
    another officer to reject it. It stays on record, withdrawn, with the reason, and no longer waits or blocks a
    corrected proposal of the same courses."""
    reason = require_reason(reason)
    with transaction.atomic(), pghistory.context(user=actor.pk, service="equivalence_withdraw", reason=reason):
        rule = Equivalence.objects.select_for_update().get(pk=rule_id)
        if rule.proposed_by_id != actor.pk:
            raise ValidationError(_("Only whoever proposed a rule may withdraw it."), code="not_proposer")
        if rule.status == EquivalenceStatus.WITHDRAWN:
            raise ValidationError(_("This proposal has already been withdrawn."), code="already_withdrawn")
        if rule.status != EquivalenceStatus.PROPOSED:
            raise ValidationError(_("This rule has already been decided."), code="already_decided")
        rule.status = EquivalenceStatus.WITHDRAWN
        rule.decided_by, rule.decided_at, rule.decision_reason = actor, timezone.now(), reason
        rule.save()
    return rule


def equivalence_retire(*, actor: User, rule_id: int, reason: str) -> Equivalence:
    """Stop a rule from applying to new requests. Transfers already approved under it are unchanged."""
    if not is_provincial_staff(actor):
        raise ValidationError(_("Only provincial staff retire rules."))
    reason = require_reason(reason)
    with transaction.atomic(), pghistory.context(user=actor.pk, service="equivalence_retire", reason=reason):
        rule = Equivalence.objects.select_for_update().get(pk=rule_id)
        if rule.status != EquivalenceStatus.APPROVED:
            raise ValidationError(_("Only an approved rule can be retired."))
        # In effect up to and including today: decisions made under it earlier today stay within its dates.
        _retire(rule, actor, reason, timezone.localdate() + datetime.timedelta(days=1))
        rule.waiting_rechecked = recheck_requests_leaning_on(rule.pk)
    return rule


def _retire(rule, actor, reason, from_date):
    """The rule no longer applies from `from_date`: it ends the day before (or as it already ended, if earlier)."""
    rule.status = EquivalenceStatus.RETIRED
    end = from_date - datetime.timedelta(days=1)
    rule.effective_to = max(rule.effective_from, min(rule.effective_to or end, end))
    rule.retired_by, rule.retired_at, rule.retire_reason = actor, timezone.now(), reason
    rule.save()


def programme_save(*, actor: User, programme: Programme, courses) -> Programme:
    """Add or edit a programme of the registrar's own institution."""
    if not is_registrar(actor) or programme.institution_id != actor.institution_id:
        raise ValidationError(_("Only a registrar of the institution edits its programmes."))
    with transaction.atomic(), pghistory.context(user=actor.pk, service="programme_save"):
        programme.save()
        programme.courses.set(courses)
    return programme
