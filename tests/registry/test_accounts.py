import datetime
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import Client
from django.urls import reverse

from registry.models import ActivationCode, User
from tests.factories import LearnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(school):
    return LearnerFactory(
        national_id="1101700207030", first_name="สมชาย", last_name="ใจดี", birth_date=datetime.date(2008, 5, 14),
        registered_by_institution=school,
    )  # fmt: skip


def issue(client, registrar, learner):
    client.force_login(registrar)
    page = client.post(reverse("registry:activation_issue", args=[learner.pk])).content.decode()
    client.logout()
    import re

    return re.search(r'id="activation-code">([A-Z0-9-]+)<', page).group(1)


def activation(code, **overrides):
    data = {"national_id": "1-1017-00207-03-0", "birth_date": "14/05/2551", "code": code, "username": "somchai",
            "email": "somchai@example.com", "password1": "ข้าวหอมมะลิ-2569", "password2": "ข้าวหอมมะลิ-2569"}  # fmt: skip
    data.update(overrides)
    return data


def test_a_registrar_issues_a_printable_slip_and_the_learner_opens_the_account(client, registrar, newcomer):
    code = issue(client, registrar, newcomer)
    assert len(code) == 9 and ActivationCode.objects.get().code_hash != code.replace("-", "")
    response = client.post(reverse("activate"), activation(code.lower()))
    assert response.status_code == 302 and response["Location"] == reverse("home")
    newcomer.refresh_from_db()
    assert newcomer.user.username == "somchai" and newcomer.user.role == "learner"
    assert newcomer.user.check_password("ข้าวหอมมะลิ-2569")
    assert "ยอดหน่วยกิตสะสมของฉัน" in client.get("/").content.decode()  # logged in on their balance page
    assert ActivationCode.objects.get().used_at is not None


def test_a_learner_who_types_their_id_and_birth_date_in_thai_digits_opens_the_account(client, registrar, newcomer):
    """Typed on a Thai keyboard, the ID had been read as a wrong one: "the details do not match the slip"."""
    code = issue(client, registrar, newcomer)
    thai_code = code.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))  # its digits too, if it has any
    typed = activation(thai_code, national_id="๑-๑๐๑๗-๐๐๒๐๗-๐๓-๐", birth_date="๑๔/๐๕/๒๕๕๑")
    from registry.accounts import normalize_code

    assert normalize_code("gumz-๘etp") == "GUMZ8ETP"  # a code's Thai digit had been "does not match", a try used
    assert client.post(reverse("activate"), typed).status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.user.username == "somchai"


def test_a_code_works_once_and_the_page_tells_no_stranger_whose_account_is_open(client, registrar, newcomer):
    code = issue(client, registrar, newcomer)
    client.post(reverse("activate"), activation(code))
    client.logout()
    used = client.post(reverse("activate"), activation(code, username="other")).content.decode()
    guessed = client.post(reverse("activate"), activation("ABCD-EFGH", username="other")).content.decode()
    unknown = client.post(
        reverse("activate"), activation("ABCD-EFGH", national_id="3-1006-00445-56-2", username="other")
    ).content.decode()
    # An open account, a used code and an unregistered ID read alike: the page had said "already open" to anyone.
    for page in (used, guessed, unknown):
        assert "ข้อมูลไม่ตรงกับรหัสเปิดใช้งาน" in page and "เปิดใช้งานแล้ว" not in page
    assert User.objects.filter(role="learner").count() == 1
    newcomer.refresh_from_db()
    slip = issue(client, registrar, newcomer)  # a new-password slip: its holder is told where to use it
    assert "เปิดใช้งานแล้ว" in client.post(reverse("activate"), activation(slip, username="other")).content.decode()


def test_wrong_details_get_one_message_and_five_failures_kill_the_code(client, registrar, newcomer):
    code = issue(client, registrar, newcomer)
    wrong_birth = client.post(reverse("activate"), activation(code, birth_date="15/05/2551")).content.decode()
    wrong_code = client.post(reverse("activate"), activation("AAAA-BBBB")).content.decode()
    unknown_id = client.post(reverse("activate"), activation(code, national_id="3100600445562")).content.decode()
    message = "ข้อมูลไม่ตรงกับรหัสเปิดใช้งาน"
    assert message in wrong_birth and message in wrong_code and message in unknown_id
    assert 'value="somchai"' in wrong_birth  # what was typed is kept (passwords excepted)
    # Someone who knows only the ID (birth date and code both wrong) does not use up the learner's slip.
    for _ in range(6):
        client.post(reverse("activate"), activation("AAAA-BBBB", birth_date="01/01/2550"))
    assert ActivationCode.objects.get().failed_attempts == 2  # the wrong birth date with the code, the wrong code
    for _ in range(3):
        client.post(reverse("activate"), activation("AAAA-BBBB"))
    assert ActivationCode.objects.get().failed_attempts == 5
    response = client.post(reverse("activate"), activation(code))  # now even the right code is refused
    assert message in response.content.decode() and not User.objects.filter(username="somchai").exists()


def test_a_new_code_replaces_the_old_one_and_the_learner_page_says_so_before(client, registrar, newcomer):
    """A second slip silently cancelled one already handed out: the page now says a slip is outstanding."""
    client.force_login(registrar)
    page = client.get(reverse("registry:learner_detail", args=[newcomer.pk])).content.decode()
    assert 'id="outstanding-code"' not in page
    first = issue(client, registrar, newcomer)
    client.force_login(registrar)
    page = client.get(reverse("registry:learner_detail", args=[newcomer.pk])).content.decode()
    assert "ยังไม่ได้ใช้" in page.split('id="outstanding-code"', 1)[1][:300]
    second = issue(client, registrar, newcomer)
    assert message_of(client.post(reverse("activate"), activation(first)))
    assert client.post(reverse("activate"), activation(second)).status_code == 302


def message_of(response):
    return "ข้อมูลไม่ตรงกับรหัสเปิดใช้งาน" in response.content.decode()


def test_weak_passwords_are_refused_next_to_the_field(client, registrar, newcomer):
    code = issue(client, registrar, newcomer)
    response = client.post(reverse("activate"), activation(code, password1="12345678", password2="12345678"))
    assert response.status_code == 200 and newcomer.__class__.objects.get(pk=newcomer.pk).user is None
    assert "invalid-feedback" in response.content.decode() or "text-danger" in response.content.decode()


def test_logins_are_throttled_and_every_attempt_is_logged(client, registrar, settings):
    pages = [client.post(reverse("login"), {"username": "registrar", "password": "wrong"}) for _ in range(5)]
    warned = [("อีก 1 ครั้ง" in p.content.decode(), "อีก 2 ครั้ง" in p.content.decode()) for p in pages[:4]]
    assert warned == [(False, False), (False, False), (False, True), (True, False)]  # said before it happens
    locked = client.post(reverse("login"), {"username": "registrar", "password": "pw-for-tests"})
    assert locked.status_code == 429 and "30 นาที" in locked.content.decode()
    assert AccessAttempt.objects.get(username="registrar").failures_since_start >= 5
    assert AccessFailureLog.objects.filter(username="registrar").count() >= 5
    client.post(reverse("login"), {"username": "provincial-none", "password": "x"})
    assert AccessFailureLog.objects.filter(username="provincial-none").exists()


def test_successful_logins_are_logged(client, registrar):
    client.post(reverse("login"), {"username": "registrar", "password": "pw-for-tests"})
    assert AccessLog.objects.filter(username="registrar").exists()


def test_password_reset_sends_a_link_by_email(client, registrar, mailoutbox):
    registrar.email = "wilaiwan@example.com"
    registrar.save()
    client.post(reverse("password_reset"), {"email": "wilaiwan@example.com"})
    assert len(mailoutbox) == 1 and "/accounts/password/reset/" in mailoutbox[0].body
    assert "ชื่อผู้ใช้ของท่าน (หากลืม): registrar" in mailoutbox[0].body  # often forgotten with the password


def test_a_new_password_from_the_emailed_link_lifts_the_lockout(client, registrar, mailoutbox):
    """The lockout page sends a locked-out user to reset their password; the reset then let them in. Before, the
    account stayed locked for 30 minutes after the reset, and the page sent them to reset it again."""
    registrar.email = "wilaiwan@example.com"
    registrar.save()
    for _ in range(5):
        client.post(reverse("login"), {"username": "registrar", "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "registrar", "password": "pw-for-tests"})
    assert locked.status_code == 429 and reverse("password_reset") in locked.content.decode()

    client.post(reverse("password_reset"), {"email": "wilaiwan@example.com"})
    link = next(line for line in mailoutbox[0].body.split() if "/accounts/password/reset/" in line)
    form = client.get(link, follow=True)  # Django moves the token out of the address first
    new = "ใหม่-Phichit-2569"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("password_reset_complete")

    signed_in = client.post(reverse("login"), {"username": "registrar", "password": new})
    assert signed_in.status_code == 302 and client.session.get("_auth_user_id") == str(registrar.pk)


def test_a_wrong_password_is_said_plainly_with_the_way_out(client, registrar):
    page = client.post(reverse("login"), {"username": "registrar", "password": "wrong"}).content.decode()
    said = page.split('class="alert alert-block alert-danger"', 1)[1][:600]
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in said and "ลืมรหัสผ่าน" in said
    assert 'value="registrar"' in page  # the username stays


def test_a_learner_with_no_email_gets_a_new_password_with_a_slip_from_the_registrar(client, registrar, newcomer):
    """Django's reset needs an email, and most learners gave none: the reset page said 'ask your registrar', and the
    registrar's page refused a code to a learner whose account was open. Now it is a new-password slip."""
    code = issue(client, registrar, newcomer)
    client.post(reverse("activate"), activation(code, email=""))
    elsewhere = Client()
    elsewhere.post(reverse("login"), {"username": "somchai", "password": "ข้าวหอมมะลิ-2569"})
    assert "_auth_user_id" in elsewhere.session  # signed in on another phone
    client.logout()
    reset_page = client.get(reverse("password_reset")).content.decode()
    assert f'href="{reverse("password_by_slip")}"' in reset_page.split('id="no-email"', 1)[1][:400]

    client.force_login(registrar)
    detail = client.get(reverse("registry:learner_detail", args=[newcomer.pk])).content.decode()
    assert "ออกใบรหัสสำหรับตั้งรหัสผ่านใหม่" in detail
    slip = client.post(reverse("registry:activation_issue", args=[newcomer.pk])).content.decode()
    assert reverse("password_by_slip") in slip and "somchai" in slip  # where to go, and the username
    client.logout()
    new_code = re.search(r'id="activation-code">([A-Z0-9-]+)<', slip).group(1)

    form = {"national_id": "1101700207030", "birth_date": "14/05/2551", "code": new_code,
            "password1": "ใหม่-มะลิ-2570", "password2": "ใหม่-มะลิ-2570"}  # fmt: skip
    wrong = client.post(reverse("password_by_slip"), {**form, "birth_date": "15/05/2551"})
    assert wrong.status_code == 200 and "ไม่ตรงกับรหัส" in wrong.content.decode()
    assert 'value="1101700207030"' in wrong.content.decode()  # what was typed stays
    assert ActivationCode.objects.filter(used_at__isnull=True).get().failed_attempts == 1  # counted, as when opening

    done = client.post(reverse("password_by_slip"), form, follow=True)
    page = done.content.decode()
    assert done.redirect_chain[-1][0] == reverse("home") and "somchai" in page  # signed in, and told the username
    newcomer.refresh_from_db()
    assert newcomer.user.check_password("ใหม่-มะลิ-2570") and not newcomer.user.check_password("ข้าวหอมมะลิ-2569")
    assert elsewhere.get(reverse("my_credits")).status_code == 302  # the other phone is signed out by the new password
    again = client.post(reverse("password_by_slip"), form)
    assert "ไม่ตรงกับรหัส" in again.content.decode()  # the code works once


def test_a_slip_for_a_new_password_does_not_open_an_account(client, registrar, newcomer):
    code = issue(client, registrar, newcomer)
    form = {"national_id": "1101700207030", "birth_date": "14/05/2551", "code": code,
            "password1": "ใหม่-มะลิ-2570", "password2": "ใหม่-มะลิ-2570"}  # fmt: skip
    guessed = client.post(reverse("password_by_slip"), {**form, "code": "AAAA-AAAA"}).content.decode()
    assert "ยังไม่มีบัญชี" not in guessed and "ไม่ตรงกับรหัส" in guessed  # no word of who is registered
    page = client.post(reverse("password_by_slip"), form).content.decode()
    assert "ยังไม่มีบัญชี" in page and not User.objects.filter(role="learner").exists()


def test_the_account_holder_hears_of_a_new_password_slip_at_their_email(
    client, registrar, newcomer, mailoutbox, django_capture_on_commit_callbacks
):
    """A slip sets a new password for whoever holds it, the registrar who printed it included: an account with an
    email is told, so a slip its owner did not ask for is noticed."""
    code = issue(client, registrar, newcomer)
    client.post(reverse("activate"), activation(code))  # with somchai@example.com
    client.logout()
    mailoutbox.clear()
    client.force_login(registrar)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:activation_issue", args=[newcomer.pk]))
    assert [m.to for m in mailoutbox] == [["somchai@example.com"]]
    body = mailoutbox[0].body
    assert "somchai" in body and registrar.institution.name_th in body and "สำนักงานศึกษาธิการจังหวัดพิจิตร" in body


def test_a_suspended_account_given_its_right_password_is_told_it_is_suspended(client, registrar):
    """It was told its password was wrong, and sent to a reset that sends nothing to a suspended account."""
    registrar.is_active = False
    registrar.save()
    right = client.post(reverse("login"), {"username": "registrar", "password": "pw-for-tests"}).content.decode()
    assert "ถูกระงับ" in right and "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" not in right
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("login"), {"username": "registrar", "password": "guess"}).content.decode()
    assert "ถูกระงับ" not in wrong and "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in wrong  # a guesser learns nothing


def test_a_learner_with_no_birth_date_gets_it_asked_for_before_a_slip_that_could_never_work(
    client, registrar, newcomer
):
    """The slip asks the learner for their birth date, and the registry held none: every code printed failed
    ("these details do not match"), new ones too, and registrars have no page to add a birth date."""
    newcomer.birth_date = None
    newcomer.save()
    client.force_login(registrar)
    detail = client.get(reverse("registry:learner_detail", args=[newcomer.pk])).content.decode()
    assert 'id="birth-date-form"' in detail and 'name="birth_date"' in detail
    url = reverse("registry:activation_issue", args=[newcomer.pk])
    refused = client.post(url)  # no birth date typed: no code
    page = refused.content.decode()
    assert refused.status_code == 400 and not ActivationCode.objects.exists()
    assert "พิมพ์วันเกิดของผู้เรียน" in page.split('id="id_birth_date_error"', 1)[1][:300]
    future = client.post(url, {"birth_date": "01/01/2600"})
    assert future.status_code == 400 and 'value="01/01/2600"' in future.content.decode()  # kept, to be corrected
    assert not ActivationCode.objects.exists()
    slip = client.post(url, {"birth_date": "14/05/2551"}).content.decode()
    newcomer.refresh_from_db()
    assert newcomer.birth_date == datetime.date(2008, 5, 14)
    code = re.search(r'id="activation-code">([A-Z0-9-]+)<', slip).group(1)
    client.logout()
    assert client.post(reverse("activate"), activation(code)).status_code == 302  # the slip works


def test_english_chosen_before_opening_the_account_is_the_accounts_language(client, registrar, newcomer):
    """Pressed EN, then opened the account: English only by this browser's cookie, Thai on any other device."""
    code = issue(client, registrar, newcomer)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("activate")})
    assert client.post(reverse("activate"), activation(code)).status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.user.language == "en"


@pytest.mark.parametrize("url_name", ["activate", "password_by_slip", "password_reset"])
def test_the_account_forms_say_at_the_top_what_is_missing_with_links_to_the_boxes(client, url_name):
    """On a phone, the messages under each box were below the fold: nothing at the top said what went wrong."""
    page = client.post(reverse(url_name), {"email": "", "code": ""}).content.decode()  # sent with boxes empty
    summary = page.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert re.search(r'<a class="alert-link" href="#id_[a-z_0-9]+">', summary), summary
