import re

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_registered_model_has_a_working_admin_list_with_search(client, administrator, deposit, other_deposit):
    client.force_login(administrator)
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = client.get(url, {"q": "ท"} if model_admin.search_fields else {})
        assert response.status_code == 200, url


def test_deposit_admin_is_read_only_and_links_to_its_audit_trail(client, administrator, deposit, other_deposit):
    client.force_login(administrator)
    url = reverse("admin:registry_creditdeposit_change", args=[deposit.pk])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="_save"' not in html  # shown, never edited
    assert f"obj=registry.creditdeposit:{deposit.pk}" in html
    delete = client.post(reverse("admin:registry_creditdeposit_delete", args=[deposit.pk]), {"post": "yes"})
    assert delete.status_code == 403
    # The record's own trail, followed as the button links it: the trail had listed every event of the registry.
    trail = re.search(r'href="([^"]*auditevent[^"]*obj=[^"]*)"', html).group(1).replace("&amp;", "&")
    events = client.get(trail)
    assert events.status_code == 200
    shown = list(events.context["cl"].result_list)
    assert shown and {(e.pgh_obj_model, e.pgh_obj_id) for e in shown} == {("registry.CreditDeposit", str(deposit.pk))}
    assert "เพิ่ม" in events.content.decode()  # the deposit was added


def test_admin_labels_are_thai(client, administrator):
    client.force_login(administrator)
    html = client.get(reverse("admin:index")).content.decode()
    assert "รายการฝากหน่วยกิต" in html and "ระบบทะเบียนธนาคารหน่วยกิตจังหวัดพิจิตร" in html
    # The third-party sections too (they had read "Axes", "OTP_TOTP", "Tasks Database Backend", "Access attempts").
    for thai in ("การจำกัดการเข้าสู่ระบบ", "การพยายามเข้าสู่ระบบ", "งานเบื้องหลัง", "ผลงานเบื้องหลัง", "รหัสผ่านใช้ครั้งเดียว"):
        assert thai in html, thai
    for english in ("Axes", "OTP_TOTP", "Tasks Database Backend", "Access attempts", "ดู:"):
        assert english not in html, english


def test_a_users_page_in_the_admin_is_thai(client, administrator):
    """Django's Thai catalogue lacks its newer help texts ("Required. 150 characters...", "Raw passwords...")."""
    client.force_login(administrator)
    page = client.get(reverse("admin:registry_user_change", args=[administrator.pk])).content.decode()
    assert "ไม่เกิน 150 ตัวอักษร" in page and "ระบบไม่เก็บรหัสผ่านตัวจริง" in page and "ตั้งรหัสผ่านใหม่" in page
    assert "Required. 150" not in page and "Raw passwords" not in page


def test_what_the_admin_says_after_a_save_is_thai(client, administrator):
    """Django's Thai catalogue lacks the admin's messages since their quotes changed: they had come out in English."""
    client.force_login(administrator)
    response = client.post(reverse("admin:auth_group_add"), {"name": "ผู้ตรวจสอบ", "_save": "1"}, follow=True)
    text = re.sub(r"<[^>]+>", "", response.content.decode())  # the group's name is a link
    assert "เพิ่มกลุ่ม “ผู้ตรวจสอบ” เรียบร้อยแล้ว" in text


def test_transfer_requests_rules_and_assessments_are_never_deleted_or_written_in_the_admin(client, administrator):
    """A learner's request waiting for a decision was deleted outright from the admin; rules and assessments are
    written by the transfer pages' services, which check and audit every step."""
    from tests.factories import TransferRequestFactory
    from transfers.models import TransferRequest

    waiting = TransferRequestFactory(status="submitted")
    client.force_login(administrator)
    delete = client.post(reverse("admin:transfers_transferrequest_delete", args=[waiting.pk]), {"post": "yes"})
    assert delete.status_code == 403 and TransferRequest.objects.filter(pk=waiting.pk).exists()
    for name in ("transferrequest", "equivalence", "assessment"):
        assert client.get(reverse(f"admin:transfers_{name}_add")).status_code == 403, name
    page = client.get(reverse("admin:transfers_transferrequest_changelist")).content.decode()
    assert 'value="delete_selected"' not in page


def test_a_course_with_deposits_keeps_its_school_code_credits_and_level_in_the_admin(
    client, administrator, deposit, other_deposit
):
    """The registrar's page locks them; the admin had not: a course with recorded credits was moved to another school
    and its credits changed, and every deposit and approved rule on it changed with it, without a word."""
    course = deposit.course
    client.force_login(administrator)
    url = reverse("admin:registry_course_change", args=[course.pk])
    page = client.get(url).content.decode()
    for name in ("institution", "code", "credits", "level"):
        assert f'name="{name}"' not in page, name  # shown, not editable
    elsewhere = other_deposit.course.institution_id
    client.post(url, {"institution": elsewhere, "code": "X1", "credits": "9", "level": course.level,
                      "title_th": course.title_th, "learning_type": course.learning_type, "_save": "1"})  # fmt: skip
    course.refresh_from_db()
    assert (course.institution_id, course.code, course.credits) == (
        deposit.course.institution_id,
        deposit.course.code,
        deposit.course.credits,
    )


def test_an_institution_with_courses_keeps_its_code(client, provincial, administrator, deposit):
    """Its courses' public addresses, named in every credential issued, hold the code: changed, they broke."""
    institution = deposit.course.institution
    client.force_login(provincial)
    url = reverse("registry:institution_edit", args=[institution.pk])
    page = client.get(url).content.decode()
    assert re.search(r'<input[^>]*name="code"[^>]*disabled', page)
    data = {"code": "9999999999", "name_th": institution.name_th, "name_en": institution.name_en,
            "kind": institution.kind, "district": institution.district, "mou_member": ""}  # fmt: skip
    client.post(url, data)
    institution.refresh_from_db()
    assert institution.code != "9999999999"
    client.force_login(administrator)
    admin_page = client.get(reverse("admin:registry_institution_change", args=[institution.pk])).content.decode()
    assert 'name="code"' not in admin_page


def test_an_english_name_is_both_its_parts_or_none_and_the_public_initial_has_no_stray_dot(client, administrator):
    """The admin saved an English first name alone: English transcripts printed "Ms. Supaporn", and the verify page
    "Ms. Supaporn ." with a dot for the missing family name."""
    from django.utils import translation

    from tests.factories import LearnerFactory

    learner = LearnerFactory(prefix="miss", first_name="สุภาพร", last_name="ใจดี", first_name_en="", last_name_en="")
    client.force_login(administrator)
    url = reverse("admin:registry_learner_change", args=[learner.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(first_name_en="Supaporn", birth_date="", user="")
    page = client.post(url, data).content.decode()
    learner.refresh_from_db()
    assert learner.first_name_en == ""  # refused, with the reason beside the family name
    assert "ทั้งชื่อและนามสกุลภาษาอังกฤษ" in page
    learner.first_name_en = "Supaporn"  # as some records already are
    with translation.override("en"):
        assert learner.initialled_name == "Ms. Supaporn"


def test_admin_dates_are_buddhist_era_on_thai_pages_and_read_either_era(client, administrator):
    """Thai users type B.E. dates, as every page of ours asks. The admin's date boxes showed C.E. and read
    14/05/2551 as the year 2551 C.E.: a learner's birth date saved 543 years in the future, without a word."""
    import datetime

    from tests.factories import LearnerFactory

    learner = LearnerFactory(first_name_en="", last_name_en="", birth_date=datetime.date(2008, 5, 14))
    client.force_login(administrator)
    url = reverse("admin:registry_learner_change", args=[learner.pk])
    response = client.get(url)
    assert 'value="14/05/2551"' in response.content.decode()
    form = response.context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(birth_date="15/06/2551", user="")
    assert client.post(url, data).status_code == 302
    learner.refresh_from_db()
    assert learner.birth_date == datetime.date(2008, 6, 15)
    data.update(birth_date="16/06/2008")  # C.E. is read as C.E.
    client.post(url, data)
    learner.refresh_from_db()
    assert learner.birth_date == datetime.date(2008, 6, 16)
    data.update(birth_date="01/01/2600")  # 2057: refused, as the registrars' forms refuse it
    refused = client.post(url, data)
    learner.refresh_from_db()
    assert refused.status_code == 200 and learner.birth_date == datetime.date(2008, 6, 16)
    assert "วันเกิดต้องไม่เป็นวันในอนาคต" in refused.content.decode()
    listing = client.get(reverse("admin:registry_learner_changelist")).content.decode()
    assert "16 มิ.ย. 2551" in listing and "2008" not in listing
    assert "Full name" not in listing  # the name column's heading, in English on a Thai page


def test_our_admin_lists_are_headed_in_thai(client, administrator, deposit):
    """Columns named from a property or the key had English headings on Thai pages ("Full name", "Pk")."""
    from tests.factories import TransferRequestFactory

    TransferRequestFactory(learner=deposit.learner)  # a list with no rows has no headings
    client.force_login(administrator)
    for model in admin.site._registry:
        opts = model._meta
        if opts.app_label not in ("registry", "transfers", "transcripts"):
            continue
        page = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).content.decode()
        head = page.split("<thead>", 1)[1].split("</thead>", 1)[0] if "<thead>" in page else ""
        headings = [
            re.sub(r"<[^>]+>", "", text).strip() for text in re.findall(r'<div class="text">(.*?)</div>', head, re.S)
        ]
        english = [h for h in headings if re.search(r"[A-Za-z]{2,}", h.replace("MOU", ""))]
        assert not english, (opts.label, english)


def test_the_audit_trail_says_who_changed_what_when_in_thai_with_national_ids_masked(
    client, administrator, django_assert_max_num_queries
):
    """It had shown pghistory's raw columns ("Pgh created at", "Pgh diff"), C.E. dates, no one's name, and every
    national ID number in full in the changes and in each saved copy of the record."""
    import random

    from registry import demo
    from tests.factories import LearnerFactory

    learner = LearnerFactory(first_name="สมศรี", first_name_en="", last_name_en="", birth_date=None)
    old_id, new_id = learner.national_id, demo.national_id(random.Random(7))
    client.force_login(administrator)
    url = reverse("admin:registry_learner_change", args=[learner.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    for n, first_name in enumerate(["สมศรีใหม่", "สมศรี", "สมศรีสอง"]):
        data.update(first_name=first_name, national_id=new_id if n == 0 else data["national_id"], user="")
        assert client.post(url, data).status_code == 302
    trail = reverse("admin:creditbank_auditevent_changelist")
    with django_assert_max_num_queries(12):  # one page of events, whoever made each
        page = client.get(trail, {"obj": f"registry.learner:{learner.pk}"}).content.decode()
    assert administrator.display_name in page and "แก้ไข" in page
    assert "ชื่อ: สมศรี → สมศรีใหม่" in page
    assert "2569" in page or "2570" in page  # the year in B.E.
    assert old_id not in page and new_id not in page
    assert learner.masked_id in page  # a change of number is seen, masked
    events = client.get(trail, {"obj": f"registry.learner:{learner.pk}"}).context["cl"].result_list
    event = next(e for e in events if e.pgh_model == "registry.LearnerEvent" and e.pgh_label == "update")
    detail = client.get(reverse("admin:creditbank_auditevent_change", args=[event.pk])).content.decode()
    assert f"<title>ผู้เรียน #{learner.pk}" in detail
    assert "สมศรี" in detail and old_id not in detail and new_id not in detail


def test_the_audit_trail_names_people_and_standard_reasons_in_words(client, administrator, registrar, school_course):
    """People had been shown as numbers ("decided by: — → #2") and reasons as codes ("standard:rule")."""
    from django.utils import timezone

    from tests.factories import CourseFactory, DepositFactory, TransferRequestFactory
    from transfers.models import TransferItem
    from transfers.reasons import reason_text

    deposit = DepositFactory(course=school_course, recorded_by=registrar)
    item = TransferItem.objects.create(
        request=TransferRequestFactory(), target_course=CourseFactory(), verdict="match", decision="approved",
        decision_reason="standard:rule", decided_by=administrator, decided_at=timezone.now(),
    )  # fmt: skip
    client.force_login(administrator)
    trail = reverse("admin:creditbank_auditevent_changelist")
    for obj, said, unsaid in (
        (f"registry.creditdeposit:{deposit.pk}", registrar.display_name, f"#{registrar.pk}<"),
        (f"transfers.transferitem:{item.pk}", reason_text("standard:rule"), "standard:rule"),
    ):
        [event] = client.get(trail, {"obj": obj, "method": "tracks"}).context["cl"].result_list
        detail = client.get(reverse("admin:creditbank_auditevent_change", args=[event.pk])).content.decode()
        assert said in detail and unsaid not in detail, obj


def test_the_audit_trail_filters_and_heading_are_in_words(client, administrator, deposit):
    """pghistory's filters had read "label: insert, update", "event model: registry.LearnerEvent", "method: tracks"
    and a record's trail was headed "Tracks <record>"."""
    client.force_login(administrator)
    trail = reverse("admin:creditbank_auditevent_changelist")
    page = client.get(trail).content.decode()
    assert "โดย การกระทำ" in page and "เพิ่มแล้ว" in page and "โดย ชนิดข้อมูล" in page
    assert "รายการฝากหน่วยกิต</a>" in page and "registry.CreditDepositEvent</a>" not in page
    one = client.get(trail, {"obj": f"registry.creditdeposit:{deposit.pk}", "method": "tracks"})
    html = one.content.decode()
    assert one.context["subtitle"] == str(deposit)
    assert "Tracks" not in html and "ของรายการนี้เอง" in html and "รายการข้างต้น" in html
    assert f"registry.creditdeposit:{deposit.pk}</a>" not in html
    kind = client.get(trail, {"model": "registry.creditdeposit"})
    assert kind.status_code == 200 and kind.context["subtitle"] == "รายการฝากหน่วยกิต"  # not "registry.CreditDeposit"


def test_every_service_that_writes_has_words_in_the_audit_trail(client, administrator, deposit):
    """The trail names what was done under who did it; a service's name had shown as code (deposit_void)."""
    from pathlib import Path

    from registry.services import deposit_void

    deposit_void(actor=deposit.recorded_by, deposit_id=deposit.pk, reason="บันทึกผิดคน")
    client.force_login(administrator)
    trail = client.get(
        reverse("admin:creditbank_auditevent_changelist"), {"obj": f"registry.creditdeposit:{deposit.pk}"}
    )
    assert "ยกเลิกรายการฝากหน่วยกิต</small>" in trail.content.decode()

    from creditbank.admin import SERVICES

    root = Path(__file__).resolve().parents[2]
    named = set()
    for app in ("registry", "transfers", "transcripts", "creditbank"):
        for path in (root / app).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            named |= set(re.findall(r'service="([a-z_]+)"', text))
            named |= set(re.findall(r'"service": "([a-z_]+)"', text))
            named |= set(re.findall(r'"([a-z]+(?:_[a-z]+)+)", first_name_en', text))  # _set_english_name's
    assert len(named) > 30 and named <= set(SERVICES), sorted(named - set(SERVICES))


def test_an_audit_trail_address_edited_by_hand_is_not_a_server_error(client, administrator, deposit):
    client.force_login(administrator)
    trail = reverse("admin:creditbank_auditevent_changelist")
    assert client.get(trail, {"event_model": "zzz"}).status_code == 200  # no such kind: no filter
    assert client.get(trail, {"_facets": "True"}).status_code == 200  # counts: none offered (they were a 500)
    assert "_facets" not in client.get(trail).content.decode()
    for obj in ("registry.learner:abc", "registry.nothing:1", "nonsense", f"registry.learner:{10**9}"):
        assert client.get(trail, {"obj": obj, "method": "tracks"}).status_code == 404, obj
    assert client.get(trail, {"obj": f"registry.creditdeposit:{deposit.pk}", "method": "tracks"}).status_code == 200


def test_sign_in_logs_are_shown_never_edited_or_deleted(client, administrator):
    from axes.models import AccessFailureLog, AccessLog

    log = AccessLog.objects.create(username="someone", ip_address="127.0.0.1", user_agent="x", http_accept="x")
    failure = AccessFailureLog.objects.create(username="someone", ip_address="127.0.0.1", user_agent="x")
    client.force_login(administrator)
    for name, record in (("accesslog", log), ("accessfailurelog", failure)):
        page = client.get(reverse(f"admin:axes_{name}_change", args=[record.pk]))
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode(), name
        assert client.post(reverse(f"admin:axes_{name}_delete", args=[record.pk]), {"post": "yes"}).status_code == 403
    assert AccessLog.objects.filter(pk=log.pk).exists() and AccessFailureLog.objects.filter(pk=failure.pk).exists()


def test_the_audit_trail_says_yes_and_no_not_true_and_false():
    from django.utils import translation

    from creditbank.admin import _shown
    from registry.models import Institution

    field = Institution._meta.get_field("mou_member")
    with translation.override("th"):
        assert (_shown(True, field), _shown(False, field), _shown(False)) == ("ใช่", "ไม่ใช่", "ไม่ใช่")


def test_a_rules_course_lists_are_headed_in_thai_in_the_admin(client, administrator, proposer, src, dst):
    """They read "รายวิชาต้นทางของเกณฑ์เทียบโอนS" (Django's English plural), a column "COURSE", rows "7: 5"."""
    from transfers.services.rules import equivalence_propose

    rule = equivalence_propose(
        actor=proposer, source_courses=[src["ท21101"]], target_courses=[dst["ท21101"]], basis="x"
    )
    client.force_login(administrator)
    page = client.get(reverse("admin:transfers_equivalence_change", args=[rule.pk])).content.decode()
    headings = re.findall(r'class="inline-heading">\s*([^<]*?)\s*<', page)
    assert headings == ["รายวิชาต้นทางของเกณฑ์เทียบโอน", "รายวิชาปลายทางของเกณฑ์เทียบโอน"]
    assert "เทียบโอนS" not in page and f"เกณฑ์ #{rule.pk} รายวิชา #{src['ท21101'].pk}" in page
