"""JSON-LD contexts served from files shipped with the project. Nothing is ever fetched: any other URL is refused."""

import json
from functools import lru_cache
from pathlib import Path

CONTEXT_DIR = Path(__file__).resolve().parent / "contexts"

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CLR_V2 = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"

# The canonical URL each shipped file stands for (provenance: /work/shared/vc/SOURCES.md, recorded in README).
CONTEXTS = {
    VC_V2: "credentials-v2.jsonld",
    "https://w3id.org/security/data-integrity/v2": "data-integrity-v2.jsonld",
    "https://w3id.org/security/multikey/v1": "multikey-v1.jsonld",
    "https://www.w3.org/ns/credentials/status/v1": "credentials-status-v1.jsonld",
    OB_V3: "ob-v3p0-context-3.0.3.json",
    CLR_V2: "clr-v2p0-context-2.0.1.json",
}


class RemoteContextRefused(ValueError):
    """A document named a context this registry does not ship."""


@lru_cache(maxsize=32)
def _load(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def make_loader(extra: dict[str, Path] | None = None):
    """A pyld document loader that answers only from files: `extra` adds files (the test vectors' contexts)."""
    files = {url: CONTEXT_DIR / name for url, name in CONTEXTS.items()} | dict(extra or {})

    def loader(url, options=None):
        path = files.get(url)
        if path is None:
            raise RemoteContextRefused(url)
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": _load(str(path))}  # fmt: skip

    loader.urls = frozenset(files)
    return loader


LOADER = make_loader()


def known_contexts(document: dict, loader=LOADER) -> bool:
    """Every @context entry is a URL we ship (no inline or remote contexts in credentials we accept)."""
    contexts = document.get("@context")
    contexts = contexts if isinstance(contexts, list) else [contexts]
    return bool(contexts) and all(isinstance(c, str) and c in loader.urls for c in contexts)


def canonize(document: dict, loader=LOADER) -> str:
    """RDF Dataset Canonicalization (RDFC-1.0, pyld's URDNA2015) to N-Quads."""
    from pyld import jsonld  # pulls in aiohttp: imported when first needed, not by every process at start

    try:
        return jsonld.normalize(
            document, {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": loader}
        )
    except jsonld.JsonLdError as exc:
        cause = exc
        while cause is not None:
            if isinstance(cause, RemoteContextRefused):
                raise RemoteContextRefused(str(cause)) from None
            cause = cause.__cause__ or getattr(cause, "cause", None)
        raise
