"""Signed transcripts, open credentials, verification and exchange (#16). Keys are made for the test run only."""

import base64
import copy
import datetime
import io
import json
import re
import socket
import time
import zlib
from decimal import Decimal

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from jwcrypto import jwk, jws
from pypdf import PdfReader

from registry.services import deposit_void
from tests.factories import CourseFactory, DepositFactory, LearnerFactory
from transcripts.credentials import achievement_credential, did_document, identity_hash, sign_data_integrity, sign_jwt
from transcripts.keys import create_keys, issuer_did, published_credential_keys
from transcripts.models import CredentialImport, CredentialKind, IssuedCredential, Transcript, TrustedIssuer
from transcripts.services import credential_revoke, credentials_issue, transcript_issue, transcript_revoke
from transcripts.statuslist import bit_is_set
from transcripts.verification import verify_credential, verify_pdf
from transfers.models import RequestStatus, TransferRequest, Verdict

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(learner_user, registrar, school):
    learner = learner_user.learner
    for code, title, grade in [("ท21101", "ภาษาไทย 1", "3.5"), ("ว21101", "วิทยาศาสตร์ 1", "4")]:
        course = CourseFactory(institution=school, code=code, title_th=title, credits=Decimal("1.5"))
        DepositFactory(learner=learner, course=course, grade=grade, recorded_by=registrar)
    return learner


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test: verification must never fetch anything."""

    def refuse(*args, **kwargs):
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def clr(record, learner_user):
    credential, _achievements = credentials_issue(actor=learner_user, learner=record)
    return credential


def tamper(pdf: bytes, offset: int) -> bytes:
    return pdf[:offset] + bytes([pdf[offset] ^ 0x01]) + pdf[offset + 1 :]


def jwt_payload(token: str) -> dict:
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


# Signed PDFs --------------------------------------------------------------------------------------------------------


def test_a_transcript_is_pdfa3b_signed_and_carries_its_clr_credential(record, learner_user, no_network):
    transcript, pdf = transcript_issue(actor=learner_user, learner=record)
    reader = PdfReader(io.BytesIO(pdf))
    xmp = reader.xmp_metadata.stream.get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp
    assert "/Version" not in reader.trailer["/Root"] and reader.trailer["/Root"]["/AF"]  # PDF 1.7, file associated
    attachments = reader.attachments
    assert list(attachments) == ["clr-credential.jwt"]
    token = attachments["clr-credential.jwt"][0].decode()
    assert jwt_payload(token)["vc"]["type"] == ["VerifiableCredential", "ClrCredential"]
    assert verify_credential(token).verdict == "genuine"
    field = next(
        a.get_object() for p in reader.pages for a in p.get("/Annots", []) if a.get_object().get("/FT") == "/Sig"
    )
    x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
    assert x2 - x1 > 100 and y2 - y1 > 40  # a visible signature over the signature block
    result = verify_pdf(pdf)
    assert result.verdict == "genuine" and result.transcript == transcript


def test_the_learners_masked_copy_carries_no_hash_of_the_id_and_the_official_copy_does(
    record, learner_user, registrar, no_network
):
    """The learner's copy prints the ID masked, but its attached record carried the ID's salted hash and salt: from
    the digits printed, the whole ID was found in minutes by trying the rest."""

    def attached(pdf):
        token = PdfReader(io.BytesIO(pdf)).attachments["clr-credential.jwt"][0].decode()
        return jwt_payload(token)["vc"]

    _t, own = transcript_issue(actor=learner_user, learner=record)
    text = json.dumps(attached(own))
    assert "identityHash" not in text and "IdentityObject" not in text
    assert attached(own)["credentialSubject"]["id"].startswith("urn:uuid:")  # still one learner's, by pseudonym
    _t, official = transcript_issue(actor=registrar, learner=record, official=True)
    identity = attached(official)["credentialSubject"]["identifier"][0]  # the official copy prints the ID whole
    assert identity["identityHash"] == identity_hash(record.national_id, identity["salt"])


@pytest.mark.parametrize("where", [0.3, 0.6, 0.97])
def test_a_pdf_changed_by_one_byte_is_altered(record, learner_user, where, no_network):
    _transcript, pdf = transcript_issue(actor=learner_user, learner=record)
    result = verify_pdf(tamper(pdf, int(len(pdf) * where)))
    assert result.verdict == "altered", result.reason


def test_a_pdf_with_something_appended_after_signing_is_altered(record, learner_user):
    _transcript, pdf = transcript_issue(actor=learner_user, learner=record)
    assert verify_pdf(pdf + b"\n% added later\n").verdict == "altered"


def test_a_signed_batch_file_is_sent_to_the_codes_of_its_transcripts(settings):
    from weasyprint import HTML

    from transcripts.signing import sign_pdf

    settings.LANGUAGE_CODE = "en"
    result = verify_pdf(sign_pdf(HTML(string="<p>two transcripts</p>").write_pdf()))
    assert result.verdict == "unknown" and "not one transcript" in result.reason


def test_the_pdf_signer_signs_with_the_key_it_parsed_once(settings, monkeypatch):
    """A worker parses the signing key once: `cryptography` checks an RSA key at every parse (0.1–0.2 s), which
    pyHanko's own SimpleSigner does for each signature. A signature made after parsing is forbidden still verifies."""
    from pyhanko.sign.signers import pdf_cms
    from weasyprint import HTML

    from transcripts.keys import pdf_signer
    from transcripts.signing import sign_pdf

    pdf_signer()  # read from the files once, as a worker's first transcript does

    def parse_again(*args, **kwargs):
        raise AssertionError("the signing key was parsed again for a signature")

    monkeypatch.setattr(pdf_cms.serialization, "load_der_private_key", parse_again)
    settings.LANGUAGE_CODE = "en"
    result = verify_pdf(sign_pdf(HTML(string="<p>ใบแสดงผลการเรียน</p>").write_pdf()))
    assert result.verdict == "unknown" and "not one transcript" in result.reason  # our signature, no transcript


def test_a_revoked_transcript_pdf_is_revoked(record, learner_user, provincial):
    transcript, pdf = transcript_issue(actor=learner_user, learner=record)
    transcript_revoke(actor=provincial, transcript_id=transcript.pk, reason="ออกผิดฉบับ")
    assert verify_pdf(pdf).verdict == "revoked"


def test_a_pdf_signed_under_another_root_is_not_genuine(record, learner_user, settings, tmp_path):
    own = settings.ISSUER_KEYS_DIR
    create_keys(tmp_path / "other")
    settings.ISSUER_KEYS_DIR = tmp_path / "other"
    _transcript, pdf = transcript_issue(actor=learner_user, learner=record)
    settings.ISSUER_KEYS_DIR = own
    result = verify_pdf(pdf)
    assert result.verdict == "unknown" and result.transcript is None


def test_after_rotation_old_pdfs_and_credentials_still_verify(record, learner_user, clr, settings, tmp_path):
    settings.ISSUER_KEYS_DIR = tmp_path / "keys"
    create_keys(settings.ISSUER_KEYS_DIR)
    _transcript, pdf = transcript_issue(actor=learner_user, learner=record)
    token = sign_jwt(clr)
    call_command("issuer_keys", "--rotate", "--dir", str(settings.ISSUER_KEYS_DIR))
    assert len(published_credential_keys()) == 2 and len(did_document()["verificationMethod"]) == 2
    assert verify_pdf(pdf).verdict == "genuine"
    assert verify_credential(token).verdict == "genuine"
    fresh = sign_jwt(clr)
    assert (
        json.loads(base64.urlsafe_b64decode(fresh.split(".")[0] + "=="))["kid"]
        != json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))["kid"]
    )
    assert verify_credential(fresh).verdict == "genuine"


def test_the_root_certificate_and_did_document_are_published(client, issuer_keys):
    assert client.get(reverse("transcripts:issuer_pem")).content == (issuer_keys / "root.pem").read_bytes()
    document = client.get(reverse("transcripts:did")).json()
    assert document["id"] == issuer_did() and issuer_did().startswith("did:web:")
    method = document["verificationMethod"][0]
    assert method["type"] == "Multikey" and method["publicKeyMultibase"].startswith("z6Mk")
    assert document["assertionMethod"] == [method["id"]]


# Credentials --------------------------------------------------------------------------------------------------------


def test_credentials_name_the_learner_only_by_a_salted_hash(clr, record):
    text = json.dumps(clr, ensure_ascii=False)
    assert record.national_id not in text and record.last_name not in text
    identity = clr["credentialSubject"]["identifier"][0]
    assert identity["type"] == "IdentityObject" and identity["hashed"] is True
    assert identity["identityHash"] == identity_hash(record.national_id, identity["salt"])
    achievement = clr["credentialSubject"]["verifiableCredential"][0]["credentialSubject"]
    assert achievement["creditsEarned"] == 1.5 and achievement["result"][0]["value"] in ("3.5", "4")
    course = record.deposits.first().course
    assert {f"level:{course.level}", f"learningType:{course.learning_type}"} <= set(achievement["achievement"]["tag"])


def test_vc_jwt_verifies_with_jwcrypto_and_its_claims_match_the_credential(clr, issuer_keys):
    token = sign_jwt(clr)
    private = serialization.load_pem_private_key((issuer_keys / "credential.key").read_bytes(), password=None)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    checker = jws.JWS()
    checker.deserialize(token)
    checker.verify(jwk.JWK.from_pem(public_pem), alg="EdDSA")  # jwcrypto, not joserfc which signed it
    claims = json.loads(checker.payload)
    assert claims["iss"] == clr["issuer"]["id"] and claims["jti"] == clr["id"]
    assert claims["sub"] == clr["credentialSubject"]["id"] and isinstance(claims["nbf"], int)
    assert verify_credential(token).verdict == "genuine"  # and with `cryptography` directly


def test_json_credential_with_data_integrity_proof_is_genuine_and_a_changed_field_is_altered(clr, no_network):
    signed = sign_data_integrity(clr)
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert verify_credential(json.dumps(signed)).verdict == "genuine"
    changed = copy.deepcopy(signed)
    changed["credentialSubject"]["verifiableCredential"][0]["credentialSubject"]["result"][0]["value"] = "4"
    changed["credentialSubject"]["verifiableCredential"][0]["credentialSubject"]["creditsEarned"] = 9.0
    assert verify_credential(json.dumps(changed)).verdict == "altered"
    renamed = copy.deepcopy(signed)
    renamed["name"] = "Something else"
    assert verify_credential(json.dumps(renamed)).verdict == "altered"


def test_a_changed_jwt_is_altered(clr):
    header, payload, signature = sign_jwt(clr).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["vc"]["name"] = "แก้ไข"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    assert verify_credential(f"{header}.{forged}.{signature}").verdict == "altered"


def test_a_p256_key_signs_es256_jwts_and_ecdsa_proofs(clr, settings, tmp_path):
    settings.ISSUER_KEYS_DIR = tmp_path / "p256"
    call_command("issuer_keys", "--p256", "--dir", str(settings.ISSUER_KEYS_DIR))
    token = sign_jwt(clr)
    assert json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))["alg"] == "ES256"
    assert verify_credential(token).verdict == "genuine"
    signed = sign_data_integrity(clr, nested=False)
    assert signed["proof"]["cryptosuite"] == "ecdsa-rdfc-2019"
    assert verify_credential(json.dumps(signed)).verdict == "genuine"


def test_a_voided_deposit_and_a_revoked_credential_show_on_the_status_list(client, clr, record, registrar, provincial):
    token = sign_jwt(clr)
    achievement = clr["credentialSubject"]["verifiableCredential"][0]
    entry = achievement["credentialStatus"]
    assert verify_credential(token).verdict == "genuine"
    deposit = IssuedCredential.objects.get(pk=int(entry["statusListIndex"])).deposit
    deposit_void(actor=registrar, deposit_id=deposit.pk, reason="บันทึกผิดวิชา")
    status_list = client.get(reverse("transcripts:status_list", args=[1])).json()
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert bit_is_set(status_list["credentialSubject"]["encodedList"], int(entry["statusListIndex"]))
    assert not bit_is_set(
        status_list["credentialSubject"]["encodedList"], int(clr["credentialStatus"]["statusListIndex"])
    )
    assert verify_credential(json.dumps(status_list)).verdict == "genuine"
    result = verify_credential(token)
    assert result.verdict == "revoked"  # a CLR holding a voided credit is revoked in part
    credential_revoke(actor=provincial, credential_id=int(clr["credentialStatus"]["statusListIndex"]), reason="ทดสอบ")
    assert verify_credential(sign_jwt(achievement)).verdict == "revoked"


def test_a_credential_from_an_untrusted_issuer_is_unknown(clr, settings, tmp_path):
    settings.ISSUER_KEYS_DIR, settings.SITE_URL = tmp_path / "other", "https://other-bank.example"
    create_keys(settings.ISSUER_KEYS_DIR)
    foreign = sign_jwt({**clr, "issuer": {"id": issuer_did(), "type": ["Profile"], "name": "อื่น"}})
    settings.SITE_URL = "https://creditbank.phichit.example"
    settings.ISSUER_KEYS_DIR = settings.ISSUER_KEYS_DIR.parent / "missing"
    result = verify_credential(foreign)
    assert result.verdict == "unknown" and result.credential is None


# Exchange -----------------------------------------------------------------------------------------------------------


@pytest.fixture
def self_trusted():
    """This registry listed as a trusted issuer, as if its credentials came from another credit bank."""
    return TrustedIssuer.objects.create(did=issuer_did(), name="ธนาคารหน่วยกิตจังหวัดพิจิตร", did_document=did_document())


def test_a_credential_from_a_trusted_bank_becomes_a_transfer_in_request(
    client, clr, record, provincial, programme, dst, self_trusted, no_network
):
    from transcripts.exchange import credential_import

    data = sign_jwt(clr).encode()
    deposits_before = record.deposits.count()
    request = credential_import(actor=provincial, data=data, learner=record, programme=programme,
                                targets={0: dst["ท21101"].pk, 1: dst["ว21101"].pk})  # fmt: skip
    assert request.status == RequestStatus.SUBMITTED and request.learner == record
    items = list(request.items.order_by("target_course__code"))
    assert [i.verdict for i in items] == [Verdict.ASSESSMENT] * 2
    assert {i.conditions[0]["params"]["code"] for i in items} == {"ท21101", "ว21101"}
    assert record.deposits.count() == deposits_before  # never a direct deposit
    assert CredentialImport.objects.get().transfer_request == request
    with pytest.raises(ValidationError, match="นำเข้าไปแล้ว"):
        credential_import(
            actor=provincial, data=data, learner=record, programme=programme, targets={0: dst["ท21101"].pk}
        )


def test_the_import_page_checks_then_makes_the_request(client, clr, record, provincial, programme, dst, self_trusted):
    client.force_login(provincial)
    url = reverse("transcripts:credential_import")
    upload = SimpleUploadedFile("clr.jwt", sign_jwt(clr).encode())
    page = client.post(url, {"file": upload, "national_id": record.national_id, "programme": programme.pk})
    html = page.content.decode()
    assert 'data-verdict="genuine"' in html and "target_1" in html and TransferRequest.objects.count() == 0
    credential = page.context["form"].data["credential"]
    response = client.post(url, {"credential": credential, "national_id": record.national_id, "programme": programme.pk,
                                 "target_0": dst["ท21101"].pk, "target_1": "", "commit": "1"})  # fmt: skip
    request = TransferRequest.objects.get()
    assert response.status_code == 302 and request.items.count() == 1


@pytest.mark.parametrize("problem", ["tampered", "revoked", "untrusted", "other_learner", "expired"])
def test_a_bad_credential_is_refused_with_its_reason_and_nothing_is_written(
    client, clr, record, provincial, programme, dst, self_trusted, problem
):
    credential = copy.deepcopy(clr)
    national_id = record.national_id
    if problem == "expired":
        credential["validUntil"] = "2020-01-01T00:00:00Z"
    data = sign_jwt(credential)
    if problem == "tampered":
        head, payload, sig = data.split(".")
        claims = jwt_payload(data)
        claims["vc"]["credentialSubject"]["verifiableCredential"][0]["credentialSubject"]["creditsEarned"] = 40
        data = f"{head}.{base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip('=')}.{sig}"
    elif problem == "revoked":
        credential_revoke(actor=provincial, credential_id=int(clr["credentialStatus"]["statusListIndex"]), reason="x")
    elif problem == "untrusted":
        self_trusted.active = False
        self_trusted.save()
    elif problem == "other_learner":
        national_id = LearnerFactory().national_id
    client.force_login(provincial)
    upload = SimpleUploadedFile("c.jwt", data.encode())
    page = client.post(reverse("transcripts:credential_import"),
                       {"file": upload, "national_id": national_id, "programme": programme.pk,
                        "target_0": dst["ท21101"].pk, "commit": "1"})  # fmt: skip
    html = page.content.decode()
    assert page.status_code == 200 and TransferRequest.objects.count() == 0 and CredentialImport.objects.count() == 0
    expected = {"tampered": "altered", "revoked": "revoked", "untrusted": "unknown", "expired": "revoked"}
    if problem in expected:
        assert f'data-verdict="{expected[problem]}"' in html
    else:
        assert "ไม่ได้ออกให้ผู้เรียนคนนี้" in html and 'value="' + national_id + '"' in html


# Hostile input ------------------------------------------------------------------------------------------------------


def pdf_bomb() -> bytes:
    stream = zlib.compress(b"\0" * (60 * 1024 * 1024), 9)
    return (
        (b"%%PDF-1.7\n1 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream))
        + stream
        + (b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
    )


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        ("big.pdf", lambda: b"%PDF-1.7\n" + b"0" * (5 * 1024 * 1024 + 10), "larger than 5 MB"),
        ("bomb.pdf", pdf_bomb, "compression bomb"),
        ("deep.json", lambda: b"[" * 100000 + b"]" * 100000, "nested too deeply"),
        ("deep2.json", lambda: ('{"a":' * 200 + "1" + "}" * 200).encode(), "nested too deeply"),
        ("wide.json", lambda: json.dumps({"@context": ["x"] * 300000}).encode(), "larger than 1024 KB"),
        ("many.json", lambda: json.dumps({"a": [[1]] * 60000}).encode(), "too many parts"),
        ("notes.txt", lambda: "บันทึกของฉัน".encode(), "choose the file as you received it"),
        ("data.json", lambda: b'{"learner": {"name": "x"}}', "choose the file as you received it"),
        (
            "nested.pdf",
            lambda: b"%PDF-1.7\n1 0 obj\n" + b"[" * 50000 + b"]" * 50000 + b"\nendobj\n%%EOF\n",
            "damaged or was changed",
        ),
    ],
)
def test_hostile_files_are_refused_quickly_with_a_reason(
    client, record, learner_user, settings, name, make, words, no_network
):
    transcript, _pdf = transcript_issue(actor=learner_user, learner=record)
    counts = (Transcript.objects.count(), IssuedCredential.objects.count(), TransferRequest.objects.count())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    started = time.perf_counter()
    page = client.post(reverse("transcripts:verify_start"), {"file": SimpleUploadedFile(name, make())})
    assert time.perf_counter() - started < 3
    html = page.content.decode()
    assert page.status_code == 200 and 'data-verdict="genuine"' not in html
    assert words in html, html[html.find("verdict") - 200 : html.find("verdict") + 600]
    assert (Transcript.objects.count(), IssuedCredential.objects.count(), TransferRequest.objects.count()) == counts
    assert client.get(reverse("transcripts:verify", args=[transcript.verification_code])).status_code == 200


def test_a_credential_with_a_remote_context_or_key_url_is_refused_without_fetching(clr, no_network):
    signed = sign_data_integrity(clr, nested=False)
    with_remote = {**signed, "@context": [*signed["@context"], "https://evil.example/context.jsonld"]}
    result = verify_credential(json.dumps(with_remote))
    from transcripts.verification import UNKNOWN_KIND

    assert result.verdict == "unknown" and result.reason == str(UNKNOWN_KIND)  # says to ask the issuer
    key_url = copy.deepcopy(signed)
    key_url["proof"]["verificationMethod"] = "https://evil.example/keys/1"
    result = verify_credential(json.dumps(key_url))
    assert result.verdict != "genuine" and ("evil.example" in result.reason)
    header = base64.urlsafe_b64encode(json.dumps({"alg": "EdDSA", "kid": "https://evil.example/k"}).encode())
    token = header.decode().rstrip("=") + "." + sign_jwt(clr).split(".", 1)[1]
    assert verify_credential(token).verdict != "genuine"


# Learner downloads, the public page and the command -------------------------------------------------------------------


def test_the_learner_downloads_the_clr_and_each_credit_as_jwt_and_json(client, learner_user, record):
    client.force_login(learner_user)
    assert reverse("transcripts:my_credentials") in client.get(reverse("home")).content.decode()
    page = client.get(reverse("transcripts:my_credentials")).content.decode()
    assert "ท21101" in page
    # Said first when these files are needed at all (a learner read "CLR, JWT, JSON-LD" and could not act on it);
    # each course's button is the JSON file, as for the whole record, with JWT beside it as a plain link.
    assert "ส่วนใหญ่ใช้เพียงใบแสดงผลการเรียน (PDF)" in page.split('id="when-needed"', 1)[1][:300]
    deposit = record.deposits.first()
    json_link = reverse("transcripts:my_deposit_credential", args=[deposit.pk, "json"])
    assert f'class="btn btn-sm btn-outline-primary tap" href="{json_link}"' in page
    token = client.post(reverse("transcripts:my_clr", args=["jwt"])).content.decode()
    document = client.post(reverse("transcripts:my_clr", args=["json"])).content
    assert verify_credential(token).verdict == "genuine" and verify_credential(document).verdict == "genuine"
    deposit = record.deposits.first()
    single = client.get(reverse("transcripts:my_deposit_credential", args=[deposit.pk, "json"])).content
    assert json.loads(single)["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert verify_credential(single).verdict == "genuine"


def test_the_clr_is_issued_by_a_button_and_a_plain_link_issues_nothing(client, learner_user, record):
    """Each CLR download is a new issued credential (a place on the status list): a GET, as a prefetch or a crawler
    sends, is refused and records nothing; the page offers the download as a form that carries the CSRF token."""
    client.force_login(learner_user)
    url = reverse("transcripts:my_clr", args=["jwt"])
    before = IssuedCredential.objects.filter(kind=CredentialKind.CLR, learner=record).count()
    assert client.get(url)["Location"] == reverse("transcripts:my_credentials")  # to the page with the button
    assert IssuedCredential.objects.filter(kind=CredentialKind.CLR, learner=record).count() == before
    page = client.get(reverse("transcripts:my_credentials")).content.decode()
    assert f'<form method="post" action="{url}">' in page and "csrfmiddlewaretoken" in page
    assert client.post(url).status_code == 200
    assert IssuedCredential.objects.filter(kind=CredentialKind.CLR, learner=record).count() == before + 1


def test_the_verify_page_checks_an_uploaded_pdf_and_keeps_the_typed_code(client, record, learner_user):
    transcript, pdf = transcript_issue(actor=learner_user, learner=record)
    url = reverse("transcripts:verify_start")
    page = client.post(url, {"file": SimpleUploadedFile("t.pdf", pdf)}).content.decode()
    assert 'data-verdict="genuine"' in page and transcript.number in page and record.national_id not in page
    page = client.post(url, {"file": SimpleUploadedFile("t.pdf", tamper(pdf, len(pdf) // 2))}).content.decode()
    assert 'data-verdict="altered"' in page and transcript.number not in page
    page = client.post(url, {"code": "ABC"}).content.decode()
    assert 'data-verdict="unknown"' in page and 'value="ABC"' in page
    page = client.post(url, {"code": ""}).content.decode()
    assert "error-summary" in page and "data-verdict" not in page


def test_a_code_and_a_file_given_together_are_both_checked_and_said_apart(client, record, learner_user, provincial):
    """Neither is quietly left out: the file's verdict, then the code's; a code of another transcript is pointed out,
    and a revoked one says what to do next."""
    first, pdf = transcript_issue(actor=learner_user, learner=record)
    second, _pdf = transcript_issue(actor=learner_user, learner=record, lang="en")
    url = reverse("transcripts:verify_start")
    both = {"file": SimpleUploadedFile("t.pdf", pdf), "code": first.verification_code}
    page = client.post(url, both).content.decode()
    assert 'id="verdict" data-verdict="genuine"' in page and 'id="verdict-code" data-verdict="genuine"' in page
    assert 'id="code-file-differ"' not in page
    transcript_revoke(actor=provincial, transcript_id=second.pk, reason="ออกผิดฉบับ")
    mixed = {"file": SimpleUploadedFile("t.pdf", pdf), "code": second.verification_code}
    page = client.post(url, mixed).content.decode()
    assert 'id="code-file-differ"' in page and 'id="verdict-code" data-verdict="revoked"' in page
    assert "ขอฉบับปัจจุบันจากผู้เรียน" in page.split('id="revoked-next-code">', 1)[1].split("</p>", 1)[0]


def test_the_addresses_a_credential_names_open_public_pages(client, record, learner_user, provincial, settings):
    """The achievement's id and its creator's id are addresses on this site: an employer following them finds the
    course (its credits, level and the rules in effect) and the institution, not a 404."""
    deposit = record.deposits.select_related("course__institution").first()
    achievement = achievement_credential(deposit, IssuedCredential(pk=1, kind=CredentialKind.ACHIEVEMENT), record)
    course_page = client.get(achievement["credentialSubject"]["achievement"]["id"].removeprefix(settings.SITE_URL))
    page = course_page.content.decode()
    assert course_page.status_code == 200 and deposit.course.title_th in page and 'id="course-facts"' in page
    creator = achievement["credentialSubject"]["achievement"]["creator"]["id"].removeprefix(settings.SITE_URL)
    page = client.get(creator).content.decode()
    assert deposit.course.institution.name_th in page and 'id="institution-facts"' in page
    assert client.get("/courses/no-such-school/X1").status_code == 404
    assert client.get(creator + "/").status_code == 200  # typed with a slash at the end, as most addresses have


def test_a_code_typed_in_groups_or_lower_case_is_found(client, record, learner_user):
    transcript, _pdf = transcript_issue(actor=learner_user, learner=record)
    code = transcript.verification_code
    typed = f" {code[:4].lower()}-{code[4:8]} {code[8:]} "
    page = client.post(reverse("transcripts:verify_start"), {"code": typed}).content.decode()
    assert 'data-verdict="genuine"' in page and transcript.number in page


def test_a_transcript_number_typed_as_the_code_finds_nothing_and_says_which_code_to_type(client, record, learner_user):
    transcript, _pdf = transcript_issue(actor=learner_user, learner=record)
    page = client.post(reverse("transcripts:verify_start"), {"code": transcript.number.lower()}).content.decode()
    assert 'data-verdict="unknown"' in page and record.first_name not in page  # a counted number opens nothing
    assert "QR" in page and "เลขที่ใบแสดงผลการเรียน" in page


def test_a_verified_credential_shows_its_date_in_the_pages_calendar(client, clr, settings):
    from registry.templatetags.thaidate import format_date

    signed = json.dumps(sign_data_integrity(clr)).encode()
    # The day in Bangkok, as the page shows it: from 17:00 UTC it is already the next day there.
    issued = timezone.localtime(datetime.datetime.fromisoformat(clr["validFrom"].replace("Z", "+00:00"))).date()
    url = reverse("transcripts:verify_start")
    page = client.post(url, {"file": SimpleUploadedFile("c.json", signed)}).content.decode()
    assert 'data-verdict="genuine"' in page
    assert (
        format_date(issued, lang="th") in page and str(issued.year + 543) in page and clr["validFrom"][:10] not in page
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.post(url, {"file": SimpleUploadedFile("c.json", signed)}).content.decode()
    assert format_date(issued, lang="en") in page


def test_a_checked_credential_says_who_issued_it_whom_it_names_and_what_it_proves_in_the_pages_language(
    client, clr, record, settings
):
    """The English check wrote the issuer's Thai name from the file and named neither the learner nor a total."""
    signed = json.dumps(sign_data_integrity(clr)).encode()
    url = reverse("transcripts:verify_start")
    page = client.post(url, {"file": SimpleUploadedFile("c.json", signed)}).content.decode()
    table = page.split('id="verified-credential"', 1)[1].split("</table>", 1)[0]
    assert "สำนักงานศึกษาธิการจังหวัดพิจิตร" in table and record.initialled_name in table
    assert record.last_name not in page  # named as the public pages name people, never in full
    assert "<td>2</td>" in table and "<td>3</td>" in table  # two courses of 1.5 credits
    courses = page.split('id="credential-courses"', 1)[1].split("</table>", 1)[0]
    assert "ท21101 ภาษาไทย 1" in courses and "ว21101 วิทยาศาสตร์ 1" in courses  # which courses, not only how many
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.post(url, {"file": SimpleUploadedFile("c.json", signed)}).content.decode()
    table = page.split('id="verified-credential"', 1)[1].split("</table>", 1)[0]
    assert "Phichit Provincial Education Office" in table and "Comprehensive learner record" in table
    assert not re.search("[\u0e00-\u0e7f]", table.replace(record.initialled_name, ""))  # no Thai but the name


def test_verify_credential_command_checks_pdfs_and_json(record, learner_user, clr, tmp_path, capsys):
    _transcript, pdf = transcript_issue(actor=learner_user, learner=record)
    (tmp_path / "t.pdf").write_bytes(pdf)
    (tmp_path / "bad.pdf").write_bytes(tamper(pdf, len(pdf) // 2))
    (tmp_path / "c.json").write_text(json.dumps(sign_data_integrity(clr)))
    call_command("verify_credential", str(tmp_path / "t.pdf"))
    call_command("verify_credential", str(tmp_path / "c.json"))
    assert capsys.readouterr().out.count("genuine") == 2
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_credential", str(tmp_path / "bad.pdf"))
    assert exit_.value.code == 1 and "altered" in capsys.readouterr().out


def test_an_upload_far_over_the_limit_is_refused_before_its_body_is_read(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.post(
        reverse("transcripts:verify_start"), {"file": SimpleUploadedFile("x.pdf", b"%PDF-" + b"0" * (6 << 20))}
    )
    assert page.status_code == 413 and 'data-verdict="unknown"' in page.content.decode()
    assert "larger than 5 MB" in page.content.decode()


def test_each_courses_download_links_are_named_by_the_course_for_a_screen_reader(client, record, learner_user):
    client.force_login(learner_user)
    page = client.get(reverse("transcripts:my_credentials")).content.decode()
    links = re.findall(r'download>(JWT|ดาวน์โหลด)<span class="visually-hidden">: ([^<]+)</span></a>', page)
    codes = {d.course.code for d in record.deposits.filter(status="active")}
    assert links and {name.split()[0] for _kind, name in links} <= codes and len(links) == 2 * len(codes)
    assert all(name.endswith("(JSON)") for kind, name in links if kind == "ดาวน์โหลด")  # which file, said too


@pytest.mark.parametrize("typed", ["ABCD-EFGH", "ABCD-EFGH-JK0O"])
def test_a_mistyped_code_is_called_a_typing_slip_not_a_transcript_never_issued(client, typed):
    """A code one character short, or with an O for a 0, was headed 'not found in the registry' in red: an employer
    read it as a forged transcript, when it was a slip of the keyboard."""
    page = client.post(reverse("transcripts:verify_start"), {"code": typed}).content.decode()
    start = re.search(r'<div class="alert[^"]*" id="verdict[^"]*"', page).start()
    verdict = page[start : start + 700]
    assert 'data-verdict="unknown"' in verdict  # for programs, still not a verified transcript
    assert "alert-warning" in verdict and "ตรวจรหัสอีกครั้ง" in verdict and "ไม่พบในทะเบียน" not in verdict
    box = page.split('id="id_code"', 1)[1].split(">", 1)[0]  # the box it is about is marked, and tied to it
    assert "is-invalid" in box and 'aria-invalid="true"' in box and 'aria-describedby="verdict ' in box


def test_a_file_that_is_no_transcript_is_headed_as_such_not_as_not_found_in_the_registry(client):
    """A photo or a text file was headed "not found in the registry", as if a transcript had been forged."""
    for name, data in (("note.txt", "สวัสดี".encode()), ("data.json", b'{"a": 1}')):
        page = client.post(reverse("transcripts:verify_start"), {"file": SimpleUploadedFile(name, data)}).content
        verdict = page.decode().split('id="verdict"', 1)[0][-200:] + page.decode().split('id="verdict"', 1)[1][:700]
        assert "alert-warning" in verdict and "ไม่ใช่ไฟล์ที่ตรวจสอบได้" in verdict and "ไม่พบในทะเบียน" not in verdict
