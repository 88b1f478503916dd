"""Revocation through a Bitstring Status List (W3C, 2025): one bit per issued credential, computed from the ledger."""

import base64
import gzip
import zlib

from django.db.models import Q
from django.utils import timezone

from .credentials import STATUS_LIST_SIZE, iso, issuer_profile, sign_data_integrity, status_list_url
from .jsonld import VC_V2
from .models import IssuedCredential

MAX_LIST_BYTES = 2 * 1024 * 1024  # a decoded list larger than this is refused (a compression bomb)


def revoked_condition() -> Q:
    """Revoked itself, its deposit voided, or the transcript that carries it revoked."""
    return Q(revoked_at__isnull=False) | Q(deposit__status="voided") | Q(transcript__revoked_at__isnull=False)


def revoked_indexes(list_number: int) -> list[int]:
    start = (list_number - 1) * STATUS_LIST_SIZE
    pks = IssuedCredential.objects.filter(revoked_condition(), pk__gte=start, pk__lt=start + STATUS_LIST_SIZE)
    return [pk - start for pk in pks.values_list("pk", flat=True)]


def encode_bits(indexes: list[int], size: int = STATUS_LIST_SIZE) -> str:
    """GZIP the bitstring (bit 0 is the left-most bit of the first byte) and write it as multibase base64url."""
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).decode().rstrip("=")


def bit_is_set(encoded: str, index: int) -> bool:
    """Read one bit of an encodedList, refusing a list that is malformed or inflates beyond MAX_LIST_BYTES."""
    if not isinstance(encoded, str) or not encoded.startswith("u") or len(encoded) > MAX_LIST_BYTES:
        raise ValueError("malformed status list")
    compressed = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
    inflater = zlib.decompressobj(wbits=31)
    bits = inflater.decompress(compressed, MAX_LIST_BYTES)
    if inflater.unconsumed_tail:
        raise ValueError("status list too large")
    if not 0 <= index < len(bits) * 8:
        raise ValueError("status index outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(list_number: int) -> dict:
    """The signed BitstringStatusListCredential for one list, as it is now."""
    url = status_list_url(list_number)
    credential = {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_profile()["id"],
        "validFrom": iso(timezone.now()),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bits(revoked_indexes(list_number)),
        },
    }
    return sign_data_integrity(credential, nested=False)


def locally_revoked(list_number: int, index: int) -> bool:
    """The same bit, read straight from the rows (for credentials issued here)."""
    pk = (list_number - 1) * STATUS_LIST_SIZE + index
    return IssuedCredential.objects.filter(revoked_condition(), pk=pk).exists()
