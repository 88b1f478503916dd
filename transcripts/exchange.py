"""Credits between credit banks: a CLR or Open Badges credential from another credit bank, verified offline against
the trusted-issuer list, becomes a transfer-in request decided the usual way. Nothing is ever deposited directly,
and a refused credential writes nothing."""

import contextlib
import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pghistory
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from registry.access import is_provincial_staff
from registry.models import Learner, User
from transfers.models import Programme, TransferRequest
from transfers.services.requests import transfer_request_from_achievements

from .credentials import identity_hash
from .keys import issuer_did
from .models import CredentialImport, IssuedCredential, TrustedIssuer
from .verification import KeyResolver, Result, verify_credential


@dataclass
class Achievement:
    code: str
    title: str
    credits: Decimal
    grade: str
    institution: str
    completed: str


def _text(value, limit=200) -> str:
    return str(value)[:limit] if isinstance(value, str | int | float) else ""


def _achievement(credential: dict) -> Achievement | None:
    subject = credential.get("credentialSubject") or {}
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    if not isinstance(achievement, dict):
        return None
    try:
        credits = Decimal(str(subject.get("creditsEarned", achievement.get("creditsAvailable", 0))))
    except InvalidOperation:
        credits = Decimal(0)
    results = subject.get("result") if isinstance(subject.get("result"), list) else []
    creator = achievement.get("creator") if isinstance(achievement.get("creator"), dict) else {}
    return Achievement(
        code=_text(achievement.get("humanCode"), 30),
        title=_text(achievement.get("name")),
        credits=credits if Decimal(0) <= credits <= Decimal(99) else Decimal(0),
        grade=_text(results[0].get("value"), 10) if results and isinstance(results[0], dict) else "",
        institution=_text(creator.get("name")),
        completed=_text(subject.get("activityEndDate"), 10),
    )


def achievements_of(credential: dict) -> list[Achievement]:
    """The achievements a credential proves: its own, or those of the credentials a CLR holds."""
    subject = credential.get("credentialSubject") or {}
    inner = subject.get("verifiableCredential") if isinstance(subject, dict) else None
    found = [_achievement(c) for c in inner] if isinstance(inner, list) else [_achievement(credential)]
    return [a for a in found if a is not None]


@dataclass
class CredentialSummary:
    """What the public check of a credential file shows beside its verdict, in the page's language."""

    issuer: str
    kind: str  # this registry's word for what it issued, or the credential's own name
    learner: str  # as the public pages name people ("นายสมชาย ใ."), for credentials issued here; "" otherwise
    achievements: list  # Achievement, each course the credential proves
    credits: Decimal


def credential_summary(result: Result) -> CredentialSummary:
    """Who issued a genuine credential, what it is, whom it names and what it proves.

    A credential names its learner by a salted hash only: the name shown is that of the learner this registry issued
    it to, found by the credential's id, as the transcript check names them. Another bank's learner stays unnamed.
    """
    credential = result.credential or {}
    found = achievements_of(credential)
    issued = None
    if result.issuer_did == issuer_did():
        issuer = f"{_('Phichit Provincial Education Office')} · {_('Phichit Provincial Credit Bank')}"
        credential_uuid = str(credential.get("id", "")).removeprefix("urn:uuid:")
        with contextlib.suppress(ValueError, ValidationError):
            issued = IssuedCredential.objects.select_related("learner").filter(uuid=credential_uuid).first()
    else:
        listed = TrustedIssuer.objects.filter(did=result.issuer_did).values_list("name", flat=True).first()
        own_words = credential.get("issuer", {}).get("name") if isinstance(credential.get("issuer"), dict) else ""
        issuer = listed or _text(own_words) or result.issuer_did
    return CredentialSummary(
        issuer=issuer,
        kind=issued.get_kind_display() if issued else _text(credential.get("name")),
        learner=issued.learner.initialled_name if issued else "",
        achievements=found,
        credits=sum((a.credits for a in found), Decimal(0)),
    )


def identity_matches(credential: dict, national_id: str) -> bool:
    """Whether the credential's hashed IdentityObject is this identifier (the raw ID is never in a credential)."""
    subject = credential.get("credentialSubject") or {}
    for identity in subject.get("identifier", []) if isinstance(subject, dict) else []:
        if not (isinstance(identity, dict) and identity.get("hashed") and isinstance(identity.get("salt"), str)):
            continue
        if identity.get("identityHash") == identity_hash(national_id, identity["salt"]):
            return True
    return False


def credential_check(data: bytes) -> tuple[Result, list[Achievement]]:
    """Verify an uploaded credential against the trusted issuers only (not this registry's own keys)."""
    result = verify_credential(data, KeyResolver(own=False, trusted=True))
    return result, achievements_of(result.credential) if result.genuine else []


def credential_import(
    *, actor: User, data: bytes, learner: Learner, programme: Programme, targets: dict[int, int], note: str = ""
) -> TransferRequest:
    """Verify the credential again, check it names this learner, and make the transfer-in request.

    `targets` maps an achievement's position to a course of the programme; achievements left out are not asked for.
    """
    if not is_provincial_staff(actor):
        raise ValidationError(_("Only provincial staff import credits from another credit bank."))
    result, achievements = credential_check(data)
    if not result.genuine:
        raise ValidationError(result.reason, code=result.verdict)
    if not identity_matches(result.credential, learner.national_id):
        raise ValidationError({"learner": _("The credential was not issued to this learner.")})
    issuer = TrustedIssuer.objects.get(did=result.issuer_did, active=True)
    credential_id = str(result.credential.get("id", ""))[:300]
    if CredentialImport.objects.filter(issuer=issuer, credential_id=credential_id).exists():
        # Said first: the same credential again is the reason, whatever else its request would be refused for.
        raise ValidationError(_("This credential has already been imported."))
    items = []
    for index, target_id in sorted(targets.items()):
        if not 0 <= index < len(achievements):
            raise ValidationError(_("Choose a course for achievements of this credential only."))
        a = achievements[index]
        params = {"code": a.code, "title": a.title, "credits": str(a.credits), "grade": a.grade,
                  "issuer": issuer.name, "institution": a.institution, "completed": a.completed}  # fmt: skip
        items.append((target_id, params))
    try:
        with transaction.atomic(), pghistory.context(user=actor.pk, service="credential_import"):
            request = transfer_request_from_achievements(
                actor=actor, learner=learner, programme=programme, items=items,
                note=note or _("Credits from a credential issued by %(issuer)s") % {"issuer": issuer.name},
            )  # fmt: skip
            CredentialImport.objects.create(
                issuer=issuer, credential_id=credential_id,
                sha256=hashlib.sha256(data).hexdigest(), learner=learner, transfer_request=request, imported_by=actor,
            )  # fmt: skip
    except IntegrityError:
        raise ValidationError(_("This credential has already been imported.")) from None
    return request
