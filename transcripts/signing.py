"""The transcript as a signed PDF/A-3b: WeasyPrint writes PDF/A-3b with the CLR credential attached, then pyHanko
adds a PAdES signature (B-B, or B-T with a timestamp authority) whose field covers the signature block on the page.

The signature block (officer, position, B.E. date, QR code) is drawn by the template, so Thai text is shaped by the
same engine as the rest of the page; the signature field's widget lies exactly over it, with an empty appearance.
"""

import asyncio
import io
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.utils.translation import gettext as _

from . import keys

SIGNATURE_FIELD = "IssuerSignature"
CLR_ATTACHMENT = "clr-credential.jwt"
PX_TO_PT = 0.75  # WeasyPrint lays out in CSS pixels (1/96 in); PDF works in points (1/72 in)


def _find_box(box, element_id: str):
    element = getattr(box, "element", None)
    if element is not None and getattr(box, "element_tag", None) and element.get("id") == element_id:
        return box
    for child in getattr(box, "children", ()):
        found = _find_box(child, element_id)
        if found is not None:
            return found
    return None


def signature_rect(document, element_id: str = "signature-block"):
    """(page index, (x1, y1, x2, y2) in PDF points) of the element on the laid-out pages, or None."""
    for index, page in enumerate(document.pages):
        box = _find_box(page._page_box, element_id)
        if box is not None:
            x, y = box.border_box_x(), box.border_box_y()
            width, height = box.border_width(), box.border_height()
            top = page.height - y
            return index, (x * PX_TO_PT, (top - height) * PX_TO_PT, (x + width) * PX_TO_PT, top * PX_TO_PT)
    return None


def write_pdfa(document, *, clr_jwt: str) -> bytes:
    """PDF/A-3b with the CLR credential (VC-JWT) attached as an associated file, tagged (headings, tables, reading
    order) so that a screen reader reads it as a document; tagging costs about 6 % more CPU."""
    from weasyprint import Attachment

    attachment = Attachment(
        file_obj=io.BytesIO(clr_jwt.encode()),
        name=CLR_ATTACHMENT,
        description="CLR 2.0 ClrCredential (VC-JWT)",
        relationship="Data",
    )
    return document.write_pdf(pdf_variant="pdf/a-3b", attachments=[attachment], pdf_tags=True)


def _empty_appearance(rect):
    from pyhanko.pdf_utils.content import RawContent
    from pyhanko.pdf_utils.layout import BoxConstraints
    from pyhanko.stamp import StaticStampStyle

    width, height = rect[2] - rect[0], rect[3] - rect[1]
    return StaticStampStyle(background=RawContent(b"", box=BoxConstraints(width=width, height=height)))


def outside_event_loop(function, *args, **kwargs):
    """pyHanko runs its own asyncio loop, which cannot start inside a running one (an async caller, a Playwright
    test): then the work is done in a short-lived thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def sign_pdf(pdf: bytes, *, rect=None, signer_name: str = "", reason: str = "") -> bytes:
    """A PAdES signature over the whole file; visible over `rect` when given, B-T when ISSUER_TSA_URL is set."""
    return outside_event_loop(_sign_pdf, pdf, rect=rect, signer_name=signer_name, reason=reason)


def _sign_pdf(pdf: bytes, *, rect, signer_name: str, reason: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    page, box = rect if rect else (0, None)
    fields.append_signature_field(writer, fields.SigFieldSpec(SIGNATURE_FIELD, box=box, on_page=page))
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        name=signer_name or None,
        reason=reason or _("Issued by the Phichit Provincial Credit Bank"),
        location="Phichit, TH",
    )
    timestamper = timestamps.HTTPTimeStamper(settings.ISSUER_TSA_URL) if settings.ISSUER_TSA_URL else None
    pdf_signer = signers.PdfSigner(
        meta, signer=keys.pdf_signer(), timestamper=timestamper, stamp_style=_empty_appearance(box) if box else None
    )
    out = io.BytesIO()
    # Room for the CMS container (certificates, signature, and a timestamp token with B-T), so pyHanko need not sign
    # once more just to measure it.
    pdf_signer.sign_pdf(writer, output=out, bytes_reserved=24576 if timestamper else 8192)
    return out.getvalue()
