import json
import re

import pytest
from django.urls import reverse

from registry.models import RecordAccess
from tests.factories import DepositFactory, TransferRequestFactory

pytestmark = pytest.mark.django_db


def test_my_data_holds_everything_about_me_and_nothing_else(client, learner_user, deposit, other_deposit, registrar):
    client.force_login(registrar)
    client.get(reverse("registry:learner_detail", args=[deposit.learner_id]))  # logged as an access
    client.force_login(learner_user)
    data = json.loads(client.get(reverse("my_data", args=["json"])).content)
    assert data["learner"]["national_id"] == learner_user.learner.national_id
    assert [d["course_code"] for d in data["deposits"]] == [deposit.course.code]
    assert data["who_looked_at_my_record"][0]["what"] == "learner_detail"
    assert other_deposit.learner.national_id not in json.dumps(data)
    csv_text = client.get(reverse("my_data_csv", args=["credits"])).content.decode("utf-8-sig")
    assert deposit.course.title_th in csv_text and csv_text.startswith("เลขที่รายการหน่วยกิต,")
    profile = client.get(reverse("my_data_csv", args=["profile"])).content.decode("utf-8-sig")
    learner = learner_user.learner
    # With its dashes, so a spreadsheet keeps it as text, not 2.2E+12; the JSON keeps the bare digits.
    assert learner.formatted_id in profile and f",{learner.national_id}," not in profile


def test_my_data_holds_my_requests_whole_and_names_my_title_in_the_files_language(
    client, learner_user, programme, rules, banked, dst
):
    from transfers.services.requests import transfer_request_create

    banked("ท21101", grade="3.5")
    learner = learner_user.learner
    transfer_request_create(
        actor=learner_user, learner=learner, programme=programme, target_course_ids=[dst["ท21101"].pk],
        note="ขอเทียบโอนเพื่อเรียนต่อ",
    )  # fmt: skip
    client.force_login(learner_user)
    data = json.loads(client.get(reverse("my_data", args=["json"])).content)
    [asked] = data["transfer_requests"]
    assert asked["programme"] == programme.code and asked["note"] == "ขอเทียบโอนเพื่อเรียนต่อ"
    assert data["transfer_items"][0]["from_credits"] == "ท21101"  # the learner's own course it comes from
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    profile = client.get(reverse("my_data_csv", args=["profile"])).content.decode("utf-8-sig")
    from registry.models import PREFIX_EN

    assert f",{PREFIX_EN[learner.prefix]}," in profile and learner.get_prefix_display() not in profile


def test_my_data_says_a_withdrawn_requests_courses_were_withdrawn(client, learner_user, programme, rules, banked, dst):
    """Items of a withdrawn request were never decided: the export says withdrawn (as the request page does), not
    "waiting for a decision"; a draft's say not sent yet."""
    from transfers.services.requests import transfer_request_create, transfer_request_submit, transfer_request_withdraw

    banked("ท21101", grade="3.5")
    banked("ค21101", grade="3")
    learner = learner_user.learner
    withdrawn = transfer_request_create(
        actor=learner_user, learner=learner, programme=programme, target_course_ids=[dst["ท21101"].pk]
    )
    transfer_request_submit(actor=learner_user, request_id=withdrawn.pk)
    transfer_request_withdraw(actor=learner_user, request_id=withdrawn.pk)
    draft = transfer_request_create(
        actor=learner_user, learner=learner, programme=programme, target_course_ids=[dst["ค21101"].pk]
    )
    client.force_login(learner_user)
    data = json.loads(client.get(reverse("my_data", args=["json"])).content)
    decisions = {item["request"]: item["decision"] for item in data["transfer_items"]}
    assert decisions == {withdrawn.pk: "withdrawn", draft.pk: "draft"}
    rows = client.get(reverse("my_data_csv", args=["transfer-items"])).content.decode("utf-8-sig").splitlines()
    assert "ถอนคำร้องแล้ว" in rows[1] and "รอการพิจารณา" not in rows[1]
    assert "ยังไม่ได้ส่ง" in rows[2]


def test_registrar_looking_at_a_learner_is_logged(client, registrar, deposit):
    client.force_login(registrar)
    client.get(reverse("registry:learner_detail", args=[deposit.learner_id]))
    access = RecordAccess.objects.get()
    assert access.user == registrar and access.learner == deposit.learner


def test_privacy_notice_is_public_and_thai(client):
    page = client.get(reverse("privacy")).content.decode()
    assert "ประกาศความเป็นส่วนตัว" in page and "72 ชั่วโมง" in page


@pytest.mark.parametrize("name", ["home", "login", "activate", "transcripts:verify_start", "transfers:guide"])
def test_every_page_links_to_the_privacy_notice(client, name):
    """Before, only a signed-in learner's balance page linked to it: someone about to open an account (national ID,
    birth date, email) or sign in could not find what is done with their data (PDPA s.23)."""
    page = client.get(reverse(name)).content.decode()
    footer = page.split("<footer", 1)[1]
    assert f'href="{reverse("privacy")}"' in footer and "ประกาศความเป็นส่วนตัว" in footer


def test_the_notice_says_how_long_data_is_kept_and_whom_to_ask(client, settings):
    settings.SIGN_IN_LOG_DAYS = 180
    settings.PRIVACY_CONTACT = "กลุ่มส่งเสริมการศึกษา โทร. 0 5601 2345"
    page = client.get(reverse("privacy")).content.decode()
    kept = page.split('id="how-long"', 1)[1].split("<h2", 1)[0]
    assert "180 วัน" in kept  # sign-in records, as the nightly job deletes them
    asked = page.split('id="contact"', 1)[1].split("<h2", 1)[0]
    assert "กลุ่มส่งเสริมการศึกษา โทร. 0 5601 2345" in asked
    assert "สำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล" in asked and 'href="https://www.pdpc.or.th/"' in asked


def test_balance_page_shows_levels_transfers_and_programme_progress(
    client, learner_user, programme, rules, banked, dst
):
    banked("ท21101", grade="3.5")
    banked("ว21101", grade="4")
    TransferRequestFactory(learner=learner_user.learner, target_institution=programme.institution, status="submitted")
    client.force_login(learner_user)
    page = client.get("/", {"programme": programme.pk}).content.decode()
    assert "มัธยมศึกษาตอนต้น" in page  # by level
    assert 'id="progress"' in page and "0 จาก 8 หน่วยกิต" in page
    assert "ภาษาไทยพื้นฐาน 1" in page and "วิทยาศาสตร์ 2" in page  # could transfer under rules
    # Beside the bar (what is held), what approved rules would add: the bar alone read as 0 % with credits to come.
    assert 'id="could-credits">· เทียบโอนเพิ่มได้อีก 3.5 หน่วยกิต' in page
    missing = page.split("ยังไม่มีหน่วยกิตของท่านที่เทียบได้", 1)[1].split("</ul>", 1)[0]
    assert "ภาษาไทยพื้นฐาน 1" not in missing and "คณิตศาสตร์พื้นฐาน 1" in missing  # not both "could" and "missing"
    assert re.search(r'role="progressbar" aria-label="[^"]+"', page)
    assert "ยื่นแล้ว" in page  # the pending request and its status
    assert re.search(r'id="applied">0<', page)
    assert reverse("transfers:request_new") in page


def test_a_learner_finds_a_programme_by_part_of_its_name_and_sees_progress(client, learner_user, programme):
    client.force_login(learner_user)
    assert "programmes-found" not in client.get("/").content.decode()  # no programme is listed until searched
    word = programme.name_th.split()[0][:4]
    page = client.get("/", {"q": word}).content.decode()
    assert f'href="?programme={programme.pk}"' in page and programme.name_th in page
    page = client.get("/", {"q": "ไม่มีหลักสูตรนี้แน่นอน"}).content.decode()
    assert "ไม่พบหลักสูตร" in page and f"?programme={programme.pk}" not in page
    page = client.get("/", {"programme": programme.pk}).content.decode()
    assert 'id="progress"' in page and "invalid-feedback" not in page  # choosing a programme is not a bad search
    for short in ("ม.ต้น", "มต้น", "ม. ต้น", "ม.3", "ม 2", "ม.๓"):  # the level's short name: it had found nothing
        assert f'href="?programme={programme.pk}"' in client.get("/", {"q": short}).content.decode(), short
    assert f'href="?programme={programme.pk}"' not in client.get("/", {"q": "ม.ปลาย"}).content.decode()


def test_a_learner_who_knows_no_programme_name_lists_them_by_searching_with_an_empty_box(
    client, learner_user, programme
):
    """An empty search said "type part of a name": a learner who knew none had no way to see what there is."""
    from transfers.models import Programme

    for n in range(11):
        Programme.objects.create(
            institution=programme.institution, code=f"P{n:02}",
            name_th=f"หลักสูตรทดลอง {n:02}" if n else "หลักสูตรทดลองดนตรีไทย",
            required_credits=programme.required_credits, level=programme.level, active=True,
        )  # fmt: skip
    Programme.objects.create(
        institution=programme.institution, code="OLD", name_th="หลักสูตรเก่า ปิดรับแล้ว",
        required_credits=programme.required_credits, level=programme.level, active=False,
    )  # fmt: skip
    client.force_login(learner_user)
    page = client.get("/", {"q": " "}).content.decode()
    found = page.split('id="programmes-found"', 1)[1].split("</ul>", 1)[0]
    assert found.count('href="?programme=') == 10 and "ปิดรับแล้ว" not in found
    assert "invalid-feedback" not in page
    assert "10 หลักสูตรแรกจากที่เปิดรับเทียบโอน พิมพ์ส่วนหนึ่งของชื่อเพื่อหาหลักสูตรอื่น" in page  # there are more
    page = client.get("/", {"q": "ดนตรีไทย"}).content.decode()  # narrowed to one: no word of more
    assert page.split('id="programmes-found"', 1)[1].split("</ul>", 1)[0].count('href="?programme=') == 1
    assert "10 หลักสูตรแรก" not in page


def test_the_balance_page_shows_the_latest_credits_and_links_to_all_of_them(client, learner_user, school_course):
    for year in range(2560, 2567):
        DepositFactory(learner=learner_user.learner, course=school_course, academic_year=year)
    client.force_login(learner_user)
    page = client.get("/").content.decode()
    assert page.count('href="/registry/deposits/') == 5
    assert "หน่วยกิตทั้งหมดของฉัน (7 รายวิชา)" in page and reverse("my_credits") in page
    history = client.get(reverse("my_credits")).content.decode()
    assert history.count('href="/registry/deposits/') == 7 and "7 รายวิชา" in history
    # On a phone each course is a card whose cells are named (the columns had squeezed dates onto three lines).
    assert "stacks-on-phones" in history.split('id="history"', 1)[0][-80:]
    row = history.split('id="history"', 1)[1].split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert [label for label in ("รายวิชา", "หน่วยกิต", "ผลการเรียน", "เรียนจบ") if f'data-label="{label}"' in row] == [
        "รายวิชา", "หน่วยกิต", "ผลการเรียน", "เรียนจบ"
    ]  # fmt: skip
    assert "ยกเลิก" not in history.split('id="history-count"', 1)[1].split("</p>", 1)[0]  # none voided: not said
    from registry.services import deposit_void

    deposit = learner_user.learner.deposits.first()
    deposit_void(actor=deposit.recorded_by, deposit_id=deposit.pk, reason="บันทึกซ้ำกับรายการอื่น")
    history = client.get(reverse("my_credits")).content.decode()
    said = history.split('id="history-count"', 1)[1].split("</p>", 1)[0]
    assert "7 รายวิชา" in said and "ยกเลิกแล้ว 1 รายการ" in said


def test_balance_page_query_count_is_bounded(client, learner_user, school_course, django_assert_max_num_queries):
    for year in range(2555, 2575):
        DepositFactory(learner=learner_user.learner, course=school_course, academic_year=year)
    client.force_login(learner_user)
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200


def test_a_course_asked_for_in_a_sent_request_is_said_to_be_on_its_way_not_missing(
    client, learner_user, programme, rules, banked, dst, staff
):
    """Once a request was sent, its courses moved to "not covered by your credits", and "could transfer" vanished: the
    learner read it as having lost them. On the new-request page they carried a red "does not meet the rule"."""
    from transfers.services.requests import transfer_request_create, transfer_request_return, transfer_request_submit

    banked("ท21101", grade="3.5")
    learner = learner_user.learner
    sent = transfer_request_create(
        actor=learner_user, learner=learner, programme=programme, target_course_ids=[dst["ท21101"].pk]
    )
    transfer_request_submit(actor=learner_user, request_id=sent.pk)
    client.force_login(learner_user)
    page = client.get("/", {"programme": programme.pk}).content.decode()
    asked = page.split(f'id="asked-{programme.pk}"', 1)[1].split("</ul>", 1)[0]
    assert "ภาษาไทยพื้นฐาน 1" in asked and reverse("transfers:request_detail", args=[sent.pk]) in asked
    missing = page.split("ยังไม่มีหน่วยกิตของท่านที่เทียบได้", 1)[1].split("</ul>", 1)[0]
    assert "ภาษาไทยพื้นฐาน 1" not in missing
    new = client.get(reverse("transfers:request_new"), {"programme": programme.pk}).content.decode()
    row = new.split(f'id="target_{dst["ท21101"].pk}"', 1)[1].split("</details>", 1)[0]
    assert f"อยู่ในคำร้อง #{sent.pk}" in row and "text-bg-danger" not in row

    # Sent back: the balance page says so at the top, with what the office asked.
    assert 'id="requests-with-you"' not in page
    transfer_request_return(actor=staff, request_id=sent.pk, reason="ขอสำเนา ปพ.1")
    box = client.get("/").content.decode().split('id="requests-with-you"', 1)[1].split("</ul>", 1)[0]
    assert sent.get_absolute_url() in box and "ขอสำเนา ปพ.1" in box


def test_the_balance_page_says_what_each_kind_of_learning_is_and_what_its_grades_mean(
    client, learner_user, school_course
):
    """The words "ในระบบ / นอกระบบ / ตามอัธยาศัย" alone meant little to a learner, and grades of several scales (ผ, 3.5,
    B) had no key on the page, only on the PDF."""
    DepositFactory(learner=learner_user.learner, course=school_course, grade="ผ")
    client.force_login(learner_user)
    page = client.get("/").content.decode()
    assert "โรงเรียนและวิทยาลัย" in page and "การทำงานและการเรียนรู้ด้วยตนเอง" in page
    key = page.split('id="grade-key"', 1)[1].split("</details>", 1)[0]
    assert "ผ = ผ่าน" in key
    mine = client.get(reverse("my_credits")).content.decode()
    assert "ผ = ผ่าน" in mine.split('id="grade-key"', 1)[1]


def test_my_data_holds_my_requests_documents_assessments_and_answers(client, learner_user, staff, settings, tmp_path):
    """The download left out the documents a learner attached, their answer to the office, when it was sent back and
    again, and how their prior learning was assessed (method, score, assessor): the privacy notice says everything."""
    import datetime
    from decimal import Decimal

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from tests.factories import CourseFactory
    from transfers.models import Assessment, RequestDocument, TransferItem

    settings.MEDIA_ROOT = tmp_path
    learner = learner_user.learner
    mine = TransferRequestFactory(learner=learner, status="submitted", filer_reply="แนบใบรับรองผลการเรียนแล้วค่ะ",
                                  returned_at=timezone.now(), resubmitted_at=timezone.now())  # fmt: skip
    theirs = TransferRequestFactory(status="submitted")
    for request, name in ((mine, "evidence.png"), (theirs, "someone-else.png")):
        document = RequestDocument(request=request, content_type="image/png", original_name=name, uploaded_by=staff)
        document.file.save(name, ContentFile(b"png"), save=True)
    item = TransferItem.objects.create(request=mine, target_course=CourseFactory(), verdict="assessment")
    Assessment.objects.create(item=item, method="CS", score=Decimal(75), max_score=Decimal(100),
                              pass_score=Decimal(60), assessor="ครูสมชาย ใจดี", assessed_on=datetime.date(2026, 11, 2),
                              recorded_by=staff)  # fmt: skip
    client.force_login(learner_user)
    data = json.loads(client.get(reverse("my_data", args=["json"])).content)
    assert [d["file"] for d in data["request_documents"]] == ["evidence.png"]  # theirs is not mine
    [assessed] = data["assessments"]
    assert (assessed["method"], assessed["score"], assessed["assessor"]) == ("CS", "75.00", "ครูสมชาย ใจดี")
    [asked] = data["transfer_requests"]
    assert asked["your_answer"] == "แนบใบรับรองผลการเรียนแล้วค่ะ" and asked["sent_again_at"].endswith("+07:00")
    sheet = client.get(reverse("my_data_csv", args=["assessments"])).content.decode("utf-8-sig")
    assert "ครูสมชาย ใจดี" in sheet and "2 พฤศจิกายน 2569" in sheet
