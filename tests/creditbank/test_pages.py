import datetime
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from registry.templatetags.thaidate import be_date, be_datetime, be_year, format_date
from tests.factories import DepositFactory, TransferRequestFactory

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


def test_public_home_is_thai_with_sarabun_and_no_cdn(client):
    response = client.get("/")
    html = text(response)
    assert response.status_code == 200
    assert '<html lang="th">' in html
    assert "ธนาคารหน่วยกิตจังหวัดพิจิตร" in html
    assert "เข้าสู่ระบบ" in html
    assert "/static/css/app.css" in html and "/static/js-lib-bootstrap5/css/bootstrap.min.css" in html
    assert "/static/htmx/htmx.min.js" in html
    assert not re.search(r'(src|href)="(https?:)?//', html), "nothing may load from another site"


def test_someone_handed_a_transcript_finds_the_verify_page_from_the_home_page(client, registrar):
    verify = reverse("transcripts:verify_start")
    home = text(client.get("/"))
    assert home.count(f'href="{verify}"') == 2  # in the menu and beside "log in"
    assert "ตรวจสอบใบแสดงผลการเรียน" in home
    client.force_login(registrar)
    assert f'href="{verify}"' in text(client.get("/"))  # under "More", where the public pages are


def test_sarabun_is_served_from_its_package_through_font_face():
    css = Path(finders.find("css/app.css")).read_text(encoding="utf-8")
    for face in re.findall(r'url\("\.\./(fonts/sarabun/[^"]+)"\)', css):
        assert finders.find(face), face
    assert "Sarabun-Regular.ttf" in css and "Sarabun-Bold.ttf" in css


def test_language_switch_shows_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in text(response)
    assert "Phichit Provincial Credit Bank" in text(response)
    # One name in English, as in Thai: the title and the menu had said "Phichit Credit Bank", the documents not.
    assert "Phichit Credit Bank" not in text(response)
    assert "· Phichit Provincial Credit Bank</title>" in text(response)
    response = client.post(reverse("set_language"), {"language": "th", "next": "/"}, follow=True)
    assert "ธนาคารหน่วยกิตจังหวัดพิจิตร" in text(response)


def test_dates_are_buddhist_era_in_thai_and_common_era_in_english():
    day = datetime.date(2025, 1, 14)
    with translation.override("th"):
        assert be_date(day) == "14 มกราคม 2568"
        assert be_year(2568) == "2568"
    with translation.override("en"):
        assert be_date(day) == "14 January 2025"
        assert be_year(2568) == "2025"
    assert format_date(day, short=True, lang="th") == "14 ม.ค. 2568"


def test_learner_home_shows_own_balance_masked_id_and_no_one_elses(client, learner_user, deposit, other_deposit):
    client.force_login(learner_user)
    html = text(client.get("/"))
    learner = learner_user.learner
    assert "ยอดหน่วยกิตสะสมของฉัน" in html
    assert deposit.course.title_th in html
    assert other_deposit.course.title_th not in html
    assert learner.masked_id in html and learner.national_id not in html
    assert re.search(r'id="total-credits">1\.5<', html)
    assert "15 มี.ค. 2568" in html  # completed 2025-03-15, shown in B.E.


def test_learner_home_shows_voided_deposits_honestly_and_leaves_them_out_of_the_total(client, learner_user, deposit):
    from registry.services import deposit_void

    deposit_void(actor=deposit.recorded_by, deposit_id=deposit.pk, reason="บันทึกผิด")
    client.force_login(learner_user)
    html = text(client.get("/"))
    assert "บันทึกผิด" in html and "ยกเลิกแล้ว" in html
    assert re.search(r'id="total-credits">0<', html)


def test_learner_home_query_count_does_not_grow_with_deposits(
    client, learner_user, school_course, django_assert_max_num_queries
):
    for year in range(2560, 2575):
        DepositFactory(learner=learner_user.learner, course=school_course, academic_year=year)
    TransferRequestFactory(learner=learner_user.learner)
    client.force_login(learner_user)
    with django_assert_max_num_queries(10):
        assert client.get("/").status_code == 200


def test_registrar_home_shows_own_institution_only(client, registrar, deposit, other_deposit):
    client.force_login(registrar)
    html = text(client.get("/"))
    assert "นายทะเบียน" in html and registrar.institution.name_th in html
    assert deposit.learner.full_name in html
    assert other_deposit.learner.full_name not in html
    assert deposit.learner.national_id not in html


def test_staff_home_shows_what_is_waiting(client, provincial):
    sent = TransferRequestFactory(status="submitted", submitted_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC))
    reviewed = TransferRequestFactory(
        status="under_review", submitted_at=datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC)
    )
    TransferRequestFactory(status="approved", submitted_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    client.force_login(provincial)
    html = text(client.get("/"))
    assert "งานที่รอดำเนินการ" in html
    assert re.search(r'id="waiting-requests">2<', html)
    # The oldest waiting are the same requests the count counts, a review started or not, oldest first.
    links = re.findall(r'href="/transfers/requests/(\d+)/"', html)
    assert links == [str(reviewed.pk), str(sent.pk)]


def test_staff_home_counts_only_the_rule_proposals_this_officer_may_decide(client, provincial):
    """An officer was shown their own proposal as waiting for them, and found only on opening it that another officer
    must decide it."""
    from tests.factories import EquivalenceFactory

    EquivalenceFactory(proposed_by=provincial, effective_from=datetime.date(2026, 1, 1))
    EquivalenceFactory(effective_from=datetime.date(2026, 1, 1))
    client.force_login(provincial)
    assert re.search(r'id="rules-to-decide">1<', text(client.get("/")))


def test_figures_from_a_snapshot_say_when_they_were_taken(client, provincial, administrator):
    """The totals come from a snapshot refreshed every few minutes, shown beside live counts: each page that shows
    them says as of when, in the page's calendar."""
    from creditbank.snapshots import dashboard_figures

    _figures, as_of = dashboard_figures()
    when = be_datetime(as_of)
    assert when in text(client.get(reverse("transparency")))
    for user in (provincial, administrator):
        client.force_login(user)
        page = text(client.get("/"))
        assert 'id="as-of"' in page and when in page


def test_administrator_home_links_to_the_admin_and_audit_trail(client, administrator):
    client.force_login(administrator)
    html = text(client.get("/"))
    assert reverse("admin:index") in html and reverse("admin:creditbank_auditevent_changelist") in html


def test_login_error_is_thai_and_keeps_the_username(client, registrar):
    response = client.post(reverse("login"), {"username": "registrar", "password": "wrong"})
    html = text(response)
    assert response.status_code == 200
    assert 'value="registrar"' in html
    assert "ชื่อผู้ใช้" in html or "รหัสผ่าน" in html


def test_login_then_logout(client, registrar):
    response = client.post(reverse("login"), {"username": "registrar", "password": "pw-for-tests"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert "นายทะเบียน" in text(client.get("/"))
    client.post(reverse("logout"))
    assert "เข้าสู่ระบบ" in text(client.get("/"))


def test_password_change(client, registrar):
    client.force_login(registrar)
    response = client.post(
        reverse("password_change"),
        {"old_password": "pw-for-tests", "new_password1": "ลูกศร-ยาว-2568", "new_password2": "ลูกศร-ยาว-2568"},
    )
    assert response.status_code == 302
    registrar.refresh_from_db()
    assert registrar.check_password("ลูกศร-ยาว-2568")


def test_a_refused_password_change_is_explained_in_thai(client, registrar):
    client.force_login(registrar)
    page = text(client.get(reverse("password_change")))
    assert "รหัสผ่านต้องมีอย่างน้อย 8 ตัวอักษร" in page and "Your password" not in page  # the rules, in Thai
    page = text(
        client.post(
            reverse("password_change"),
            {"old_password": "pw-for-tests", "new_password1": "1234", "new_password2": "12345"},
        )
    )
    assert "รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน" in page and "match" not in page
    page = text(
        client.post(
            reverse("password_change"),
            {"old_password": "pw-for-tests", "new_password1": "1234", "new_password2": "1234"},
        )
    )
    assert "รหัสผ่านสั้นเกินไป" in page and "ตัวเลขล้วน" in page and "มีผู้ใช้กันมาก" in page
    assert "This password" not in page
    # The rules' errors sit under the new password, where the rules are listed, not under its confirmation.
    new_box = page.split('id="id_new_password1"', 1)[1].split('id="id_new_password2"', 1)[0]
    assert "รหัสผ่านสั้นเกินไป" in new_box


@override_settings(DEBUG=False)
def test_unknown_page_is_a_friendly_thai_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in text(response)


def test_403_and_500_pages_are_thai(rf):
    from creditbank.views import error_403, error_500

    request = rf.get("/")
    with translation.override("th"):
        assert "ท่านไม่มีสิทธิ์ทำรายการนี้" in error_403(request).content.decode()
        response = error_500(request)
    assert response.status_code == 500
    assert "ระบบขัดข้องชั่วคราว" in response.content.decode()


def test_pages_carry_a_content_security_policy_and_no_inline_script(client, learner_user, deposit):
    client.force_login(learner_user)
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
    assert not re.search(r"<script>|<script\s+(?![^>]*src=)", text(response)) and "onclick=" not in text(response)


def test_signed_in_pages_are_kept_by_no_cache_so_back_after_logout_shows_nothing(client, learner_user, registrar):
    assert "no-store" not in client.get("/").get("Cache-Control", "")  # the public home may be cached
    pages = [(learner_user, "/"), (registrar, reverse("registry:deposits"))]
    pages += [(registrar, reverse("registry:deposits_export", args=["csv"]))]  # files of learners' data too
    for user, url in pages:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert set(response["Cache-Control"].replace(" ", "").split(",")) >= {"private", "no-store"}


def test_a_district_is_named_in_the_pages_language(client, registrar, settings):
    client.force_login(registrar)
    registrar.institution.district = "taphan_hin"
    registrar.institution.save()
    assert "ตะพานหิน" in text(client.get("/"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(client.get("/"))
    assert "Taphan Hin" in page and "ตะพานหิน" not in page


def test_pages_name_their_icon_so_browsers_do_not_ask_for_a_missing_favicon_ico(client):
    """Without it every first visit asked for /favicon.ico and got the 404 page rendered."""
    page = client.get(reverse("login")).content.decode()
    assert re.search(r'<link rel="icon" href="[^"]*img/favicon[^"]*\.svg"', page)
    assert finders.find("img/favicon.svg")


def test_a_form_sent_with_an_expired_key_gets_the_sites_own_page_with_the_way_back(learner_user):
    """Signed in in another tab, then sent from this one: Django's bare "403 Forbidden" in half English, no way back."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(learner_user)
    form = "http://testserver" + reverse("my_name")
    response = browser.post(reverse("my_name"), {"first_name_en": "Supaporn"}, HTTP_REFERER=form)
    page = response.content.decode()
    assert response.status_code == 403 and "แบบฟอร์มหมดอายุ" in page and "ไม่มีการบันทึก" in page
    assert f'href="{form}" id="reload-form"' in page and 'id="user-menu"' in page  # the site's page, signed in
    elsewhere = browser.post(reverse("my_name"), {}, HTTP_REFERER="https://evil.example/form").content.decode()
    assert 'href="https://evil.example' not in elsewhere and 'id="reload-form"' not in elsewhere
