"""Issuing and revoking transcripts: each issue is recorded (number, learner, issuer, time, SHA-256 of the PDF)."""

import hashlib
import secrets

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.identifiers import clean_text
from registry.models import Learner, User

from .models import Transcript
from .rendering import render_document, render_html, transcript_data

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


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
