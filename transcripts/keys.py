"""The issuer's keys: an X.509 root and signing certificate for PDFs, an Ed25519 (or P-256) key for credentials.

Settings name the files (ISSUER_* in creditbank/settings.py); by default they sit in ISSUER_KEYS_DIR, made by
`python manage.py issuer_keys`. Rotation moves the old public key or certificate to `retired/`, where did.json and
the verifier still find it, so documents signed before keep verifying.
"""

import datetime
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ROOT, SIGNING_CERT, SIGNING_KEY, CREDENTIAL_KEY, RETIRED = (
    "root.pem",
    "signing.pem",
    "signing.key",
    "credential.key",
    "retired",
)


@dataclass(frozen=True)
class CredentialKey:
    kid: str  # the fragment in did.json, e.g. "key-3f2a…"
    public_key: object  # Ed25519PublicKey or EllipticCurvePublicKey (P-256)

    @property
    def algorithm(self) -> str:
        return "EdDSA" if isinstance(self.public_key, ed25519.Ed25519PublicKey) else "ES256"


def _path(setting: str, name: str) -> Path:
    named = getattr(settings, setting, "")
    return Path(named) if named else Path(settings.ISSUER_KEYS_DIR) / name


def key_id(public_key) -> str:
    raw = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return "key-" + hashlib.sha256(raw).hexdigest()[:16]


def issuer_did() -> str:
    """did:web of the deployment, from SITE_URL: a port is written %3A, a path's slashes become colons."""
    parts = urlsplit(settings.SITE_URL)
    did = "did:web:" + quote(parts.netloc, safe="")
    path = parts.path.strip("/")
    return did + (":" + path.replace("/", ":") if path else "")


def configured() -> bool:
    return all(
        _path(s, n).is_file()
        for s, n in (
            ("ISSUER_ROOT_CERT", ROOT),
            ("ISSUER_SIGNING_CERT", SIGNING_CERT),
            ("ISSUER_SIGNING_KEY", SIGNING_KEY),
            ("ISSUER_CREDENTIAL_KEY", CREDENTIAL_KEY),
        )
    )


def _stamp(*paths: Path) -> tuple:
    return tuple((str(p), p.stat().st_mtime_ns if p.exists() else 0) for p in paths)


def _read(setting: str, name: str) -> bytes:
    path = _path(setting, name)
    try:
        return path.read_bytes()
    except OSError:
        raise ImproperlyConfigured(
            f"The issuer's {name} is missing at {path}: run `python manage.py issuer_keys` or set {setting}."
        ) from None


def credential_private_key():
    key = _load_private(_read("ISSUER_CREDENTIAL_KEY", CREDENTIAL_KEY))
    if not isinstance(key, ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey):
        raise ImproperlyConfigured("The credential key must be Ed25519 or P-256.")
    if isinstance(key, ec.EllipticCurvePrivateKey) and not isinstance(key.curve, ec.SECP256R1):
        raise ImproperlyConfigured("An elliptic-curve credential key must be on P-256.")
    return key


@lru_cache(maxsize=4)
def _load_private(data: bytes):
    return serialization.load_pem_private_key(data, password=None)


def current_credential_key() -> tuple[CredentialKey, object]:
    private = credential_private_key()
    public = private.public_key()
    return CredentialKey(key_id(public), public), private


def retired_dir() -> Path:
    return Path(settings.ISSUER_KEYS_DIR) / RETIRED


def published_credential_keys() -> list[CredentialKey]:
    """The current key and every retired one: what did.json lists and what the verifier accepts."""
    keys = [current_credential_key()[0]] if configured() else []
    for path in sorted(retired_dir().glob("credential-*.pub.pem")) if retired_dir().is_dir() else []:
        public = serialization.load_pem_public_key(path.read_bytes())
        keys.append(CredentialKey(key_id(public), public))
    return keys


def trusted_roots_pem() -> list[bytes]:
    """The root certificate and any retired roots: PDFs signed under any of them verify."""
    roots = [_read("ISSUER_ROOT_CERT", ROOT)]
    if retired_dir().is_dir():
        roots += [p.read_bytes() for p in sorted(retired_dir().glob("root-*.pem"))]
    return roots


def root_certificate_pem() -> bytes:
    return _read("ISSUER_ROOT_CERT", ROOT)


def pdf_signer():
    """pyHanko's signer for the signing certificate, with the root in its chain."""
    paths = [_path("ISSUER_SIGNING_KEY", SIGNING_KEY), _path("ISSUER_SIGNING_CERT", SIGNING_CERT)]
    paths.append(_path("ISSUER_ROOT_CERT", ROOT))
    for path in paths:
        if not path.is_file():
            raise ImproperlyConfigured(
                f"The issuer's signing material is missing at {path}: run `python manage.py issuer_keys`."
            )
    return _pdf_signer(_stamp(*paths))


@lru_cache(maxsize=2)
def _pdf_signer(stamp: tuple):
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign import signers
    from pyhanko.sign.general import get_pyca_cryptography_hash

    class LoadedKeySigner(signers.SimpleSigner):
        """pyHanko's SimpleSigner parses the private key again for every signature, and `cryptography` checks an
        RSA key on each load (about 0.1 s for 3072 bits); this one keeps the parsed key."""

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            if self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo == "rsassa_pkcs1v15":
                return self.loaded_key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
            return super().sign_raw(data, digest_algorithm)

    key, cert, root = (Path(p) for p, _mtime in stamp)
    # SimpleSigner.load() builds a plain SimpleSigner whatever class it is called on, so the files are read by it and
    # its fields handed to ours.
    loaded = signers.SimpleSigner.load(str(key), str(cert), ca_chain_files=(str(root),))
    signer = LoadedKeySigner(
        signing_cert=loaded.signing_cert, signing_key=loaded.signing_key, cert_registry=loaded.cert_registry
    )
    signer.loaded_key = serialization.load_pem_private_key(key.read_bytes(), password=None)
    return signer


# Making development keys ------------------------------------------------------------------------------------------


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "TH"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Phichit Provincial Education Office"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _certificate(subject, issuer, public_key, signing_key, *, ca: bool, days: int):
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
    else:
        builder = builder.add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
    return builder.sign(signing_key, hashes.SHA256())


def pem_private(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _pem_public(key) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def _write(path: Path, data: bytes, *, private: bool = False):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if private:
        path.chmod(0o600)


def create_keys(directory: Path, *, algorithm: str = "ed25519", rotate: bool = False) -> list[Path]:
    """A development root certificate, a signing certificate issued by it, and a credential key.

    With `rotate`, the current signing certificate, root and credential public key move to `retired/` first.
    """
    directory = Path(directory)
    written = []
    if rotate and (directory / CREDENTIAL_KEY).exists():
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S")
        old = serialization.load_pem_private_key((directory / CREDENTIAL_KEY).read_bytes(), password=None)
        _write(directory / RETIRED / f"credential-{stamp}.pub.pem", _pem_public(old.public_key()))
        if (directory / ROOT).exists():
            _write(directory / RETIRED / f"root-{stamp}.pem", (directory / ROOT).read_bytes())
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = _name("Phichit Credit Bank Root (development)")
    root = _certificate(root_name, root_name, root_key.public_key(), root_key, ca=True, days=3650)
    # RSA for PDFs: with ECDSA pyHanko declares ISO 32002 and PDF 2.0, which PDF/A-3 (based on PDF 1.7) is not.
    signing_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    signing = _certificate(
        _name("Phichit Credit Bank transcript signing"), root_name, signing_key.public_key(), root_key, ca=False,
        days=825,
    )  # fmt: skip
    credential = ed25519.Ed25519PrivateKey.generate() if algorithm == "ed25519" else ec.generate_private_key(
        ec.SECP256R1()
    )  # fmt: skip
    for name, data, private in (
        (ROOT, root.public_bytes(serialization.Encoding.PEM), False),
        (SIGNING_CERT, signing.public_bytes(serialization.Encoding.PEM), False),
        (SIGNING_KEY, pem_private(signing_key), True),
        (CREDENTIAL_KEY, pem_private(credential), True),
    ):
        _write(directory / name, data, private=private)
        written.append(directory / name)
    return written
