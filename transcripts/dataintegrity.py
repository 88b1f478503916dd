"""Data Integrity proofs: eddsa-rdfc-2022 (Ed25519) and, for P-256 keys, ecdsa-rdfc-2019.

W3C vc-di-eddsa §3.2: canonicalize the document and the proof configuration with RDFC-1.0, hash each with SHA-256,
sign proofHash ‖ docHash, write the signature as multibase base58btc. The tests replay the specification's vectors.
"""

import copy
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from .jsonld import LOADER, canonize

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
ED25519_PUB = b"\xed\x01"  # multicodec ed25519-pub
ED25519_PRIV = b"\x80\x26"  # multicodec ed25519-priv
P256_PUB = b"\x80\x24"  # multicodec p256-pub (compressed point)


class ProofError(ValueError):
    """The proof is missing, malformed or does not match the document."""


class UnknownKey(ProofError):
    """The proof names a key that is not one of the trusted keys."""


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = B58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def b58decode(text: str) -> bytes:
    if len(text) > 200 or any(c not in B58 for c in text):
        raise ProofError("not base58btc")
    number = 0
    for char in text:
        number = number * 58 + B58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def multikey(public_key) -> str:
    """publicKeyMultibase of a Multikey: 'z' + base58btc(multicodec prefix ‖ key bytes)."""
    from cryptography.hazmat.primitives import serialization

    if isinstance(public_key, ed25519.Ed25519PublicKey):
        raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return "z" + b58encode(ED25519_PUB + raw)
    raw = public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)
    return "z" + b58encode(P256_PUB + raw)


def public_key_from_multikey(value: str):
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofError("publicKeyMultibase must be base58btc")
    data = b58decode(value[1:])
    if data[:2] == ED25519_PUB and len(data) == 34:
        return ed25519.Ed25519PublicKey.from_public_bytes(data[2:])
    if data[:2] == P256_PUB and len(data) == 35:
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), data[2:])
    raise ProofError("unsupported key type")


def _hash_data(document: dict, proof_config: dict, loader) -> bytes:
    proof_hash = hashlib.sha256(canonize(proof_config, loader).encode()).digest()
    doc_hash = hashlib.sha256(canonize(document, loader).encode()).digest()
    return proof_hash + doc_hash


def _suite(private_or_public) -> str:
    return "eddsa-rdfc-2022" if isinstance(private_or_public, ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey) \
        else "ecdsa-rdfc-2019"  # fmt: skip


def add_proof(document: dict, *, private_key, verification_method: str, created: str, loader=LOADER) -> dict:
    """A copy of `document` with a DataIntegrityProof (proofPurpose assertionMethod)."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": _suite(private_key),
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    config = {"@context": unsecured["@context"], **proof}
    data = _hash_data(unsecured, config, loader)
    if isinstance(private_key, ed25519.Ed25519PrivateKey):
        signature = private_key.sign(data)
    else:
        r, s = decode_dss_signature(private_key.sign(data, ec.ECDSA(hashes.SHA256())))
        signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return {**copy.deepcopy(unsecured), "proof": {**proof, "proofValue": "z" + b58encode(signature)}}


def verify_proof(document: dict, resolve_key, loader=LOADER) -> dict:
    """Check the document's single proof; `resolve_key(verification_method)` returns a public key or None.

    Returns the proof; raises ProofError saying what is wrong.
    """
    proof = document.get("proof")
    if not isinstance(proof, dict):
        raise ProofError("no proof (a single proof object is expected)")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") not in (
        "eddsa-rdfc-2022",
        "ecdsa-rdfc-2019",
    ):
        raise ProofError("unsupported proof type")
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("the proof is not for assertion")
    public_key = resolve_key(proof.get("verificationMethod"))
    if public_key is None:
        raise UnknownKey("the signing key is not one this registry trusts")
    if _suite(public_key) != proof["cryptosuite"]:
        raise ProofError("the key does not fit the cryptosuite")
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofError("proofValue must be multibase base58btc")
    signature = b58decode(value[1:])
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    config["@context"] = unsecured.get("@context")
    data = _hash_data(unsecured, config, loader)
    try:
        if isinstance(public_key, ed25519.Ed25519PublicKey):
            public_key.verify(signature, data)
        else:
            if len(signature) != 64:
                raise InvalidSignature
            der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
            public_key.verify(der, data, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise ProofError("the signature does not match the content: the credential was altered") from None
    return proof
