"""Transcripts: the learner's record as an ordinary template, rendered to a Thai PDF by WeasyPrint.

The same HTML can be tested as HTML; fonts come only from the Sarabun package, embedded in the PDF.
"""

import hashlib
import io
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

import fontpkg_sarabun
import pghistory
import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .grades import CREDIT_EARNING_CODES
from .identifiers import clean_text
from .models import CreditDeposit, DepositOrigin, Learner, LearningType, Transcript, User

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass
class Section:
    institution: object
    learning_type: str
    label: str
    rows: list
    credits: Decimal = Decimal(0)


@dataclass
class TranscriptData:
    learner: Learner
    sections: list = field(default_factory=list)
    transfer_ins: list = field(default_factory=list)
    by_learning_type: list = field(default_factory=list)
    total: Decimal = Decimal(0)
    transferred_in: Decimal = Decimal(0)
    course_count: int = 0


def transcript_data(learner: Learner) -> TranscriptData:
    """Active deposits grouped by institution and learning type, transfer-ins apart, totals of earned credit."""
    deposits = list(
        CreditDeposit.objects.active()
        .for_learner(learner)
        .select_related("course__institution")
        .order_by(
            "course__institution__name_th", "course__institution_id", "learning_type", "completed_on", "course__code"
        )
    )
    earned = [d for d in deposits if d.origin == DepositOrigin.EARNED]
    data = TranscriptData(learner=learner, course_count=len(earned))
    labels = dict(LearningType.choices)
    for (_institution_id, learning_type), rows in groupby(
        earned, key=lambda d: (d.course.institution_id, d.learning_type)
    ):
        rows = list(rows)
        credits = sum((d.credits for d in rows if d.grade in CREDIT_EARNING_CODES), Decimal(0))
        data.sections.append(Section(rows[0].course.institution, learning_type, labels[learning_type], rows, credits))
    totals = {lt: Decimal(0) for lt in LearningType.values}
    for d in earned:
        if d.grade in CREDIT_EARNING_CODES:
            totals[d.learning_type] += d.credits
    data.by_learning_type = [(labels[lt], totals[lt]) for lt in LearningType.values]
    data.total = sum(totals.values(), Decimal(0))
    data.transfer_ins = [d for d in deposits if d.origin == DepositOrigin.TRANSFER_IN]
    data.transferred_in = sum((d.credits for d in data.transfer_ins), Decimal(0))
    return data


def verification_url(code: str) -> str:
    return settings.SITE_URL + reverse("verify", args=[code])


def qr_svg_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=3, border=1)


def font_dir_url() -> str:
    return (fontpkg_sarabun.ROOT / "files").as_uri()


def render_html(data: TranscriptData, *, transcript: Transcript | None, lang: str, official: bool) -> str:
    with translation.override(lang):
        context = {
            "data": data,
            "learner": data.learner,
            "lang": lang,
            "official": official,
            "transcript": transcript,
            "identifier": data.learner.formatted_id if official else data.learner.masked_id,
            "verify_url": verification_url(transcript.verification_code) if transcript else "",
            "qr": qr_svg_data_uri(verification_url(transcript.verification_code)) if transcript else "",
            "font_dir": font_dir_url(),
            "issued_at": transcript.issued_at if transcript else timezone.now(),
        }
        return render_to_string("transcripts/transcript.html", context)


def pdf_text(html: str) -> str:
    """Write SARA AM (ำ) as NIKHAHIT + SARA AA, its compatibility decomposition, before rendering.

    HarfBuzz draws ำ with the glyphs of ํ and า, and WeasyPrint maps each glyph to the text of its first use, so
    with ำ left whole the glyph of า comes out of the PDF as ำ everywhere (copy, search, pypdf). Written apart,
    every glyph maps to one character; the page looks the same.
    """
    return html.replace("\u0e33", "\u0e4d\u0e32")


def render_document(html: str):
    from weasyprint import HTML

    return HTML(string=pdf_text(html), base_url=str(settings.BASE_DIR)).render()


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))


def transcript_issue(
    *, actor: User, learner: Learner, lang: str = "th", official: bool = False
) -> tuple[Transcript, bytes]:
    """Record and render a transcript. Official copies (with the full ID) come from registrars and staff only."""
    transcript, _document, pdf = transcript_issue_document(actor=actor, learner=learner, lang=lang, official=official)
    return transcript, pdf


def transcript_issue_document(*, actor: User, learner: Learner, lang: str = "th", official: bool = False):
    """The record, the laid-out WeasyPrint document (a batch merges many into one PDF) and its PDF bytes."""
    if lang not in ("th", "en"):
        raise ValidationError(_("Choose Thai or English."))
    if official and not (actor.is_registrar or actor.is_provincial_staff or actor.is_administrator):
        raise ValidationError(_("Only registrars and provincial staff issue official copies."))
    data = transcript_data(learner)
    with transaction.atomic(), pghistory.context(user=actor.pk, service="transcript_issue"):
        transcript = Transcript.objects.create(
            number="pending-" + _new_code(),
            verification_code=_new_code(),
            learner=learner,
            issued_by=actor,
            language=lang,
            official=official,
            content_sha256="",
            total_credits=data.total,
            course_count=data.course_count,
        )
        transcript.number = f"PCB{timezone.localdate().year + 543}-{transcript.pk:07d}"
        document = render_document(render_html(data, transcript=transcript, lang=lang, official=official))
        pdf = document.write_pdf()
        transcript.content_sha256 = hashlib.sha256(pdf).hexdigest()
        transcript.save(update_fields=["number", "content_sha256"])
    return transcript, document, pdf


def transcript_revoke(*, actor: User, transcript_id: int, reason: str) -> Transcript:
    if not actor.is_provincial_staff:
        raise ValidationError(_("Only provincial staff revoke transcripts."))
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the transcript is revoked.")})
    with transaction.atomic(), pghistory.context(user=actor.pk, service="transcript_revoke", reason=reason):
        transcript = Transcript.objects.select_for_update().get(pk=transcript_id)
        if transcript.revoked_at:
            raise ValidationError(_("This transcript is already revoked."))
        transcript.revoked_at, transcript.revoked_by, transcript.revoke_reason = timezone.now(), actor, reason
        transcript.save()
    return transcript


def merge_documents(documents) -> bytes:
    """One PDF from several rendered WeasyPrint documents (a batch)."""
    pages = [page for document in documents for page in document.pages]
    buffer = io.BytesIO()
    documents[0].copy(pages).write_pdf(buffer)
    return buffer.getvalue()
