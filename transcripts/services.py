"""Issuing and revoking transcripts: each issue is recorded (number, learner, issuer, time, SHA-256 of the PDF)."""

import hashlib
import json
import secrets

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from registry.identifiers import clean_text
from registry.models import CreditDeposit, Learner, User

from .credentials import achievement_credential, clr_credential, sign_jwt
from .models import CODE_ALPHABET, CODE_LENGTH, CredentialKind, IssuedCredential, Transcript
from .rendering import TranscriptData, render_document, render_html, transcript_data
from .signing import sign_pdf, signature_rect, write_pdfa


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def content_key(data: TranscriptData, *, lang: str, official: bool) -> str:
    """A fingerprint of everything a transcript says: the learner, every course row with its grade and credits, the
    transfer-ins, the language and whether the full ID is printed. The same record gives the same key."""
    learner = data.learner
    parts = [lang, official, learner.national_id, learner.prefix, learner.first_name, learner.last_name]
    parts += [learner.first_name_en, learner.last_name_en, learner.birth_date]
    for deposit in [row for section in data.sections for row in section.rows] + list(data.transfer_ins):
        course = deposit.course
        parts += [deposit.pk, deposit.grade, deposit.credits, deposit.learning_type, deposit.completed_on]
        parts += [course.code, course.title_th, course.title_en, course.institution.name_th, course.institution.name_en]
    return hashlib.sha256(json.dumps(parts, default=str, ensure_ascii=False).encode()).hexdigest()


def transcript_issue(
    *, actor: User, learner: Learner, lang: str = "th", official: bool = False
) -> tuple[Transcript, bytes]:
    """Record and render a transcript. Official copies (with the full ID) come from registrars and staff only.

    An official copy is issued once for a given content and signer: asked for again by its issuer while nothing on it
    has changed (the record, nor the name it is signed with), the same copy comes back (its number, its verification
    code and its signed bytes); a change issues a new one.
    """
    if lang not in ("th", "en"):
        raise ValidationError(_("Choose Thai or English."))
    with transaction.atomic():
        if official:
            Learner.objects.select_for_update().filter(pk=learner.pk).first()  # one issuer at a time per learner
            data = transcript_data(learner)
            key = content_key(data, lang=lang, official=True)
            # The issuer's own copy, signed as it would be now (not a colleague's, nor one under a name since changed).
            existing = (
                Transcript.objects.filter(learner=learner, official=True, language=lang, content_key=key)
                .filter(issued_by=actor, signed_as=signature_line(signing_officer(actor, lang)))
                .filter(revoked_at__isnull=True)
                .exclude(pdf="")
                .order_by("-issued_at")
                .first()
            )
            if existing is not None:
                with existing.pdf.open("rb") as stored:
                    return existing, stored.read()
        transcript, _document, pdf = transcript_issue_document(
            actor=actor, learner=learner, lang=lang, official=official, data=data if official else None
        )
    return transcript, pdf


def copy_status(transcript: Transcript, current_keys: dict[tuple[str, bool], str]) -> str:
    """valid, superseded (the record has changed since it was issued) or revoked."""
    if transcript.revoked_at:
        return "revoked"
    current = current_keys.get((transcript.language, transcript.official))
    if transcript.content_key and transcript.content_key != current:
        return "superseded"
    return "valid"


def current_content_keys(learner: Learner) -> dict[tuple[str, bool], str]:
    """The content keys a copy issued now would have, by language and kind (official or the learner's own: the
    key of each says which it is)."""
    data = transcript_data(learner)
    return {
        (lang, official): content_key(data, lang=lang, official=official)
        for lang in ("th", "en")
        for official in (True, False)
    }


def transcript_issue_document(
    *, actor: User, learner: Learner, lang: str = "th", official: bool = False, data: TranscriptData | None = None
):
    """The record, the laid-out WeasyPrint document (a batch merges many into one PDF) and its PDF bytes; `data` is
    the learner's transcript content when the caller has already read it."""
    if lang not in ("th", "en"):
        raise ValidationError(_("Choose Thai or English."))
    if official and not (actor.is_registrar or actor.is_provincial_staff or actor.is_administrator):
        raise ValidationError(_("Only registrars and provincial staff issue official copies."))
    data = data or transcript_data(learner)
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
        transcript.learner_initialled = initialled_names(learner)
        transcript.give_number()
        # The learner's copy masks the ID: its attached record carries no hash of it, which the whole ID is found from.
        clr, _achievements = credentials_issue(actor=actor, learner=learner, transcript=transcript, identified=official)
        officer = signing_officer(actor, lang)
        html = render_html(data, transcript=transcript, lang=lang, official=official, officer=officer)
        document = render_document(html)
        pdf = sign_pdf(
            write_pdfa(document, clr_jwt=sign_jwt(clr)), rect=signature_rect(document), signer_name=officer[0]
        )
        transcript.content_sha256 = hashlib.sha256(pdf).hexdigest()
        transcript.content_key = content_key(data, lang=lang, official=official)
        transcript.signed_as = signature_line(officer)
        transcript.pdf.save("transcript.pdf", ContentFile(pdf), save=False)
        transcript.save(
            update_fields=["number", "content_sha256", "content_key", "signed_as", "learner_initialled", "pdf"]
        )
    return transcript, document, pdf


def transcript_revoke(*, actor: User, transcript_id: int, reason: str) -> Transcript:
    if not actor.is_provincial_staff:
        raise ValidationError(_("Only provincial staff revoke transcripts."))
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the transcript is revoked.")})
    return _revoke(
        Transcript, transcript_id, actor=actor, reason=reason, service="transcript_revoke",
        already=_("This transcript is already revoked."),
    )  # fmt: skip


def _revoke(model, pk: int, *, actor: User, reason: str, service: str, already: str):
    """Mark a transcript or a credential revoked (who, when, why), under a row lock so two revocations do not race."""
    with transaction.atomic(), pghistory.context(user=actor.pk, service=service, reason=reason):
        record = model.objects.select_for_update().get(pk=pk)
        if record.revoked_at:
            raise ValidationError(already)
        record.revoked_at, record.revoked_by, record.revoke_reason = timezone.now(), actor, reason
        record.save()
    return record


def initialled_names(learner: Learner) -> dict[str, str]:
    """The learner as the public verify page names them, in each language (Transcript.learner_initialled)."""
    names = {}
    for lang, _name in settings.LANGUAGES:
        with translation.override(lang):
            names[lang] = learner.initialled_name
    return names


def signing_officer(actor: User, lang: str) -> tuple[str, str]:
    """Who the signature block names: the registrar or officer who issued an official copy (in English, by the name
    they gave in English), else the configured officer of the provincial credit bank (a learner's own copy)."""
    with translation.override(lang):
        if actor.is_registrar and actor.institution_id:
            return actor.name_in(lang), _("Registrar, %(institution)s") % {"institution": actor.institution.name}
        if actor.is_provincial_staff or actor.is_administrator:
            return actor.name_in(lang), _("Officer, Phichit Provincial Education Office")
        return (
            settings.ISSUER_OFFICER_NAME or _("Registrar of the Phichit Provincial Credit Bank"),
            settings.ISSUER_OFFICER_POSITION or _("Phichit Provincial Education Office"),
        )


def signature_line(officer: tuple[str, str]) -> str:
    """The signature block's name and position in one line, as a copy records it (Transcript.signed_as)."""
    return " · ".join(officer)[:400]


def _achievement_records(deposits) -> dict[int, IssuedCredential]:
    """The achievement credential record of each deposit, made on first issue and reused after (same id and bit)."""
    ids = [d.pk for d in deposits]
    IssuedCredential.objects.bulk_create(
        [IssuedCredential(kind=CredentialKind.ACHIEVEMENT, learner_id=d.learner_id, deposit=d) for d in deposits],
        ignore_conflicts=True,
    )
    records = IssuedCredential.objects.filter(kind=CredentialKind.ACHIEVEMENT, deposit_id__in=ids)
    return {r.deposit_id: r for r in records}


def credentials_issue(*, actor: User, learner: Learner, transcript: Transcript | None = None, identified: bool = True):
    """The learner's ClrCredential (unsigned) holding an AchievementCredential for each active deposit.

    A new CLR record is made each time (it says what the record held then); each deposit keeps one achievement
    credential. Returns the CLR and a dict deposit id → achievement credential. Made for a transcript, it is audited
    as the transcript's issue: a nested context names the whole of it, and had called every one of its events
    "credentials issued".
    """
    deposits = list(
        CreditDeposit.objects.active().filter(learner=learner).select_related("course__institution").order_by(
            "completed_on", "pk"
        )
    )  # fmt: skip
    service = "transcript_issue" if transcript else "credentials_issue"
    with transaction.atomic(), pghistory.context(user=actor.pk, service=service):
        records = _achievement_records(deposits)
        clr_record = IssuedCredential.objects.create(kind=CredentialKind.CLR, learner=learner, transcript=transcript)
    achievements = {d.pk: achievement_credential(d, records[d.pk], learner, identified) for d in deposits}
    return clr_credential(learner, clr_record, list(achievements.values()), identified), achievements


def credential_issue_achievement(*, actor: User, learner: Learner, deposit_id: int) -> dict:
    """One deposit's AchievementCredential (unsigned); the deposit must be the learner's and active."""
    deposit = (
        CreditDeposit.objects.active().filter(learner=learner, pk=deposit_id).select_related("course__institution")
    ).first()
    if deposit is None:
        raise ValidationError(_("No such credit in your record."))
    with transaction.atomic(), pghistory.context(user=actor.pk, service="credential_issue_achievement"):
        record = _achievement_records([deposit])[deposit.pk]
    return achievement_credential(deposit, record, learner)


def credential_revoke(*, actor: User, credential_id: int, reason: str) -> IssuedCredential:
    """Set the credential's bit on the status list; verifiers then see it as revoked."""
    if not actor.is_provincial_staff:
        raise ValidationError(_("Only provincial staff revoke credentials."))
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the credential is revoked.")})
    return _revoke(
        IssuedCredential, credential_id, actor=actor, reason=reason, service="credential_revoke",
        already=_("This credential is already revoked."),
    )  # fmt: skip
