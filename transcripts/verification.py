"""Checking a document, not just its code: a signed transcript PDF, or a credential (VC-JWT or JSON with a Data
Integrity proof). Everything is offline: keys come from this registry's own files and the trusted-issuer list,
contexts from the shipped files; any other URL is refused, and every input is bounded before it is parsed.

Each check ends in one verdict: genuine, altered, revoked or unknown, with a reason in words.
"""

import base64
import hashlib
import io
import json
import re
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.identifiers import clean_text

from . import keys
from .credentials import STATUS_LIST_SIZE
from .dataintegrity import ProofError, UnknownKey, public_key_from_multikey, verify_proof
from .jsonld import RemoteContextRefused, known_contexts
from .models import CODE_ALPHABET, CODE_LENGTH, Transcript, TrustedIssuer
from .signing import outside_event_loop
from .statuslist import bit_is_set, locally_revoked

GENUINE, ALTERED, REVOKED, UNKNOWN = "genuine", "altered", "revoked", "unknown"
MAX_PDF_BYTES = 5 * 1024 * 1024
MAX_CREDENTIAL_BYTES = 1024 * 1024
MAX_INFLATED_BYTES = 40 * 1024 * 1024  # all of a PDF's compressed streams together may inflate to this, no more
MAX_PDF_OBJECTS = 20000
MAX_JSON_DEPTH = 24
MAX_JSON_NODES = 50000
MAX_NESTED_CREDENTIALS = 500


# What someone checking a file can act on: choose another file, or ask the issuer. (JSON, JSON-LD and contexts are
# the registry's business, not theirs.)
NOT_A_CREDENTIAL = gettext_lazy(
    "This file is neither a transcript PDF nor a credential (.jwt, .json): choose the file as you received it."
)
UNKNOWN_KIND = gettext_lazy(
    "This credential is of a kind this registry cannot check (it names definitions held elsewhere, and nothing is "
    "fetched from the internet): ask its issuer how to check it."
)


class Refused(ValueError):
    """The input is refused before or while it is checked; the message says why, in the reader's language."""

    def __init__(self, message, verdict=UNKNOWN):
        super().__init__(message)
        self.verdict = verdict


@dataclass
class Result:
    verdict: str
    reason: str
    kind: str = ""  # "pdf", "jwt", "json", "code"
    transcript: Transcript | None = None
    credential: dict | None = None
    issuer_did: str = ""
    details: list = field(default_factory=list)
    typing_slip: bool = False  # a code of the wrong shape: mistyped, not a code that was never issued

    @property
    def genuine(self) -> bool:
        return self.verdict == GENUINE

    @property
    def wrong_file(self) -> bool:
        """A file that is no transcript or credential at all (a photo, a .txt): not "not found in the registry"."""
        return self.verdict == UNKNOWN and self.reason == str(NOT_A_CREDENTIAL)

    @property
    def initialled_name(self) -> str:
        """The learner of the transcript found, as the public pages name them ("นายสมชาย ใ."), or "": as they were
        named when it was issued (one issued before that was kept: as they are named today)."""
        if not self.transcript:
            return ""
        named = self.transcript.learner_initialled.get(translation.get_language() or "th")
        return named or self.transcript.learner.initialled_name


# Keys ---------------------------------------------------------------------------------------------------------------


class KeyResolver:
    """DID URL → public key, from this registry's published keys and (optionally) the trusted issuers. Nothing is
    resolved over the network: a key URL that is not a DID we hold is refused."""

    def __init__(self, *, own: bool = True, trusted: bool = True):
        self.keys: dict[str, object] = {}
        self.issuers: dict[str, TrustedIssuer | None] = {}
        if own:
            did = keys.issuer_did()
            self.issuers[did] = None
            for key in keys.published_credential_keys():
                self.keys[f"{did}#{key.kid}"] = key.public_key
        if trusted:
            for issuer in TrustedIssuer.objects.filter(active=True):
                self.issuers[issuer.did] = issuer
                for method_id, public_key in trusted_issuer_keys(issuer):
                    self.keys[method_id] = public_key

    def __call__(self, method):
        if not isinstance(method, str) or not method.startswith("did:"):
            raise Refused(_("The credential names a key by web address (%(url)s); keys are never fetched.")
                          % {"url": str(method)[:80]})  # fmt: skip
        return self.keys.get(method)

    def trusts(self, did: str) -> bool:
        return did in self.issuers


def trusted_issuer_keys(issuer: TrustedIssuer):
    """The verification methods of a trusted issuer's DID document: Multikey or JsonWebKey (OKP Ed25519, EC P-256)."""
    document = issuer.did_document if isinstance(issuer.did_document, dict) else {}
    for method in document.get("verificationMethod", [])[:50]:
        if not isinstance(method, dict) or not isinstance(method.get("id"), str):
            continue
        method_id = method["id"] if method["id"].startswith("did:") else issuer.did + method["id"]
        try:
            if "publicKeyMultibase" in method:
                yield method_id, public_key_from_multikey(method["publicKeyMultibase"])
            elif isinstance(method.get("publicKeyJwk"), dict):
                yield method_id, public_key_from_jwk(method["publicKeyJwk"])
        except (ProofError, ValueError, TypeError):
            continue


def _b64(text: str) -> bytes:
    if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z0-9_-]*", text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_from_jwk(jwk: dict):
    if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
        return ed25519.Ed25519PublicKey.from_public_bytes(_b64(jwk["x"]))
    if jwk.get("kty") == "EC" and jwk.get("crv") == "P-256":
        numbers = ec.EllipticCurvePublicNumbers(
            int.from_bytes(_b64(jwk["x"]), "big"), int.from_bytes(_b64(jwk["y"]), "big"), ec.SECP256R1()
        )
        return numbers.public_key()
    raise ValueError("unsupported JWK")


# Bounded JSON -------------------------------------------------------------------------------------------------------


def load_json(data: bytes | str):
    """Parse JSON of bounded size, depth and node count."""
    if len(data) > MAX_CREDENTIAL_BYTES:
        raise Refused(_("The credential is larger than %(limit)s KB.") % {"limit": MAX_CREDENTIAL_BYTES // 1024})
    try:
        value = json.loads(data)
    except RecursionError:
        raise Refused(_("The credential is nested too deeply.")) from None
    except (ValueError, UnicodeDecodeError):
        raise Refused(str(NOT_A_CREDENTIAL)) from None
    nodes, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        nodes += 1
        if depth > MAX_JSON_DEPTH:
            raise Refused(_("The credential is nested too deeply."))
        if nodes > MAX_JSON_NODES:
            raise Refused(_("The credential has too many parts to be checked."))
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return value


# Credentials --------------------------------------------------------------------------------------------------------


def _parse_time(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Refused(_("The credential's dates are not readable.")) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _issuer_id(credential: dict) -> str:
    issuer = credential.get("issuer")
    return issuer.get("id", "") if isinstance(issuer, dict) else issuer if isinstance(issuer, str) else ""


def _status_revoked(credential: dict, resolver: KeyResolver) -> bool:
    """Read the credential's revocation bit: from our own rows, or from a status list the trusted issuer gave us."""
    entries = credential.get("credentialStatus")
    if entries is None:
        return False
    for entry in entries if isinstance(entries, list) else [entries]:
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            raise Refused(_("The credential's revocation status is in a form this registry cannot read."))
        if entry.get("statusPurpose") not in ("revocation", "suspension"):
            continue
        url, index = entry.get("statusListCredential"), entry.get("statusListIndex")
        if not isinstance(url, str) or not str(index).isdigit():
            raise Refused(_("The credential's revocation status is in a form this registry cannot read."))
        index = int(index)
        own_prefix = settings.SITE_URL + "/credentials/status/"
        own = _issuer_id(credential) == keys.issuer_did()
        if own and url.startswith(own_prefix) and url[len(own_prefix) :].isdigit():
            if locally_revoked(int(url[len(own_prefix) :]), index) if index < STATUS_LIST_SIZE else True:
                return True
            continue
        issuer = resolver.issuers.get(_issuer_id(credential))
        held = [c for c in (issuer.status_lists if issuer else []) if isinstance(c, dict) and c.get("id") == url]
        if not held:
            raise Refused(
                _("The revocation status cannot be checked offline: add the issuer's current status list (%(url)s) "
                  "to its entry in the trusted issuers.") % {"url": url[:120]}
            )  # fmt: skip
        status_list = held[0]
        try:
            verify_proof(status_list, resolver)
            if _issuer_id(status_list) != _issuer_id(credential):
                raise ProofError("status list of another issuer")
            if bit_is_set(status_list["credentialSubject"]["encodedList"], index):
                return True
        except (ProofError, KeyError, TypeError, ValueError):
            raise Refused(_("The issuer's status list held here is not valid; ask the issuer for a new one.")) from None
    return False


def check_credential(credential, resolver: KeyResolver, *, proof_checked: bool = False, depth: int = 0) -> None:
    """Everything but the outer signature (or that too, for JSON): contexts, issuer, dates, status, nested ones."""
    if not isinstance(credential, dict) or "@context" not in credential or "type" not in credential:
        raise Refused(str(NOT_A_CREDENTIAL))  # other JSON (a "my data" file, say): not a credential at all
    if not known_contexts(credential):
        raise Refused(str(UNKNOWN_KIND))
    types = credential.get("type")
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        raise Refused(_("The file is not a verifiable credential."))
    issuer = _issuer_id(credential)
    if not proof_checked:
        try:
            proof = verify_proof(credential, resolver)
        except UnknownKey:
            raise Refused(_("The credential's issuer is not on the list of trusted issuers.")) from None
        except ProofError:
            raise Refused(_("The signature does not match the content: the credential was altered."), ALTERED) \
                from None  # fmt: skip
        except RemoteContextRefused:
            raise Refused(str(UNKNOWN_KIND))\
                from None  # fmt: skip
        if not proof["verificationMethod"].startswith(issuer + "#"):
            raise Refused(_("The credential was signed with a key that does not belong to its issuer."), ALTERED)
    if not resolver.trusts(issuer):
        raise Refused(_("The credential's issuer is not on the list of trusted issuers."))
    now = datetime.now(UTC)
    valid_from, valid_until = _parse_time(credential.get("validFrom")), _parse_time(credential.get("validUntil"))
    if valid_from and valid_from > now:
        raise Refused(_("The credential is not valid yet."), REVOKED)
    if valid_until and valid_until < now:
        raise Refused(_("The credential expired on %(date)s.") % {"date": valid_until.date().isoformat()}, REVOKED)
    if _status_revoked(credential, resolver):
        raise Refused(_("The issuer has revoked this credential."), REVOKED)
    subject = credential.get("credentialSubject")
    nested = subject.get("verifiableCredential") if isinstance(subject, dict) else None
    if nested is not None:
        if depth > 0 or not isinstance(nested, list) or len(nested) > MAX_NESTED_CREDENTIALS:
            raise Refused(_("The credential holds other credentials in a form this registry cannot check."))
        for inner in nested:
            if _issuer_id(inner) != issuer:
                raise Refused(_("A credential inside the record comes from another issuer."))
            check_credential(inner, resolver, proof_checked="proof" not in inner, depth=depth + 1)


def _verify_jwt(token: str, resolver: KeyResolver) -> dict:
    """VC-JWT (OB 3.0): check the signature with `cryptography` and that iss, jti, nbf and sub match the credential."""
    parts = token.split(".")
    if len(parts) != 3:
        raise Refused(str(NOT_A_CREDENTIAL))
    try:
        header = load_json(_b64(parts[0]))
        payload = load_json(_b64(parts[1]))
        signature = _b64(parts[2])
    except (ValueError, TypeError):
        raise Refused(_("The token is damaged: it was altered or cut short."), ALTERED) from None
    if not isinstance(header, dict) or header.get("alg") not in ("EdDSA", "ES256"):
        raise Refused(_("The token is signed with an algorithm this registry does not accept."))
    public_key = resolver(header.get("kid"))
    if public_key is None:
        raise Refused(_("The credential's issuer is not on the list of trusted issuers."))
    signed = f"{parts[0]}.{parts[1]}".encode()
    try:
        if header["alg"] == "EdDSA" and isinstance(public_key, ed25519.Ed25519PublicKey):
            public_key.verify(signature, signed)
        elif header["alg"] == "ES256" and isinstance(public_key, ec.EllipticCurvePublicKey) and len(signature) == 64:
            der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
            public_key.verify(der, signed, ec.ECDSA(hashes.SHA256()))
        else:
            raise InvalidSignature
    except InvalidSignature:
        raise Refused(_("The signature does not match the content: the credential was altered."), ALTERED) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("vc"), dict):
        raise Refused(str(NOT_A_CREDENTIAL))
    credential = payload["vc"]
    subject = credential.get("credentialSubject") if isinstance(credential.get("credentialSubject"), dict) else {}
    if (
        payload.get("iss") != _issuer_id(credential)
        or payload.get("jti") != credential.get("id")
        or payload.get("sub") != subject.get("id")
        or not header["kid"].startswith(payload.get("iss", "") + "#")
    ):
        raise Refused(_("The token's claims do not match the credential inside it."), ALTERED)
    now = datetime.now(UTC).timestamp()
    if isinstance(payload.get("nbf"), int | float) and payload["nbf"] > now + 60:
        raise Refused(_("The credential is not valid yet."), REVOKED)
    if isinstance(payload.get("exp"), int | float) and payload["exp"] < now:
        raise Refused(_("The credential has expired."), REVOKED)
    return credential


def verify_credential(data: bytes | str, resolver: KeyResolver | None = None) -> Result:
    """A credential as VC-JWT (compact) or JSON with a Data Integrity proof."""
    resolver = resolver or KeyResolver()
    if isinstance(data, bytes):
        if len(data) > MAX_CREDENTIAL_BYTES:
            return Result(UNKNOWN, _("The credential is larger than %(limit)s KB.")
                          % {"limit": MAX_CREDENTIAL_BYTES // 1024})  # fmt: skip
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            return Result(UNKNOWN, str(NOT_A_CREDENTIAL))
    text = data.strip()
    kind = "json" if text[:1] in ("{", "[") else "jwt"
    try:
        if kind == "jwt":
            credential = _verify_jwt(text, resolver)
            check_credential(credential, resolver, proof_checked=True)
        else:
            credential = load_json(text)
            check_credential(credential, resolver)
    except Refused as exc:
        return Result(exc.verdict, str(exc), kind=kind)
    return Result(GENUINE, _("The signature is valid, the issuer is trusted and the credential is not revoked."),
                  kind=kind, credential=credential, issuer_did=_issuer_id(credential))  # fmt: skip


# PDFs ---------------------------------------------------------------------------------------------------------------

STREAM = re.compile(rb"stream\r?\n")


def check_pdf_bounds(data: bytes) -> None:
    """Refuse a PDF that is too large, has too many objects, or whose streams inflate beyond the budget (a bomb),
    before any PDF library reads it."""
    if len(data) > MAX_PDF_BYTES:
        raise Refused(_("The PDF is larger than %(limit)s MB.") % {"limit": MAX_PDF_BYTES // (1024 * 1024)})
    if not data.startswith(b"%PDF-"):
        raise Refused(_("The file is not a PDF."))
    if data.count(b" obj") > MAX_PDF_OBJECTS:
        raise Refused(_("The PDF has too many objects to be checked."))
    budget = MAX_INFLATED_BYTES
    for match in STREAM.finditer(data):
        end = data.find(b"endstream", match.end())
        if end < 0:
            break
        inflater = zlib.decompressobj()
        try:
            out = inflater.decompress(data[match.end() : end], budget + 1)
        except zlib.error:
            continue  # not a Flate stream (an image, say): it is not inflated by the check either
        budget -= len(out)
        if budget < 0 or inflater.unconsumed_tail:
            raise Refused(_("The PDF unpacks to far more than it weighs (a compression bomb); it is not read."))


def _embedded_credential(reader) -> str:
    """The CLR credential attached to a transcript, if any (bounded: the PDF passed check_pdf_bounds)."""
    try:
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
        for i in range(0, min(len(names), 20), 2):
            spec = names[i + 1].get_object()
            if str(spec.get("/UF", spec.get("/F", ""))).endswith(".jwt"):
                return spec["/EF"]["/F"].get_object().data.decode("utf-8", "replace")
    except (KeyError, AttributeError, TypeError, IndexError):
        return ""
    return ""


def verify_pdf(data: bytes) -> Result:
    """A transcript PDF: the signature intact, made by our certificate, covering the whole file, and the file the very
    one issued here (its SHA-256 is on record), not revoked."""
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        check_pdf_bounds(data)
    except Refused as exc:
        return Result(exc.verdict, str(exc), kind="pdf")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - any parse failure of an untrusted file means the same thing
        return Result(ALTERED, _("The PDF is damaged or was changed: it cannot be read as issued."), kind="pdf")
    if not signatures:
        return Result(UNKNOWN, _("The PDF carries no digital signature: it was not issued by this registry."),
                      kind="pdf")  # fmt: skip
    roots = [x509.Certificate.load(pem.unarmor(p)[2]) for p in keys.trusted_roots_pem()]
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = outside_event_loop(validate_pdf_signature, signatures[-1], context, skip_diff=True)
    except Exception:  # noqa: BLE001
        return Result(ALTERED, _("The PDF's signature is damaged: the file was changed."), kind="pdf")
    if not (status.intact and status.valid):
        return Result(ALTERED, _("The signature does not match the content: the PDF was changed after signing."),
                      kind="pdf")  # fmt: skip
    if not status.trusted:
        return Result(UNKNOWN, _("The PDF is signed, but not by this registry."), kind="pdf")
    if len(signatures) != 1 or status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return Result(ALTERED, _("Something was added to the PDF after it was signed."), kind="pdf")
    transcript = (
        Transcript.objects.select_related("learner", "issued_by__institution")
        .filter(content_sha256=hashlib.sha256(data).hexdigest())
        .first()
    )
    if transcript is None and not _embedded_credential(reader):
        # A batch of many transcripts is signed as a whole but recorded transcript by transcript.
        return Result(UNKNOWN, _("The file was signed here but is not one transcript (a batch?): check each "
                                 "transcript by the code beside its QR code."), kind="pdf")  # fmt: skip
    if transcript is None:
        # Our signature over a transcript we never issued: bytes the signature does not cover were changed.
        return Result(ALTERED, _("The signature is valid, but the file is not byte for byte the copy issued here."),
                      kind="pdf")  # fmt: skip
    result = transcript_result(transcript, kind="pdf")
    result.credential = {"jwt": _embedded_credential(reader)} if result.genuine else None
    return result


def transcript_result(transcript: Transcript | None, *, kind: str) -> Result:
    if transcript is None:
        return Result(UNKNOWN, _("No transcript has this code. Check the code printed beside the QR code."), kind=kind)
    if transcript.revoked_at:
        return Result(REVOKED, _("This transcript was revoked."), kind=kind, transcript=transcript)
    reason = (
        _("The signature is valid, the content is the copy issued here, and it has not been revoked.")
        if kind == "pdf"
        else _(
            "A transcript with this code was issued by the Phichit Provincial Credit Bank and has not been revoked. "
            "Compare the details below with the paper; to be sure the paper was not changed, check its PDF too (see "
            "below)."
        )
    )
    return Result(GENUINE, reason, kind=kind, transcript=transcript)


def verify_code(code: str) -> Result:
    code = code_as_typed(code)
    if Transcript.NUMBER_SHAPE.fullmatch(code):  # counted, so it opens nothing here: anyone could list them all
        return Result(
            UNKNOWN,
            _("That is the transcript's number. Type the verification code printed beside the QR code instead "
              "(12 letters and digits), or upload the PDF."),
            kind="code",
            typing_slip=True,
        )  # fmt: skip
    if code and len(code) != CODE_LENGTH:  # a wrong shape is a typing slip, not a code that was never issued
        return Result(
            UNKNOWN,
            _("A verification code has 12 letters and digits; this one has %(n)s. Check it against the code printed "
              "beside the QR code.") % {"n": len(code)},
            kind="code",
            typing_slip=True,
        )  # fmt: skip
    if misread := sorted(set(code) - set(CODE_ALPHABET)):
        return Result(
            UNKNOWN,
            _("A verification code never holds %(chars)s (they are too easily misread). Check it against the code "
              "printed beside the QR code.") % {"chars": ", ".join(misread)},
            kind="code",
            typing_slip=True,
        )  # fmt: skip
    transcript = (
        Transcript.objects.select_related("learner", "issued_by__institution").filter(verification_code=code).first()
        if code
        else None
    )
    return transcript_result(transcript, kind="code")


def code_as_typed(typed: str) -> str:
    """The code in what someone typed or pasted: as printed or read aloud ("2NKM-5F3T CR4N"), with the slash the
    printed link ends with, or the whole link from the QR code (".../verify/2NKM5F3TCR4N/")."""
    text = clean_text(typed)
    if "/verify/" in text:
        text = text.rsplit("/verify/", 1)[1].split("?", 1)[0]  # an English transcript's link ends with ?lang=en
    return re.sub(r"[^0-9A-Za-z]", "", text).upper()[:32]


def verify_file(data: bytes, resolver: KeyResolver | None = None) -> Result:
    """A PDF or a credential, told apart by its first bytes."""
    if data[:5] == b"%PDF-":
        return verify_pdf(data)
    return verify_credential(data, resolver)
