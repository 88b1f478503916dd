"""A learner's own data (PDPA s.30): everything the registry holds about them, as JSON or CSV."""

import csv
import io
import json

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from registry.access import is_learner, role_required
from registry.exports import safe_cell
from registry.models import ActivationCode, CreditDeposit, DepositEvidence, RecordAccess
from transcripts.models import Transcript
from transfers.models import TransferItem, TransferRequest


def learner_data(learner) -> dict:
    deposits = CreditDeposit.objects.for_learner(learner).select_related("course__institution", "recorded_by")
    evidence = DepositEvidence.objects.filter(deposit__learner=learner)
    items = TransferItem.objects.filter(request__learner=learner).select_related("target_course")
    return {
        "learner": {
            "national_id": learner.national_id,
            "id_type": learner.id_type,
            "prefix": learner.get_prefix_display(),
            "first_name": learner.first_name,
            "last_name": learner.last_name,
            "first_name_en": learner.first_name_en,
            "last_name_en": learner.last_name_en,
            "birth_date": learner.birth_date,
            "registered_at": learner.created_at,
            "registered_by_institution": str(learner.registered_by_institution or ""),
        },
        "account": {"username": learner.user.username, "email": learner.user.email} if learner.user else None,
        "deposits": [
            {
                "id": d.pk,
                "institution": d.course.institution.name_th,
                "course_code": d.course.code,
                "course_title": d.course.title_th,
                "credits": d.credits,
                "grade": d.grade,
                "completed_on": d.completed_on,
                "academic_year": d.academic_year,
                "term": d.term,
                "learning_type": d.learning_type,
                "origin": d.origin,
                "status": d.status,
                "void_reason": d.void_reason,
                "recorded_at": d.recorded_at,
            }
            for d in deposits
        ],  # fmt: skip
        "evidence": [
            {"deposit": e.deposit_id, "file": e.original_name, "type": e.content_type, "uploaded_at": e.uploaded_at}
            for e in evidence
        ],
        "transfer_requests": [
            {
                "id": r.pk,
                "target_institution": str(r.target_institution),
                "status": r.status,
                "created_at": r.created_at,
                "submitted_at": r.submitted_at,
                "decided_at": r.decided_at,
                "note_from_office": r.staff_note,
            }
            for r in TransferRequest.objects.filter(learner=learner).select_related("target_institution")
        ],  # fmt: skip
        "transfer_items": [
            {
                "request": i.request_id,
                "target_course": i.target_course.code,
                "verdict": i.verdict,
                "decision": i.decision,
                "reason": i.decision_reason,
            }
            for i in items
        ],  # fmt: skip
        "transcripts": [
            {"number": t.number, "issued_at": t.issued_at, "official": t.official, "revoked_at": t.revoked_at}
            for t in Transcript.objects.filter(learner=learner)
        ],
        "activation_codes": [
            {"issued_at": c.issued_at, "used_at": c.used_at} for c in ActivationCode.objects.filter(learner=learner)
        ],
        "who_looked_at_my_record": [
            {"at": a.at, "user": a.user.get_full_name() or a.user.username, "what": a.what}
            for a in RecordAccess.objects.filter(learner=learner).select_related("user").order_by("-at")
        ],
    }


@role_required(is_learner)
@require_GET
def my_data(request, file_format):
    data = learner_data(request.user.learner)
    if file_format == "json":
        body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="my-credit-bank-data.json"'
        return response
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(["section", "field", "value"])
    for section, content in data.items():
        rows = content if isinstance(content, list) else [content or {}]
        for index, row in enumerate(rows, start=1):
            for field, value in row.items():
                writer.writerow(
                    [
                        f"{section}[{index}]" if isinstance(content, list) else section,
                        field,
                        safe_cell(str(value if value is not None else "")),
                    ]
                )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-credit-bank-data.csv"'
    return response
