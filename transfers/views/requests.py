"""Request pages: learners' transfer requests, the staff queue, decisions and assessments."""

import datetime
from decimal import Decimal
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.timesince import TIME_STRINGS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from registry.access import (
    is_administrator,
    is_learner,
    is_provincial_staff,
    is_registrar,
    learner_by_full_identifier,
    role_required,
)
from registry.form_helpers import add_errors, post_only
from registry.grades import RECOGNITION
from registry.identifiers import clean_paragraphs, detect_id_type, normalize_identifier, validate_identifier
from registry.models import Course, CreditDeposit, Learner, User
from registry.query import query_text, row_id, typed_number
from registry.selectors import PAGE_SIZE, name_matches, page_of
from registry.templatetags.numbers import credits as credit_text
from registry.uploads import check_evidence, uploaded_file_response

from ..access import get_request_for_user, programmes_visible_to, reads_documents, requests_visible_to
from ..forms import AssessmentForm, DecisionSheet, QueueFilterForm, ReasonForm, RequestSearchForm, SendForm
from ..matching import asked_elsewhere, describe, evaluate, in_open_drafts, programme_courses, same_draft
from ..models import (
    WAITING_STATUSES,
    Assessment,
    ItemDecision,
    RequestDocument,
    RequestStatus,
    TransferItem,
    TransferRequest,
    Verdict,
)
from ..reasons import reasons_for
from ..selectors import programme_matches
from ..services.requests import (
    NOTE_LIMIT,
    assessment_record,
    item_error_key,
    transfer_request_add,
    transfer_request_attach,
    transfer_request_create,
    transfer_request_decide,
    transfer_request_remove_document,
    transfer_request_remove_item,
    transfer_request_return,
    transfer_request_start_review,
    transfer_request_submit,
    transfer_request_withdraw,
)
from .common import next_after, staff_required, still_waiting

PROGRAMMES_SHOWN = 12  # search narrows the rest
anyone_signed_in = role_required(is_provincial_staff, is_registrar, is_learner, is_administrator)


@anyone_signed_in
@require_GET
def requests_list(request):
    qs = (
        requests_visible_to(request.user)
        .select_related("learner", "target_institution", "programme")
        .order_by("-created_at", "-pk")
    )
    if is_provincial_staff(request.user) or is_administrator(request.user):
        # The office's list is of requests sent to it: a learner's or a school's unsent draft is theirs, not yet the
        # office's work (it had been listed among it). Their own drafts stay.
        qs = qs.exclude(Q(status=RequestStatus.DRAFT) & ~Q(created_by=request.user))
    filters, query = None, ""
    if not is_learner(request.user):  # a learner's own few requests need no search; an office's thousands do
        filters = RequestSearchForm(request.GET)
        chosen = filters.chosen()
        qs = numbered_or_named(qs, chosen["q"])
        if chosen["status"]:
            qs = qs.filter(status=chosen["status"])
        query = urlencode({name: value for name, value in chosen.items() if value})
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "transfers/requests.html", {"page": page, "filters": filters, "query": query})


def _builder_learner(request):
    """The learner a request is built for: oneself, or (for a registrar) one found by a POSTed identifier."""
    if is_learner(request.user):
        return request.user.learner
    if request.method == "POST" and "national_id" in request.POST:
        value = normalize_identifier(request.POST["national_id"])
        try:
            value = validate_identifier(value, detect_id_type(value))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return None
        # The one rule for reaching another institution's learner by full identifier: logged like a search.
        learner = learner_by_full_identifier(request, value, what="transfer_request")
        if learner is None:
            messages.error(request, _("No learner with this identifier is registered; register the learner first."))
            return None
        request.session["transfer_learner"] = learner.pk
        return learner
    pk = request.session.get("transfer_learner")
    return Learner.objects.filter(pk=pk).first() if pk else None


@role_required(is_learner, is_registrar)
@require_http_methods(["GET", "POST"])
def request_new(request):
    """Choose a programme, see the verdict for every banked credit (the what-if), then create the request; or, with
    `into`, add courses to a request of one's own not yet sent (its learner and programme)."""
    into = _open_request_of_filer(request, request.GET.get("into", ""))
    learner = into.learner if into else _builder_learner(request)
    programmes_qs = programmes_visible_to(request.user).filter(active=True).select_related("institution")
    programme = None
    if into:
        programme = into.programme
    elif request.GET.get("programme", "").isdigit():
        programme = get_object_or_404(programmes_qs, pk=request.GET["programme"])
    evaluation = evaluate(learner, programme) if learner and programme else None
    asked_here = set()  # courses of the programme the request already asks for (`into`)
    if into and evaluation is not None:
        # What the request already holds is not offered again: a credit already in it (a course asked to be
        # assessed) left the list, and a course it already asks for is no choice for an assessment.
        in_request = list(into.items.values_list("target_course_id", "source_links__deposit_id"))
        asked_here = {course_id for course_id, _deposit in in_request}
        sources = {deposit_id for _course, deposit_id in in_request}
        evaluation.unmatched = [d for d in evaluation.unmatched if d.pk not in sources]
    posted = None  # what the learner sent, shown again with the error when it could not be saved
    if request.method == "POST" and "create" in request.POST and evaluation is not None:
        targets = [int(v) for v in request.POST.getlist("target") if v.isdigit()]
        assessments = {}
        for deposit in evaluation.unmatched:
            target = request.POST.get(f"assess_{deposit.pk}", "")
            deposit.chosen_target = int(target) if target.isdigit() else None
            if target.isdigit():
                assessments.setdefault(int(target), []).append(deposit.pk)
        note = request.POST.get("note", "")
        if not into and (
            saved := same_draft(learner, programme, targets, assessments, clean_paragraphs(note), filer=request.user)
        ):
            # The page saved again (Back, then Save): the draft it made is the one wanted, not a copy of it.
            messages.info(request, _("These courses were already saved as draft #%(n)s: here it is.") % {"n": saved})
            return redirect("transfers:request_detail", saved)
        try:
            if into:
                created = transfer_request_add(
                    actor=request.user, request_id=into.pk, target_course_ids=targets, assessments=assessments
                )
            else:
                created = transfer_request_create(
                    actor=request.user, learner=learner, programme=programme, target_course_ids=targets,
                    assessments=assessments, note=note,
                )  # fmt: skip
        except ValidationError as exc:
            posted = {"targets": set(targets), "note": note, "error": " ".join(exc.messages)}
            if evaluation.unmatched and any(e.code == "nothing_chosen" for e in getattr(exc, "error_list", [])):
                # Where the courses above can all not be ticked, the one way left had gone unsaid.
                posted["error"] = _(
                    "Tick a course in the list below, or open “Ask for an assessment” under it and choose, for one of "
                    "your courses, the course it should count as."
                )
            for deposit in evaluation.unmatched:  # a course both ticked above and chosen for an assessment: marked
                deposit.clashes = deposit.chosen_target in posted["targets"]
        else:
            messages.success(
                request,
                _("The courses are added to the request. Check it, then submit it.")
                if into
                else _("The request is saved as a draft. Check it, then submit it."),
            )
            return redirect(created)
    q = query_text(request)
    found = programmes_qs.filter(programme_matches(q))
    in_drafts = in_open_drafts(learner, [c.target.pk for c in evaluation.candidates]) if evaluation else {}
    if into:  # what this request already asks for is said so, whatever older draft asks for it too
        in_drafts |= {course_id: ("", into.pk) for course_id in asked_here}
    context = {
        "into": into,
        "learner": learner,
        "q": q,
        "programmes": found.order_by("institution__name_th", "code")[:PROGRAMMES_SHOWN],
        "programme": programme,
        "evaluation": evaluation,
        "posted": posted,
        "note_limit": NOTE_LIMIT,
        # Each course with its conditions in words, and the learner's unsent draft that already asks for it.
        "candidates": [
            (c, [(describe(x), x["passed"]) for x in c.conditions], in_drafts.get(c.target.pk, ("", None))[1])
            for c in evaluation.candidates
        ]
        if evaluation
        else [],
        "assessable": Course.objects.filter(pk__in=programme_courses(programme) - asked_here).order_by("code")
        if programme
        else [],
    }
    return render(request, "transfers/request_new.html", context)


def _open_request_of_filer(request, value: str):
    """The request named by `value` (?into=) when this user filed it and it is not sent yet, else None for no value;
    another's, or one already sent, is a 404 (nothing can be added to it)."""
    if not value:
        return None
    number = row_id(value)
    if number is None:
        raise Http404
    found = get_request_for_user(request.user, number)
    if not (found.is_open and found.programme_id and _is_filer(request.user, found)):
        raise Http404
    return found


def _items(transfer_request):
    items = (
        transfer_request.items.select_related(
            "target_course", "equivalence", "posted_deposit", "decided_by", "assessment"
        )
        .prefetch_related(
            Prefetch("source_links__deposit", queryset=CreditDeposit.objects.select_related("course__institution"))
        )
        .order_by("pk")
    )
    result = []
    for item in items:
        assessment = getattr(item, "assessment", None) if item.verdict == Verdict.ASSESSMENT else None
        result.append({
            "item": item,
            "sources": [link.deposit for link in item.source_links.all()],
            "conditions": [(describe(c), c["passed"]) for c in item.conditions],
            "assessment": assessment,
            # What the service would refuse to approve, said on the form before anyone tries.
            "only_reject": item.verdict == Verdict.FAIL or (assessment is not None and not assessment.passed),
            # No rule and no assessment yet: approving it waits for one (it had looked approvable, and the whole
            # form was refused on saving); rejecting it needs none.
            "needs_assessment": item.verdict == Verdict.ASSESSMENT and assessment is None,
            "reasons": reasons_for(item.verdict),  # only those that can be true of it
        })  # fmt: skip
    return result


NOTATIONS = {grade.code: grade.label for grade in RECOGNITION}


def _decider_refusal(user, transfer_request) -> str | None:
    """Why this user may not decide this request now, or None. The service checks the same again."""
    if not (is_provincial_staff(user) or is_administrator(user)):
        return ""
    if transfer_request.status not in (RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW):
        return ""
    involved = {transfer_request.created_by_id, transfer_request.submitted_by_id, transfer_request.learner.user_id}
    if user.pk in involved:
        return _("You filed this request; another officer must decide it.")
    return None


def _render_detail(request, transfer_request, sheet=None, status=200, return_form=None, send_form=None):
    staff = is_provincial_staff(request.user) or is_administrator(request.user)
    rows = _items(transfer_request)
    refusal = _decider_refusal(request.user, transfer_request)
    sheet = sheet or DecisionSheet([row["item"] for row in rows])
    for row in rows:
        item = row["item"]
        row.update(
            choice=sheet.value(item, "decision"), reason_code=sheet.shown_reason_code(item),
            reason=sheet.value(item, "reason"), errors=sheet.errors.get(item_error_key(item.pk), []),
            reason_missing=item_error_key(item.pk) in sheet.reason_missing,
            recognised=NOTATIONS.get(item.posted_deposit.grade) if item.posted_deposit else None,
        )  # fmt: skip
    # A draft whose courses a request already sent asks for can never be sent as it is: said before the button.
    held = (
        list(asked_elsewhere(transfer_request.learner, [r["item"].target_course_id for r in rows],
                             except_request=transfer_request.pk).values())
        if transfer_request.is_open
        else []
    )  # fmt: skip
    summary = [("#items", e) for e in sheet.errors.get("__all__", [])]
    summary += [("#bulk", e) for e in sheet.errors.get("bulk", [])]
    for row in rows:
        summary += [(f"#item-{row['item'].pk}", f"{row['item'].target_course.code}: {e}") for e in row["errors"]]
    if return_form is not None:  # a return refused for want of a reason: said at the top too, linking to its box
        summary += [("#id_reason", e) for e in return_form.errors.get("reason", [])]
    if send_form is not None:  # sending or attaching refused: said at the top too, linking to the field
        summary += [(f"#id_{name}", e) for name in ("reply", "document") for e in send_form.errors.get(name, [])]
    filer = _is_filer(request.user, transfer_request)
    documents = (
        list(transfer_request.documents.select_related("uploaded_by"))
        if reads_documents(request.user, transfer_request)
        else []
    )
    for d in documents:
        d.by_name = transfer_request.name_of(d.uploaded_by)
    context = {
        "req": transfer_request,
        "items": rows,
        "matched_rows": [row for row in rows if row["item"] in sheet.matched],
        "other_rows": [row for row in rows if row["item"] in sheet.items and row["item"] not in sheet.matched],
        "done_rows": [row for row in rows if row["item"] not in sheet.items],
        "sheet": sheet,
        "summary": summary,
        # Said of the action that was refused: sending back is not "recording the decisions".
        "refused_return": bool(return_form is not None and return_form.errors),
        "refused_send": bool(send_form is not None and send_form.errors),
        "return_form": return_form or ReasonForm(),
        "queue_place": request.session.get(QUEUE_PLACE, "") if staff else None,
        "waiting": transfer_request.status in WAITING_STATUSES,
        "matched_reasons": reasons_for(Verdict.MATCH),
        "is_staff": staff,
        "held": held,
        "can_submit": transfer_request.is_open and filer and not held,
        "can_add": bool(transfer_request.is_open and transfer_request.programme_id and filer),
        "can_withdraw": transfer_request.can_be_withdrawn and filer,
        # Any course but the last, and none the office has assessed (the service refuses the same).
        "can_remove": transfer_request.is_open and filer and len(rows) > 1,
        "can_decide": refusal is None,
        "decide_refusal": refusal,
        "documents": documents,
        # Who answered the office, when the request went back to it: of an older request, its sender.
        "answered_by": transfer_request.name_of(transfer_request.resubmitted_by or transfer_request.submitted_by)
        if transfer_request.filer_reply
        else "",
        "new_documents": {d.pk for d in documents if transfer_request.added_since_return(d)},
        "late_documents": {d.pk for d in documents if transfer_request.added_after_sending(d)},
        # The filer takes out, while the request is with them, what the office has not seen (the service's rule).
        "removable": {
            d.pk for d in documents if transfer_request.is_open and filer and not transfer_request.office_has_seen(d)
        },
        "can_attach": transfer_request.takes_documents and filer,
        "send_form": send_form or SendForm(initial={"reply": request.session.pop(_reply_key(transfer_request.pk), "")}),
    }
    return render(request, "transfers/request_detail.html", context, status=status)


@anyone_signed_in
@require_GET
def request_detail(request, pk):
    transfer_request = get_request_for_user(request.user, pk)
    # Answers an officer had typed when they left to record an assessment (request_assess), put back once.
    held = request.session.pop(_held_key(pk), None) if is_provincial_staff(request.user) else None
    if held is not None:
        sheet = DecisionSheet(list(transfer_request.items.all()), held)
        return _render_detail(request, transfer_request, sheet, return_form=ReasonForm(initial=held))
    return _render_detail(request, transfer_request)


def _held_key(pk) -> str:
    return f"decision-answers-{pk}"


@role_required(is_provincial_staff)
@post_only("transfers:request_detail")
def request_assess(request, pk):
    """Leave the decision page to record an item's assessment, the answers typed so far kept for the way back: they
    were lost, and a five-item request had to be decided again from the start."""
    transfer_request = get_request_for_user(request.user, pk)
    assess = row_id(request.POST.get("assess"))
    item = (
        transfer_request.items.filter(pk=assess, verdict=Verdict.ASSESSMENT, decision=ItemDecision.PENDING).first()
        if assess is not None
        else None
    )
    if item is None:  # decided meanwhile, or not an item of this request waiting for an assessment: back to it
        return redirect(transfer_request)
    # The items' answers and the return note typed so far, put back by request_detail.
    request.session[_held_key(pk)] = {
        **DecisionSheet.answers_in(request.POST),
        "reason": request.POST.get("reason", "")[:2000],
    }
    return redirect("transfers:assessment", pk=item.pk)


def _reply_key(pk) -> str:
    return f"reply-{pk}"


def _filer_request(request, pk) -> TransferRequest:
    """The learner's own request, or one the registrar filed; another's is a 404."""
    transfer_request = get_request_for_user(request.user, pk)
    if not _is_filer(request.user, transfer_request):
        raise Http404
    return transfer_request


def _send_form_refused(request, pk, form, exc: ValidationError):
    """A refusal of sending or attaching, said on the request's page as it now is, with what was typed kept."""
    if hasattr(exc, "error_dict"):
        add_errors(form, exc)
    else:
        messages.error(request, " ".join(exc.messages))
    return _render_detail(request, get_request_for_user(request.user, pk), send_form=form, status=400)


@role_required(is_learner, is_registrar)
@post_only("transfers:request_detail")
def request_submit(request, pk):
    """Send the request, with the answer to the office when it was sent back, and a document chosen with it."""
    transfer_request = _filer_request(request, pk)
    form = SendForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_detail(request, transfer_request, send_form=form, status=400)
    document = form.cleaned_data["document"]
    try:
        transfer_request_submit(
            actor=request.user,
            request_id=transfer_request.pk,
            reply=form.cleaned_data["reply"],
            documents=[document] if document else [],
        )
    except ValidationError as exc:
        return _send_form_refused(request, pk, form, exc)
    messages.success(request, _("The request is submitted to the provincial office."))
    return redirect(transfer_request)


@role_required(is_learner, is_registrar)
@post_only("transfers:request_detail")
def request_attach(request, pk):
    """Attach a document without sending yet, the answer typed beside it kept for the page that follows; or add one
    to a request the office has, which it sees at once."""
    transfer_request = _filer_request(request, pk)
    form = SendForm(request.POST, request.FILES)
    if form.is_valid() and not form.cleaned_data["document"]:
        form.add_error(
            "document",
            _("Choose the file first, then press “Attach the file, send later”.")
            if transfer_request.is_open
            else _("Choose the file first, then press “Add it to the request”."),
        )
    if not form.is_valid():
        return _render_detail(request, transfer_request, send_form=form, status=400)
    try:
        document = transfer_request_attach(
            actor=request.user, request_id=transfer_request.pk, document=form.cleaned_data["document"]
        )
    except ValidationError as exc:
        return _send_form_refused(request, pk, form, exc)
    if transfer_request.is_open:
        request.session[_reply_key(pk)] = form.cleaned_data["reply"]
        done = _("%(name)s is attached. The provincial office sees it when you send the request.")
    else:
        done = _("%(name)s is added to the request. The provincial office sees it with the request now.")
    messages.success(request, done % {"name": document})
    return redirect(transfer_request)


@role_required(is_learner, is_registrar)
@post_only("transfers:request_detail")
def request_remove_document(request, pk):
    """Take out a document the office has not seen; the answer typed on the page is kept."""
    transfer_request = _filer_request(request, pk)
    request.session[_reply_key(pk)] = request.POST.get("reply", "")[:NOTE_LIMIT]
    try:
        name = transfer_request_remove_document(
            actor=request.user, request_id=transfer_request.pk, document_id=row_id(request.POST.get("remove_document"))
        )
        messages.success(request, _("%(name)s has been taken out of the request.") % {"name": name})
    except ValidationError as exc:
        # Pressed again on a page left open: what was wanted is done already, which is not an error.
        (messages.info if exc.code == "not_in_request" else messages.error)(request, " ".join(exc.messages))
    return redirect(transfer_request)


@anyone_signed_in
@require_GET
def request_document(request, pk, document_pk):
    """A document of a request, to whoever may read the request; served as evidence files are (registry)."""
    transfer_request = get_request_for_user(request.user, pk)
    document = RequestDocument.objects.filter(request=transfer_request, pk=document_pk).first()
    if document is None or not reads_documents(request.user, transfer_request):
        raise Http404
    # The filer's own name for it (the officer saves it beside others), with the kind it really is.
    stem = Path(document.original_name).stem or f"request-{transfer_request.pk}-document-{document.pk}"
    return uploaded_file_response(document.file, document.content_type, f"{stem}{document.extension}")


@role_required(is_learner, is_registrar)
@post_only("transfers:request_detail")
def request_withdraw(request, pk):
    return _filer_action(
        request, pk, transfer_request_withdraw, _("The request is withdrawn; its courses may be asked for again.")
    )


@role_required(is_learner, is_registrar)
@post_only("transfers:request_detail")
def request_remove_item(request, pk):
    """Take one course out of the filer's request not yet sent; said on the request's page, as is a refusal."""
    transfer_request = _filer_request(request, pk)
    try:
        code = transfer_request_remove_item(
            actor=request.user, request_id=transfer_request.pk, item_id=row_id(request.POST.get("item"))
        )
        messages.success(
            request,
            _("%(code)s has been taken out of the request. To ask for it again, press “Add more courses”.")
            % {"code": code},
        )
    except ValidationError as exc:
        # Pressed again on a page left open: what was wanted is done already, which is not an error.
        (messages.info if exc.code == "not_in_request" else messages.error)(request, " ".join(exc.messages))
    return redirect(transfer_request)


def _is_filer(user, transfer_request) -> bool:
    """Who sends or takes back a request: its learner (a learner sees no other's: requests_visible_to), or the
    registrar who filed it."""
    return is_learner(user) or transfer_request.created_by_id == user.pk


def _filer_action(request, pk, service, done: str):
    """Withdraw (or another action of the filer's with no form): a refusal (decided meanwhile, say) is said on the
    request's page."""
    transfer_request = _filer_request(request, pk)
    try:
        service(actor=request.user, request_id=transfer_request.pk)
        messages.success(request, done)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(transfer_request)


def waiting_for(since: datetime.datetime, now: datetime.datetime) -> str:
    """How long a request has waited, in one unit an officer compares at a glance ("9 วัน", "53 นาที"), in the page's
    language (Django's duration strings; our catalogue carries their Thai, which Django's own lacks)."""
    delta = now - since
    if delta.days >= 1:
        return TIME_STRINGS["day"] % {"num": delta.days}
    if delta.seconds >= 3600:
        return TIME_STRINGS["hour"] % {"num": delta.seconds // 3600}
    if delta.seconds < 60:  # "0 minutes" read as a fault for a request sent (or sent again) this minute
        return _("under a minute")
    return TIME_STRINGS["minute"] % {"num": delta.seconds // 60}


QUEUE_PLACE = "transfers_queue_place"  # session key: the queue's filters and page the officer last looked at


@staff_required
@require_GET
def queue(request):
    """Waiting requests, longest wait first, filtered by receiving institution, status and how long they have waited."""
    now = timezone.now()
    filters = QueueFilterForm(request.GET)
    chosen = filters.chosen()
    qs = waiting_requests(chosen, now)
    page = page_of(qs, request.GET.get("page"), PAGE_SIZE, rows=queue_rows)
    for r in page:  # worded here, once a row, rather than by a {% blocktranslate %} per row
        r.waiting = waiting_for(r.submitted_at, now) if r.submitted_at else ""
        # Sent back and answered: marked, for it keeps its place in the queue and would otherwise look untouched.
        r.answered = (
            _("answered %(time)s ago") % {"time": waiting_for(r.resubmitted_at, now)} if r.resubmitted_at else ""
        )
        r.items_label = ngettext("%(n)s item", "%(n)s items", r.n_items) % {"n": r.n_items}
    query = {name: "" if value is None else value for name, value in chosen.items()}
    # Where the officer is in the queue (filters and page), for the way back from a request they open and decide.
    place = urlencode({**query, "page": page.number}) if any(query.values()) or page.number > 1 else ""
    if request.session.get(QUEUE_PLACE, "") != place:  # written only when it changes
        request.session[QUEUE_PLACE] = place
    context = {
        "page": page,
        "filters": filters,
        "query": urlencode(query),
        "filtered": any(value is not None for value in chosen.values()),
    }
    return render(request, "transfers/queue.html", context)


@staff_required
@require_GET
def returned(request):
    """The requests the office sent back and still waits on, longest with their filer first: what was asked, when,
    by whom, and who must answer, so an officer can call a learner or school whose answer is overdue. "Mine" keeps
    those the officer sent back."""
    now = timezone.now()
    mine = request.GET.get("mine") == "1"
    qs = TransferRequest.objects.filter(status=RequestStatus.RETURNED)
    if mine:
        qs = qs.filter(returned_by=request.user)
    # From transfer_request_returned_idx, in its order (one sent back before returned_at was kept, with none, last).
    qs = qs.order_by("returned_at", "pk")
    page = page_of(qs, request.GET.get("page"), PAGE_SIZE, rows=returned_rows)
    for r in page:
        r.waiting = waiting_for(r.returned_at, now) if r.returned_at else ""
        r.filer = r.name_of(r.created_by)
    context = {"page": page, "mine": mine, "query": "mine=1" if mine else ""}
    return render(request, "transfers/returned.html", context)


# What a row of a request list shows of it, in either language: the learner's name, the receiving institution, the
# programme. No national ID leaves the database for a list that does not show it.
REQUEST_ROW_COLUMNS = (
    "status",
    "learner__prefix", "learner__first_name", "learner__last_name", "learner__first_name_en", "learner__last_name_en",
    "target_institution__name_th", "target_institution__name_en", "programme__name_th", "programme__name_en",
)  # fmt: skip


def user_name_columns(relation: str) -> list[str]:
    """The columns that name the user behind `relation` (User.display_name), for .only()."""
    return [f"{relation}__{name}" for name in User.NAME_FIELDS]


def returned_rows(requests):
    """The returned list's requests with what each row shows: what was asked, when, by whom, and who must answer."""
    return requests.select_related("learner", "target_institution", "programme", "returned_by", "created_by").only(
        *REQUEST_ROW_COLUMNS,
        "returned_at",
        "staff_note",
        "learner__user_id",
        *user_name_columns("returned_by"),
        *user_name_columns("created_by"),
    )


def numbered_or_named(qs, q: str | None):
    """The requests of `qs` a search finds: a request's number ("#123" or "123"), or words of the learner's name in
    Thai or English. No search, all of them."""
    if not q:
        return qs
    if (number := typed_number(q)) is not None:
        return qs.filter(pk=number)
    return qs.filter(name_matches(q, prefix="learner__"))


def waiting_requests(chosen: dict, now: datetime.datetime):
    """The queue's requests as filtered (QueueFilterForm.chosen), oldest submission first: the queue page and the way
    to the next request read the same list."""
    qs = numbered_or_named(TransferRequest.objects.filter(status__in=WAITING_STATUSES), chosen["q"])
    if chosen["status"]:
        qs = qs.filter(status=chosen["status"])
    if chosen["institution"]:
        qs = qs.filter(target_institution_id=chosen["institution"])
    if chosen["age"]:
        qs = qs.filter(submitted_at__lte=now - datetime.timedelta(days=chosen["age"]))
    # Oldest submission first, read from transfer_request_waiting_idx.
    return qs.order_by(F("submitted_at").asc(nulls_last=True), "pk")


@staff_required
@require_GET
def queue_next(request):
    """The next request the officer may decide, in the queue as they last filtered it, after the one they were on
    (`after`); past the last, the queue, saying so: an officer deciding a hundred requests goes from one to the next
    without the list in between. Requests they filed themselves are passed over (another officer decides them)."""
    place = request.session.get(QUEUE_PLACE, "")
    chosen = QueueFilterForm(QueryDict(place)).chosen()
    qs = waiting_requests(chosen, timezone.now())
    user = request.user
    qs = qs.exclude(created_by=user).exclude(submitted_by=user).exclude(learner__user=user)
    after = request.GET.get("after", "")
    found = next_after(qs, after, "submitted_at")
    if found is None:
        left = still_waiting(qs, after)
        messages.info(
            request,
            ngettext(
                "That was the last request in the queue. %(n)s other is still waiting for you, listed here.",
                "That was the last request in the queue. %(n)s others are still waiting for you, listed here.",
                left,
            )
            % {"n": left}
            if left
            else _("No other request waiting for you matches the queue's filters.")
            if any(value is not None for value in chosen.values())
            else _("No other request is waiting for you to decide."),
        )
        return redirect(reverse("transfers:queue") + (f"?{place}" if place else ""))
    return redirect(found)


def queue_rows(requests):
    """The queue page's requests with what each row shows (learner's name, receiving institution, programme, item
    count) and nothing more: no national ID leaves the database for a list that does not show it."""
    return (
        requests.select_related("learner", "target_institution", "programme", "reviewer")
        .only(*REQUEST_ROW_COLUMNS, "submitted_at", "resubmitted_at", *user_name_columns("reviewer"))
        .annotate(n_items=Count("items"))
    )


@staff_required
@post_only("transfers:request_detail")
def request_review(request, pk):
    transfer_request = get_request_for_user(request.user, pk)
    try:
        transfer_request_start_review(actor=request.user, request_id=transfer_request.pk)
        messages.success(request, _("You are reviewing this request: the other officers see your name on it."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(transfer_request)


@staff_required
@post_only("transfers:request_detail")
def request_return(request, pk):
    transfer_request = get_request_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    form.fields["reason"].error_messages["required"] = (
        _("Say what the learner must add.")
        if transfer_request.created_by_id == transfer_request.learner.user_id
        else _("Say what %(name)s, who filed it, must add.") % {"name": transfer_request.created_by.display_name}
    )
    if form.is_valid():
        try:
            transfer_request_return(
                actor=request.user, request_id=transfer_request.pk, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            filer = transfer_request.created_by
            messages.success(
                request,
                _("The request is returned to the learner.")
                if filer.pk == transfer_request.learner.user_id
                else _("The request is returned to %(name)s, who filed it.") % {"name": filer.display_name},
            )
        return redirect(transfer_request)
    refusal = _decider_refusal(request.user, transfer_request)
    if refusal is not None:  # decided or returned meanwhile: the page has no box to show the error beside
        messages.error(
            request,
            refusal
            or _("This request is now %(status)s: it can no longer be returned.")
            % {"status": RequestStatus(transfer_request.status).label},
        )
        return redirect(transfer_request)
    # No reason: the error beside the field, and the items' answers typed on the same page kept.
    sheet = DecisionSheet(list(transfer_request.items.all()), request.POST)
    return _render_detail(request, transfer_request, sheet, return_form=form)


@role_required(is_provincial_staff, is_administrator)
@post_only("transfers:request_detail")
def request_decide(request, pk):
    """Record every item's decision at once; a refusal shows the page again with every answer kept."""
    transfer_request = get_request_for_user(request.user, pk)
    sheet = DecisionSheet(list(transfer_request.items.all()), request.POST)
    try:
        decided = transfer_request_decide(
            actor=request.user, request_id=transfer_request.pk, decisions=sheet.decisions()
        )
    except ValidationError as exc:
        transfer_request.refresh_from_db()
        # Decided (or returned) meanwhile, in another tab or by another officer: nothing on this page can be recorded.
        if transfer_request.status not in WAITING_STATUSES:
            status, who = transfer_request.get_status_display(), transfer_request.decided_by
            messages.error(
                request,
                _(
                    "Your answers were not recorded: while you were deciding, %(name)s decided this request "
                    "(%(status)s)."
                )
                % {"name": who.display_name, "status": status}
                if who
                else _("Your answers were not recorded: meanwhile this request became “%(status)s”.")
                % {"status": status},
            )
            return redirect(transfer_request)
        sheet.absorb(exc, item_error_key)
        return_form = ReasonForm(initial={"reason": request.POST.get("reason", "")})  # a return note typed is kept
        return _render_detail(request, transfer_request, sheet, return_form=return_form)
    messages.success(request, _decided_words(decided))
    return redirect(decided)


def _decided_words(decided: TransferRequest) -> str:
    """What a decision did, in the past tense: its outcome, how many items were approved and rejected, and the credits
    posted to the learner's record."""
    items = list(decided.items.select_related("target_course"))
    approved = [i for i in items if i.decision == ItemDecision.APPROVED]
    rejected = len(items) - len(approved)
    credits = sum((i.target_course.credits for i in approved), Decimal(0))
    parts = [_("The decision is recorded: %(status)s.") % {"status": decided.get_status_display()}]
    if approved:
        parts.append(
            ngettext(
                "%(n)s item approved, %(credits)s credits posted to the learner's record.",
                "%(n)s items approved, %(credits)s credits posted to the learner's record.",
                len(approved),
            )
            % {"n": len(approved), "credits": credit_text(credits)}
        )
    if rejected:
        parts.append(ngettext("%(n)s item rejected.", "%(n)s items rejected.", rejected) % {"n": rejected})
    return " ".join(parts)


@staff_required
@require_http_methods(["GET", "POST"])
def assessment(request, pk):
    item = get_object_or_404(
        TransferItem.objects.select_related("request__learner", "target_course"), pk=pk, verdict=Verdict.ASSESSMENT,
        decision=ItemDecision.PENDING,
    )  # fmt: skip
    recorded = Assessment.objects.filter(item=item).first()  # changing one: the form starts from what is on file
    fields = ("method", "score", "max_score", "pass_score", "assessor", "assessed_on", "notes")
    initial = {name: getattr(recorded, name) for name in fields} if recorded else None
    form = AssessmentForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evidence = [check_evidence(data["evidence"])] if data["evidence"] else []
            assessment_record(
                actor=request.user, item_id=item.pk, method=data["method"], score=data["score"],
                max_score=data["max_score"], pass_score=data["pass_score"], assessor=data["assessor"],
                assessed_on=data["assessed_on"], notes=data["notes"], evidence=evidence,
            )  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The assessment is recorded."))
            return redirect(item.request)
    return render(request, "transfers/assessment_form.html", {"form": form, "item": item})
