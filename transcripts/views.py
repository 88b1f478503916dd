"""Transcript pages: the learner's own copy, official copies, public verification, revocation, batches."""

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from registry.access import get_learner_for_user, is_learner, is_provincial_staff, is_registrar, role_required
from registry.form_helpers import post_only
from registry.identifiers import looks_like_personal_id
from registry.models import RecordAccess
from registry.query import PERSONAL_ID_REFUSED, personal_id_attrs, query_text
from registry.selectors import PAGE_SIZE, learner_balance, name_matches

from . import services
from .forms import BatchForm, OfficialLookupForm
from .models import BatchStatus, Transcript, TranscriptBatch
from .tasks import run_transcript_batch
from .verification import verify_code

PDF_HEADERS = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}


DOWNLOAD_TOKEN = re.compile(r"[A-Za-z0-9]{8,32}")


def pdf_response(request, pdf: bytes, filename: str) -> HttpResponse:
    """The PDF as a download. A form that sent a download_token (static/js/app.js, data-busy) gets it back in a
    cookie of that name with the file, so the page it stays on knows the file has come: its button is given back
    then, not after a guess of how long a PDF takes. The token is the page's own random word; it carries nothing."""
    response = HttpResponse(pdf, content_type="application/pdf", headers=PDF_HEADERS)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    token = request.POST.get("download_token", "")
    if DOWNLOAD_TOKEN.fullmatch(token):
        response.set_cookie("download_token", token, max_age=120, samesite="Lax", secure=request.is_secure())
    return response


@role_required(is_learner)
@post_only("home", same_args=False)
def my_transcript(request):
    """The learner's own copy (identifier masked), in Thai or English."""
    lang = request.POST.get("lang", "th")
    try:
        transcript, pdf = services.transcript_issue(actor=request.user, learner=request.user.learner, lang=lang)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("home")
    return pdf_response(request, pdf, f"transcript-{transcript.number}-{transcript.language}.pdf")


@role_required(is_registrar, is_provincial_staff)
@require_POST
def official_transcript(request, pk):
    learner = get_learner_for_user(request.user, pk)
    lang = request.POST.get("lang", "th")
    try:
        transcript, pdf = services.transcript_issue(actor=request.user, learner=learner, lang=lang, official=True)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        if request.user.is_registrar:
            return redirect("registry:learner_detail", pk=learner.pk)
        return redirect("transcripts:official_lookup")
    RecordAccess.objects.create(user=request.user, learner=learner, what="official_transcript")
    return pdf_response(request, pdf, f"transcript-{transcript.number}-{transcript.language}.pdf")


@role_required(is_provincial_staff)
@require_http_methods(["GET", "POST"])
def official_lookup(request):
    """The provincial office's counter: an officer types the ID on the learner's card and issues an official
    transcript of everything the learner banked in the province, Thai or English, signed with the officer's name.
    The ID goes by POST, never in an address; each finding is logged like any look-up by full ID."""
    form = OfficialLookupForm(request.POST or None)
    learner = balance = None
    if request.method == "POST" and form.is_valid():
        learner = form.learner
        RecordAccess.objects.create(user=request.user, learner=learner, what="official_lookup")
        balance = learner_balance(learner)
        form = OfficialLookupForm()  # found: the full number leaves the page; the learner's is shown masked
    context = {"form": form, "learner": learner, "balance": balance}
    return render(request, "transcripts/official_lookup.html", context, status=400 if form.errors else 200)


@role_required(is_registrar, is_provincial_staff)
@require_GET
def copies(request, pk):
    """The transcripts issued for a learner and whether each still stands: valid, superseded (the record changed
    after it was issued: print again for a current copy) or revoked. Loaded into the registrar's learner page."""
    learner = get_learner_for_user(request.user, pk)
    current = services.current_content_keys(learner)
    issued = Transcript.objects.filter(learner=learner).select_related("issued_by").order_by("-issued_at")[:20]
    rows = [(transcript, services.copy_status(transcript, current)) for transcript in issued]
    # Loaded into the page (htmx), the list alone; opened at its address, a whole page (the bare list had no title,
    # language or heading).
    template = "transcripts/_copies.html" if request.headers.get("HX-Request") else "transcripts/copies.html"
    return render(request, template, {"rows": rows, "learner": learner})


@require_GET
def verify(request, code):
    """Public: was a transcript with this code issued, and is it still valid? The page says only what is needed."""
    result = verify_code(code)
    return render(request, "transcripts/verify.html", {"result": result, "masked_name": result.initialled_name})


@role_required(is_provincial_staff)
@require_GET
def transcript_list(request):
    return _transcript_list(request, request.GET)


def _transcript_list(request, query, refused=None, status=200):
    """The issued transcripts, newest first, or the one whose number (or its last digits) `query` holds; `refused`
    is (transcript pk, message) when a revocation was refused, said beside that row's reason box."""
    # Newest first by key (issued in key order), so the page is the primary key index's last entries; a number
    # is looked up exactly (numbers are upper case), on its unique index.
    qs = Transcript.objects.select_related("learner", "issued_by").order_by("-pk")
    number = query_text(request, "number", max_length=32, source=query, refuse_id=False)
    id_refused = looks_like_personal_id(number)
    if id_refused:  # not searched, and out of the box and the links (PERSONAL_ID_REFUSED says why)
        number = ""
    typed = "".join(number.split()).upper()
    if typed.isdigit() and len(typed) <= 9:  # the number's last part ("0000012", or "12"): its sequence, the key
        qs = qs.filter(pk=int(typed))
    elif typed.startswith("PCB") or typed.isdigit():
        qs = qs.filter(number=typed)
    elif number:  # words of the learner's name, Thai or English
        qs = qs.filter(name_matches(number, prefix="learner__"))
    page = Paginator(qs, PAGE_SIZE).get_page(query.get("page"))
    context = {"page": page, "number": number, "query": urlencode({"number": number}), "refused": refused}
    context["id_refused"] = PERSONAL_ID_REFUSED if id_refused else ""
    context["id_attrs"] = personal_id_attrs()
    return render(request, "transcripts/list.html", context, status=status)


@role_required(is_provincial_staff)
@post_only("transcripts:list", same_args=False)
def transcript_revoke(request, pk):
    """Revoke from the list: refused without a reason, said beside the reason box of that row, with the list as it
    was (the search and page travel with the form); done, back to that list."""
    transcript = get_object_or_404(Transcript, pk=pk)
    back = {k: request.POST[k] for k in ("number", "page") if request.POST.get(k)}
    try:
        services.transcript_revoke(
            actor=request.user, transcript_id=transcript.pk, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):  # no reason given: said beside the box
            return _transcript_list(request, request.POST, refused=(transcript.pk, " ".join(exc.messages)), status=400)
        messages.error(request, " ".join(exc.messages))  # revoked meanwhile by someone else: the row has no box now
    else:
        messages.success(request, _("The transcript is revoked; its verification page now says so."))
    return redirect(reverse("transcripts:list") + (f"?{urlencode(back)}" if back else ""))


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
        return redirect("transcripts:batch_detail", pk=batch.pk)
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
