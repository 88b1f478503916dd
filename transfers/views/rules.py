"""Rule pages: the public transfer guide, equivalence rules and programmes."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from registry.access import is_administrator, is_provincial_staff, is_registrar, role_required
from registry.form_helpers import add_errors, post_only
from registry.models import Course, Institution
from registry.query import query_text
from registry.selectors import PAGE_SIZE

from ..access import (
    get_rule_for_user,
    programmes_editable_by,
    programmes_visible_to,
    rules_revisable_by,
    rules_visible_to,
)
from ..forms import ProgrammeForm, ReasonForm, RetireForm, RuleForm, WithdrawForm
from ..models import Equivalence, EquivalenceStatus
from ..selectors import course_finder, rule_queryset, search_rules, with_courses
from ..services.requests import requests_leaning_on
from ..services.rules import (
    equivalence_decide,
    equivalence_propose,
    equivalence_retire,
    equivalence_withdraw,
    programme_save,
)
from .common import next_after, staff_required, still_waiting

# The public guide, and the public pages of a course and an institution ----------------------------------------------

# Read on phones and searched by course: 20 rules a page, each with its courses on both sides, is a screenful, and
# the page's cost is its rows (40 % of the rendering of 50).
GUIDE_PAGE_SIZE = 20


def _in_effect():
    return Equivalence.objects.in_effect(timezone.localdate()).order_by("pk")


@require_GET
def guide(request):
    """The provincial transfer guide: approved rules in effect, searchable by sending or receiving course."""
    qs = _in_effect()
    q = query_text(request)
    qs = search_rules(qs, q)
    page = Paginator(qs, GUIDE_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_courses(page.object_list)
    return render(request, "transfers/guide.html", {"page": page, "q": q, "query": urlencode({"q": q})})


@require_GET
def course_public(request, institution_code, code):
    """Public: one course of the catalogue, the address an open credential names as its achievement's id, with the
    approved rules in effect that lead from it or into it."""
    course = get_object_or_404(Course.objects.select_related("institution"), institution__code=institution_code,
                               code=code)  # fmt: skip
    rules = _in_effect().filter(Q(source_links__course=course) | Q(target_links__course=course)).distinct()[:50]
    return render(request, "transfers/course_public.html", {"course": course, "rules": with_courses(rules)})


@require_GET
def institution_public(request, code):
    """Public: an institution of the credit bank, the address an open credential names as its course's creator."""
    institution = get_object_or_404(Institution, code=code)
    return render(request, "transfers/institution_public.html", {"institution": institution})


# Rules -----------------------------------------------------------------------------------------------------------


@role_required(is_provincial_staff, is_registrar, is_administrator)
@require_GET
def rules(request):
    qs = Equivalence.objects.filter(pk__in=rules_visible_to(request.user).values("pk")).order_by("-proposed_at", "-pk")
    status = request.GET.get("status", "")
    if status in EquivalenceStatus.values:
        qs = qs.filter(status=status)
    q = query_text(request)
    qs = search_rules(qs, q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_courses(page.object_list)
    context = {"page": page, "status": status, "q": q, "statuses": EquivalenceStatus.choices}
    context["query"] = urlencode({"status": status, "q": q})
    return render(request, "transfers/rules.html", context)


@role_required(is_provincial_staff, is_registrar)
@require_GET
def rule_courses(request):
    """One side of the rule form (htmx): the courses its typed codes name, and the catalogue's matches for a search.
    Catalogues are public (transfers:course_public); only those who propose rules are sent them here."""
    side = request.GET.get("side", "")
    if side not in ("source", "target"):
        raise Http404
    return render(request, "transfers/_rule_courses_answer.html", {"found": course_finder(request.GET, side)})


@role_required(is_provincial_staff, is_registrar)
@require_http_methods(["GET", "POST"])
def rule_new(request, replaces=None):
    old = get_object_or_404(rules_revisable_by(request.user), pk=replaces) if replaces else None
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
            rule = equivalence_propose(
                actor=request.user, source_courses=data["sources"], target_courses=data["targets"],
                basis=data["basis"], min_grade_points=data["min_grade_points"], max_age_years=data["max_age_years"],
                same_level=data["same_level"], effective_from=data["effective_from"],
                effective_to=data["effective_to"], replaces=old,
            )  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc, fields={"source_courses": "source_codes", "target_courses": "target_codes"})
        else:
            messages.success(request, _("The rule is proposed; provincial staff will decide on it."))
            return redirect(rule)
    return render(request, "transfers/rule_form.html", {"form": form, "old": old})


@role_required(is_provincial_staff, is_registrar, is_administrator)
@require_GET
def rule_detail(request, pk):
    rule = get_rule_for_user(request.user, pk)
    return _rule_page(request, rule, _form_for(request.user, rule)())


def _form_for(user, rule):
    """The one reason box a rule's page shows: why it is retired, why its proposer withdraws it, or the decision's."""
    if rule.status == EquivalenceStatus.APPROVED:
        return RetireForm
    if rule.status == EquivalenceStatus.PROPOSED and rule.proposed_by_id == user.pk:
        return WithdrawForm
    return ReasonForm


@role_required(is_provincial_staff, is_administrator)
@require_GET
def rule_next(request):
    """The next proposal this officer may decide (not one of their own), in the order of the list of proposals they
    came from (newest first), after the one they were on (`after`); past the last, that list, saying so."""
    qs = (
        Equivalence.objects.filter(status=EquivalenceStatus.PROPOSED)
        .exclude(proposed_by=request.user)
        .order_by("-proposed_at", "-pk")
    )
    after = request.GET.get("after", "")
    found = next_after(qs, after, "proposed_at", newest_first=True)
    if found is None:
        # Not "the ones you passed over": in a newest-first list, those proposed since are above the officer's place.
        left = still_waiting(qs, after)
        messages.info(
            request,
            ngettext(
                "That was the last proposal in the list's order. %(n)s other is still waiting for you, listed here.",
                "That was the last proposal in the list's order. %(n)s others are still waiting for you, listed here.",
                left,
            )
            % {"n": left}
            if left
            else _("No other equivalence is waiting for you to decide."),
        )
        return redirect(reverse("transfers:rules") + "?status=proposed")
    return redirect(found)


LEANING_SHOWN = 20  # requests named on a rule's page before retiring it; more are said as "and more"


def _rule_page(request, rule, form):
    """A rule's page; after a refused decision, with the reason form as sent and its error beside the field."""
    if form.errors:
        form.fields["reason"].widget.attrs["data-focus-on-load"] = ""  # scrolled to and read first
    [rule] = with_courses(rule_queryset().filter(pk=rule.pk))
    decider = is_provincial_staff(request.user) or is_administrator(request.user)
    own = rule.proposed_by_id == request.user.pk
    # Before retiring: the requests not yet decided that lean on it, sent back to the learner or in a draft too
    # (their courses could then only be rejected), each named with where it stands.
    leaning = (
        list(requests_leaning_on(rule.pk).order_by("pk").only("pk", "status")[: LEANING_SHOWN + 1])
        if rule.status == EquivalenceStatus.APPROVED and is_provincial_staff(request.user)
        else []
    )
    context = {
        "rule": rule, "form": form, "can_decide": decider and not own, "own_proposal": own,
        "decider": decider, "can_retire": is_provincial_staff(request.user),
        # Before retiring: the requests not yet decided that lean on it, sent back to the learner or in a draft too
        # (their courses could then only be rejected), each named with where it stands.
        "leaning_on_rule": leaning[:LEANING_SHOWN],
        "more_leaning_on_rule": len(leaning) > LEANING_SHOWN,
        "can_revise": rules_revisable_by(request.user).filter(pk=rule.pk).exists(),
    }  # fmt: skip
    return render(request, "transfers/rule_detail.html", context)


@role_required(is_provincial_staff, is_administrator)
@post_only("transfers:rule_detail")
def rule_decide(request, pk):
    approve = request.POST.get("approve") == "1"

    def decide(rule, reason):
        equivalence_decide(actor=request.user, rule_id=rule.pk, approve=approve, reason=reason)

    return _reason_action(
        request, get_rule_for_user(request.user, pk), act=decide,
        done=_("The decision is recorded."),
        open_while=EquivalenceStatus.PROPOSED, closed=_("This rule has already been decided."),
    )  # fmt: skip


@staff_required
@post_only("transfers:rule_detail")
def rule_retire(request, pk):
    return _reason_action(
        request, get_rule_for_user(request.user, pk),
        act=lambda rule, reason: equivalence_retire(actor=request.user, rule_id=rule.pk, reason=reason),
        done=_retired_words, form_class=RetireForm,
        open_while=EquivalenceStatus.APPROVED, closed=_("Only an approved rule can be retired."),
    )  # fmt: skip


@role_required(is_provincial_staff, is_registrar)
@post_only("transfers:rule_detail")
def rule_withdraw(request, pk):
    return _reason_action(
        request, get_rule_for_user(request.user, pk),
        act=lambda rule, reason: equivalence_withdraw(actor=request.user, rule_id=rule.pk, reason=reason),
        done=_("Your proposal is withdrawn: it no longer waits for a decision, and stays on record as withdrawn."),
        form_class=WithdrawForm,
        open_while=EquivalenceStatus.PROPOSED, closed=_("This proposal no longer waits: it was withdrawn or decided."),
    )  # fmt: skip


def _retired_words(retired: Equivalence) -> str:
    """The rule retired, and how many waiting requests that used it were checked again (services.rules)."""
    words = _("The rule is retired; transfers already approved under it are unchanged.")
    if retired.waiting_rechecked:
        words += " " + ngettext(
            "The %(n)s request waiting for a decision that used it has been checked again.",
            "The %(n)s requests waiting for a decision that used it have been checked again.",
            retired.waiting_rechecked,
        ) % {"n": retired.waiting_rechecked}
    return words


def _reason_action(request, rule, *, act, done, open_while, closed, form_class=ReasonForm):
    """A decision or retirement with its reason. Refused by the service (decided already, the proposer's own rule):
    said at the top of the rule's page. No reason: the page again with the error beside the box, unless the rule
    has left `open_while` meanwhile, when the page has no box to show it beside and says `closed` instead."""
    form = form_class(request.POST)
    if form.is_valid():
        try:
            result = act(rule, form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done(result) if callable(done) else done)
        return redirect("transfers:rule_detail", pk=rule.pk)
    if rule.status != open_while:
        messages.error(request, closed)
        return redirect("transfers:rule_detail", pk=rule.pk)
    return _rule_page(request, rule, form)


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
        programme_save(actor=request.user, programme=form.save(commit=False), courses=form.cleaned_data["courses"])
        messages.success(request, _("The programme is saved."))
        return redirect("transfers:programmes")
    return render(request, "transfers/programme_form.html", {"form": form, "programme": programme})
