"""Writes for transfer requests: checked, atomic, locked where a decision is made, audited."""

import datetime
from decimal import Decimal

import pghistory
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.access import is_provincial_staff
from registry.dates import current_academic_year, current_term
from registry.identifiers import clean_paragraphs, clean_text
from registry.models import Course, CreditDeposit, DepositOrigin, Learner, LearningType, User
from registry.services import deposit_record_transfer_in
from registry.uploads import CheckedFile

from ..matching import asked_elsewhere, evaluate, programme_courses, transferred_into
from ..models import (
    MAX_REQUEST_DOCUMENTS,
    WAITING_STATUSES,
    WITHDRAWABLE_STATUSES,
    AppliedCredit,
    Assessment,
    AssessmentEvidence,
    ItemDecision,
    Programme,
    RequestDocument,
    RequestStatus,
    TransferItem,
    TransferItemSource,
    TransferRequest,
    Verdict,
)
from .common import deciding_role, refuse_own_work, require_reason

NOTE_LIMIT = 2000  # characters of a learner's note to the office: a few paragraphs

# Legal moves of a transfer request. Everything else is refused.
TRANSITIONS = {
    RequestStatus.DRAFT: {RequestStatus.SUBMITTED, RequestStatus.WITHDRAWN},
    RequestStatus.RETURNED: {RequestStatus.SUBMITTED, RequestStatus.WITHDRAWN},
    RequestStatus.SUBMITTED: {
        RequestStatus.UNDER_REVIEW,
        RequestStatus.RETURNED,
        RequestStatus.APPROVED,
        RequestStatus.PARTLY_APPROVED,
        RequestStatus.REJECTED,
        RequestStatus.WITHDRAWN,
    },
    RequestStatus.UNDER_REVIEW: {
        RequestStatus.RETURNED,
        RequestStatus.APPROVED,
        RequestStatus.PARTLY_APPROVED,
        RequestStatus.REJECTED,
        RequestStatus.WITHDRAWN,
    },
}


def _move(request: TransferRequest, to: str):
    if to not in TRANSITIONS.get(request.status, set()):
        raise ValidationError(
            _("A request that is %(status)s cannot become %(to)s.")
            % {"status": RequestStatus(request.status).label, "to": RequestStatus(to).label},
            code="illegal_transition",
        )
    request.status = to


def _refuse_already_asked(learner: Learner, target_ids, *, request_id: int | None = None):
    """Refuse target courses that another request of the learner's, sent and not yet decided, already asks for
    (by a rule, for an assessment or from a credential alike)."""
    asked = asked_elsewhere(learner, target_ids, except_request=request_id).values()
    if asked:
        raise ValidationError(
            _("Already asked for in another request not yet decided: %(courses)s. Wait for that decision, or leave "
              "these courses out of this request.") % {"courses": ", ".join(f"{c} (#{r})" for c, r in asked)},
            code="already_asked",
        )  # fmt: skip


def transfer_request_create(
    *,
    actor: User,
    learner: Learner,
    programme: Programme,
    target_course_ids: list[int],
    assessments: dict[int, list[int]] | None = None,
    note: str = "",
) -> TransferRequest:
    """A draft request: the chosen rule targets, and targets the learner asks to have assessed (no rule)."""
    assessments = assessments or {}
    if len(clean_paragraphs(note)) > NOTE_LIMIT:
        raise ValidationError(
            _("Shorten the note to at most %(limit)s characters (it has %(length)s).")
            % {"limit": NOTE_LIMIT, "length": len(clean_paragraphs(note))}
        )
    by_target = _checked_choice(learner, programme, target_course_ids, assessments)
    with transaction.atomic(), pghistory.context(user=actor.pk, service="transfer_request_create"):
        request = TransferRequest.objects.create(
            learner=learner,
            target_institution=programme.institution,
            programme=programme,
            created_by=actor,
            learner_note=clean_paragraphs(note),
        )
        _write_items(request, target_course_ids, by_target, assessments)
    return request


def transfer_request_add(
    *, actor: User, request_id: int, target_course_ids: list[int], assessments: dict[int, list[int]] | None = None
) -> TransferRequest:
    """More courses for a request not yet sent (a draft, or one returned to the learner), checked as a new request's
    are: a learner who found another course after saving had to withdraw the draft and start again."""
    assessments = assessments or {}
    with transaction.atomic(), pghistory.context(user=actor.pk, service="transfer_request_add"):
        request = (
            TransferRequest.objects.select_for_update(of=("self",))
            .select_related("learner", "programme")
            .get(pk=request_id)
        )
        if not request.is_open:
            raise ValidationError(
                _("This request is now %(status)s: courses can no longer be added to it.")
                % {"status": RequestStatus(request.status).label},
                code="not_open",
            )
        held = dict(request.items.values_list("target_course_id", "target_course__code"))
        if twice := sorted(held[t] for t in {*target_course_ids, *assessments} if t in held):
            raise ValidationError(
                _("Already in this request: %(codes)s.") % {"codes": ", ".join(twice)}, code="in_this_request"
            )
        used = set(TransferItemSource.objects.filter(item__request=request).values_list("deposit_id", flat=True))
        if any(used.intersection(deposit_ids) for deposit_ids in assessments.values()):
            raise ValidationError(
                _("A credit already in this request cannot be assessed for another course too."), code="in_this_request"
            )
        by_target = _checked_choice(request.learner, request.programme, target_course_ids, assessments)
        _write_items(request, target_course_ids, by_target, assessments)
    return request


def transfer_request_remove_item(*, actor: User, request_id: int, item_id: int | None) -> str:
    """Take one course out of a request not yet sent (a draft, or one returned to the learner), by the learner or
    whoever filed it: a course saved by mistake, or one another request already asks for, could only be dropped by
    withdrawing the whole request. Not its last course (withdrawing is the way), nor one the office has assessed (the
    assessment stays with the item it was made for). The removal is in the audit trail; returns the course's code."""
    with transaction.atomic(), pghistory.context(user=actor.pk, service="transfer_request_remove_item"):
        request = (
            TransferRequest.objects.select_for_update(of=("self",))
            .select_related("learner", "programme")
            .get(pk=request_id)
        )
        if not request.is_filed_by(actor):
            raise ValidationError(_("Only the learner, or whoever filed the request, may change its courses."))
        if not request.is_open:
            raise ValidationError(
                _("This request is now %(status)s: its courses can no longer be changed.")
                % {"status": RequestStatus(request.status).label},
                code="not_open",
            )
        item = request.items.select_related("target_course").filter(pk=item_id).first()
        if item is None:
            raise ValidationError(_("That course is not in this request any more."), code="not_in_request")
        code = item.target_course.code
        if request.items.count() == 1:
            raise ValidationError(
                _("%(code)s is the only course in this request: withdraw the request instead.") % {"code": code},
                code="last_item",
            )
        if Assessment.objects.filter(item=item).exists():
            raise ValidationError(
                _("The provincial office has recorded the assessment of %(code)s already: it stays in the request.")
                % {"code": code},
                code="assessed",
            )
        item.delete()
        # The courses left are checked again: their transfer-limit line counted the one taken out.
        _refresh_verdicts(request)
    return code


def _checked_choice(learner, programme, target_course_ids, assessments) -> dict:
    """Check the courses chosen for a request (rule targets and assessments) and return each rule target's candidate
    (matching.evaluate): refused are no choice at all, a closed programme, a target no rule leads to, a course another
    request already asks for, and an assessment of a course outside the programme or of another's credits."""
    if not target_course_ids and not assessments:
        raise ValidationError(_("Choose at least one course to transfer."), code="nothing_chosen")
    if not programme.active:
        raise ValidationError(_("This programme is not open for transfers."))
    evaluation = evaluate(learner, programme, only=set(target_course_ids))
    by_target = evaluation.by_target()
    unknown = [pk for pk in target_course_ids if pk not in by_target]
    if unknown:
        raise ValidationError(_("No rule leads from your credits to one of the chosen courses."))
    _refuse_already_asked(learner, [*target_course_ids, *assessments])
    own = {d.pk for d in CreditDeposit.objects.active().filter(learner=learner, origin=DepositOrigin.EARNED)}
    allowed_targets = programme_courses(programme)
    _refuse_assessments(learner, assessments, allowed_targets, target_course_ids)
    for deposit_ids in assessments.values():
        if not deposit_ids or not set(deposit_ids) <= own:
            raise ValidationError(_("Choose your own banked credits for each assessment."))
    return by_target


def _write_items(request, target_course_ids, by_target, assessments) -> None:
    for target_id in target_course_ids:
        candidate = by_target[target_id]
        item = TransferItem.objects.create(
            request=request,
            target_course=candidate.target,
            equivalence=candidate.rule,
            verdict=candidate.verdict,
            conditions=candidate.conditions,
        )
        TransferItemSource.objects.bulk_create([TransferItemSource(item=item, deposit=d) for d in candidate.deposits])
    for target_id, deposit_ids in assessments.items():
        item = TransferItem.objects.create(
            request=request, target_course_id=target_id, verdict=Verdict.ASSESSMENT, conditions=[]
        )
        TransferItemSource.objects.bulk_create([TransferItemSource(item=item, deposit_id=d) for d in deposit_ids])


def _refuse_assessments(learner, assessments, allowed_targets, rule_targets):
    """Each course asked to be assessed is a course of the programme, not also asked for under a rule, and not one the
    learner already holds credit for (an approval would count it twice)."""
    if any(target_id not in allowed_targets for target_id in assessments):
        raise ValidationError(_("Choose a course of the programme for each assessment."))
    codes = dict(Course.objects.filter(pk__in=list(assessments)).values_list("pk", "code"))
    if twice := sorted(codes[t] for t in assessments if t in rule_targets):
        raise ValidationError(
            _("%(codes)s is already chosen above under the rules: assess another course, or untick it above.")
            % {"codes": ", ".join(twice)}
        )
    held = CreditDeposit.objects.holding().filter(learner=learner, course_id__in=list(assessments))
    if held := sorted({codes[c] for c in held.values_list("course_id", flat=True)}):
        raise ValidationError(
            _("You already hold credit for %(codes)s: it cannot be transferred again. Choose another course.")
            % {"codes": ", ".join(held)}
        )


def transfer_request_from_achievements(
    *, actor: User, learner: Learner, programme: Programme, items: list[tuple[int, dict]], note: str = ""
) -> TransferRequest:
    """A submitted request whose items are achievements proved by another credit bank's credential.

    Each item targets a course of the programme and is decided the usual way (an assessment, then a decision); the
    achievement is kept in the item's conditions. Nothing is deposited here: only an approval posts credits.
    """
    if not items:
        raise ValidationError(_("Choose at least one course to transfer."), code="nothing_chosen")
    if not programme.active:
        raise ValidationError(_("This programme is not open for transfers."))
    allowed = programme_courses(programme)
    targets = [target_id for target_id, _params in items]
    if any(t not in allowed for t in targets) or len(set(targets)) != len(targets):
        raise ValidationError(_("Choose a different course of the programme for each achievement."))
    _refuse_assessments(learner, dict.fromkeys(targets), allowed, [])
    _refuse_already_asked(learner, targets)
    with transaction.atomic(), pghistory.context(user=actor.pk, service="transfer_request_from_achievements"):
        request = TransferRequest.objects.create(
            learner=learner, target_institution=programme.institution, programme=programme, created_by=actor,
            learner_note=clean_paragraphs(note), status=RequestStatus.SUBMITTED, submitted_at=timezone.now(),
        )  # fmt: skip
        TransferItem.objects.bulk_create(
            [
                TransferItem(
                    request=request,
                    target_course_id=target_id,
                    verdict=Verdict.ASSESSMENT,
                    conditions=[{"key": "credential", "passed": True, "params": params}],
                )
                for target_id, params in items
            ]
        )
    return request


def _refresh_verdicts(request: TransferRequest):
    """Check the rule items again against today's rules and ledger. Other requests asking for the same courses are
    checked apart, at submission (_refuse_already_asked): at a decision they must not hold this one up."""
    items = list(request.items.select_related("target_course", "equivalence"))
    evaluation = evaluate(
        request.learner, request.programme, only={i.target_course_id for i in items}, check_pending=False
    )
    by_target = evaluation.by_target()
    for item in items:
        if item.verdict == Verdict.ASSESSMENT and item.equivalence_id is None:
            continue
        candidate = by_target.get(item.target_course_id)
        if candidate is None:
            item.verdict = Verdict.FAIL
            rule = item.equivalence
            if rule is not None and rule.retired_at is not None:
                params = {"rule": rule.pk, "on": timezone.localdate(rule.retired_at).isoformat()}
                item.conditions = [{"key": "rule_retired", "passed": False, "params": params}]
            else:
                item.conditions = [{"key": "rule_gone", "passed": False, "params": {}}]
        else:
            item.equivalence, item.verdict, item.conditions = candidate.rule, candidate.verdict, candidate.conditions
        item.save(update_fields=["equivalence", "verdict", "conditions"])


def requests_leaning_on(rule_id: int):
    """Requests not yet decided (drafts, returned, sent or under review) with an item still waiting on this rule."""
    pending = TransferItem.objects.filter(equivalence_id=rule_id, decision=ItemDecision.PENDING).values("request_id")
    return TransferRequest.objects.filter(pk__in=pending, status__in=WITHDRAWABLE_STATUSES)


def recheck_requests_leaning_on(rule_id: int) -> int:
    """Check again, against today's rules, the requests with items waiting on a rule that was just retired or
    replaced, so that their pages say at once what that means (a replacement may match; else only a rejection is
    possible) rather than "meets its rule" until an approval is refused. Run in the retiring transaction; returns
    how many requests were sent and are waiting for a decision."""
    waiting = 0
    for request in requests_leaning_on(rule_id).select_for_update(of=("self",)).select_related("learner", "programme"):
        _refresh_verdicts(request)
        waiting += request.status in WAITING_STATUSES
    return waiting


def transfer_request_submit(
    *, actor: User, request_id: int, reply: str = "", documents: list[CheckedFile] = ()
) -> TransferRequest:
    """Send a draft to the provincial office, or send again one it returned. A returned request goes back with the
    filer's answer to what the office asked (required: without it the officer must guess what changed). Documents
    chosen with it are attached in the same transaction."""
    reply = clean_paragraphs(reply)[:NOTE_LIMIT]
    with transaction.atomic(), pghistory.context(user=actor.pk, service="transfer_request_submit"):
        request = (
            TransferRequest.objects.select_for_update(of=("self",))
            .select_related("learner", "programme")
            .get(pk=request_id)
        )
        returned = request.status == RequestStatus.RETURNED
        _move(request, RequestStatus.SUBMITTED)
        # One submission at a time per learner, so two drafts for the same course cannot both be sent at once.
        Learner.objects.select_for_update().filter(pk=request.learner_id).first()
        _refuse_already_asked(
            request.learner, request.items.values_list("target_course_id", flat=True), request_id=request.pk
        )
        if returned and not reply:
            raise ValidationError(
                {
                    "reply": _(
                        "Write your answer to the provincial office: what you did about what it asked (for example, "
                        "“the certificate is attached”), then send the request again."
                    )
                }
            )
        _refresh_verdicts(request)
        for document in documents:
            _attach(request, actor, document)
        if returned:  # answered: its first sending, and so its place in the queue, are kept
            request.filer_reply, request.resubmitted_at, request.resubmitted_by = reply, timezone.now(), actor
        else:
            request.submitted_at, request.submitted_by = timezone.now(), actor
        request.save()
    return request


def _refuse_unless_filer_may_change(request: TransferRequest, actor: User, *, adding: bool = False):
    if not request.is_filed_by(actor):
        raise ValidationError(_("Only the learner, or whoever filed the request, may change its documents."))
    if not (request.takes_documents if adding else request.is_open):
        raise ValidationError(
            _("This request is now %(status)s: its documents can no longer be changed.")
            % {"status": RequestStatus(request.status).label},
            code="not_open",
        )


def _attach(request: TransferRequest, actor: User, document: CheckedFile) -> RequestDocument:
    if request.documents.count() >= MAX_REQUEST_DOCUMENTS:
        raise ValidationError(
            {
                "document": _(
                    "This request has %(n)s documents already, the most it may have: take one out first, or put "
                    "several pages into one PDF."
                )
                % {"n": MAX_REQUEST_DOCUMENTS}
            }
        )
    record = RequestDocument(
        request=request, content_type=document.content_type, original_name=document.original_name, uploaded_by=actor
    )
    record.file.save("document", ContentFile(document.content), save=False)
    record.save()
    return record


def transfer_request_attach(*, actor: User, request_id: int, document: CheckedFile) -> RequestDocument:
    """Add a document (a certificate, what the office asked for), by the request's filer: to a request not yet sent,
    or to one the office has (it sees the document at once). The row lock orders it with a decision arriving at the
    same moment: a request decided first takes nothing more."""
    with transaction.atomic(), pghistory.context(user=actor.pk, service="transfer_request_attach"):
        request = TransferRequest.objects.select_for_update(of=("self",)).select_related("learner").get(pk=request_id)
        _refuse_unless_filer_may_change(request, actor, adding=True)
        return _attach(request, actor, document)


def transfer_request_remove_document(*, actor: User, request_id: int, document_id: int | None) -> str:
    """Take out a document added by mistake, before the office has seen it: one added since the request was last sent.
    What the office has seen stays, as an assessed course does. The row is in the audit trail; the file itself is
    deleted once the removal is committed (it may be someone else's certificate). Returns the document's name."""
    with transaction.atomic(), pghistory.context(user=actor.pk, service="transfer_request_remove_document"):
        request = TransferRequest.objects.select_for_update(of=("self",)).select_related("learner").get(pk=request_id)
        _refuse_unless_filer_may_change(request, actor)
        document = request.documents.filter(pk=document_id).first()
        if document is None:
            raise ValidationError(_("That document is not in this request any more."), code="not_in_request")
        name = str(document)
        if request.office_has_seen(document):
            raise ValidationError(
                _("The provincial office has seen %(name)s already: it stays with the request.") % {"name": name},
                code="seen",
            )
        stored, storage = document.file.name, document.file.storage
        document.delete()
        transaction.on_commit(lambda: storage.delete(stored))
    return name


def transfer_request_start_review(*, actor: User, request_id: int) -> TransferRequest:
    if not is_provincial_staff(actor):
        raise ValidationError(_("Only provincial staff review requests."))
    with transaction.atomic(), pghistory.context(user=actor.pk, service="transfer_request_start_review"):
        request = TransferRequest.objects.select_for_update(of=("self",)).get(pk=request_id)
        _move(request, RequestStatus.UNDER_REVIEW)
        request.reviewer, request.review_started_at = actor, timezone.now()
        request.save()
    return request


def transfer_request_return(*, actor: User, request_id: int, reason: str) -> TransferRequest:
    """Send a request back to the learner for more information, saying what is needed."""
    if not is_provincial_staff(actor):
        raise ValidationError(_("Only provincial staff return requests."))
    reason = require_reason(reason)
    with transaction.atomic(), pghistory.context(user=actor.pk, service="transfer_request_return", reason=reason):
        request = TransferRequest.objects.select_for_update(of=("self",)).get(pk=request_id)
        _move(request, RequestStatus.RETURNED)
        request.staff_note, request.returned_at, request.returned_by = reason, timezone.now(), actor
        request.save()
    return request


def transfer_request_withdraw(*, actor: User, request_id: int) -> TransferRequest:
    """The learner (or whoever filed it for them) takes a request back before it is decided. Nothing was posted, so
    nothing is undone; its courses are free to ask for again. The row lock makes a decision arriving at the same
    moment wait, then find it withdrawn (or the withdrawal find it decided)."""
    with transaction.atomic(), pghistory.context(user=actor.pk, service="transfer_request_withdraw"):
        request = TransferRequest.objects.select_for_update(of=("self",)).select_related("learner").get(pk=request_id)
        if not request.is_filed_by(actor):
            raise ValidationError(_("Only the learner, or whoever filed the request, may withdraw it."))
        _move(request, RequestStatus.WITHDRAWN)
        request.save()
    return request


def assessment_record(
    *,
    actor: User,
    item_id: int,
    method: str,
    score: Decimal,
    max_score: Decimal,
    pass_score: Decimal,
    assessor: str,
    assessed_on: datetime.date,
    notes: str = "",
    evidence: list[CheckedFile] = (),
) -> Assessment:
    """Record how an item with no rule was assessed (CS, CE, CT, CP). The item is then decided like any other."""
    if not is_provincial_staff(actor):
        raise ValidationError(_("Only provincial staff record assessments."))
    if not (0 <= score <= max_score) or max_score <= 0 or not (0 <= pass_score <= max_score):
        raise ValidationError({"score": _("The score and the pass mark must lie between 0 and the maximum.")})
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("The assessment date cannot be in the future.")})
    with transaction.atomic(), pghistory.context(user=actor.pk, service="assessment_record"):
        item = TransferItem.objects.select_for_update(of=("self",)).select_related("request").get(pk=item_id)
        if item.verdict != Verdict.ASSESSMENT or item.decision != ItemDecision.PENDING:
            raise ValidationError(_("Only an undecided item with no rule is assessed."))
        if item.request.status not in (RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW):
            raise ValidationError(_("The request is not waiting for review."))
        assessment, _created = Assessment.objects.update_or_create(
            item=item,
            defaults={
                "method": method,
                "score": score,
                "max_score": max_score,
                "pass_score": pass_score,
                "assessor": clean_text(assessor),
                "assessed_on": assessed_on,
                "notes": notes,
                "recorded_by": actor,
                "recorded_at": timezone.now(),
            },
        )
        for checked in evidence:
            record = AssessmentEvidence(
                assessment=assessment, content_type=checked.content_type, original_name=checked.original_name
            )
            record.file.save("evidence", ContentFile(checked.content), save=False)
            record.save()
    return assessment


def item_error_key(item_id: int) -> str:
    """The key of an item's errors in the ValidationError `transfer_request_decide` raises."""
    return f"item_{item_id}"


def transfer_request_decide(*, actor: User, request_id: int, decisions: dict[int, tuple[bool, str]]) -> TransferRequest:
    """Decide every item of a request and post the approved ones to the ledger, all in one transaction.

    The request row is locked first: a second member of staff deciding at the same moment waits, then finds it
    decided and is refused, so credits are posted once. A source deposit is applied to a target course at most once
    (a unique constraint in the database), and the programme's transfer limit is checked again here. Whoever
    created or submitted the request (or is its learner) does not decide it. A refusal names each item at fault:
    its errors are under `item_error_key(item.pk)`; nothing is written.
    """
    role = deciding_role(actor)
    with transaction.atomic(), pghistory.context(user=actor.pk, service="transfer_request_decide", acting_as=role):
        request = (
            TransferRequest.objects.select_for_update(of=("self",))
            .select_related("learner", "programme", "programme__institution")
            .get(pk=request_id)
        )
        if request.status not in (RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW):
            raise ValidationError(
                _("This request is %(status)s; it cannot be decided now.")
                % {"status": RequestStatus(request.status).label},
                code="illegal_transition",
            )
        refuse_own_work(
            actor,
            {request.created_by_id, request.submitted_by_id, request.learner.user_id} - {None},
            _("You filed this request; another officer must decide it."),
        )
        _refresh_verdicts(request)
        items = list(request.items.select_related("target_course").prefetch_related("source_links__deposit__course"))
        errors: dict[str, list[str]] = {}
        # Everything already transferred into the programme counts toward its limit, by this request or any before.
        running = transferred_into(request.learner, programme_courses(request.programme))
        limit = request.programme.transfer_limit
        now = timezone.now()
        for item in items:
            problem = None
            if item.pk not in decisions:
                problem = (
                    _("Reject it, and say why: it does not meet its rule, so it cannot be approved.")
                    if item.verdict == Verdict.FAIL
                    else _("Choose approve or reject.")
                )
            else:
                approve, reason = decisions[item.pk]
                reason = clean_text(reason)
                # What stops an approval comes first: a reason would not make it possible.
                if approve:
                    problem = _cannot_approve(item, request.learner_id)
                    if problem is None and running + item.target_course.credits > limit:
                        problem = _("The transfer limit of %(limit)s credits would be exceeded.") % {
                            "limit": f"{limit.normalize():f}"
                        }
                if problem is None and not reason:
                    wording = (
                        _("Pick a standard reason, or type one, for this approval.")
                        if approve
                        else _("Say why it is rejected: the learner reads this reason.")
                    )
                    problem = ValidationError(wording, code="reason")  # the page marks the reason boxes
            if problem:
                errors[item_error_key(item.pk)] = [problem]
                continue
            if approve:
                running += item.target_course.credits
            item.decision = ItemDecision.APPROVED if approve else ItemDecision.REJECTED
            item.decision_reason, item.decided_by, item.decided_at = reason, actor, now
        if errors:
            raise ValidationError(errors)
        for item in items:
            if item.decision == ItemDecision.APPROVED:
                _post(item, request, actor)
            item.save()
        approved = sum(1 for i in items if i.decision == ItemDecision.APPROVED)
        to = (
            RequestStatus.APPROVED
            if approved == len(items)
            else RequestStatus.REJECTED
            if approved == 0
            else RequestStatus.PARTLY_APPROVED
        )
        _move(request, to)
        request.decided_by, request.decided_at = actor, now
        request.save()
    return request


def _cannot_approve(item: TransferItem, learner_id: int) -> str | None:
    if item.verdict == Verdict.MATCH:
        return None
    if item.verdict == Verdict.ASSESSMENT:
        # A rule's item is checked against the ledger by _refresh_verdicts; an assessed one here: the learner may
        # have earned the course, or had it transferred, since asking.
        if CreditDeposit.objects.holding().filter(learner_id=learner_id, course_id=item.target_course_id).exists():
            return _("The learner already holds credit for %(code)s; it can only be rejected.") % {
                "code": item.target_course.code
            }
        assessment = Assessment.objects.filter(item=item).first()
        if assessment is None:
            return _("Record the assessment before approving.")
        if not assessment.passed:
            return _("The assessment was not passed; it can only be rejected.")
        return None
    return _("It does not meet its rule now; it can only be rejected.")


def _post(item: TransferItem, request: TransferRequest, actor: User):
    """The approved item's transfer-in deposit, and the record that its sources were applied to this course."""
    sources = [link.deposit for link in item.source_links.all()]
    # The notation says how the credits were recognised (TR under a rule; CS, CE, CT or CP by assessment); the
    # learning type stays what the learner's own sources were, never a blanket "informal".
    notation = item.assessment.method if item.verdict == Verdict.ASSESSMENT else "TR"
    kinds = {d.learning_type for d in sources}
    learning_type = kinds.pop() if len(kinds) == 1 else LearningType.FORMAL
    try:
        with transaction.atomic():
            AppliedCredit.objects.bulk_create(
                [AppliedCredit(source_deposit=d, target_course=item.target_course, item=item) for d in sources]
            )
    except IntegrityError:
        raise ValidationError(
            _("%(code)s: a source deposit has already been applied to this course.")
            % {"code": item.target_course.code},
            code="double_apply",
        ) from None
    today = timezone.localdate()
    academic_year = current_academic_year(today)
    item.posted_deposit = deposit_record_transfer_in(
        actor=actor,
        learner=request.learner,
        course=item.target_course,
        notation=notation,
        completed_on=today,
        academic_year=academic_year,
        term=current_term(today),
        learning_type=learning_type,
    )
