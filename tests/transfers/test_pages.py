import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.models import CreditDeposit
from tests.factories import LearnerFactory, TransferRequestFactory
from transfers.models import Equivalence, Programme, TransferRequest

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


def test_the_public_guide_lists_approved_rules_in_effect_and_searches_both_sides(client, rules, staff, src, dst):
    from transfers.services.rules import equivalence_propose

    equivalence_propose(actor=staff, source_courses=[src["ศ21101"]], target_courses=[dst["ส21101"]], basis="รอพิจารณา")
    page = html(client.get(reverse("transfers:guide")))
    assert "ภาษาไทยพื้นฐาน 1" in page and "คณิตศาสตร์ 2" in page
    assert "ศิลปะ 1" not in page  # proposed, not approved
    by_receiving = html(client.get(reverse("transfers:guide"), {"q": "วิทยาศาสตร์ 2"}))
    assert "วิทยาศาสตร์ 2" in by_receiving and "ภาษาไทยพื้นฐาน" not in by_receiving
    assert 'id="guide-count">พบ 1 เกณฑ์' in by_receiving  # a search says how many rules it found
    by_sending = html(client.get(reverse("transfers:guide"), {"q": "ค21102"}))
    assert "คณิตศาสตร์พื้นฐาน 1" in by_sending
    spaced = html(client.get(reverse("transfers:guide"), {"q": "ค 21102"}))  # as a code is often typed, or read out
    assert "คณิตศาสตร์พื้นฐาน 1" in spaced and 'id="guide-count">พบ 1 เกณฑ์' in spaced


def test_the_guide_query_count_does_not_grow_with_rules(client, rules, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client.get(reverse("transfers:guide")).status_code == 200


def test_each_rule_shows_its_courses_on_both_sides_in_the_order_given(
    client, rules, src, dst, school, receiving, staff, proposer
):
    """A cluster (two maths → one) and a split (science → two): every course on its side, with its institution,
    credits, and the order the proposer gave; one query for the rules, then one a side, whatever the page's size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from transfers.selectors import RuleCourse, with_courses
    from transfers.services.rules import equivalence_decide, equivalence_propose

    backwards = equivalence_propose(
        actor=proposer, source_courses=[src["ศ21101"], src["ค21101"]], target_courses=[dst["ส21101"]],
        basis="ทดสอบลำดับ", effective_from=datetime.date(2020, 1, 1),
    )  # fmt: skip
    equivalence_decide(actor=staff, rule_id=backwards.pk, approve=True, reason="ผ่าน")
    rules = {**rules, "backwards": backwards}
    with CaptureQueriesContext(connection) as queries:
        shown = {
            rule.pk: rule for rule in with_courses(Equivalence.objects.filter(pk__in=[r.pk for r in rules.values()]))
        }
    assert len(queries) == 3  # the rules, then one query for each side
    maths, science = shown[rules["maths"].pk], shown[rules["science"].pk]
    assert [c.code for c in maths.source_list] == ["ค21101", "ค21102"] and len(maths.target_list) == 1
    assert science.target_list == [
        RuleCourse(receiving.name_th, "ว21101", "วิทยาศาสตร์ 1", dst["ว21101"].credits),
        RuleCourse(receiving.name_th, "ว21102", "วิทยาศาสตร์ 2", dst["ว21102"].credits),
    ]
    assert science.source_list == [RuleCourse(school.name_th, "ว21101", "วิทยาศาสตร์ 1", src["ว21101"].credits)]
    assert [c.code for c in shown[backwards.pk].source_list] == ["ศ21101", "ค21101"]  # as given, not by code
    page = html(client.get(reverse("transfers:guide")))
    assert page.index("คณิตศาสตร์ 1") < page.index("คณิตศาสตร์ 2") < page.index("คณิตศาสตร์พื้นฐาน 1")
    assert with_courses([]) == []


def test_a_registrar_proposes_a_rule_into_their_own_institution_only(client, dst, src, school, receiving):
    from tests.factories import UserFactory

    receiving_registrar = UserFactory(username="reg-tph", role="registrar", institution=receiving)
    client.force_login(receiving_registrar)
    data = {"source_institution": school.pk, "source_codes": "ท21101", "target_institution": receiving.pk,
            "target_codes": "ท21101", "min_grade_points": "2.0", "same_level": "on", "basis": "ตัวชี้วัดเดียวกัน",
            "effective_from": "16/05/2567"}  # fmt: skip
    response = client.post(reverse("transfers:rule_new"), data)
    rule = Equivalence.objects.get()
    assert (
        response.status_code == 302 and rule.status == "proposed" and rule.effective_from == datetime.date(2024, 5, 16)
    )
    response = client.post(reverse("transfers:rule_new"), {**data, "target_institution": school.pk})
    assert response.status_code == 200 and Equivalence.objects.count() == 1


def test_unknown_course_codes_are_named_in_the_form(client, staff, school, receiving, src, dst):
    client.force_login(staff)
    data = {"source_institution": school.pk, "source_codes": "ท21101, X999", "target_institution": receiving.pk,
            "target_codes": "ท21101", "min_grade_points": "2.0", "basis": "x",
            "effective_from": "16/05/2567"}  # fmt: skip
    page = html(client.post(reverse("transfers:rule_new"), data))
    assert "X999" in page and "ไม่มีในหลักสูตรของ" in page and not Equivalence.objects.exists()


def test_the_rule_form_says_every_problem_in_one_round_dates_included(client, staff, school, receiving, src, dst):
    """An end date before the start was said only after the codes and the basis were put right: a second round."""
    client.force_login(staff)
    data = {"source_institution": school.pk, "source_codes": "X999", "target_institution": receiving.pk,
            "target_codes": "ท21101", "min_grade_points": "2.0", "basis": "",
            "effective_from": "30/11/2569", "effective_to": "01/01/2569"}  # fmt: skip
    page = html(client.post(reverse("transfers:rule_new"), data))
    for field in ("source_codes", "basis", "effective_to"):
        assert f'id="error_1_id_{field}"' in page or f'id="id_{field}_error"' in page, field
    assert "วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น" in page and not Equivalence.objects.exists()


def test_the_rule_form_says_one_institution_on_both_sides_with_the_other_problems(client, staff, school, src):
    """A rule from a school to itself was refused only once every other field was right, and then beside the target
    courses rather than the institution chosen twice."""
    client.force_login(staff)
    data = {"source_institution": school.pk, "source_codes": "ท21101", "target_institution": school.pk,
            "target_codes": "ท21101", "min_grade_points": "2.0", "basis": ""}  # fmt: skip
    page = html(client.post(reverse("transfers:rule_new"), data))
    for field in ("basis", "target_institution"):
        assert f'id="error_1_id_{field}"' in page or f'id="id_{field}_error"' in page, field
    empty = html(client.post(reverse("transfers:rule_new"), {**data, "source_codes": "", "target_codes": ""}))
    for field in ("source_codes", "target_codes"):  # said once each (it had been said twice)
        assert f'id="error_1_id_{field}"' in empty and f'id="error_2_id_{field}"' not in empty, field
    beside = page.split('id="error_1_id_target_institution"', 1)[1][:300]
    assert "เลือกสถานศึกษาปลายทางที่ไม่ใช่สถานศึกษาต้นทาง" in beside and not Equivalence.objects.exists()


def test_the_rule_form_names_what_each_code_stands_for_and_finds_codes_in_the_catalogue(
    client, staff, school, receiving, src, dst
):
    """Codes were typed blind: the form now names each typed code's course (or says it is not in the catalogue),
    sent back with the form too, and searches the chosen institution's catalogue by code or title."""
    client.force_login(staff)
    url = reverse("transfers:rule_courses")
    found = html(client.get(url, {"side": "source", "source_institution": school.pk, "source_codes": "ท21101, x999"}))
    assert "ภาษาไทย 1" in found and "X999" in found and "ไม่มีในหลักสูตรของ" in found
    found = html(client.get(url, {"side": "target", "target_institution": receiving.pk, "target_find": "วิทยา"}))
    matches = found.split('id="target-matches"', 1)[1]
    assert 'data-add-code="ว21101"' in matches and 'data-add-code="ว21102"' in matches and "ท21101" not in matches
    typed = {"target_institution": receiving.pk, "target_codes": "ว21101", "target_find": "วิทยา"}
    found = html(client.get(url, {"side": "target", **typed}))
    assert 'data-add-code="ว21101"' not in found and 'data-add-code="ว21102"' in found  # typed already: not offered
    typed["target_codes"] = "ว21101, ว21102"
    found = html(client.get(url, {"side": "target", **typed}))
    assert "data-add-code" not in found and "อยู่ในช่องแล้ว" in found  # not "no course matches"
    data = {"source_institution": school.pk, "source_codes": "ท21101, X999", "target_institution": receiving.pk,
            "target_codes": "ท21101", "min_grade_points": "2.0", "basis": "x",
            "effective_from": "16/05/2567"}  # fmt: skip
    page = html(client.post(reverse("transfers:rule_new"), data))
    named = page.split('id="source-named"', 1)[1].split("</ul>", 1)[0]
    assert "ภาษาไทย 1" in named and "X999" in named
    assert client.get(url, {"side": "elsewhere"}).status_code == 404
    assert client.get(url, {"side": "source", "source_institution": "9" * 30}).status_code == 200  # no bigint error


def test_staff_decide_a_rule_with_a_reason(client, staff, proposer, src, dst):
    from transfers.services.rules import equivalence_propose

    rule = equivalence_propose(
        actor=proposer, source_courses=[src["ท21101"]], target_courses=[dst["ท21101"]], basis="x"
    )
    client.force_login(staff)
    response = client.post(reverse("transfers:rule_decide", args=[rule.pk]), {"approve": "0", "reason": " "})
    rule.refresh_from_db()
    assert rule.status == "proposed"
    page = response.content.decode()  # the rule's page again, the error beside the reason box
    assert response.status_code == 200 and 'aria-invalid="true"' in page and "ระบุเหตุผล" in page
    client.post(reverse("transfers:rule_decide", args=[rule.pk]), {"approve": "1", "reason": "มติที่ประชุม"})
    rule.refresh_from_db()
    assert rule.status == "approved" and rule.decision_reason == "มติที่ประชุม"


def test_the_what_if_shows_each_verdict_with_its_conditions(client, learner_user, programme, rules, banked):
    banked("ท21101", grade="3.5")
    banked("ค21101", grade="1")
    client.force_login(learner_user)
    page = html(client.get(reverse("transfers:request_new"), {"programme": programme.pk}))
    assert "ผ่านเกณฑ์" in page and "ไม่ผ่านเกณฑ์" in page
    assert "ผลการเรียน 3.5 ผ่านเกณฑ์ขั้นต่ำ 2.0" in page
    assert "กลุ่มวิชายังไม่ครบ: ขาด ค21102" in page


def test_the_queue_puts_the_longest_waiting_first(client, staff, programme, django_assert_max_num_queries):
    now = timezone.now()
    for days in (1, 9, 4):
        TransferRequestFactory(
            status="submitted", submitted_at=now - datetime.timedelta(days=days), programme=programme,
            target_institution=programme.institution, learner=LearnerFactory(first_name=f"รอ{days}วัน"),
        )  # fmt: skip
    client.force_login(staff)
    with django_assert_max_num_queries(10):
        page = html(client.get(reverse("transfers:queue")))
    assert page.index("รอ9วัน") < page.index("รอ4วัน") < page.index("รอ1วัน")


def test_a_learner_submits_and_staff_decide_through_the_pages(
    client, learner_user, staff, programme, rules, banked, dst
):
    banked("ท21101", grade="3.5")
    client.force_login(learner_user)
    response = client.post(
        reverse("transfers:request_new") + f"?programme={programme.pk}", {"create": "1", "target": [dst["ท21101"].pk]}
    )
    request = TransferRequest.objects.get()
    assert response["Location"] == request.get_absolute_url()
    client.post(reverse("transfers:request_submit", args=[request.pk]))
    request.refresh_from_db()
    assert request.status == "submitted"
    client.force_login(staff)
    item = request.items.get()
    client.post(reverse("transfers:request_decide", args=[request.pk]), {f"decision_{item.pk}": "approve"})
    request.refresh_from_db()
    assert request.status == "submitted"  # no reason: nothing decided
    client.post(
        reverse("transfers:request_decide", args=[request.pk]),
        {f"decision_{item.pk}": "approve", f"reason_{item.pk}": "ตรงตามเกณฑ์"},
    )
    request.refresh_from_db()
    assert request.status == "approved"
    client.force_login(learner_user)
    assert "TR" in html(client.get("/"))


def test_a_registrar_edits_only_their_programmes(client, registrar, school, src):
    client.force_login(registrar)
    data = {"code": "m-ปลาย", "name_th": "มัธยมปลาย", "level": "upper_secondary", "required_credits": "40",
            "max_transfer_share": "0.50", "min_grade_points": "2.0", "active": "on",
            "courses": [src["ท21101"].pk]}  # fmt: skip
    assert client.post(reverse("transfers:programme_new"), data).status_code == 302
    programme = Programme.objects.get()
    assert programme.institution == school and programme.transfer_limit == 20


@pytest.mark.parametrize(
    ("field", "typed", "said"),
    [
        ("required_credits", "-3", "มากกว่า 0"),
        ("max_transfer_share", "75", "0.75"),  # a percentage typed for a fraction
        ("max_transfer_share", "0", "0.75"),
        ("min_grade_points", "7", "0 ถึง 4"),
    ],
)
def test_a_programme_number_out_of_range_is_refused_beside_its_field(client, registrar, src, field, typed, said):
    client.force_login(registrar)
    data = {"code": "M6", "name_th": "มัธยมปลาย", "level": "upper_secondary", "required_credits": "40",
            "max_transfer_share": "0.50", "min_grade_points": "2.0", "active": "on",
            "courses": [src["ท21101"].pk], field: typed}  # fmt: skip
    response = client.post(reverse("transfers:programme_new"), data)
    page = response.content.decode()
    assert response.status_code == 200 and not Programme.objects.exists()
    error = re.search(rf'id="error_1_id_{field}"[^>]*>(.*?)</', page, re.S)
    assert error and said in error.group(1), page[page.find("invalid-feedback") - 200 :][:800]
    assert "Constraint" not in page and f'value="{typed}"' in page


def test_a_request_that_cannot_be_saved_keeps_what_the_learner_chose_and_wrote(
    client, learner_user, programme, rules, banked, dst
):
    banked("ท21101", grade="3.5")
    banked("ศ21101", grade="4")  # no rule covers it: offered for an assessment
    art = CreditDeposit.objects.get(course__code="ศ21101")
    client.force_login(learner_user)
    url = reverse("transfers:request_new") + f"?programme={programme.pk}"
    response = client.post(url, {"create": "1", "note": "ขอบคุณครับ", f"assess_{art.pk}": ""})  # nothing chosen
    page = response.content.decode()
    assert TransferRequest.objects.count() == 0
    # With a course no rule covers, nothing chosen says the other way too: an assessment (the courses above may all
    # be past ticking; "choose at least one course" had pointed at boxes that could not be ticked).
    assert 'id="request-error"' in page and "ติ๊กเลือกรายวิชาในรายการด้านล่าง หรือเปิด “ขอประเมินผลการเรียน”" in page
    box = re.search(rf'<input[^>]*value="{dst["ท21101"].pk}"[^>]*>', page).group(0)
    assert "checked" not in box  # as the learner left it, not ticked again
    assert ">ขอบคุณครับ</textarea>" in page
    # A note too long for the office: refused with the limit, the choices and the note kept.
    long_note = "ก" * 2001
    page = client.post(
        url, {"create": "1", "target": [dst["ท21101"].pk], "note": long_note, f"assess_{art.pk}": dst["ส21101"].pk}
    ).content.decode()
    assert TransferRequest.objects.count() == 0 and "ไม่เกิน 2000 ตัวอักษร (ตอนนี้มี 2001 ตัว)" in page
    assert f">{long_note}</textarea>" in page
    assert "checked" in re.search(rf'<input[^>]*value="{dst["ท21101"].pk}"[^>]*>', page).group(0)
    assert re.search(rf'<option value="{dst["ส21101"].pk}" selected>', page)


def test_a_learners_request_list_links_each_request_by_its_programme_and_names_no_learner(
    client, learner_user, staff, programme
):
    mine = TransferRequestFactory(learner=learner_user.learner, programme=programme, status="submitted")
    client.force_login(learner_user)
    page = client.get(reverse("transfers:requests")).content.decode()
    link = re.search(rf'<a [^>]*href="{mine.get_absolute_url()}">([^<]*)</a>', page).group(1)
    assert f"#{mine.pk}" in link and programme.name_th in link
    assert "<th>ผู้เรียน</th>" not in page
    client.force_login(staff)
    page = client.get(reverse("transfers:requests")).content.decode()
    assert "<th>ผู้เรียน</th>" in page and learner_user.learner.full_name in page
    # The learner's unsent draft is theirs: not listed among the office's requests (it had been).
    draft = TransferRequestFactory(learner=learner_user.learner, programme=programme, status="draft")
    page = client.get(reverse("transfers:requests")).content.decode()
    assert mine.get_absolute_url() in page and draft.get_absolute_url() + '"' not in page


def test_the_office_finds_a_request_among_all_of_them_by_number_name_or_status(client, staff, learner_user, programme):
    somchai = LearnerFactory(first_name="สมชาย", last_name="ใจดี")
    his = TransferRequestFactory(learner=somchai, programme=programme, status="approved")
    other = TransferRequestFactory(learner=learner_user.learner, programme=programme, status="submitted")
    client.force_login(staff)
    url = reverse("transfers:requests")

    def listed(**query):
        page = client.get(url, query).content.decode()
        return {r.pk for r in (his, other) if r.get_absolute_url() + '"' in page}, page

    assert listed()[0] == {his.pk, other.pk}
    assert listed(q="สม ใจ")[0] == {his.pk}
    assert listed(q=f"#{other.pk}")[0] == {other.pk}
    found, page = listed(status="approved")
    assert found == {his.pk} and "พบ 1 คำร้อง" in page and f'href="{url}"' in page  # and the way back to every one
    assert '<option value="approved" selected>' in page
    found, page = listed(q="ไม่มีใครชื่อนี้")
    assert not found and "ไม่มีคำร้องที่ตรงกับการค้นหานี้" in page
    found, page = listed(status="no-such-status")  # an address edited by hand: no filter, no error
    assert found == {his.pk, other.pk}
    found, page = listed(q=somchai.national_id)  # a national ID is not searched and not kept in the page
    assert found == {his.pk, other.pk} and 'id="id_q_error"' in page and somchai.national_id not in page
    TransferRequestFactory.create_batch(26, learner=somchai, programme=programme, status="rejected")
    page = client.get(url, {"status": "rejected"}).content.decode()
    assert 'href="?status=rejected&page=2"' in page  # the next page keeps the search
    client.force_login(learner_user)  # a learner's own few requests: no search bar
    assert 'id="request-filters"' not in client.get(url).content.decode()


def test_returning_a_request_without_saying_what_to_add_is_refused_beside_the_box(client, staff, programme):
    waiting = TransferRequestFactory(status="submitted", programme=programme, target_institution=programme.institution)
    client.force_login(staff)
    response = client.post(reverse("transfers:request_return", args=[waiting.pk]), {"reason": "  "})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="reason-error"' in page and 'aria-invalid="true"' in page
    waiting.refresh_from_db()
    assert waiting.status == "submitted"
    response = client.post(reverse("transfers:request_return", args=[waiting.pk]), {"reason": "ขอสำเนาใบแสดงผล"})
    waiting.refresh_from_db()
    assert response.status_code == 302 and waiting.status == "returned"


def test_a_blank_reason_on_a_rule_decided_meanwhile_says_it_was_decided(client, staff, proposer, src, dst):
    from tests.factories import UserFactory
    from transfers.services.rules import equivalence_decide, equivalence_propose, equivalence_retire

    rule = equivalence_propose(
        actor=proposer, source_courses=[src["ท21101"]], target_courses=[dst["ท21101"]], basis="x"
    )
    client.force_login(staff)
    client.get(rule.get_absolute_url())  # the page, with its decision form, is open in this officer's browser
    other = UserFactory(username="staff-other", role="provincial_staff")
    equivalence_decide(actor=other, rule_id=rule.pk, approve=True, reason="มติที่ประชุม")
    response = client.post(
        reverse("transfers:rule_decide", args=[rule.pk]), {"approve": "0", "reason": ""}, follow=True
    )
    assert "พิจารณาแล้ว" in html(response) and 'aria-invalid="true"' not in response.content.decode()
    page = client.get(rule.get_absolute_url()).content.decode()
    assert "เหตุผลที่ยกเลิกการใช้" in page and "data-confirm=" in page  # retiring asks first: it cannot be undone
    assert 'id="decision-reason"' in page and "เหตุผล:" in html(client.get(rule.get_absolute_url()))
    response = client.post(reverse("transfers:rule_retire", args=[rule.pk]), {"reason": ""}, follow=True)
    assert 'aria-invalid="true"' in response.content.decode()  # approved now: the retire box shows the error
    assert "ระบุเหตุผลที่ยกเลิกการใช้เกณฑ์นี้" in html(response)  # not "the reason for this decision"
    equivalence_retire(actor=other, rule_id=rule.pk, reason="ยกเลิกตามมติ")
    response = client.post(reverse("transfers:rule_retire", args=[rule.pk]), {"reason": ""}, follow=True)
    assert "ยกเลิกได้เฉพาะเกณฑ์ที่อนุมัติแล้ว" in html(response)


def test_a_blank_reason_to_return_a_request_returned_meanwhile_says_where_it_is(client, staff, programme):
    from tests.factories import UserFactory
    from transfers.services.requests import transfer_request_return

    waiting = TransferRequestFactory(status="submitted", programme=programme, target_institution=programme.institution)
    client.force_login(staff)
    other = UserFactory(username="staff-other", role="provincial_staff")
    transfer_request_return(actor=other, request_id=waiting.pk, reason="ขอสำเนาใบแสดงผล")
    response = client.post(reverse("transfers:request_return", args=[waiting.pk]), {"reason": ""}, follow=True)
    page = html(response)
    assert "ส่งกลับให้ผู้เรียนไม่ได้อีก" in page and 'id="reason-error"' not in response.content.decode()


def test_an_empty_filter_of_the_rules_says_nothing_waits_not_that_there_are_no_rules(client, staff, rules):
    client.force_login(staff)
    empty = client.get(reverse("transfers:rules"), {"status": "proposed"}).content.decode()
    said = empty.split('id="no-rules">', 1)[1].split("</td>", 1)[0]
    assert "ไม่มีข้อเสนอที่รอการพิจารณา" in said and "ยังไม่มีเกณฑ์" not in said
    searched = client.get(reverse("transfers:rules"), {"q": "ไม่มีวิชานี้"}).content.decode()
    assert "ไม่มีเกณฑ์ที่ตรงกับตัวกรองนี้" in searched.split('id="no-rules">', 1)[1].split("</td>", 1)[0]


def test_whoever_proposed_a_rule_withdraws_it_and_proposes_it_again_as_it_should_be(client, staff, proposer, src, dst):
    """A proposal with a mistake in it could only wait for another officer to reject it, and blocked a corrected
    proposal of the same courses ("already maps these courses")."""
    from transfers.services.rules import equivalence_propose

    def propose(basis):
        return equivalence_propose(
            actor=proposer, source_courses=[src["ท21101"]], target_courses=[dst["ท21101"]], basis=basis
        )

    mistaken = propose("มติที่ประชุมครั้งที่ 9/2569 (พิมพ์ผิด)")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as again_by_proposer:  # said to them as theirs to withdraw
        propose("มติที่ประชุมครั้งที่ 9/2568")
    assert "ที่ท่านเสนอไว้" in " ".join(again_by_proposer.value.messages)
    client.force_login(staff)  # not the proposer: no withdrawal offered, and one sent by hand is refused
    assert 'id="withdraw"' not in client.get(mistaken.get_absolute_url()).content.decode()
    refused = client.post(reverse("transfers:rule_withdraw", args=[mistaken.pk]), {"reason": "x"}, follow=True)
    assert "ผู้ถอนข้อเสนอได้มีเพียงผู้เสนอเกณฑ์นี้" in html(refused)
    client.force_login(proposer)
    page = client.get(mistaken.get_absolute_url()).content.decode()
    assert 'id="withdraw"' in page and "เหตุผลที่ถอนข้อเสนอ" in page and "data-confirm=" in page
    blank = client.post(reverse("transfers:rule_withdraw", args=[mistaken.pk]), {"reason": " "})
    assert blank.status_code == 200 and "ระบุเหตุผลที่ถอนข้อเสนอนี้" in html(blank)
    done = client.post(reverse("transfers:rule_withdraw", args=[mistaken.pk]), {"reason": "พิมพ์เลขที่มติผิด"}, follow=True)
    assert "ถอนข้อเสนอแล้ว" in html(done)
    mistaken.refresh_from_db()
    assert mistaken.status == "withdrawn" and mistaken.decision_reason == "พิมพ์เลขที่มติผิด"
    assert mistaken.decided_by == proposer
    corrected = propose("มติที่ประชุมครั้งที่ 9/2568")  # no longer "already maps these courses"
    assert corrected.status == "proposed"
    again = client.post(reverse("transfers:rule_withdraw", args=[mistaken.pk]), {"reason": "อีกครั้ง"}, follow=True)
    assert "ถอนข้อเสนอนี้ไปแล้ว" in html(again)  # not "already decided"
    withdrawn = html(client.get(mistaken.get_absolute_url()))
    assert "ผู้เสนอถอนข้อเสนอ" in withdrawn and "พิจารณาโดย" not in withdrawn  # its proposer did not decide it
    client.force_login(staff)
    decided = client.post(
        reverse("transfers:rule_decide", args=[mistaken.pk]), {"approve": "1", "reason": "x"}, follow=True
    )
    assert "ผู้เสนอถอนเกณฑ์นี้แล้ว" in html(decided)


def test_the_rules_list_finds_a_course_code_typed_in_thai_digits(client, staff, rules, src):
    client.force_login(staff)
    code = src["ท21101"].code
    thai = code.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert thai != code
    found = client.get(reverse("transfers:rules"), {"q": thai}).content.decode()
    assert code in found and 'id="no-rules"' not in found  # it had found none


def test_the_rule_guide_and_transcript_searches_keep_a_visible_label_once_typed_into(client, staff):
    """Their only name had been a placeholder (or aria-label), gone once something was typed."""
    client.force_login(staff)
    for url, box in (
        (reverse("transfers:rules"), "rules-q"),
        (reverse("transfers:rules"), "rules-status"),
        (reverse("transfers:guide"), "guide-q"),
        (reverse("transcripts:list"), "transcripts-number"),
    ):
        page = client.get(url, {"q": "ท21101"}).content.decode()
        assert re.search(rf'<label [^>]*for="{box}">[^<]+</label>', page), (url, box)
        assert f'id="{box}"' in page


def test_notes_written_in_thai_are_marked_as_thai_on_english_pages_and_stay_escaped(client, staff, programme):
    """A screen reader read the learner's Thai note on an English page with an English voice (WCAG 3.1.2)."""
    request = TransferRequestFactory(
        programme=programme,
        status="submitted",
        learner_note="ขอบคุณครับ <b>ด่วน</b>",
        target_institution=programme.institution,
    )
    client.force_login(staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(request.get_absolute_url()).content.decode()
    assert '<span lang="th">ขอบคุณครับ &lt;b&gt;ด่วน&lt;/b&gt;</span>' in page
    client.post(reverse("set_language"), {"language": "th", "next": "/"})
    page = client.get(request.get_absolute_url()).content.decode()
    assert "ขอบคุณครับ &lt;b&gt;ด่วน&lt;/b&gt;" in page and '<span lang="th">ขอบคุณ' not in page
