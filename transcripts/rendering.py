"""A transcript's content and its rendering: the learner's record as an ordinary template, laid out as a Thai PDF
by WeasyPrint. The same HTML can be tested as HTML; fonts come only from the Sarabun package, embedded in the PDF."""

import functools
import io
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

import fontpkg_sarabun
import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from registry.grades import grade_key
from registry.models import CreditDeposit, DepositOrigin, Learner, LearningType
from registry.selectors import balance_of

from .models import Transcript


@dataclass
class Section:
    institution: object
    learning_type: str
    label: str
    rows: list
    credits: Decimal = Decimal(0)


@dataclass
class TranscriptData:
    learner: Learner
    sections: list = field(default_factory=list)
    transfer_ins: list = field(default_factory=list)
    by_learning_type: list = field(default_factory=list)
    total: Decimal = Decimal(0)
    transferred_in: Decimal = Decimal(0)
    course_count: int = 0
    # What each grade printed means, scale by scale: [(scale name, [Grade, ...]), ...], only the grades that appear.
    grade_key: list = field(default_factory=list)
    recognition_shown: bool = False  # a TR, CS, CE, CT, CP ... is printed: said apart, as not part of a GPA
    repeats: bool = False  # a course passed again is listed with its credits in brackets, counted once


def transcript_data(learner: Learner) -> TranscriptData:
    """Active deposits grouped by institution and learning type, transfer-ins apart; every total is the ledger's own
    rule (registry.selectors.balance_of), so the transcript always agrees with the balance page."""
    deposits = list(
        CreditDeposit.objects.active()
        .for_learner(learner)
        .select_related("course__institution")
        .order_by(
            "course__institution__name_th", "course__institution_id", "learning_type", "completed_on", "course__code"
        )
    )
    earned = [d for d in deposits if d.origin == DepositOrigin.EARNED]
    balance = balance_of(deposits)
    # Courses, not attempts: a course passed again is listed twice and counted once.
    data = TranscriptData(learner=learner, course_count=len({d.course_id for d in earned}), total=balance.total)
    labels = dict(LearningType.choices)
    for (_institution_id, learning_type), rows in groupby(
        earned, key=lambda d: (d.course.institution_id, d.learning_type)
    ):
        rows = list(rows)
        credits = balance_of(rows).total
        data.sections.append(Section(rows[0].course.institution, learning_type, labels[learning_type], rows, credits))
    data.by_learning_type = [(labels[lt], balance.by_learning_type[lt]) for lt in LearningType.values]
    data.transfer_ins = [d for d in deposits if d.origin == DepositOrigin.TRANSFER_IN]
    data.transferred_in = balance.transferred_in
    data.grade_key = grade_key(deposits)
    data.recognition_shown = any(g.recognition for _name, grades in data.grade_key for g in grades)
    data.repeats = any(d.repeat for d in earned)
    return data


def verification_url(code: str, lang: str = settings.LANGUAGE_CODE) -> str:
    """The address printed (and in the QR code) on a transcript; one in another language than Thai opens the answer
    in that language (creditbank.middleware.ChosenLanguageMiddleware reads ?lang=)."""
    url = settings.SITE_URL + reverse("transcripts:verify", args=[code])
    return url if lang == settings.LANGUAGE_CODE else f"{url}?lang={lang}"


def qr_svg_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=3, border=1)


def font_dir_url() -> str:
    return (fontpkg_sarabun.ROOT / "files").as_uri()


def render_html(
    data: TranscriptData, *, transcript: Transcript | None, lang: str, official: bool, officer: tuple = ("", "")
) -> str:
    with translation.override(lang):
        context = {
            "officer_name": officer[0],
            "officer_position": str(officer[1]),
            "data": data,
            "learner": data.learner,
            "lang": lang,
            "official": official,
            "transcript": transcript,
            "identifier": data.learner.formatted_id if official else data.learner.masked_id,
            "verify_url": verification_url(transcript.verification_code, lang) if transcript else "",
            "qr": qr_svg_data_uri(verification_url(transcript.verification_code, lang)) if transcript else "",
            "font_dir": font_dir_url(),
            "issued_at": transcript.issued_at if transcript else timezone.now(),
        }
        return render_to_string("transcripts/transcript.html", context)


def pdf_text(html: str) -> str:
    """Write SARA AM (ำ) as NIKHAHIT + SARA AA, its compatibility decomposition, before rendering.

    HarfBuzz draws ำ with the glyphs of ํ and า, and WeasyPrint maps each glyph to the text of its first use, so
    with ำ left whole the glyph of า comes out of the PDF as ำ everywhere (copy, search, pypdf). Written apart,
    every glyph maps to one character; the page looks the same.
    """
    return html.replace("\u0e33", "\u0e4d\u0e32")


@functools.cache
def pdf_fonts():
    """One WeasyPrint font configuration per process: the Sarabun faces the transcript's @font-face names are read
    and registered with fontconfig once, not at every transcript. The font files ship with the release and never
    change under a running process."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_document(html: str):
    from weasyprint import HTML

    return HTML(string=pdf_text(html), base_url=str(settings.BASE_DIR)).render(font_config=pdf_fonts())


def warm_up() -> None:
    """What a process's first transcript would otherwise pay for, paid at start instead: WeasyPrint and pyHanko
    imported, the font configuration built, Sarabun's regular and bold faces read and laid out, a PDF written.

    About two seconds of CPU on a small server. gunicorn.conf.py runs it in each worker before it takes requests, so
    the first learner to print a transcript after a restart waits no longer than the next one. Needs no keys and no
    database.
    """
    from pyhanko.sign import signers  # noqa: F401  (the signing half of an official transcript)

    faces = render_to_string("_pdf_fonts.html", {"font_dir": font_dir_url()})  # the faces every PDF names
    html = f'<style>{faces} body {{ font-family: "Sarabun"; }}</style><p>ธนาคารหน่วยกิต <b>จังหวัดพิจิตร ๒๕๖๙</b></p>'
    render_document(html).write_pdf()


def merge_documents(documents) -> bytes:
    """One PDF from several rendered WeasyPrint documents (a batch)."""
    pages = [page for document in documents for page in document.pages]
    buffer = io.BytesIO()
    documents[0].copy(pages).write_pdf(buffer, pdf_tags=True)  # tagged, as each transcript is
    return buffer.getvalue()
