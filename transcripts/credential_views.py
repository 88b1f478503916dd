"""Verifiable documents and open credentials: the public check, the issuer's published keys, the status list, the
learner's credential downloads, and importing another credit bank's credential into a transfer-in request."""

import base64
import binascii

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from registry.access import is_learner, is_provincial_staff, role_required
from registry.form_helpers import add_errors, post_only
from registry.models import Course, CreditDeposit
from transfers.matching import programme_courses

from . import services
from .credentials import did_document, json_bytes, sign_data_integrity, sign_jwt
from .exchange import credential_check, credential_import, credential_summary, identity_matches
from .forms import CredentialImportForm, VerifyForm
from .keys import root_certificate_pem
from .statuslist import status_list_credential
from .verification import MAX_CREDENTIAL_BYTES, MAX_PDF_BYTES, UNKNOWN, Result, verify_code, verify_file

PUBLIC_HEADERS = {"Access-Control-Allow-Origin": "*", "X-Content-Type-Options": "nosniff"}
PRIVATE = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}


def body_too_large(request, limit: int) -> bool:
    """Judged from Content-Length before the body is read, so an enormous upload is never stored or parsed."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit + 64 * 1024
    except ValueError:
        return True


@require_http_methods(["GET", "POST"])
def verify_start(request):
    """Public: a code, or the file itself, checked here. Only what is needed to match the paper is shown."""
    if request.method == "POST" and body_too_large(request, MAX_PDF_BYTES):
        reason = _("The PDF is larger than %(limit)s MB.") % {"limit": MAX_PDF_BYTES // (1024 * 1024)}
        return render(request, "transcripts/verify_start.html",
                      {"form": VerifyForm(), "result": Result(UNKNOWN, reason)}, status=413)  # fmt: skip
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = code_result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        code = form.cleaned_data["code"]
        result = verify_file(upload.read(MAX_PDF_BYTES + 1)) if upload else verify_code(code)
        if upload and code:  # both given: both are checked, and said apart (never one quietly left out)
            code_result = verify_code(code)
    context = {"form": form, "result": result, "masked_name": result.initialled_name if result else ""}
    if result is not None and result.genuine and result.credential is not None:
        context["summary"] = credential_summary(result)
    if code_result is not None:
        context.update(code_result=code_result, code_masked_name=code_result.initialled_name)
        file_transcript, code_transcript = result.transcript, code_result.transcript
        context["different"] = bool(file_transcript and code_transcript and file_transcript.pk != code_transcript.pk)
    return render(request, "transcripts/verify_start.html", context)


@require_GET
def issuer_pem(request):
    """The root certificate PDFs are signed under: a receiving institution adds it to its PDF reader's trust list."""
    return HttpResponse(root_certificate_pem(), content_type="application/x-pem-file", headers=PUBLIC_HEADERS)


@require_GET
def did_json(request):
    return JsonResponse(did_document(), content_type="application/did+json", headers=PUBLIC_HEADERS,
                        json_dumps_params={"ensure_ascii": False})  # fmt: skip


@require_GET
def status_list(request, number):
    if not 1 <= number <= 10000:
        raise Http404
    return JsonResponse(status_list_credential(number), content_type="application/vc+ld+json",
                        headers={**PUBLIC_HEADERS, "Cache-Control": "max-age=300"})  # fmt: skip


def _download(credential: dict, file_format: str, filename: str) -> HttpResponse:
    if file_format == "jwt":
        body, content_type = sign_jwt(credential).encode(), "application/vc+ld+json+jwt"
    else:
        body, content_type = json_bytes(sign_data_integrity(credential)), "application/vc+ld+json"
    response = HttpResponse(body, content_type=content_type, headers=PRIVATE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response


@role_required(is_learner)
@require_GET
def my_credentials(request):
    learner = request.user.learner
    deposits = CreditDeposit.objects.active().filter(learner=learner).select_related("course__institution")
    return render(request, "transcripts/my_credentials.html",
                  {"learner": learner, "deposits": deposits.order_by("-completed_on", "pk")})  # fmt: skip


@role_required(is_learner)
@post_only("transcripts:my_credentials", same_args=False)
def my_clr(request, file_format):
    """The learner's whole record as a CLR. A POST (a button with the CSRF token), not a link: every download is a
    new issued credential with its own place on the status list, which a prefetch or a crawler must not make."""
    clr, _achievements = services.credentials_issue(actor=request.user, learner=request.user.learner)
    return _download(clr, file_format, "clr")


@role_required(is_learner)
@require_GET
def my_deposit_credential(request, pk, file_format):
    try:
        credential = services.credential_issue_achievement(
            actor=request.user, learner=request.user.learner, deposit_id=pk
        )
    except ValidationError:
        raise Http404 from None
    return _download(credential, file_format, f"achievement-{pk}")


def _uploaded_credential(request, form) -> bytes:
    upload = request.FILES.get("file")
    if upload is not None:
        return upload.read(MAX_CREDENTIAL_BYTES + 1)
    try:
        return base64.b64decode(request.POST.get("credential", ""), validate=True)
    except (binascii.Error, ValueError):
        return b""


def _keep_file(request, data: bytes):
    """The POST again with the file's bytes in the hidden field: a browser never re-sends a file input, and the next
    step checks the very same bytes again."""
    post = request.POST.copy()
    post["credential"] = base64.b64encode(data).decode()
    return post


def _import_chosen(request, form, data, result, achievements):
    """With a genuine credential: bind the course choices; on commit make the request. Returns (form, learner,
    request made or None)."""
    learner, programme = form.learner, form.cleaned_data["programme"]
    courses = Course.objects.filter(pk__in=programme_courses(programme)).order_by("code")
    form = CredentialImportForm(_keep_file(request, data), achievements=achievements, courses=courses)
    form.is_valid()
    if not identity_matches(result.credential, learner.national_id):
        form.add_error("national_id", _("The credential was not issued to this learner: check the ID."))
        return form, None, None
    if "commit" not in request.POST:
        return form, learner, None
    if not form.targets():
        form.add_error(None, _("Choose a course of the programme for at least one achievement."))
        return form, learner, None
    try:
        made = credential_import(actor=request.user, data=data, learner=learner, programme=programme,
                                 targets=form.targets())  # fmt: skip
    except ValidationError as exc:
        add_errors(form, exc)
        return form, learner, None
    return form, learner, made


@role_required(is_provincial_staff)
@require_http_methods(["GET", "POST"])
def credential_import_view(request):
    """Upload another credit bank's credential; see what it proves; turn chosen achievements into a request."""
    limit_kb = MAX_CREDENTIAL_BYTES // 1024
    if request.method == "POST" and body_too_large(request, 2 * MAX_CREDENTIAL_BYTES):
        result = Result(UNKNOWN, _("The credential is larger than %(limit)s KB.") % {"limit": limit_kb})
        context = {"form": CredentialImportForm(), "result": result, "limit_kb": limit_kb}
        return render(request, "transcripts/credential_import.html", context, status=413)
    form = CredentialImportForm(request.POST or None, request.FILES or None)
    result, achievements, learner = None, [], None
    if request.method == "POST" and form.is_valid():
        data = _uploaded_credential(request, form)
        result, achievements = credential_check(data)
        if result.genuine:
            form, learner, made = _import_chosen(request, form, data, result, achievements)
            if made:
                messages.success(request, _("The credential was verified and transfer request #%(pk)s was made; it "
                                            "waits in the queue for a decision.") % {"pk": made.pk})  # fmt: skip
                return redirect("transfers:request_detail", pk=made.pk)
    elif request.method == "POST" and request.FILES.get("file") and "file" not in form.errors:
        form = CredentialImportForm(_keep_file(request, _uploaded_credential(request, form)))
        form.is_valid()
    rows = [(a, form[f"target_{i}"]) for i, a in enumerate(achievements) if f"target_{i}" in form.fields]
    context = {"form": form, "result": result, "achievements": achievements, "rows": rows, "learner": learner,
               "limit_kb": limit_kb}  # fmt: skip
    return render(request, "transcripts/credential_import.html", context)
