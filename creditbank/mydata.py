"""A learner's own data (PDPA ss. 30-31): everything the registry holds about them.

Two forms of the same records. For people: one CSV per kind of record (also all of them in one ZIP), in the
reader's language, with Asia/Bangkok times and Buddhist Era dates, each time and date followed by an ISO 8601
column (`+07:00`) for programs. For programs: one JSON document with ISO 8601 times in `+07:00`, described field by
field on the privacy page. Neither ever writes a UTC time.
"""

import csv
import datetime
import io
import json
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET

from registry.access import is_learner, role_required
from registry.exports import column, csv_cell, readable_table
from registry.models import ActivationCode, CreditDeposit, DepositEvidence, RecordAccess
from transcripts.models import Transcript
from transfers.models import Assessment, RequestDocument, TransferItem, TransferRequest

# What a record access was, for the learner's eyes (RecordAccess.what holds the code).
ACCESS_KINDS = {
    "learner_detail": gettext_lazy("opened your record at their institution"),
    "learner_found_by_id": gettext_lazy("found your record by your full identifier"),
    "search_by_id": gettext_lazy("searched for you by your full identifier"),
    "register_existing": gettext_lazy("tried to register you again and found your record"),
    "transfer_request": gettext_lazy("found your record to make a transfer request for you"),
    "official_transcript": gettext_lazy("issued an official copy of your transcript"),
    "deposit_form": gettext_lazy("found your record by your full identifier to record credits for you"),
    "official_lookup": gettext_lazy("looked up your record by your full identifier to check your credits"),
}


def iso(value) -> str | None:
    """ISO 8601 for programs: a time in Asia/Bangkok with its +07:00 offset, a date as YYYY-MM-DD."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


@dataclass
class Kind:
    """One kind of record: its JSON key, its CSV file, and its columns (JSON key, label, the CSV's value)."""

    key: str
    slug: str
    title: object
    columns: list
    rows: object  # learner -> iterable of objects


KINDS = [
    Kind(
        "learner", "profile", gettext_lazy("Your details"),
        [
            # Written with its dashes in the spreadsheets: a spreadsheet reads 13 bare digits as a number (2.2E+12).
            column("national_id", gettext_lazy("identifier"), lambda x: x.national_id, lambda x: x.formatted_id),
            column(
                "id_type", gettext_lazy("kind of identifier"), lambda x: x.id_type, lambda x: x.get_id_type_display()
            ),
            column("prefix", gettext_lazy("prefix"), lambda x: x.get_prefix_display(), lambda x: x.prefix_local),
            column("first_name", gettext_lazy("first name"), lambda x: x.first_name),
            column("last_name", gettext_lazy("last name"), lambda x: x.last_name),
            column("first_name_en", gettext_lazy("first name in English"), lambda x: x.first_name_en),
            column("last_name_en", gettext_lazy("last name in English"), lambda x: x.last_name_en),
            column("birth_date", gettext_lazy("birth date"), lambda x: x.birth_date),
            column("registered_at", gettext_lazy("registered at"), lambda x: x.created_at),
            column(
                "registered_by_institution", gettext_lazy("registered by"),
                lambda x: str(x.registered_by_institution or ""),
            ),
            column("username", gettext_lazy("username"), lambda x: x.user.username if x.user else ""),
            column("email", gettext_lazy("email"), lambda x: x.user.email if x.user else ""),
        ],
        lambda learner: [learner],
    ),
    Kind(
        "deposits", "credits", gettext_lazy("Credits"),
        [
            column("id", gettext_lazy("deposit number"), lambda d: d.pk),
            column(
                "institution", gettext_lazy("institution"), lambda d: d.course.institution.name_th,
                lambda d: d.course.institution.name,
            ),
            column("course_code", gettext_lazy("course code"), lambda d: d.course.code),
            column(
                "course_title", gettext_lazy("course"), lambda d: d.course.title_th,
                lambda d: d.course.title,
            ),
            column("credits", gettext_lazy("credits"), lambda d: d.credits),
            column("grade", gettext_lazy("grade"), lambda d: d.grade),
            column("completed_on", gettext_lazy("completed on"), lambda d: d.completed_on),
            column("academic_year", gettext_lazy("academic year (B.E.)"), lambda d: d.academic_year),
            column("term", gettext_lazy("term"), lambda d: d.term),
            column(
                "learning_type", gettext_lazy("kind of learning"), lambda d: d.learning_type,
                lambda d: d.get_learning_type_display(),
            ),
            column("origin", gettext_lazy("origin"), lambda d: d.origin, lambda d: d.get_origin_display()),
            column("status", gettext_lazy("status"), lambda d: d.status, lambda d: d.get_status_display()),
            column("void_reason", gettext_lazy("reason for voiding"), lambda d: d.void_reason),
            column("recorded_at", gettext_lazy("recorded at"), lambda d: d.recorded_at),
        ],
        lambda learner: CreditDeposit.objects.for_learner(learner)
        .select_related("course__institution")
        .order_by("completed_on", "pk"),
    ),
    Kind(
        "evidence", "evidence", gettext_lazy("Evidence files"),
        [
            column("deposit", gettext_lazy("deposit number"), lambda e: e.deposit_id),
            column("file", gettext_lazy("file name"), lambda e: e.original_name),
            column("type", gettext_lazy("file type"), lambda e: e.content_type),
            column("uploaded_at", gettext_lazy("uploaded at"), lambda e: e.uploaded_at),
        ],
        lambda learner: DepositEvidence.objects.filter(deposit__learner=learner).order_by("pk"),
    ),
    Kind(
        "transfer_requests", "transfer-requests", gettext_lazy("Transfer requests"),
        [
            column("id", gettext_lazy("request number"), lambda r: r.pk),
            column(
                "target_institution", gettext_lazy("receiving institution"), lambda r: r.target_institution.name_th,
                lambda r: r.target_institution.name,
            ),
            column(
                "programme", gettext_lazy("programme"), lambda r: r.programme.code if r.programme else "",
                lambda r: f"{r.programme.code} {r.programme.name}" if r.programme else "",  # the column allows none
            ),
            column("status", gettext_lazy("status"), lambda r: r.status, lambda r: r.get_status_display()),
            column("note", gettext_lazy("your note"), lambda r: r.learner_note),
            column("created_at", gettext_lazy("created at"), lambda r: r.created_at),
            column("submitted_at", gettext_lazy("submitted at"), lambda r: r.submitted_at),
            column("decided_at", gettext_lazy("decided at"), lambda r: r.decided_at),
            column("note_from_office", gettext_lazy("note from the provincial office"), lambda r: r.staff_note),
            column("returned_at", gettext_lazy("sent back to you at"), lambda r: r.returned_at),
            column("your_answer", gettext_lazy("your answer to the provincial office"), lambda r: r.filer_reply),
            column("sent_again_at", gettext_lazy("sent again at"), lambda r: r.resubmitted_at),
        ],
        lambda learner: TransferRequest.objects.filter(learner=learner)
        .select_related("target_institution", "programme")
        .order_by("pk"),
    ),
    Kind(
        "transfer_items", "transfer-items", gettext_lazy("Courses asked for in transfer requests"),
        [
            column("request", gettext_lazy("request number"), lambda i: i.request_id),
            column("target_course", gettext_lazy("course code"), lambda i: i.target_course.code),
            column(
                "from_credits", gettext_lazy("from your credits (course codes)"),
                lambda i: ", ".join(link.deposit.course.code for link in i.source_links.all()),
            ),
            column("verdict", gettext_lazy("rule check"), lambda i: i.verdict, lambda i: i.get_verdict_display()),
            column("decision", gettext_lazy("decision"), lambda i: i.outcome, lambda i: i.get_outcome_display()),
            column("reason", gettext_lazy("reason"), lambda i: i.decision_reason_text),
        ],
        lambda learner: TransferItem.objects.filter(request__learner=learner)
        .select_related("target_course", "request")
        .prefetch_related("source_links__deposit__course")
        .order_by("request_id", "pk"),
    ),
    Kind(
        "request_documents", "request-documents", gettext_lazy("Documents attached to transfer requests"),
        [
            column("request", gettext_lazy("request number"), lambda d: d.request_id),
            column("file", gettext_lazy("file name"), lambda d: d.original_name),
            column("type", gettext_lazy("file type"), lambda d: d.content_type),
            column("uploaded_at", gettext_lazy("uploaded at"), lambda d: d.uploaded_at),
        ],
        lambda learner: RequestDocument.objects.filter(request__learner=learner).order_by("pk"),
    ),
    Kind(
        "assessments", "assessments", gettext_lazy("Assessments of your prior learning"),
        [
            column("request", gettext_lazy("request number"), lambda a: a.item.request_id),
            column("target_course", gettext_lazy("course code"), lambda a: a.item.target_course.code),
            column("method", gettext_lazy("method"), lambda a: a.method, lambda a: a.get_method_display()),
            column("score", gettext_lazy("score"), lambda a: a.score),
            column("out_of", gettext_lazy("out of"), lambda a: a.max_score),
            column("pass_mark", gettext_lazy("pass mark"), lambda a: a.pass_score),
            column("assessor", gettext_lazy("assessor"), lambda a: a.assessor),
            column("assessed_on", gettext_lazy("assessed on"), lambda a: a.assessed_on),
            column("notes", gettext_lazy("notes"), lambda a: a.notes),
            column(
                "files", gettext_lazy("evidence files"), lambda a: ", ".join(e.original_name for e in a.evidence.all())
            ),
        ],
        lambda learner: Assessment.objects.filter(item__request__learner=learner)
        .select_related("item__target_course")
        .prefetch_related("evidence")
        .order_by("pk"),
    ),
    Kind(
        "transcripts", "transcripts", gettext_lazy("Transcripts issued"),
        [
            column("number", gettext_lazy("transcript number"), lambda t: t.number),
            column("issued_at", gettext_lazy("issued at"), lambda t: t.issued_at),
            column("official", gettext_lazy("official copy"), lambda t: t.official),
            column("revoked_at", gettext_lazy("revoked at"), lambda t: t.revoked_at),
        ],
        lambda learner: Transcript.objects.filter(learner=learner).order_by("issued_at"),
    ),
    Kind(
        "activation_codes", "activation-codes", gettext_lazy("Activation codes"),
        [
            column("issued_at", gettext_lazy("issued at"), lambda c: c.issued_at),
            column("used_at", gettext_lazy("used at"), lambda c: c.used_at),
        ],
        lambda learner: ActivationCode.objects.filter(learner=learner).order_by("issued_at"),
    ),
    Kind(
        "who_looked_at_my_record", "record-accesses", gettext_lazy("Who opened your record"),
        [
            column("at", pgettext_lazy("record access", "when"), lambda a: a.at),
            column("user", gettext_lazy("who"), lambda a: a.user.display_name),
            column("what", gettext_lazy("what they did"), lambda a: a.what, lambda a: ACCESS_KINDS.get(a.what, a.what)),
        ],
        lambda learner: RecordAccess.objects.filter(learner=learner).select_related("user").order_by("-at"),
    ),
]  # fmt: skip
KINDS_BY_SLUG = {kind.slug: kind for kind in KINDS}


def learner_data(learner) -> dict:
    """The JSON form: each kind under its key (the learner's own details as one object), times ISO 8601 +07:00."""

    def as_json(value):
        if isinstance(value, datetime.date):
            return iso(value)
        if isinstance(value, Decimal):
            return str(value)
        return value

    data = {}
    for kind in KINDS:
        rows = [{key: as_json(get(obj)) for key, _label, get, _shown in kind.columns} for obj in kind.rows(learner)]
        data[kind.key] = rows[0] if kind.key == "learner" else rows
    return data


def kind_csv(kind: Kind, learner) -> str:
    """One kind as a readable CSV: a header in the reader's language, and an ISO column after each time or date."""
    header, rows = readable_table(kind.columns, kind.rows(learner))
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads UTF-8 Thai correctly only with a BOM
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue()


def attachment(body, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(is_learner)
@require_GET
def my_data(request, file_format):
    """Everything at once: the JSON document, or every kind's CSV in one ZIP."""
    learner = request.user.learner
    if file_format == "json":
        body = json.dumps(learner_data(learner), ensure_ascii=False, indent=2)
        return attachment(body, "application/json; charset=utf-8", "my-credit-bank-data.json")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind in KINDS:
            archive.writestr(f"my-credit-bank-{kind.slug}.csv", kind_csv(kind, learner).encode())
    return attachment(buffer.getvalue(), "application/zip", "my-credit-bank-data.zip")


@role_required(is_learner)
@require_GET
def my_data_csv(request, kind):
    """One kind of record as a readable CSV (a phone opens it without unpacking anything)."""
    if kind not in KINDS_BY_SLUG:
        raise Http404
    body = kind_csv(KINDS_BY_SLUG[kind], request.user.learner)
    return attachment(body, "text/csv; charset=utf-8", f"my-credit-bank-{kind}.csv")
