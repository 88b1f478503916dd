"""The staff queue (tappable rows, waiting time in the page's language, filters) and the learner's request page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import InstitutionFactory, LearnerFactory, TransferRequestFactory
from transfers.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(programme):
    now = timezone.now()
    elsewhere = InstitutionFactory(code="1066549999", name_th="โรงเรียนอื่น")
    for name, age, institution in [
        ("รอ53นาที", datetime.timedelta(minutes=53), programme.institution),
        ("รอ9วัน", datetime.timedelta(days=9), programme.institution),
        ("รอ20วันที่อื่น", datetime.timedelta(days=20), elsewhere),
    ]:
        TransferRequestFactory(
            status="submitted", submitted_at=now - age, programme=programme, target_institution=institution,
            learner=LearnerFactory(first_name=name),
        )  # fmt: skip
    return elsewhere


def test_waiting_times_are_in_the_pages_language(client, staff, waiting, programme):
    TransferRequestFactory(
        status="submitted", submitted_at=timezone.now() - datetime.timedelta(seconds=20), programme=programme,
        target_institution=waiting, learner=LearnerFactory(first_name="เพิ่งยื่น"),
    )  # fmt: skip
    client.force_login(staff)
    page = client.get(reverse("transfers:queue")).content.decode()
    assert "53 นาที" in page and "9 วัน" in page and "minutes" not in page and "days" not in page
    assert "รอมาแล้ว ไม่ถึง 1 นาที" in page and "0 นาที" not in page  # sent this minute: not "0 minutes"
    client.cookies["django_language"] = "en"
    page = client.get(reverse("transfers:queue")).content.decode()
    assert "53 minutes" in page and "9 days" in page and "Waiting under a minute" in page


def test_the_queue_filters_by_age_and_institution_oldest_first(client, staff, waiting, programme):
    client.force_login(staff)
    page = client.get(reverse("transfers:queue")).content.decode()
    assert page.index("รอ20วันที่อื่น") < page.index("รอ9วัน") < page.index("รอ53นาที")
    aged = client.get(reverse("transfers:queue"), {"age": "7"}).content.decode()
    assert "รอ9วัน" in aged and "รอ20วันที่อื่น" in aged and "รอ53นาที" not in aged
    here = client.get(reverse("transfers:queue"), {"age": "7", "institution": programme.institution_id}).content
    assert "รอ9วัน" in here.decode() and "รอ20วันที่อื่น" not in here.decode()
    assert 'value="7" selected' in here.decode()
    assert f'<option value="{programme.institution_id}" selected>' in here.decode()
    none = client.get(reverse("transfers:queue"), {"age": "30"}).content.decode()
    assert "ไม่มีคำร้องที่รอพิจารณาตรงกับตัวกรองนี้" in none  # not "nothing is waiting": the filter hides them


def test_the_queue_finds_a_request_by_its_number_or_its_learners_name(client, staff, waiting):
    from transfers.models import TransferRequest

    client.force_login(staff)
    nine_days = TransferRequest.objects.get(learner__first_name="รอ9วัน")
    url = reverse("transfers:queue")
    for typed in (f"#{nine_days.pk}", f" {nine_days.pk} ", "รอ9"):
        page = client.get(url, {"q": typed}).content.decode()
        assert "รอ9วัน" in page and "รอ53นาที" not in page and "รอ20วันที่อื่น" not in page, typed
        assert f'value="{typed}"' in page  # what was typed stays in the box
    assert "ไม่มีคำร้องที่รอพิจารณาตรงกับตัวกรองนี้" in client.get(url, {"q": "ไม่มีชื่อนี้"}).content.decode()


def test_the_queue_filters_by_status_and_a_bad_value_drops_only_its_own_filter(client, staff, waiting, programme):
    """Each filter stands alone: an address with an unknown status or age (typed, or from an old bookmark) still
    applies the others, shows them chosen, and says nothing is wrong with the page."""
    client.force_login(staff)
    TransferRequestFactory(
        status="under_review", submitted_at=timezone.now() - datetime.timedelta(days=10), programme=programme,
        target_institution=programme.institution, learner=LearnerFactory(first_name="รอทบทวน10วัน"),
    )  # fmt: skip
    page = client.get(reverse("transfers:queue"), {"status": "under_review"}).content.decode()
    assert "รอทบทวน10วัน" in page and "รอ9วัน" not in page
    assert '<option value="under_review" selected>' in page
    page = client.get(reverse("transfers:queue"), {"status": "approved", "age": "7"}).content.decode()
    assert "รอทบทวน10วัน" in page and "รอ9วัน" in page and "รอ53นาที" not in page
    status_select = page.split('id="id_status"', 1)[1].split("</select>", 1)[0]
    assert 'value="7" selected' in page and " selected" not in status_select and "aria-invalid" not in page
    page = client.get(
        reverse("transfers:queue"), {"status": "submitted", "age": "8", "institution": programme.institution_id}
    ).content.decode()
    assert "รอ9วัน" in page and "รอ53นาที" in page and "รอทบทวน10วัน" not in page and "รอ20วันที่อื่น" not in page


def test_the_institution_filter_offers_a_school_no_rule_sends_to(client, staff, waiting):
    """Requests may go to any institution, not only those named by an approved rule: the filter finds them all."""
    client.force_login(staff)
    page = client.get(reverse("transfers:queue")).content.decode()
    assert f'<option value="{waiting.pk}">โรงเรียนอื่น</option>' in page
    there = client.get(reverse("transfers:queue"), {"institution": waiting.pk}).content.decode()
    assert "รอ20วันที่อื่น" in there and "รอ9วัน" not in there
    nowhere = client.get(reverse("transfers:queue"), {"institution": "99999999"}).content.decode()
    assert "รอ9วัน" not in nowhere and "รอ20วันที่อื่น" not in nowhere


def test_each_queue_row_is_one_large_link(client, staff, waiting, django_assert_max_num_queries):
    client.force_login(staff)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("transfers:queue")).content.decode()
    assert page.count('class="list-group-item list-group-item-action queue-row') == 3
    assert (
        ".queue-row { min-height: 44px; }"
        in (__import__("pathlib").Path(__file__).resolve().parents[2] / "static/css/app.css").read_text()
    )


def test_the_learner_finds_a_programme_by_search_instead_of_a_long_select(client, learner_user, programme):
    Programme.objects.create(
        institution=programme.institution, code="VOC", name_th="ประกาศนียบัตรวิชาชีพ", level="voc_cert",
        required_credits=90,
    )  # fmt: skip
    client.force_login(learner_user)
    page = client.get(reverse("transfers:request_new")).content.decode()
    assert 'name="programme"' not in page and 'type="search"' in page
    found = client.get(reverse("transfers:request_new"), {"q": "วิชาชีพ"}).content.decode()
    assert "ประกาศนียบัตรวิชาชีพ" in found and "มัธยมศึกษาตอนต้น" not in found
    assert f'href="?programme={programme.pk}"' not in found


def test_the_request_page_shows_what_carries_over_and_folds_the_assessments_away(
    client, learner_user, programme, rules, banked
):
    banked("ท21101", grade="3.5")
    banked("ศ21101", grade="4")  # no rule: offered for an assessment
    client.force_login(learner_user)
    page = client.get(reverse("transfers:request_new"), {"programme": programme.pk}).content.decode()
    assert 'id="chosen-programme"' in page and "เหตุผลตามเกณฑ์" in page
    assert '<details class="mb-3 card card-body" id="assessments">' in page
    assert page.count("<select") == 1  # one assessment choice, folded away; no programme select
    assert ">บันทึกคำร้อง</button>" in page  # no count that unticking a box would leave wrong


def test_the_officer_goes_from_one_request_to_the_next_in_the_queue_as_they_filtered_it(
    client, staff, waiting, programme
):
    """An officer deciding a hundred requests goes from each to the next waiting one, oldest first, in the queue as
    they last filtered it, without the list in between; a request they filed themselves is passed over, and at the
    end they are told nothing else is waiting and taken back to the queue."""
    from transfers.models import TransferRequest

    by_name = {r.learner.first_name: r for r in TransferRequest.objects.select_related("learner")}
    TransferRequestFactory(
        status="submitted", submitted_at=timezone.now() - datetime.timedelta(days=5), programme=programme,
        target_institution=programme.institution, created_by=staff, learner=LearnerFactory(first_name="ยื่นเอง"),
    )  # fmt: skip
    client.force_login(staff)
    nxt = reverse("transfers:queue_next")
    oldest, nine_days, newest = by_name["รอ20วันที่อื่น"], by_name["รอ9วัน"], by_name["รอ53นาที"]
    page = client.get(oldest.get_absolute_url()).content.decode()
    assert f'href="{nxt}?after={oldest.pk}" id="next-request"' in page
    assert client.get(nxt, {"after": oldest.pk}).url == nine_days.get_absolute_url()
    # Five days' wait comes between, but the officer filed it: another officer decides it.
    assert client.get(nxt, {"after": nine_days.pk}).url == newest.get_absolute_url()
    assert client.get(nxt).url == oldest.get_absolute_url()  # from the top
    # Past the last one: not round again without a word (two requests passed over went round for ever), but the
    # queue, saying how many are still waiting (the two before it).
    response = client.get(nxt, {"after": newest.pk}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("transfers:queue")
    assert "ยังมีอีก 2 คำร้องที่รอท่านพิจารณา" in response.content.decode()
    # Filtered to the receiving institution: the one elsewhere is not next.
    client.get(reverse("transfers:queue"), {"institution": programme.institution_id})
    assert client.get(nxt, {"after": oldest.pk}).url == nine_days.get_absolute_url()
    # Once the only other one is decided, the officer is told so, back on the queue as filtered.
    TransferRequest.objects.filter(pk=newest.pk).update(status="approved")
    response = client.get(nxt, {"after": nine_days.pk}, follow=True)
    assert (
        response.redirect_chain[-1][0]
        == reverse("transfers:queue") + f"?q=&status=&institution={programme.institution_id}&age=&page=1"
    )
    assert "ไม่มีคำร้องอื่นที่รอท่านพิจารณาตามตัวกรองที่เลือก" in response.content.decode()


def test_a_request_under_review_names_its_reviewer_to_the_other_officers(client, staff, waiting):
    """ "Start the review" moved a request to "under review" and recorded nobody: a second officer could not tell who
    was deciding it, and two worked on the same one."""
    from tests.factories import UserFactory
    from transfers.models import TransferRequest

    staff.first_name, staff.last_name = "สุนิสา", "ประจำจังหวัด"
    staff.first_name_en, staff.last_name_en = "Sunisa", "Prachamchangwat"
    staff.save()
    request = TransferRequest.objects.get(learner__first_name="รอ9วัน")
    client.force_login(staff)
    detail = client.get(request.get_absolute_url()).content.decode()
    assert "ให้เจ้าหน้าที่คนอื่นเห็นว่าท่านกำลังพิจารณาคำร้องนี้" in detail  # what the button is for, beside it
    response = client.post(reverse("transfers:request_review", args=[request.pk]), follow=True)
    assert "เจ้าหน้าที่คนอื่นจะเห็นชื่อของท่าน" in response.content.decode()
    colleague = UserFactory(username="provincial-b", role=staff.role)
    client.force_login(colleague)
    row = client.get(reverse("transfers:queue")).content.decode().split(request.get_absolute_url(), 1)[1]
    assert "สุนิสา ประจำจังหวัด" in row.split("</a>", 1)[0]
    page = client.get(request.get_absolute_url()).content.decode()
    assert "กำลังพิจารณาโดย สุนิสา ประจำจังหวัด" in page.split('id="reviewer">', 1)[1][:200]
    # On English pages, by the name they spell in English (it had been their Thai name among English words).
    colleague.language = "en"
    colleague.save(update_fields=["language"])
    row = client.get(reverse("transfers:queue")).content.decode().split(request.get_absolute_url(), 1)[1]
    assert "Sunisa Prachamchangwat" in row.split("</a>", 1)[0] and "สุนิสา" not in row.split("</a>", 1)[0]
    page = client.get(request.get_absolute_url()).content.decode()
    assert "under review by Sunisa Prachamchangwat" in page.split('id="reviewer">', 1)[1][:200]


def test_officers_see_the_requests_they_sent_back_and_who_must_answer(client, staff, registrar, waiting, programme):
    """A request sent back left the queue and went nowhere an officer could see it: nobody could tell which answers
    were overdue, or call the school that owed one. Now a list beside the queue holds them, longest with the filer
    first, with what was asked, by whom, and who must answer; an answer sent takes the request off it."""
    from tests.factories import UserFactory
    from transfers.models import TransferRequest
    from transfers.services.requests import transfer_request_return, transfer_request_submit

    staff.first_name, staff.last_name = "สุนิสา", "ประจำจังหวัด"
    staff.save()
    colleague = UserFactory(username="provincial-b", role=staff.role, first_name="มานพ", last_name="ตรวจดี",
                            first_name_en="Manop", last_name_en="Truatdi")  # fmt: skip
    older = TransferRequest.objects.get(learner__first_name="รอ9วัน")
    older.created_by = registrar
    older.save()
    newer = TransferRequest.objects.get(learner__first_name="รอ53นาที")
    transfer_request_return(actor=staff, request_id=older.pk, reason="ขอสำเนาใบแสดงผลการเรียนที่โรงเรียนรับรองแล้ว")
    TransferRequest.objects.filter(pk=older.pk).update(returned_at=timezone.now() - datetime.timedelta(days=6))
    transfer_request_return(actor=colleague, request_id=newer.pk, reason="ขอผลการประเมินฉบับเต็ม")
    client.force_login(staff)
    queue = client.get(reverse("transfers:queue")).content.decode()
    assert f'href="{reverse("transfers:returned")}"' in queue.split('id="returned-link"', 1)[0][-200:]
    page = client.get(reverse("transfers:returned")).content.decode()
    rows = page.split('id="returned"', 1)[1].split("list-group-item-action")[1:]
    assert [older.get_absolute_url() in rows[0], newer.get_absolute_url() in rows[1]] == [True, True]
    assert "ส่งกลับเมื่อ 6 วันที่แล้ว" in rows[0] and "โดย สุนิสา ประจำจังหวัด" in rows[0]
    assert "ขอสำเนาใบแสดงผลการเรียนที่โรงเรียนรับรองแล้ว" in rows[0]
    assert "รอคำตอบจาก วิไลวรรณ" in rows[0]  # the registrar who filed it owes the answer, not the learner
    assert "โดย มานพ ตรวจดี" in rows[1] and "ขอผลการประเมินฉบับเต็ม" in rows[1]
    mine = client.get(reverse("transfers:returned") + "?mine=1").content.decode()
    assert older.get_absolute_url() in mine and newer.get_absolute_url() not in mine
    assert "1 คำร้อง" in mine.split('id="returned-count"', 1)[1][:100]
    detail = client.get(older.get_absolute_url()).content.decode()
    assert "ส่งกลับโดย สุนิสา ประจำจังหวัด เมื่อ" in detail.split('id="returned-by"', 1)[1][:200]
    assert f'href="{reverse("transfers:returned")}" id="back-to-returned"' in detail  # the way back to this list
    # Answered and sent again: back in the queue, off this list; the request says who had asked.
    transfer_request_submit(actor=registrar, request_id=older.pk, reply="แนบสำเนาที่รับรองแล้ว")
    page = client.get(reverse("transfers:returned")).content.decode()
    assert older.get_absolute_url() not in page and newer.get_absolute_url() in page
    detail = client.get(older.get_absolute_url()).content.decode()
    assert "ส่งกลับโดย สุนิสา ประจำจังหวัด เมื่อ" in detail.split('id="office-note"', 1)[1][:300]
    none_left = client.get(reverse("transfers:returned") + "?mine=1").content.decode()
    assert "ไม่มีคำร้องที่ท่านส่งกลับซึ่งยังรอคำตอบ" in none_left and 'id="returned-count"' not in none_left  # no "0"
    client.force_login(colleague)
    client.cookies["django_language"] = "en"
    colleague.language = "en"
    colleague.save(update_fields=["language"])
    page = client.get(reverse("transfers:returned") + "?mine=1").content.decode()
    assert newer.get_absolute_url() in page and "Sent back under a minute ago" in page and "by Manop" in page
