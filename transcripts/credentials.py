"""Open credentials (W3C VC Data Model 2.0; 1EdTech Open Badges 3.0 and CLR 2.0) made from the ledger.

Each active deposit is an AchievementCredential; the whole record is a ClrCredential holding them. The learner is
named by a pseudonymous id and, where the full ID may go, a salted hash of it (an IdentityObject), never the raw
ID. Each credential comes two ways: as VC-JWT (signed with joserfc) and as JSON with a Data Integrity proof
(dataintegrity.py).
"""

import hashlib
import hmac
import json
import uuid
import warnings
from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from registry.models import Learner

from . import keys
from .dataintegrity import add_proof, multikey
from .jsonld import CLR_V2, OB_V3, VC_V2
from .models import IssuedCredential

ISSUER_NAME = "สำนักงานศึกษาธิการจังหวัดพิจิตร (Phichit Provincial Education Office) · ธนาคารหน่วยกิตจังหวัดพิจิตร"
STATUS_LIST_SIZE = 131072  # bits per list: the minimum the Bitstring Status List recommends for herd privacy
ID_TYPES = {"citizen": "nationalIdentityNumber"}


def iso(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def identity_salt(learner: Learner) -> str:
    """Stable per learner and unguessable without the site's secret: the same learner hashes the same everywhere."""
    return hmac.new(settings.SECRET_KEY.encode(), f"identity-salt:{learner.pk}".encode(), "sha256").hexdigest()[:16]


def identity_hash(identifier: str, salt: str) -> str:
    """OB 3.0 identityHash: 'sha256$' + hex SHA-256 of the identifier followed by the salt."""
    return "sha256$" + hashlib.sha256((identifier + salt).encode()).hexdigest()


def identity_object(learner: Learner) -> dict:
    salt = identity_salt(learner)
    return {
        "type": "IdentityObject",
        "identityHash": identity_hash(learner.national_id, salt),
        "identityType": ID_TYPES.get(learner.id_type, "identifier"),
        "hashed": True,
        "salt": salt,
    }


def subject_id(learner: Learner) -> str:
    """A pseudonymous, stable id for the learner (the JWT's sub): it reveals nothing about the national ID."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"subject:{learner.pk}".encode(), "sha256").digest()
    return f"urn:uuid:{uuid.UUID(bytes=digest[:16], version=4)}"


def issuer_profile() -> dict:
    return {"id": keys.issuer_did(), "type": ["Profile"], "name": ISSUER_NAME, "url": settings.SITE_URL}


def status_list_url(list_number: int) -> str:
    return settings.SITE_URL + reverse("transcripts:status_list", args=[list_number])


def status_entry(record: IssuedCredential) -> dict:
    number, index = divmod(record.pk, STATUS_LIST_SIZE)
    url = status_list_url(number + 1)
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def subject(learner: Learner, kind: str, identified: bool) -> dict:
    """The credential's subject: the pseudonymous id, and, when `identified`, the salted hash of the national ID.

    Such a hash is no secret from whoever holds the file: a 13-digit ID with its check digit is found by trying them
    all (minutes on a laptop once the digits a masked copy prints are known). So it goes only where the full ID
    may go: the official copy, and the credentials a learner downloads to hand to another credit bank."""
    identity = {"identifier": [identity_object(learner)]} if identified else {}
    return {"id": subject_id(learner), "type": [kind], **identity}


def achievement_credential(deposit, record: IssuedCredential, learner: Learner, identified: bool = True) -> dict:
    """An OB 3.0 AchievementCredential for one deposit: the course, credits, level, learning type and grade."""
    course, institution = deposit.course, deposit.course.institution
    return {
        "@context": [VC_V2, OB_V3],
        "id": str(record),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer_profile(),
        "validFrom": iso(deposit.recorded_at),
        "name": f"{course.code} {course.title_th}",
        "credentialSubject": {
            **subject(learner, "AchievementSubject", identified),
            "achievement": {
                "id": f"{settings.SITE_URL}/courses/{institution.code}/{course.code}",
                "type": ["Achievement"],
                "achievementType": "Course",
                "name": course.title_th,
                "description": course.title_en or course.title_th,
                "criteria": {"narrative": f"{course.code}: {course.credits} credits at {institution.name_th}"},
                "humanCode": course.code,
                "creditsAvailable": float(course.credits),
                "fieldOfStudy": course.subject_group or course.get_level_display(),
                "tag": [f"level:{course.level}", f"learningType:{deposit.learning_type}"],
                "creator": {
                    "id": f"{settings.SITE_URL}/institutions/{institution.code}",
                    "type": ["Profile"],
                    "name": institution.name_th,
                },
            },  # fmt: skip
            "creditsEarned": float(deposit.credits),
            "result": [{"type": ["Result"], "value": deposit.grade}],
            "term": f"{deposit.academic_year}/{deposit.term}",
            "activityEndDate": f"{deposit.completed_on.isoformat()}T00:00:00Z",
        },
        "credentialStatus": status_entry(record),
    }


def clr_credential(
    learner: Learner, record: IssuedCredential, achievements: list[dict], identified: bool = True
) -> dict:
    """A CLR 2.0 ClrCredential holding the learner's achievement credentials."""
    return {
        "@context": [VC_V2, CLR_V2, OB_V3],
        "id": str(record),
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": issuer_profile(),
        "validFrom": iso(record.issued_at),
        "name": "ผลการเรียนสะสม ธนาคารหน่วยกิตจังหวัดพิจิตร (Phichit Provincial Credit Bank learner record)",
        "credentialSubject": {
            **subject(learner, "ClrSubject", identified),
            "verifiableCredential": achievements,
        },
        "credentialStatus": status_entry(record),
    }


# Signing ------------------------------------------------------------------------------------------------------------


def verification_method(kid: str) -> str:
    return f"{keys.issuer_did()}#{kid}"


def sign_data_integrity(credential: dict, *, nested: bool = True) -> dict:
    """The credential as JSON with an embedded Data Integrity proof (and each nested credential proved too)."""
    public, private = keys.current_credential_key()
    created = iso(timezone.now())
    method = verification_method(public.kid)
    subject = credential.get("credentialSubject", {})
    if nested and isinstance(subject.get("verifiableCredential"), list):
        inner = [add_proof(c, private_key=private, verification_method=method, created=created)
                 for c in subject["verifiableCredential"]]  # fmt: skip
        credential = {**credential, "credentialSubject": {**subject, "verifiableCredential": inner}}
    return add_proof(credential, private_key=private, verification_method=method, created=created)


def sign_jwt(credential: dict) -> str:
    """VC-JWT as Open Badges 3.0 describes it: the credential in `vc`, with iss, jti, nbf and sub matching it."""
    from joserfc import jwt
    from joserfc.jwk import ECKey, OKPKey

    public, private = keys.current_credential_key()
    key = (OKPKey if public.algorithm == "EdDSA" else ECKey).import_key(keys.pem_private(private))
    claims = {
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "nbf": int(datetime.fromisoformat(credential["validFrom"].replace("Z", "+00:00")).timestamp()),
        "iat": int(timezone.now().timestamp()),
        "sub": credential["credentialSubject"]["id"],
        "vc": credential,
    }
    header = {"alg": public.algorithm, "typ": "JWT", "kid": verification_method(public.kid)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # joserfc warns that RFC 9864 prefers "Ed25519"; OB 3.0 names EdDSA
        return jwt.encode(header, claims, key, algorithms=[public.algorithm])


def did_document() -> dict:
    """did:web document: every published key (current and retired) as a Multikey and as a JWK."""
    did = keys.issuer_did()
    methods = []
    for key in keys.published_credential_keys():
        methods.append({"id": f"{did}#{key.kid}", "type": "Multikey", "controller": did,
                        "publicKeyMultibase": multikey(key.public_key)})  # fmt: skip
    ids = [m["id"] for m in methods]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids,
    }


def json_bytes(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode()
