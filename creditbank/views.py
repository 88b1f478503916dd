"""Pages that show more than one app: each role's home page, and the error pages."""

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import i18n
from django.views.decorators.http import require_GET, require_http_methods

from registry.access import is_administrator, is_learner, is_provincial_staff, is_registrar, role_required
from registry.form_helpers import add_errors, post_only
from registry.forms import EnglishNameForm, LearnerSearchForm, LoginForm, SetPasswordForm
from registry.grades import grade_key
from registry.models import CreditDeposit, DepositStatus, Institution
from registry.selectors import PAGE_SIZE, balance_of, imports_listed, institution_summary, learner_history
from registry.services import learner_set_english_name, user_language_set, user_set_english_name
from registry.views_accounts import CHOSEN_SIGNED_OUT
from transfers.forms import ProgrammeSearchForm
from transfers.models import WAITING_STATUSES, Equivalence, Programme, TransferRequest
from transfers.selectors import (
    applied_credits,
    programme_progress,
    programme_search,
    waiting_on_filer,
    waiting_on_learner,
    with_applied,
)

from .snapshots import dashboard_figures

RECENT = 10
PROGRAMMES_FOUND = 10  # a phone's screenful; words narrow the rest
RECENT_CREDITS = 5


class LoginView(auth_views.LoginView):
    """Django's login page, which also says how many tries are left before django-axes locks this device out (it
    locked at the fifth wrong password with no word before)."""

    form_class = LoginForm
    redirect_authenticated_user = True
    WARN_FROM = 2  # tries left

    def form_invalid(self, form):
        username = form.cleaned_data.get("username")  # only as the field accepted it (no NUL byte, not too long)
        if not username:
            return super().form_invalid(form)
        left = settings.AXES_FAILURE_LIMIT - AxesProxyHandler.get_failures(self.request, {"username": username})
        if 0 < left <= self.WARN_FROM:
            minutes = round(settings.AXES_COOLOFF_TIME * 60)
            form.add_error(
                None,
                ngettext(
                    "After %(n)s more wrong password this device is locked for %(minutes)s minutes. If you are "
                    "not sure of it, use 'Forgot your password?' below.",
                    "After %(n)s more wrong passwords this device is locked for %(minutes)s minutes. If you are "
                    "not sure of it, use 'Forgot your password?' below.",
                    left,
                )
                % {"n": left, "minutes": minutes},
            )
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)  # signed in; the session keeps its data under a new key
        # A language picked on the way in (on this page, before signing in) is what the person wants now: the
        # account remembers it, rather than bringing back the one it held.
        if chosen := self.request.session.pop(CHOSEN_SIGNED_OUT, None):
            user_language_set(user=form.get_user(), language=chosen)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's page for a new password from the emailed link. The new password also lifts a lockout of the account:
    the lockout page sends people here, and whoever followed the link has shown they read the account's email.
    Before, the account stayed locked for 30 minutes after the reset, and the page sent them back to reset it again."""

    form_class = SetPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response


@require_GET
def home(request):
    """What each user does first: a learner's balance, a registrar's institution, staff's queue."""
    user = request.user
    if is_learner(user):
        return _learner_home(request)
    if is_registrar(user):
        return _registrar_home(request)
    if is_provincial_staff(user):
        return _staff_home(request)
    if is_administrator(user):
        figures, as_of = dashboard_figures()
        return render(request, "home/administrator.html", {"totals": figures.totals, "as_of": as_of})
    # Anonymous users, and logins not yet linked to a learner or an institution.
    mou_members = Institution.objects.filter(mou_member=True).count()
    return render(request, "home/public.html", {"mou_members": mou_members})


def _learner_home(request):
    """The balance page: totals, where they come from, transfers, progress toward a chosen programme, history.

    The totals come from the learner's deposits, read once; the page shows the latest few and links to the whole
    history (my_credits), so it stays short on a phone. Programmes are searched, not listed: a province has hundreds,
    and a phone should not download them all to show one.
    """
    learner = request.user.learner
    deposits = list(with_applied(learner_history(learner)))
    chosen = request.GET.get("programme", "")
    programme = (
        Programme.objects.filter(active=True, pk=chosen).select_related("institution").first()
        if chosen.isdigit()
        else None
    )
    search = ProgrammeSearchForm(request.GET if "q" in request.GET else None)  # ?programme= alone searches nothing
    context = {
        "learner": learner,
        "balance": balance_of(deposits),
        "recent": deposits[:RECENT_CREDITS],
        "grade_key": grade_key(deposits[:RECENT_CREDITS]),
        "deposit_count": len(deposits),
        "applied": applied_credits(deposits),
        "requests": TransferRequest.objects.filter(learner=learner)
        .select_related("target_institution")
        .only("status", "target_institution__name_th", "target_institution__name_en")[:RECENT],
        "search": search,
        # One more than is shown, to say when a search (an empty one lists them all) finds more than the list.
        "found": programme_search(search.cleaned_data["q"], limit=PROGRAMMES_FOUND + 1) if search.is_valid() else None,
        "found_limit": PROGRAMMES_FOUND,
        "progress": programme_progress(learner, programme) if programme else None,
        "with_you": waiting_on_learner(learner)[:RECENT],
    }
    return render(request, "home/learner.html", context)


@role_required(is_learner)
@require_GET
def my_credits(request):
    """Every deposit of the learner, voided ones included, newest completion first; how many are voided is said
    when any are (it had said "voided ones included" of a list with none). A learner's history is tens of rows, read
    at once, so that a course passed again is marked on whichever page it falls."""
    history = list(learner_history(request.user.learner))
    balance_of(history)  # marks a course passed again (d.repeat), counted once, as the balance page and transcript do
    page = Paginator(history, PAGE_SIZE).get_page(request.GET.get("page"))
    voided = sum(1 for d in history if d.status == DepositStatus.VOIDED)
    return render(request, "home/my_credits.html", {"page": page, "grade_key": grade_key(page), "voided": voided})


@role_required(is_learner, is_registrar, is_provincial_staff, is_administrator)
@require_http_methods(["GET", "POST"])
def my_name(request):
    """One's own name in English, as one spells it. A learner's: English pages and transcripts print it (without it
    they print the Thai name under an English title). A registrar's or officer's: it signs the English official
    copies they issue."""
    learner = request.user.learner if is_learner(request.user) else None
    holder = learner or request.user
    form = EnglishNameForm(
        request.POST or None, initial={"first_name_en": holder.first_name_en, "last_name_en": holder.last_name_en}
    )
    if request.method == "POST" and form.is_valid():
        try:
            if learner:
                learner_set_english_name(actor=request.user, learner=learner, **form.cleaned_data)
            else:
                user_set_english_name(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if not form.cleaned_data["first_name_en"]:
                done = _("Your name in English is removed: English pages print your Thai name.")
            elif learner:
                done = _("Your name in English is saved: English pages and transcripts print it from now on.")
            else:
                done = _("Your name in English is saved: English official copies you issue are signed with it.")
            messages.success(request, done)
            return redirect("home")
    thai_name = learner.full_name_th if learner else request.user.name_in("th")
    return render(request, "home/my_name.html", {"form": form, "learner": learner, "thai_name": thai_name})


def _registrar_home(request):
    institution = request.user.institution
    recent = (
        CreditDeposit.objects.for_institution(institution)
        .select_related("learner", "course", "recorded_by")
        .order_by("-recorded_at")[:RECENT]
    )
    context = {
        "institution": institution,
        "summary": institution_summary(institution),
        "recent": recent,
        "imports": imports_listed(institution.pk)[:5],
        "form": LearnerSearchForm(),
        # Nothing led here: a returned request sat in a list under "More", looking like the rest.
        "with_you": waiting_on_filer(request.user)[:RECENT],
    }
    return render(request, "home/registrar.html", context)


def _staff_home(request):
    # Waiting: sent to the office and not yet decided, whether or not a review has started (as the queue counts).
    waiting = TransferRequest.objects.filter(status__in=WAITING_STATUSES)
    figures, as_of = dashboard_figures()  # a snapshot: said with its time, beside the live counts of what waits
    context = {
        "figures": figures,
        "as_of": as_of,
        # The proposals this officer may decide: their own wait for another officer (separation of duties).
        "proposed_rules": Equivalence.objects.filter(status=Equivalence.Status.PROPOSED)
        .exclude(proposed_by=request.user)
        .count(),
        "waiting_requests": waiting.count(),
        "oldest_requests": waiting.select_related("learner", "target_institution").order_by("submitted_at", "pk")[
            :RECENT
        ],
    }
    return render(request, "home/staff.html", context)


def healthz(request):
    """For load balancers and uptime checks: the process answers. Touches neither the database nor templates."""
    return HttpResponse("ok", content_type="text/plain")


class LogoutView(auth_views.LogoutView):
    http_method_names = ["get", "post", "options"]

    """Django's sign-out, which says it is done and stays in the language the account had chosen: the cookie that
    chooses it for visitors is set to the account's (an English reader landed on a Thai page, told nothing)."""

    def post(self, request, *args, **kwargs):
        language = getattr(request.user, "language", "")
        response = super().post(request, *args, **kwargs)
        if language in dict(settings.LANGUAGES):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )  # fmt: skip
        messages.info(request, _("You are logged out."))
        return response

    def get(self, request, *args, **kwargs):
        """The address opened (an old bookmark, a link): signing out changes state, so it is a button to press, not
        something a GET does; signed out already, the home page. Django's view answered an empty 405."""
        if not request.user.is_authenticated:
            return redirect("home")
        return render(request, "registration/logout_confirm.html")


@post_only("home", same_args=False)
def set_language(request):
    """Django's language switch (a cookie, then back to the page); a signed-in user's account remembers it too."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            user_language_set(user=request.user, language=language)
        else:
            request.session[CHOSEN_SIGNED_OUT] = language  # for the account, at sign-in (LoginView.form_valid)
    return response


@require_GET
def privacy(request):
    from .mydata import KINDS

    return render(
        request,
        "privacy.html",
        {"kinds": KINDS, "sign_in_log_days": settings.SIGN_IN_LOG_DAYS, "privacy_contact": settings.PRIVACY_CONTACT},
    )


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def csrf_failure(request, reason=""):
    """A form sent with a key that is no longer the session's (signed in or out in another tab, a page left open):
    the site's own page, in the reader's language, with the way back to the form (Django's bare page had no way
    back). The form's own address is offered only when it is a page of this site."""
    referer = request.META.get("HTTP_REFERER", "")
    safe = url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure())
    back = referer if referer and safe else ""
    return render(request, "errors/403_csrf.html", {"back": back}, status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    # Rendered without the request: no context processor may touch the database, which may be why we are here.
    return HttpResponseServerError(loader.render_to_string("errors/500.html"))
