"""Transfer pages: the public guide, rules, programmes, learners' requests and the staff queue."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from registry.access import is_administrator, is_learner, is_provincial_staff, is_registrar, role_required
from registry.identifiers import clean_text, detect_id_type, normalize_identifier, validate_identifier
from registry.models import Course, CreditDeposit, Institution, Learner
from registry.uploads import check_evidence
from registry.views import add_errors

from . import services
from .access import (
    get_request_for_user,
    get_rule_for_user,
    programmes_editable_by,
    programmes_visible_to,
    requests_visible_to,
    rules_visible_to,
)
from .forms import AssessmentForm, ProgrammeForm, ReasonForm, RuleForm
from .matching import describe, evaluate, programme_courses
from .models import (
    Equivalence,
    EquivalenceStatus,
    EquivalenceTarget,
    ItemDecision,
    RequestStatus,
    TransferItem,
    TransferRequest,
    Verdict,
)

PAGE_SIZE = 50
staff_required = role_required(is_provincial_staff)
anyone_signed_in = role_required(is_provincial_staff, is_registrar, is_learner, is_administrator)


def rule_queryset():
    return Equivalence.objects.prefetch_related(
        "source_links__course__institution", "target_links__course__institution"
    ).select_related("proposed_by", "decided_by")


def search_rules(qs, q):
    q = clean_text(q)
    if not q:
        return qs
    matches = Q(source_links__course__code__icontains=q) | Q(source_links__course__title_th__icontains=q)
    matches |= Q(target_links__course__code__icontains=q) | Q(target_links__course__title_th__icontains=q)
    return qs.filter(matches).distinct()


# The public guide ------------------------------------------------------------------------------------------------


@require_GET
def guide(request):
    """The provincial transfer guide: approved rules in effect, searchable by sending or receiving course."""
    today = timezone.localdate()
    qs = rule_queryset().filter(status=EquivalenceStatus.APPROVED, effective_from__lte=today)
    qs = qs.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=today)).order_by("pk")
    qs = search_rules(qs, request.GET.get("q", ""))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = f"q={clean_text(request.GET.get('q', ''))}"
    return render(request, "transfers/guide.html", {"page": page, "q": request.GET.get("q", ""), "query": query})


# Rules -----------------------------------------------------------------------------------------------------------


@role_required(is_provincial_staff, is_registrar)
@require_GET
def rules(request):
    qs = rule_queryset().filter(pk__in=rules_visible_to(request.user).values("pk")).order_by("-proposed_at")
    status = request.GET.get("status", "")
    if status in EquivalenceStatus.values:
        qs = qs.filter(status=status)
    qs = search_rules(qs, request.GET.get("q", ""))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "q": request.GET.get("q", ""), "statuses": EquivalenceStatus.choices}
    context["query"] = f"status={status}&q={clean_text(context['q'])}"
    return render(request, "transfers/rules.html", context)


@role_required(is_provincial_staff, is_registrar)
@require_http_methods(["GET", "POST"])
def rule_new(request, replaces=None):
    old = get_rule_for_user(request.user, replaces) if replaces else None
    initial = {"effective_from": timezone.localdate()}
    if old is not None:
        sources = [link.course for link in old.source_links.select_related("course__institution")]
        targets = [link.course for link in old.target_links.select_related("course__institution")]
        initial.update(
            source_institution=sources[0].institution_id, source_codes=", ".join(c.code for c in sources),
            target_institution=targets[0].institution_id, target_codes=", ".join(c.code for c in targets),
            min_grade_points=old.min_grade_points, max_age_years=old.max_age_years, same_level=old.same_level,
            basis=old.basis,
        )  # fmt: skip
    form = RuleForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rule = services.equivalence_propose(
                actor=request.user, source_courses=data["sources"], target_courses=data["targets"],
                basis=data["basis"], min_grade_points=data["min_grade_points"], max_age_years=data["max_age_years"],
                same_level=data["same_level"], effective_from=data["effective_from"],
                effective_to=data["effective_to"], replaces=old,
            )  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The rule is proposed; provincial staff will decide on it."))
            return redirect(rule)
    return render(request, "transfers/rule_form.html", {"form": form, "old": old})


@role_required(is_provincial_staff, is_registrar)
@require_GET
def rule_detail(request, pk):
    rule = get_rule_for_user(request.user, pk)
    rule = rule_queryset().get(pk=rule.pk)
    context = {"rule": rule, "form": ReasonForm(), "can_decide": is_provincial_staff(request.user)}
    return render(request, "transfers/rule_detail.html", context)


@staff_required
@require_POST
def rule_decide(request, pk):
    rule = get_rule_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.equivalence_decide(
                actor=request.user, rule_id=rule.pk, approve=request.POST.get("approve") == "1",
                reason=form.cleaned_data["reason"],
            )  # fmt: skip
            messages.success(request, _("The decision is recorded."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Give the reason for this decision."))
    return redirect("transfers:rule_detail", pk=rule.pk)


@staff_required
@require_POST
def rule_retire(request, pk):
    rule = get_rule_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.equivalence_retire(actor=request.user, rule_id=rule.pk, reason=form.cleaned_data["reason"])
            messages.success(request, _("The rule is retired; transfers already approved under it are unchanged."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Give the reason for this decision."))
    return redirect("transfers:rule_detail", pk=rule.pk)


# Programmes ------------------------------------------------------------------------------------------------------


@role_required(is_provincial_staff, is_registrar)
@require_GET
def programmes(request):
    qs = programmes_visible_to(request.user).select_related("institution").order_by("institution__name_th", "code")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "transfers/programmes.html", {"page": page, "can_edit": is_registrar(request.user)})


@role_required(is_registrar)
@require_http_methods(["GET", "POST"])
def programme_form(request, pk=None):
    programme = get_object_or_404(programmes_editable_by(request.user), pk=pk) if pk else None
    form = ProgrammeForm(request.POST or None, instance=programme, institution=request.user.institution)
    if request.method == "POST" and form.is_valid():
        services.programme_save(
            actor=request.user, programme=form.save(commit=False), courses=form.cleaned_data["courses"]
        )
        messages.success(request, _("The programme is saved."))
        return redirect("transfers:programmes")
    return render(request, "transfers/programme_form.html", {"form": form, "programme": programme})


# Requests --------------------------------------------------------------------------------------------------------


@anyone_signed_in
@require_GET
def requests_list(request):
    qs = (
        requests_visible_to(request.user)
        .select_related("learner", "target_institution", "programme")
        .order_by("-created_at")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "transfers/requests.html", {"page": page})


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
        learner = Learner.objects.filter(national_id=value).first()
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
    """Choose a programme, see the verdict for every banked credit (the what-if), then create the request."""
    learner = _builder_learner(request)
    programmes_qs = programmes_visible_to(request.user).filter(active=True).select_related("institution")
    programme = None
    if request.GET.get("programme", "").isdigit():
        programme = get_object_or_404(programmes_qs, pk=request.GET["programme"])
    evaluation = evaluate(learner, programme) if learner and programme else None
    if request.method == "POST" and "create" in request.POST and evaluation is not None:
        targets = [int(v) for v in request.POST.getlist("target") if v.isdigit()]
        assessments = {}
        for deposit in evaluation.unmatched:
            target = request.POST.get(f"assess_{deposit.pk}", "")
            if target.isdigit():
                assessments.setdefault(int(target), []).append(deposit.pk)
        try:
            created = services.transfer_request_create(
                actor=request.user, learner=learner, programme=programme, target_course_ids=targets,
                assessments=assessments, note=request.POST.get("note", ""),
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The request is saved as a draft. Check it, then submit it."))
            return redirect(created)
    context = {
        "learner": learner,
        "programmes": programmes_qs.order_by("institution__name_th", "code"),
        "programme": programme,
        "evaluation": evaluation,
        "candidates": [(c, [(describe(x), x["passed"]) for x in c.conditions]) for c in evaluation.candidates]
        if evaluation
        else [],
        "assessable": Course.objects.filter(pk__in=programme_courses(programme)).order_by("code") if programme else [],
    }
    return render(request, "transfers/request_new.html", context)


def _items(transfer_request):
    items = (
        transfer_request.items.select_related("target_course", "equivalence", "posted_deposit", "decided_by")
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
        })  # fmt: skip
    return result


@anyone_signed_in
@require_GET
def request_detail(request, pk):
    transfer_request = get_request_for_user(request.user, pk)
    staff = is_provincial_staff(request.user)
    context = {
        "req": transfer_request,
        "items": _items(transfer_request),
        "is_staff": staff,
        "can_submit": transfer_request.is_open
        and transfer_request.created_by_id == request.user.pk
        or (transfer_request.is_open and is_learner(request.user)),
        "can_decide": staff and transfer_request.status in (RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW),
        "return_form": ReasonForm(),
    }
    return render(request, "transfers/request_detail.html", context)


@role_required(is_learner, is_registrar)
@require_POST
def request_submit(request, pk):
    transfer_request = get_request_for_user(request.user, pk)
    if not (is_learner(request.user) or transfer_request.created_by_id == request.user.pk):
        raise Http404
    try:
        services.transfer_request_submit(actor=request.user, request_id=transfer_request.pk)
        messages.success(request, _("The request is submitted to the provincial office."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(transfer_request)


@staff_required
@require_GET
def queue(request):
    """Waiting requests, longest wait first."""
    qs = TransferRequest.objects.filter(status__in=[RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW])
    status = request.GET.get("status", "")
    if status in (RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW):
        qs = qs.filter(status=status)
    institution = request.GET.get("institution", "")
    if institution.isdigit():
        qs = qs.filter(target_institution_id=institution)
    qs = qs.select_related("learner", "target_institution", "programme").order_by(
        F("submitted_at").asc(nulls_last=True)
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "now": timezone.now(),
        "status": status,
        "institution": institution,
        "institutions": Institution.objects.filter(
            pk__in=EquivalenceTarget.objects.values("course__institution")
        ).order_by("name_th"),
        "query": f"status={status}&institution={institution}",
    }
    return render(request, "transfers/queue.html", context)


@staff_required
@require_POST
def request_review(request, pk):
    transfer_request = get_request_for_user(request.user, pk)
    try:
        services.transfer_request_start_review(actor=request.user, request_id=transfer_request.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(transfer_request)


@staff_required
@require_POST
def request_return(request, pk):
    transfer_request = get_request_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.transfer_request_return(
                actor=request.user, request_id=transfer_request.pk, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The request is returned to the learner."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Say what the learner must add."))
    return redirect(transfer_request)


@staff_required
@require_POST
def request_decide(request, pk):
    transfer_request = get_request_for_user(request.user, pk)
    decisions = {}
    for item in transfer_request.items.all():
        choice = request.POST.get(f"decision_{item.pk}", "")
        if choice in ("approve", "reject"):
            decisions[item.pk] = (choice == "approve", request.POST.get(f"reason_{item.pk}", ""))
    try:
        decided = services.transfer_request_decide(
            actor=request.user, request_id=transfer_request.pk, decisions=decisions
        )
        messages.success(request, _("The decision is recorded: %(status)s.") % {"status": decided.get_status_display()})
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(transfer_request)


@staff_required
@require_http_methods(["GET", "POST"])
def assessment(request, pk):
    item = get_object_or_404(
        TransferItem.objects.select_related("request__learner", "target_course"), pk=pk, verdict=Verdict.ASSESSMENT,
        decision=ItemDecision.PENDING,
    )  # fmt: skip
    form = AssessmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evidence = [check_evidence(data["evidence"])] if data["evidence"] else []
            services.assessment_record(
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
