"""Checks on uploaded files. Evidence: JPEG, PNG or PDF up to 10 MB, images re-encoded without metadata."""

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# 40 megapixels: more than any phone photo of a certificate; a decompression bomb is far larger.
MAX_IMAGE_PIXELS = 40_000_000

MAGIC = [(b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"%PDF-", "application/pdf")]
# The only kinds of evidence kept, and the extension of the server-made file name for each.
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}


@dataclass
class CheckedFile:
    content: bytes
    content_type: str
    original_name: str


def sniff(head: bytes) -> str | None:
    for magic, content_type in MAGIC:
        if head.startswith(magic):
            return content_type
    return None


def check_evidence(upload) -> CheckedFile:
    """Validate an uploaded evidence file and return safe bytes to store, or raise ValidationError."""
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(_("The file is larger than 10 MB; scan it at a lower resolution and try again."))
    data = upload.read()
    content_type = sniff(data[:16])
    if content_type is None:
        raise ValidationError(_("The file must be a JPEG or PNG image or a PDF file."))
    if content_type == "application/pdf":
        return CheckedFile(data, content_type, upload.name[:255])
    return CheckedFile(reencode_image(data, content_type), content_type, upload.name[:255])


def reencode_image(data: bytes, content_type: str) -> bytes:
    """Decode and encode the pixels again: EXIF, GPS and anything hidden in or after the image are dropped."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("The image is too large in pixels; resize it to under 40 megapixels."))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("The image is too large in pixels; resize it to under 40 megapixels.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("The image file is damaged or not really an image.")) from None
    out = io.BytesIO()
    if content_type == "image/jpeg":
        image.convert("RGB").save(out, format="JPEG", quality=88, optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def uploaded_file_response(field_file, content_type: str, filename: str) -> FileResponse:
    """An uploaded file (evidence, a request's document) to a reader already allowed it: a PDF as a download, an
    image shown; sandboxed, never sniffed as another type, never cached."""
    response = FileResponse(
        field_file.open("rb"),
        content_type=content_type,
        as_attachment=content_type == "application/pdf",
        filename=filename,
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
