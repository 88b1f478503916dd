"""Learners' accounts and transcripts: activation, downloads, public verification, revocation."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import accounts, transcripts
from .access import get_learner_for_user, is_learner, is_provincial_staff, is_registrar, role_required
from .dates import ThaiDateField
from .form_helpers import add_errors
from .forms import helper
from .identifiers import mask_identifier
from .models import BatchStatus, RecordAccess, Transcript, TranscriptBatch
from .tasks import run_transcript_batch

PDF_HEADERS = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf", headers=PDF_HEADERS)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ActivationForm(forms.Form):
    national_id = forms.CharField(label=gettext_lazy("National ID"), max_length=20)
    birth_date = ThaiDateField(label=gettext_lazy("birth date"), help_text=gettext_lazy("e.g. 14/05/2551"))
    code = forms.CharField(
        label=gettext_lazy("Activation code"),
        max_length=12,
        help_text=gettext_lazy("From the slip your registrar gave you, e.g. K7P2-9XQ4"),
    )
    username = forms.RegexField(
        label=gettext_lazy("Choose a username"), max_length=150, regex=r"^[A-Za-z0-9_.@+-]{3,150}$",
        error_messages={"invalid": gettext_lazy("Use 3 or more English letters, digits or . _ - @ +")},
    )  # fmt: skip
    email = forms.EmailField(label=gettext_lazy("Email (for password reset)"), required=False)
    password1 = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=gettext_lazy("Password again"), widget=forms.PasswordInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(gettext_lazy("Open my account"))

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


@require_http_methods(["GET", "POST"])
def activate(request):
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = accounts.learner_activate(
                national_id=data["national_id"], birth_date=data["birth_date"], code=data["code"],
                username=data["username"], password=data["password1"], email=data["email"],
            )  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account is open. Welcome to the credit bank."))
            return redirect("home")
    return render(request, "registration/activate.html", {"form": form})


@role_required(is_registrar)
@require_POST
def activation_issue(request, pk):
    learner = get_learner_for_user(request.user, pk)
    try:
        code, plain = accounts.activation_code_issue(actor=request.user, learner=learner)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("registry:learner_detail", pk=learner.pk)
    context = {
        "learner": learner,
        "code": code,
        "plain": plain,
        "masked": mask_identifier(learner.national_id),
        "activate_url": request.build_absolute_uri(reverse("activate")),
    }
    return render(request, "registry/activation_slip.html", context)


@role_required(is_learner)
@require_POST
def my_transcript(request):
    """The learner's own copy (identifier masked), in Thai or English."""
    lang = request.POST.get("lang", "th")
    try:
        transcript, pdf = transcripts.transcript_issue(actor=request.user, learner=request.user.learner, lang=lang)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("home")
    return pdf_response(pdf, f"transcript-{transcript.number}.pdf")


@role_required(is_registrar, is_provincial_staff)
@require_POST
def official_transcript(request, pk):
    learner = get_learner_for_user(request.user, pk)
    lang = request.POST.get("lang", "th")
    transcript, pdf = transcripts.transcript_issue(actor=request.user, learner=learner, lang=lang, official=True)
    RecordAccess.objects.create(user=request.user, learner=learner, what="official_transcript")
    return pdf_response(pdf, f"transcript-{transcript.number}.pdf")


@require_GET
def verify(request, code):
    """Public: is this transcript genuine and still valid? Unknown or altered codes are simply not valid."""
    transcript = (
        Transcript.objects.select_related("learner", "issued_by", "issued_by__institution")
        .filter(verification_code=code.upper())
        .first()
    )
    masked = mask_name(transcript.learner) if transcript else ""
    return render(request, "transcripts/verify.html", {"transcript": transcript, "masked_name": masked})


def mask_name(learner) -> str:
    """The first name in full, the family name by its first letter only: enough to match, not to find."""
    return f"{learner.get_prefix_display()}{learner.first_name} {learner.last_name[:1]}."


@role_required(is_provincial_staff)
@require_GET
def transcript_list(request):
    qs = Transcript.objects.select_related("learner", "issued_by").order_by("-issued_at")
    number = request.GET.get("number", "").strip()
    if number:
        qs = qs.filter(number__iexact=number)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "transcripts/list.html", {"page": page, "number": number, "query": f"number={number}"})


@role_required(is_provincial_staff)
@require_POST
def transcript_revoke(request, pk):
    transcript = get_object_or_404(Transcript, pk=pk)
    try:
        transcripts.transcript_revoke(
            actor=request.user, transcript_id=transcript.pk, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("The transcript is revoked; its verification page now says so."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("registry:transcripts")


class BatchForm(forms.Form):
    course = forms.ModelChoiceField(label=gettext_lazy("course"), queryset=None, required=False)
    academic_year = forms.IntegerField(
        label=gettext_lazy("academic year (B.E.)"), min_value=2400, max_value=2700, required=False
    )
    language = forms.ChoiceField(label=gettext_lazy("language"), choices=[("th", "ไทย"), ("en", "English")])

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Course

        self.fields["course"].queryset = Course.objects.filter(institution=institution).order_by("code")
        self.helper = helper(gettext_lazy("Make the transcripts"))

    def clean(self):
        data = super().clean()
        if not data.get("course") and not data.get("academic_year"):
            raise ValidationError(_("Choose a course or an academic year (or both)."))
        return data


@role_required(is_registrar)
@require_http_methods(["GET", "POST"])
def batches(request):
    form = BatchForm(request.POST or None, institution=request.user.institution)
    if request.method == "POST" and form.is_valid():
        batch = TranscriptBatch.objects.create(
            institution=request.user.institution, requested_by=request.user, course=form.cleaned_data["course"],
            academic_year=form.cleaned_data["academic_year"], language=form.cleaned_data["language"],
        )  # fmt: skip
        transaction.on_commit(lambda: run_transcript_batch.enqueue(batch.pk))
        return redirect("registry:batch_detail", pk=batch.pk)
    qs = TranscriptBatch.objects.filter(institution=request.user.institution).select_related("course")
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "transcripts/batches.html", {"form": form, "page": page})


def get_batch_for_registrar(user, pk):
    return get_object_or_404(
        TranscriptBatch.objects.select_related("course"), pk=pk, institution_id=user.institution_id
    )


@role_required(is_registrar)
@require_GET
def batch_detail(request, pk):
    batch = get_batch_for_registrar(request.user, pk)
    template = "transcripts/_batch_progress.html" if request.headers.get("HX-Request") else "transcripts/batch.html"
    return render(request, template, {"batch": batch})


@role_required(is_registrar)
@require_GET
def batch_download(request, pk):
    batch = get_batch_for_registrar(request.user, pk)
    if batch.status != BatchStatus.DONE or not batch.file:
        raise Http404
    response = FileResponse(batch.file.open("rb"), content_type="application/pdf", as_attachment=True,
                            filename=f"transcripts-batch-{batch.pk}.pdf")  # fmt: skip
    response["Cache-Control"] = "private, no-store"
    return response
