import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader
from weasyprint.formatting_structure.boxes import LineBox, TableCellBox, TableRowBox, TextBox

from tests.factories import CourseFactory, DepositFactory, InstitutionFactory
from transcripts.models import Transcript
from transcripts.rendering import pdf_text, render_document, render_html, transcript_data, verification_url
from transcripts.services import transcript_issue

pytestmark = pytest.mark.django_db

LONG_TITLE = "การพัฒนาทักษะการเรียนรู้ตลอดชีวิตเพื่อการประกอบอาชีพในชุมชนเกษตรกรรมอินทรีย์ของจังหวัดพิจิตรอย่างยั่งยืน"


@pytest.fixture
def record(learner_user, registrar, school):
    """A learner with formal and non-formal credits at two institutions, a fail, a void and a transfer-in."""
    learner = learner_user.learner
    centre = InstitutionFactory(code="SKR-66010", name_th="ศูนย์ส่งเสริมการเรียนรู้อำเภอเมืองพิจิตร", kind="non_formal_centre")
    rows = [
        (school, "ท21101", "ภาษาไทย 1", "1.5", "formal", "3.5"),
        (school, "ค21101", "คณิตศาสตร์พื้นฐาน 1", "1.5", "formal", "0"),
        (school, "ว21101", "วิทยาศาสตร์และเทคโนโลยี 1", "1.5", "formal", "4"),
        (centre, "ทช21001", LONG_TITLE, "3.0", "non_formal", "ผ"),
        (centre, "พค21001", "คณิตศาสตร์ (ม.ต้น) ภาคเรียนที่สอง", "3.0", "non_formal", "2.5"),
    ]
    for institution, code, title, credits, learning_type, grade in rows:
        course = CourseFactory(institution=institution, code=code, title_th=title, credits=Decimal(credits),
                               learning_type=learning_type)  # fmt: skip
        DepositFactory(learner=learner, course=course, grade=grade, learning_type=learning_type, recorded_by=registrar)
    DepositFactory(learner=learner, course=CourseFactory(institution=school, title_th="วิชาที่ยกเลิก"), status="voided",
                   void_reason="ผิด", voided_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))  # fmt: skip
    target = CourseFactory(institution=school, code="ส21101", title_th="สังคมศึกษา 1", credits=Decimal("1.0"))
    DepositFactory(learner=learner, course=target, grade="TR", origin="transfer_in", recorded_by=registrar)
    return learner


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_transcript_pdf_holds_the_name_every_title_and_the_totals(record, learner_user):
    transcript, pdf = transcript_issue(actor=learner_user, learner=record, lang="th")
    text = flat(pdf_text_of(pdf))
    # Text goes into the PDF with ำ written as ํ + า (see pdf_text); everything else is exactly as stored.
    assert flat(pdf_text(record.full_name)) in text
    for title in [
        "ภาษาไทย 1",
        "คณิตศาสตร์พื้นฐาน 1",
        "วิทยาศาสตร์และเทคโนโลยี 1",
        LONG_TITLE,
        "คณิตศาสตร์ (ม.ต้น) ภาคเรียนที่สอง",
        "สังคมศึกษา 1",
    ]:
        assert flat(pdf_text(title)) in text, title
    assert "วิชาที่ยกเลิก" not in text  # voided deposits are not on a transcript
    # Earned credit: 1.5 + 1.5 (the 0 earns none) + 3.0 + 3.0 = 9.0; transferred in 1.0 apart.
    assert transcript.total_credits == Decimal("9.0") and transcript.course_count == 5
    assert flat("หน่วยกิตรวมที่ได้รับ9.0") in text
    assert "TR" in text and transcript.number in text
    assert record.masked_id in text and record.national_id not in text
    assert "2568" in text  # Buddhist Era dates


def thai_pages_with_courses(learner_user, registrar, school, count: int) -> list[str]:
    """The text of each page of the learner's Thai copy, after `count` courses of one school are banked."""
    for n in range(count):
        course = CourseFactory(institution=school, code=f"ง2{n:04d}", title_th=f"การงานอาชีพ {n}")
        DepositFactory(learner=learner_user.learner, course=course, grade="3", recorded_by=registrar)
    _transcript, pdf = transcript_issue(actor=learner_user, learner=learner_user.learner, lang="th")
    return [flat(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_a_table_running_onto_the_next_page_names_its_institution_there_too(learner_user, registrar, school):
    """40 courses of one school: the table runs onto page 2, and page 2 says whose courses they are (the group row
    repeats with the column heads), not bare rows under a bare header."""
    pages = thai_pages_with_courses(learner_user, registrar, school, 40)
    assert len(pages) >= 2
    for page in pages[:2]:
        assert flat(pdf_text(school.name_th)) in page and flat(pdf_text("รูปแบบการเรียนรู้")) in page


def test_the_summary_is_never_split_over_two_pages(learner_user, registrar, school):
    """58 courses of one school put the summary's last line ("courses 58") alone at the top of a page, away from
    its totals; the summary is kept in one piece."""
    pages = thai_pages_with_courses(learner_user, registrar, school, 58)
    [summary] = [page for page in pages if flat(pdf_text("หน่วยกิตรวมที่ได้รับ")) in page]
    assert flat(pdf_text("จำนวนรายวิชา")) + "58" in summary


def rows_opening_pages(document) -> list[str]:
    """The class of the first body row (not a repeated header row) on each page after the first."""
    found = []
    for page in document.pages[1:]:
        stack = [(page._page_box, None)]
        while stack:
            box, parent = stack.pop(0)
            if isinstance(box, TableRowBox) and not getattr(parent, "is_header", False):
                found.append(box.element.get("class") or "")
                break
            stack[0:0] = [(child, box) for child in getattr(box, "children", [])]
    return found


def test_a_tables_credits_earned_never_opens_a_page_alone(learner_user, registrar, school):
    """31 courses of one school left the table's "credits earned" row alone at the top of page 2, under a repeated
    header and away from the courses it adds up; it now takes the last course with it."""
    for n in range(31):
        course = CourseFactory(institution=school, code=f"ง2{n:04d}", title_th=f"การงานอาชีพ {n}")
        DepositFactory(learner=learner_user.learner, course=course, grade="3", recorded_by=registrar)
    html = render_html(transcript_data(learner_user.learner), transcript=None, lang="th", official=False)
    opening = rows_opening_pages(render_document(html))
    assert opening and "subtotal" not in opening


def test_each_institution_is_named_once_above_its_courses_not_twice(record, learner_user):
    """The institution was named in a heading and again in the table's own head row, line after line; it is now
    named once, in the head row that repeats on a page the table runs onto."""
    _t, pdf = transcript_issue(actor=learner_user, learner=record, lang="th")
    text = flat(pdf_text_of(pdf))  # the centre's table is short: it does not run onto another page
    assert text.count(flat(pdf_text("ศูนย์ส่งเสริมการเรียนรู้อำเภอเมืองพิจิตร"))) == 1


def test_column_heads_stay_on_one_line(record):
    """The grade head "ผลการเรียน" wrapped onto two lines in its narrow column; every column head now keeps to one."""
    document = render_document(render_html(transcript_data(record), transcript=None, lang="th", official=False))
    heads = [
        box
        for box in document.pages[0]._page_box.descendants()
        if isinstance(box, TableCellBox) and box.element.tag == "th" and "group" not in (box.element.get("class") or "")
    ]
    assert {"".join(t.text for t in h.descendants() if isinstance(t, TextBox)) for h in heads} >= {"ผลการเรียน"}
    for head in heads:
        assert len([b for b in head.descendants() if isinstance(b, LineBox)]) == 1


def test_a_long_institution_name_wraps_inside_its_head_row(record):
    """In English the head row names the institution in Thai and in English: a long name ran off the page."""
    record.deposits.first().course.institution.__class__.objects.filter(code="SKR-66010").update(
        name_en="Mueang Phichit District Lifelong Learning and Community Development Promotion Centre"
    )
    document = render_document(render_html(transcript_data(record), transcript=None, lang="en", official=False))
    page = document.pages[0]._page_box
    rows = [b for b in page.descendants() if isinstance(b, TableCellBox) and "group" in (b.element.get("class") or "")]
    assert rows
    right = page.content_box_x() + page.width
    for cell in rows:
        assert all(
            line.position_x + line.width <= right + 0.5 for line in cell.descendants() if isinstance(line, LineBox)
        )
    assert any(len([b for b in c.descendants() if isinstance(b, LineBox)]) >= 2 for c in rows)


def test_the_grades_printed_are_explained_in_their_scale_and_only_those(record, learner_user):
    """A reader abroad cannot know that ผ is a pass or what a 2.5 stands for: the transcript says what each grade it
    prints means, in its course's scale, and says nothing of grades it does not print."""
    _t, pdf = transcript_issue(actor=learner_user, learner=record, lang="en")
    text = " ".join(pdf_text_of(pdf).split())
    assert "What the grades mean" in text
    assert "Basic education:" in text and "3.5 = very good (75–79%)" in text and "ผ = pass" in text
    assert "2.5 = fairly good (65–69%)" in text and "0 = fail (below 50%)" in text
    assert "TR = credit transferred under an equivalence rule" in text
    assert "1.5 = pass" not in text and "มผ" not in text  # not printed, not explained
    assert "not part of a grade point average" in text  # said because a TR is printed
    # Without a recognition notation the note about them is not printed.
    from tests.factories import LearnerFactory

    other = LearnerFactory()
    DepositFactory(learner=other, course=CourseFactory(level="lower_secondary"), grade="ผ")
    html = render_html(transcript_data(other), transcript=None, lang="th", official=False)
    text = flat(pdf_text_of(render_document(html).write_pdf()))
    assert flat(pdf_text("ผ = ผ่าน")) in text and "TR" not in text


def test_the_glyph_of_sara_aa_extracts_as_sara_aa():
    from tests.factories import LearnerFactory

    data = transcript_data(LearnerFactory(first_name="การ", last_name="สำราญ"))
    html = render_html(data, transcript=None, lang="th", official=False)
    text = flat(pdf_text_of(render_document(html).write_pdf()))
    assert "การ" in text and "ส\u0e4d\u0e32ราญ" in text and "กำร" not in text


def test_fonts_are_embedded_and_are_sarabun(record, learner_user):
    _transcript, pdf = transcript_issue(actor=learner_user, learner=record, lang="th")
    fonts = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (
                font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                if "/DescendantFonts" in font
                else font["/FontDescriptor"]
            )
            fonts[str(font["/BaseFont"])] = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    assert all("Sarabun" in name for name in fonts), fonts


def test_a_long_thai_title_wraps_inside_its_cell(record):
    html = render_html(transcript_data(record), transcript=None, lang="th", official=False)
    document = render_document(html)
    cells = [
        box
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(box, TableCellBox)
        and LONG_TITLE[:20] in "".join(t.text for t in box.descendants() if isinstance(t, TextBox))
    ]
    assert len(cells) == 1
    cell = cells[0]
    lines = [b for b in cell.descendants() if isinstance(b, LineBox)]
    assert len(lines) >= 2
    right = cell.content_box_x() + cell.width
    assert all(line.position_x + line.width <= right + 0.5 for line in lines)


def test_english_version_and_official_copy(record, registrar, learner_user):
    record.first_name_en, record.last_name_en = "Supaporn", "Jaidee"
    record.save()
    _t, pdf = transcript_issue(actor=registrar, learner=record, lang="en", official=True)
    text = pdf_text_of(pdf)
    assert "Credit bank transcript" in text and "Ms. Supaporn Jaidee" in text
    assert "Official copy" in text and record.formatted_id in text
    assert "Yr (C.E.)/term" in text  # its years are C.E., said so: the web pages give B.E. years, labelled B.E.
    with pytest.raises(Exception):  # noqa: B017 - a learner cannot issue an official copy
        transcript_issue(actor=learner_user, learner=record, official=True)


def test_every_issued_transcript_is_recorded_with_a_hash_and_a_qr_address(record, learner_user, settings):
    import hashlib

    settings.SITE_URL = "https://creditbank.phichit.example"
    transcript, pdf = transcript_issue(actor=learner_user, learner=record)
    assert transcript.content_sha256 == hashlib.sha256(pdf).hexdigest()
    assert transcript.issued_by == learner_user and transcript.learner == record
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root  # tagged: read by screen readers in order
    text = flat(pdf_text_of(pdf))
    code = transcript.verification_code
    assert f"https://creditbank.phichit.example/verify/{code}/" in text
    assert f"{code[:4]}-{code[4:8]}-{code[8:]}" in text  # the code on its own, in groups, to type on the verify page


def test_an_english_transcripts_link_opens_the_answer_in_english(client, record, learner_user, settings):
    """Its QR code opened a Thai page: the employer abroad who scans it had to find the "EN" button."""
    settings.SITE_URL = "https://creditbank.phichit.example"
    transcript, pdf = transcript_issue(actor=learner_user, learner=record, lang="en")
    code = transcript.verification_code
    link = f"https://creditbank.phichit.example/verify/{code}/?lang=en"
    assert link in flat(pdf_text_of(pdf))
    page = client.get(reverse("transcripts:verify", args=[code]), {"lang": "en"}).content.decode()
    assert '<html lang="en">' in page and 'data-verdict="genuine"' in page
    assert '<html lang="th">' in client.get(reverse("transcripts:verify", args=[code])).content.decode()  # no cookie
    pasted = client.post(reverse("transcripts:verify_start"), {"code": link}).content.decode()
    assert 'data-verdict="genuine"' in pasted  # the whole link, pasted, is still read as its code


@pytest.mark.parametrize("lang", ["en", "th"])
def test_the_verification_address_is_printed_whole_however_long_the_sites_address(record, learner_user, settings, lang):
    """With the signature box floated, an address that took one line more lost the box's last paragraph, the address
    and all, without a word (an English copy, on a site named like a government office's)."""
    for extra in range(0, 40, 3):  # from creditbank.phichit.go.th to a name 40 letters longer
        host = "creditbank." + "p" * extra + "phichit.go.th"
        settings.SITE_URL = f"https://{host}"
        transcript, pdf = transcript_issue(actor=learner_user, learner=record, lang=lang)
        link = verification_url(transcript.verification_code, lang)
        assert link.startswith(settings.SITE_URL) and link in flat(pdf_text_of(pdf)), host


def test_verification_by_code_says_genuine_revoked_or_unknown(client, record, learner_user, provincial):
    from transcripts.services import transcript_revoke

    transcript, _pdf = transcript_issue(actor=learner_user, learner=record)
    page = client.get(reverse("transcripts:verify", args=[transcript.verification_code])).content.decode()
    assert 'data-verdict="genuine"' in page and transcript.number in page
    assert "ของแท้" not in page and "เทียบรายละเอียดด้านล่างกับเอกสาร" in page  # a code proves issue, not the paper
    assert record.first_name in page and record.last_name not in page and record.national_id not in page
    code = transcript.verification_code
    altered = code[:-1] + ("A" if code[-1] != "A" else "B")
    for bad in [altered, "NOSUCHCODE12"]:
        assert 'data-verdict="unknown"' in client.get(reverse("transcripts:verify", args=[bad])).content.decode()
    transcript_revoke(actor=provincial, transcript_id=transcript.pk, reason="ออกผิดฉบับ")
    page = client.get(reverse("transcripts:verify", args=[code])).content.decode()
    assert 'data-verdict="revoked"' in page and "ถูกเพิกถอน" in page


def test_the_verify_page_names_the_learner_in_its_own_language_family_name_cut(client, record, learner_user):
    record.prefix, record.first_name, record.last_name = "miss", "กนกวรรณ", "ศรีสุข"
    record.first_name_en, record.last_name_en = "Kanokwan", "Srisuk"
    record.save()
    transcript, _pdf = transcript_issue(actor=learner_user, learner=record, lang="en")
    url = reverse("transcripts:verify", args=[transcript.verification_code])
    assert "นางสาวกนกวรรณ ศ." in client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": url})
    page = client.get(url).content.decode()
    assert "Ms. Kanokwan S." in page and "Srisuk" not in page and "กนกวรรณ" not in page
    # As named the day it was issued: a name changed since (the learner changes their English one) is not the
    # paper's, and the page had shown it for every transcript issued before.
    record.first_name_en, record.last_name_en = "John", "Smith"
    record.save()
    page = client.get(url).content.decode()
    assert "Ms. Kanokwan S." in page and "John" not in page


def test_the_code_is_found_however_it_is_copied_from_the_paper(client, record, learner_user, settings):
    settings.SITE_URL = "https://creditbank.phichit.example"
    transcript, _pdf = transcript_issue(actor=learner_user, learner=record)
    code = transcript.verification_code
    url = reverse("transcripts:verify_start")
    link = f"https://creditbank.phichit.example/verify/{code}/"  # the printed link, or the QR code's, pasted whole
    for typed in (f"{code}/", link, f" {code[:4].lower()}-{code[4:8]} {code[8:]} "):
        page = client.post(url, {"code": typed}).content.decode()
        assert 'data-verdict="genuine"' in page, typed
    empty = client.post(url, {"code": "  "}).content.decode()
    field = empty.split('id="id_code"', 1)[1].split("</div>", 1)[0]
    assert 'aria-invalid="true"' in field and "พิมพ์รหัส" in field  # said beside the code box


def test_a_code_of_the_wrong_shape_is_called_a_typing_slip_not_an_unknown_transcript(client, record, learner_user):
    transcript, _pdf = transcript_issue(actor=learner_user, learner=record)
    code = transcript.verification_code
    url = reverse("transcripts:verify_start")
    short = client.post(url, {"code": code[:9]}).content.decode()
    assert "12 ตัว" in short and "มี 9 ตัว" in short
    misread = client.post(url, {"code": "O" + code[1:]}).content.decode()  # O for a letter or digit of the code
    assert "ไม่มีตัว O" in misread
    never = "".join("A" if c != "A" else "B" for c in code)  # the right shape, never issued
    assert "ไม่มีใบแสดงผลการเรียนที่ใช้รหัสนี้" in client.post(url, {"code": never}).content.decode()


def test_learner_downloads_own_transcript(client, record, learner_user):
    client.force_login(learner_user)
    response = client.post(reverse("transcripts:mine"), {"lang": "th"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and Transcript.objects.filter(learner=record).count() == 1
    assert "download_token" not in response.cookies  # none asked for
    # The file says its language: a Thai and an English copy downloaded together are told apart by their names.
    number = Transcript.objects.get(learner=record).number
    assert response["Content-Disposition"] == f'attachment; filename="transcript-{number}-th.pdf"'


def test_the_page_is_told_when_its_pdf_has_come(client, record, learner_user):
    """The page a PDF is asked from stays as it is: the token it sent comes back in a cookie with the file, so its
    button is given back then (static/js/app.js); a token that is not a plain word is not echoed."""
    client.force_login(learner_user)
    response = client.post(reverse("transcripts:mine"), {"lang": "th", "download_token": "k3j9x0a1b2"})
    cookie = response.cookies["download_token"]
    assert cookie.value == "k3j9x0a1b2" and cookie["path"] == "/" and not cookie["httponly"]
    response = client.post(reverse("transcripts:mine"), {"lang": "th", "download_token": "x; Path=/admin"})
    assert response.status_code == 200 and "download_token" not in response.cookies


def test_print_transcript_command_writes_the_same_pdf(record, administrator, tmp_path):
    output = tmp_path / "t.pdf"
    call_command("print_transcript", record.national_id, "--output", str(output), "--lang", "th")
    text = flat(pdf_text_of(output.read_bytes()))
    assert flat(pdf_text(record.full_name)) in text and record.formatted_id in text  # official: full ID
    assert Transcript.objects.get().issued_by == administrator


def test_batch_transcripts_run_in_the_background_with_progress(
    client, registrar, record, school, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from transcripts.models import TranscriptBatch
    from transcripts.tasks import run_transcript_batch

    settings.MEDIA_ROOT = tmp_path
    other = DepositFactory(course=CourseFactory(institution=school), recorded_by=registrar).learner
    client.force_login(registrar)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("transcripts:batches"), {"academic_year": "2567", "language": "th"})
    batch = TranscriptBatch.objects.get()
    assert response["Location"] == reverse("transcripts:batch_detail", args=[batch.pk])
    queued = DBTaskResult.objects.get()  # what `manage.py db_worker` picks up
    assert queued.task_path == "transcripts.tasks.run_transcript_batch" and queued.args_kwargs["args"] == [batch.pk]
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in page  # queued: the page polls for progress
    run_transcript_batch.call(batch.pk)  # the worker's job, run here
    batch.refresh_from_db()
    assert batch.status == "done" and batch.total == batch.done == 2
    pdf = client.get(reverse("transcripts:batch_download", args=[batch.pk]))
    merged = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    assert "/StructTreeRoot" in merged.trailer["/Root"]  # tagged, as each transcript is
    text = flat("\n".join(p.extract_text() for p in merged.pages))
    assert flat(pdf_text(record.full_name)) in text and flat(pdf_text(other.full_name)) in text
    assert Transcript.objects.filter(official=True).count() == 2


def test_staff_find_an_issued_transcript_by_its_number_or_its_last_digits(client, record, learner_user, provincial):
    first, _pdf = transcript_issue(actor=learner_user, learner=record, lang="th")
    second, _pdf = transcript_issue(actor=learner_user, learner=record, lang="en")
    client.force_login(provincial)
    url = reverse("transcripts:list")
    for typed in (second.number, second.number.lower().replace("-", " - "), str(second.pk), f"{second.pk:07d}"):
        page = client.get(url, {"number": typed}).content.decode()
        assert f"<td>{second.number}</td>" in page and f"<td>{first.number}</td>" not in page, typed
    for typed in ("PCB2569-9999999", "9" * 30, "ไม่มีชื่อนี้"):  # nothing found, and nothing fails
        page = client.get(url, {"number": typed}).content.decode()
        assert "ไม่พบใบแสดงผลการเรียน" in page and f"<td>{second.number}</td>" not in page
    by_name = client.get(url, {"number": record.first_name[:3]}).content.decode()
    assert f"<td>{second.number}</td>" in by_name and f"<td>{first.number}</td>" in by_name


def test_a_revocation_without_a_reason_is_refused_beside_that_rows_box_and_keeps_the_list(
    client, record, learner_user, provincial
):
    first, _pdf = transcript_issue(actor=learner_user, learner=record, lang="th")
    second, _pdf = transcript_issue(actor=learner_user, learner=record, lang="en")
    client.force_login(provincial)
    url = reverse("transcripts:revoke", args=[second.pk])
    response = client.post(url, {"reason": "   ", "number": second.number})
    page = response.content.decode()
    assert response.status_code == 400
    row = page.split(f"<td>{second.number}</td>", 1)[1].split("</tr>", 1)[0]
    assert 'aria-invalid="true"' in row and "ระบุเหตุผลที่เพิกถอน" in row  # the message, beside this row's box
    assert f"<td>{first.number}</td>" not in page  # the list as searched
    second.refresh_from_db()
    assert second.revoked_at is None
    response = client.post(url, {"reason": "ออกผิดฉบับ", "number": second.number})
    assert response["Location"] == f"{reverse('transcripts:list')}?number={second.number}"
    second.refresh_from_db()
    assert second.revoke_reason == "ออกผิดฉบับ"
    again = client.post(url, {"reason": "ซ้ำ"}, follow=True).content.decode()  # revoked meanwhile: said on the list
    assert "ถูกเพิกถอนแล้ว" in again


def thai_id(first12: str) -> str:
    check = (11 - sum((13 - i) * int(d) for i, d in enumerate(first12)) % 11) % 10
    return first12 + str(check)


def test_an_officer_issues_an_official_transcript_at_the_offices_counter(client, record, staff):
    """The service let the provincial office issue official copies, but no page of theirs offered it: a learner who
    came to the office for one transcript of every institution's credits was sent back to a school. Now an officer
    types the ID on the learner's card (by POST, never in an address), sees whose record it is, and issues it."""
    from registry.models import RecordAccess
    from registry.selectors import learner_balance
    from registry.templatetags.numbers import credits

    client.force_login(staff)
    listing = client.get(reverse("transcripts:list")).content.decode()
    assert f'href="{reverse("transcripts:official_lookup")}"' in listing
    url = reverse("transcripts:official_lookup")
    assert 'id="official-lookup"' in client.get(url).content.decode()

    unknown = thai_id("110170020703")
    assert unknown != record.national_id
    refused = client.post(url, {"national_id": unknown})
    page = refused.content.decode()
    assert refused.status_code == 400 and 'id="found-learner"' not in page
    assert "ไม่พบผู้เรียนที่มีเลขประจำตัวนี้ในธนาคารหน่วยกิต" in page.split('id="id_national_id_error"', 1)[1][:300]
    assert f'value="{unknown}"' in page  # kept, to be corrected
    assert client.post(url, {"national_id": "1234"}).status_code == 400
    empty = client.post(url, {"national_id": " "}).content.decode()
    assert "กรุณาพิมพ์เลขประจำตัวของผู้เรียนตามบัตร" in empty.split('id="id_national_id_error"', 1)[1][:200]

    found = client.post(url, {"national_id": record.national_id})
    page = found.content.decode()
    assert found.status_code == 200 and record.full_name in page and record.masked_id in page
    assert record.national_id not in page  # found: the box is emptied, the number shown masked
    balance = learner_balance(record)
    assert f"{credits(balance.total)} หน่วยกิต" in page.split('id="found-balance"', 1)[1][:200]
    assert "ศูนย์ส่งเสริมการเรียนรู้อำเภอเมืองพิจิตร" in page
    assert RecordAccess.objects.filter(user=staff, learner=record, what="official_lookup").count() == 1
    assert f'action="{reverse("transcripts:official", args=[record.pk])}"' in page
    assert 'id="found-learner" aria-labelledby="found-name" tabindex="-1" data-focus-on-load' in page  # read first
    assert "ผู้เรียนคนนี้ยังไม่มีชื่อภาษาอังกฤษ" in page.split('id="learner-name-en"', 1)[1][:300]
    record.first_name_en, record.last_name_en = "Supaporn", "Jaidee"
    record.save()
    page = client.post(url, {"national_id": record.national_id}).content.decode()
    assert 'id="learner-name-en"' not in page
    assert "Supaporn Jaidee" in page  # the English copy prints it

    pdf = client.post(reverse("transcripts:official", args=[record.pk]), {"lang": "th"})
    assert pdf["Content-Type"] == "application/pdf"
    issued = Transcript.objects.get(learner=record)
    assert issued.official and issued.issued_by == staff


def test_a_batch_for_a_year_typed_in_the_common_era_says_which_year_to_type(client, registrar, record):
    """2025 was answered "choose a course or an academic year" (one had been typed) and Django's "must be at least
    2400", where the deposit list says which B.E. year to type."""
    client.force_login(registrar)
    page = client.post(reverse("transcripts:batches"), {"academic_year": "2025", "language": "th"}).content.decode()
    assert "กรุณาพิมพ์ 2568" in page.split('id="id_academic_year_error', 1)[1][:300]
    assert "กรุณาเลือกรายวิชาหรือปีการศึกษา" not in page and "2400" not in page


def test_a_batch_no_learner_matches_is_refused_beside_the_form_not_made_empty(client, registrar, record):
    """It was made: "done, 0 / 0", and its Download the PDF link a 404."""
    from transcripts.models import TranscriptBatch

    client.force_login(registrar)
    page = client.post(reverse("transcripts:batches"), {"academic_year": "2540", "language": "th"}).content.decode()
    assert "ไม่มีผู้เรียนที่มีหน่วยกิต" in page and not TranscriptBatch.objects.exists()


def test_issuing_a_transcript_is_audited_as_that_not_as_the_credentials_it_makes(learner_user, record):
    """Its credentials are made inside it: their service name had named every event of the issue."""
    import pghistory.models

    transcript, _pdf = transcript_issue(actor=learner_user, learner=record)
    events = pghistory.models.Events.objects.filter(pgh_obj_model="transcripts.Transcript", pgh_obj_id=transcript.pk)
    assert events and {e.pgh_context["service"] for e in events} == {"transcript_issue"}
