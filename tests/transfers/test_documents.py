"""A returned request is answered: the filer writes what they did and attaches what the office asked for. Before, the
office asked (say, for a certified copy of a transcript) and the filer could only press "send again", with no way to
send the document or say anything."""

import os

import pghistory.models
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry.uploads import CheckedFile
from tests.test_url_permissions import PNG_1PX
from transfers.models import MAX_REQUEST_DOCUMENTS, RequestDocument
from transfers.services.requests import (
    transfer_request_attach,
    transfer_request_create,
    transfer_request_remove_document,
    transfer_request_return,
    transfer_request_submit,
)

pytestmark = pytest.mark.django_db

ASKED = "ขอสำเนา ปพ.1 ที่รับรองแล้ว"


@pytest.fixture
def returned(pupil, learner_user, programme, rules, banked, dst, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    banked("ท21101", grade="3.5")
    draft = transfer_request_create(
        actor=learner_user, learner=pupil, programme=programme, target_course_ids=[dst["ท21101"].pk]
    )
    transfer_request_submit(actor=learner_user, request_id=draft.pk)
    return transfer_request_return(actor=staff, request_id=draft.pk, reason=ASKED)


def png(name="ปพ1.png"):
    return SimpleUploadedFile(name, PNG_1PX, content_type="image/png")


def test_the_filer_answers_the_office_and_sends_what_it_asked_for(client, returned, learner_user, staff):
    client.force_login(learner_user)
    page = client.get(returned.get_absolute_url()).content.decode()
    assert 'id="send-form"' in page and "คำตอบถึงสำนักงานศึกษาธิการจังหวัด" in page
    submit = reverse("transfers:request_submit", args=[returned.pk])

    # Sent again with no answer: refused next to the box, the request still back with its filer.
    refused = client.post(submit, {"reply": "  "})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert 'id="id_reply_error"' in text and "กรุณาเขียนคำตอบถึงสำนักงานศึกษาธิการจังหวัด" in text
    assert 'href="#id_reply"' in text  # said at the top too
    returned.refresh_from_db()
    assert returned.status == "returned" and not returned.documents.exists()

    # Attached first, without sending: the answer typed beside it is there on the page that follows.
    attached = client.post(
        reverse("transfers:request_attach", args=[returned.pk]),
        {"reply": "แนบสำเนา ปพ.1 แล้ว", "document": png()},
        follow=True,
    )
    text = attached.content.decode()
    assert "แนบ ปพ1.png แล้ว" in text and ">แนบสำเนา ปพ.1 แล้ว</textarea>" in text
    document = returned.documents.get()
    assert document.uploaded_by == learner_user and document.original_name == "ปพ1.png"
    returned.refresh_from_db()
    assert returned.status == "returned"  # attaching is not sending

    # Sent with the answer: the office reads it, and opens the document.
    sent = client.post(submit, {"reply": "แนบสำเนา ปพ.1 แล้ว"}, follow=True)
    assert "ยื่นคำร้องต่อสำนักงานศึกษาธิการจังหวัดแล้ว" in sent.content.decode()
    returned.refresh_from_db()
    assert returned.status == "submitted" and returned.filer_reply == "แนบสำเนา ปพ.1 แล้ว"
    client.force_login(staff)
    page = client.get(returned.get_absolute_url()).content.decode()
    answer = page.split('id="filer-reply">', 1)[1].split("</p>", 1)[0]
    assert "สุภาพร ใจดี ตอบเมื่อ" in answer and "แนบสำเนา ปพ.1 แล้ว" in answer  # who answered, when, and what
    link = reverse("transfers:request_document", args=[returned.pk, document.pk])
    assert link in page and 'id="send-form"' not in page  # the officer reads; only the filer attaches
    assert "ใหม่หลังส่งกลับ" in page.split(link, 1)[1][:300]  # what the answer brought, marked
    file = client.get(link)
    assert file.status_code == 200 and file["Content-Type"] == "image/png"
    assert "filename" in file["Content-Disposition"] and "%E0%B8%9B%E0%B8%9E1.png" in file["Content-Disposition"]
    assert file["X-Content-Type-Options"] == "nosniff" and "sandbox" in file["Content-Security-Policy"]
    assert b"".join(file.streaming_content).startswith(b"\x89PNG")


def test_a_file_chosen_with_the_send_button_goes_with_the_request(client, returned, learner_user):
    client.force_login(learner_user)
    client.post(reverse("transfers:request_submit", args=[returned.pk]), {"reply": "แนบแล้ว", "document": png()})
    returned.refresh_from_db()
    assert returned.status == "submitted" and returned.documents.get().original_name == "ปพ1.png"


def test_a_file_that_is_not_a_document_is_refused_next_to_its_field_and_the_answer_is_kept(
    client, returned, learner_user
):
    client.force_login(learner_user)
    response = client.post(
        reverse("transfers:request_submit", args=[returned.pk]),
        {"reply": "แนบใบรับรองแล้ว", "document": SimpleUploadedFile("note.txt", b"hello", content_type="text/plain")},
    )
    assert response.status_code == 400
    text = response.content.decode()
    said = text.split('id="id_document_error"', 1)[1][:300]
    assert "ไฟล์ต้องเป็นรูปภาพ JPEG หรือ PNG หรือไฟล์ PDF" in said  # a file, not "evidence", on a request's page
    assert ">แนบใบรับรองแล้ว</textarea>" in text
    returned.refresh_from_db()
    assert returned.status == "returned" and not returned.documents.exists()  # nothing half-done


def test_a_document_the_office_has_not_seen_can_be_taken_out_and_the_trail_keeps_it(
    client, returned, learner_user, staff, django_capture_on_commit_callbacks
):
    seen = transfer_request_attach(
        actor=learner_user, request_id=returned.pk, document=CheckedFile(PNG_1PX, "image/png", "a.png")
    )
    transfer_request_submit(actor=learner_user, request_id=returned.pk, reply="แนบแล้ว")
    transfer_request_return(actor=staff, request_id=returned.pk, reason="ขอหน้าที่ 2 ด้วย")
    wrong = transfer_request_attach(
        actor=learner_user, request_id=returned.pk, document=CheckedFile(PNG_1PX, "image/png", "ของคนอื่น.png")
    )
    client.force_login(learner_user)
    page = client.get(returned.get_absolute_url()).content.decode()
    assert page.count('class="btn btn-sm btn-outline-danger remove-document"') == 1  # not the one the office saw
    stored = wrong.file.path
    remove = reverse("transfers:request_remove_document", args=[returned.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove, {"remove_document": wrong.pk, "reply": "ส่งหน้าที่ 2 แล้ว"}, follow=True)
    text = response.content.decode()
    assert "นำ ของคนอื่น.png ออกจากคำร้องแล้ว" in text and ">ส่งหน้าที่ 2 แล้ว</textarea>" in text
    assert list(returned.documents.all()) == [seen]
    assert not os.path.exists(stored)  # someone else's certificate is not kept on disk
    trail = pghistory.models.Events.objects.filter(pgh_context__service="transfer_request_remove_document")
    assert {(e.pgh_model, e.pgh_label) for e in trail} == {("transfers.RequestDocumentEvent", "delete")}
    assert trail.first().pgh_context["user"] == learner_user.pk
    with pytest.raises(ValidationError) as refused:
        transfer_request_remove_document(actor=learner_user, request_id=returned.pk, document_id=seen.pk)
    assert refused.value.code == "seen"


def test_documents_change_only_while_the_request_is_with_its_filer_and_up_to_a_limit(
    returned, learner_user, learner2_user, staff
):
    one = CheckedFile(PNG_1PX, "image/png", "a.png")
    with pytest.raises(ValidationError):  # not theirs
        transfer_request_attach(actor=learner2_user, request_id=returned.pk, document=one)
    for _ in range(MAX_REQUEST_DOCUMENTS):
        transfer_request_attach(actor=learner_user, request_id=returned.pk, document=one)
    with pytest.raises(ValidationError) as full:
        transfer_request_attach(actor=learner_user, request_id=returned.pk, document=one)
    assert "document" in full.value.error_dict
    transfer_request_submit(actor=learner_user, request_id=returned.pk, reply="แนบครบแล้ว")
    last = RequestDocument.objects.filter(request=returned).last()
    with pytest.raises(ValidationError) as closed:
        transfer_request_remove_document(actor=learner_user, request_id=returned.pk, document_id=last.pk)
    assert closed.value.code == "not_open"


def test_an_answered_request_keeps_its_place_in_the_queue_and_is_marked_answered(
    client, returned, learner_user, staff, pupil, programme, banked, dst
):
    """Sent again, a request had gone to the back of the queue with "waiting under a minute", like a new one."""
    banked("ว21101", grade="3")
    newer = transfer_request_create(
        actor=learner_user, learner=pupil, programme=programme, target_course_ids=[dst["ว21101"].pk]
    )
    transfer_request_submit(actor=learner_user, request_id=newer.pk)
    first_sent = returned.submitted_at
    transfer_request_submit(actor=learner_user, request_id=returned.pk, reply="แนบแล้ว")
    returned.refresh_from_db()
    assert returned.submitted_at == first_sent and returned.resubmitted_at > first_sent
    client.force_login(staff)
    queue = client.get(reverse("transfers:queue")).content.decode()
    rows = queue.split('id="queue"', 1)[1]
    assert rows.index(returned.get_absolute_url()) < rows.index(newer.get_absolute_url())  # its place, kept
    row = rows.split(returned.get_absolute_url(), 1)[1].split("</a>", 1)[0]
    assert "ตอบกลับเมื่อ" in row
    assert "ตอบกลับแล้ว" not in rows.split(newer.get_absolute_url(), 1)[1].split("</a>", 1)[0]


def test_a_document_forgotten_when_sending_is_added_while_the_office_has_the_request(
    client, pupil, learner_user, programme, rules, banked, dst, staff, settings, tmp_path
):
    """A learner who sent a request and then found the certificate they meant to attach had no way to add it: only
    to withdraw the request and file it again, losing its place in the queue. Now it goes to the office at once,
    marked for the officer as added after sending; the office may have read it, so it cannot be taken out."""
    from transfers.services.requests import transfer_request_withdraw

    settings.MEDIA_ROOT = tmp_path
    banked("ท21101", grade="3.5")
    sent = transfer_request_create(
        actor=learner_user, learner=pupil, programme=programme, target_course_ids=[dst["ท21101"].pk]
    )
    transfer_request_submit(actor=learner_user, request_id=sent.pk)
    client.force_login(learner_user)
    page = client.get(sent.get_absolute_url()).content.decode()
    form = page.split('id="send-form"', 1)[1].split("</form>", 1)[0]
    assert "เพิ่มเอกสารในคำร้อง" in form and "เอกสารที่เพิ่มตอนนี้จะถึงสำนักงานทันที" in form
    assert 'name="reply"' not in form and 'id="send"' not in form  # nothing to answer, nothing to send again
    assert "(ถ้ามี)" not in form  # the one button needs a file
    empty = client.post(reverse("transfers:request_attach", args=[sent.pk]), {}).content.decode()
    assert "ยังไม่ได้เพิ่มเอกสาร" in empty.split('id="error-summary"', 1)[1][:300]  # not "nothing was sent"
    assert "เพิ่มเอกสารในคำร้อง”" in empty.split('id="id_document_error"', 1)[1][:200]
    added = client.post(reverse("transfers:request_attach", args=[sent.pk]), {"document": png("เกียรติบัตร.png")},
                        follow=True)  # fmt: skip
    text = added.content.decode()
    assert "เพิ่ม เกียรติบัตร.png ในคำร้องแล้ว" in text and "remove-document" not in text
    sent.refresh_from_db()
    document = sent.documents.get()
    assert sent.status == "submitted" and sent.submitted_at < document.uploaded_at  # still in its place, not resent
    with pytest.raises(ValidationError) as refused:
        transfer_request_remove_document(actor=learner_user, request_id=sent.pk, document_id=document.pk)
    assert refused.value.code == "not_open"

    client.force_login(staff)
    page = client.get(sent.get_absolute_url()).content.decode()
    listed = page.split('id="documents"', 1)[1].split("</ul>", 1)[0]
    assert "เกียรติบัตร.png" in listed and "เพิ่มหลังยื่นคำร้อง" in listed
    # Sent back afterwards: what the office had when it sent the request back stays with the request.
    transfer_request_return(actor=staff, request_id=sent.pk, reason=ASKED)
    with pytest.raises(ValidationError) as seen:
        transfer_request_remove_document(actor=learner_user, request_id=sent.pk, document_id=document.pk)
    assert seen.value.code == "seen"
    # Withdrawn (or decided): nothing more is added.
    transfer_request_withdraw(actor=learner_user, request_id=sent.pk)
    with pytest.raises(ValidationError) as closed:
        transfer_request_attach(
            actor=learner_user, request_id=sent.pk, document=CheckedFile(PNG_1PX, "image/png", "b.png")
        )
    assert closed.value.code == "not_open"


def test_a_school_whose_credits_a_request_uses_sees_the_request_but_not_the_papers_attached_for_the_office(
    client, returned, learner_user, registrar, receiving
):
    from tests.factories import UserFactory

    client.force_login(learner_user)
    client.post(reverse("transfers:request_attach", args=[returned.pk]), {"reply": "แนบแล้ว", "document": png()})
    document = returned.documents.get()
    link = reverse("transfers:request_document", args=[returned.pk, document.pk])
    client.force_login(registrar)  # the sending school: its credit is in the request
    page = client.get(returned.get_absolute_url())
    assert page.status_code == 200 and link not in page.content.decode()
    assert client.get(link).status_code == 404  # the learner's papers had downloaded for it
    receiver = UserFactory(role="registrar", institution=receiving)
    client.force_login(receiver)  # the receiving school reads them, as the office does
    assert link in client.get(returned.get_absolute_url()).content.decode()
    assert client.get(link).status_code == 200


def test_a_learners_unsent_draft_is_not_the_sending_schools_to_read(
    client, pupil, learner_user, registrar, programme, rules, banked, dst
):
    """The school whose credit a draft would use read it, and the learner's note to the office, before it was sent."""
    banked("ท21101", grade="3.5")
    draft = transfer_request_create(
        actor=learner_user, learner=pupil, programme=programme, target_course_ids=[dst["ท21101"].pk], note="ส่วนตัว"
    )
    client.force_login(registrar)  # the sending school
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert draft.get_absolute_url() not in client.get(reverse("transfers:requests")).content.decode()
    transfer_request_submit(actor=learner_user, request_id=draft.pk)
    assert client.get(draft.get_absolute_url()).status_code == 200  # sent: it sees the request its credit is in
