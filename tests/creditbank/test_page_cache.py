"""The learner's balance page is cached, and a cached copy is never served after anything on it changed."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from registry.models import CatalogueStamp, CreditDeposit, LearnerStamp
from registry.services import course_save, deposit_void, institution_save
from transfers.services import (
    transfer_request_create,
    transfer_request_decide,
    transfer_request_start_review,
    transfer_request_submit,
)

from ..factories import DepositFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(learner_user):
    """A learner signed in through the login form, as in a browser: session and CSRF cookies kept."""
    client = Client()
    assert client.post(reverse("login"), {"username": "learner", "password": "pw-for-tests"}).status_code == 302
    client.get("/")  # the first visit renders the page and stores it
    return client


def balance_of(page: str) -> str:
    return re.search(r'id="total-credits"[^>]*>([^<]+)<', page).group(1).strip()


def test_a_repeat_visit_is_served_from_the_cache_with_one_query(browser, django_assert_num_queries):
    first = browser.get("/").content
    with django_assert_num_queries(1):  # the session, with the account and the page's versions
        again = browser.get("/")
    assert again.status_code == 200 and again.content == first
    assert "สุภาพร" in again.content.decode()


def test_new_and_voided_deposits_show_at_once(browser, pupil, school_course, registrar):
    assert balance_of(browser.get("/").content.decode()) == "0"
    deposit = DepositFactory(learner=pupil, course=school_course, grade="4", recorded_by=registrar)
    page = browser.get("/").content.decode()
    assert school_course.title_th in page and balance_of(page) == f"{school_course.credits:g}"
    deposit_void(actor=registrar, deposit_id=deposit.pk, reason="บันทึกซ้ำ")
    page = browser.get("/").content.decode()
    assert "บันทึกซ้ำ" in page and balance_of(page) == "0"


def test_an_approved_transfer_shows_at_once(browser, pupil, banked, programme, rules, dst, staff, learner_user):
    banked("ท21101", grade="3.5")
    request = transfer_request_create(
        actor=learner_user, learner=pupil, programme=programme, target_course_ids=[dst["ท21101"].pk]
    )
    assert "ร่าง" in browser.get("/").content.decode()  # the draft request is listed
    transfer_request_submit(actor=learner_user, request_id=request.pk)
    transfer_request_start_review(actor=staff, request_id=request.pk)
    item = request.items.get()
    transfer_request_decide(actor=staff, request_id=request.pk, decisions={item.pk: (True, "ตรงตามเกณฑ์")})
    page = browser.get("/").content.decode()
    assert re.search(r'id="applied">1.5<', page)
    assert "อนุมัติ" in page and dst["ท21101"].title_th in page


def test_renamed_courses_institutions_and_learners_show_at_once(
    browser, pupil, school, school_course, registrar, provincial
):
    DepositFactory(learner=pupil, course=school_course, recorded_by=registrar)
    browser.get("/")
    school_course.title_th = "ภาษาไทยเพื่อการสื่อสาร"
    course_save(actor=registrar, institution=school, course=school_course, changed=["title_th"])
    assert "ภาษาไทยเพื่อการสื่อสาร" in browser.get("/").content.decode()
    school.name_th = "โรงเรียนพิจิตรพิทยาคมใหม่"
    institution_save(actor=provincial, institution=school, changed=["name_th"])
    assert "โรงเรียนพิจิตรพิทยาคมใหม่" in browser.get("/").content.decode()
    pupil.first_name = "สุภาพรรณ"
    pupil.save()
    assert "สุภาพรรณ" in browser.get("/").content.decode()


def test_each_learner_sees_only_their_own_page(browser, learner2_user):
    other = Client()
    other.post(reverse("login"), {"username": "learner2", "password": "pw-for-tests"})
    other.get("/")
    page = other.get("/").content.decode()
    assert "ธนากร" in page and "สุภาพร" not in page
    assert "สุภาพร" in browser.get("/").content.decode()


def test_the_language_and_waiting_messages_are_never_taken_from_the_cache(browser):
    browser.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "My credit balance" in browser.get("/").content.decode()
    browser.post(reverse("set_language"), {"language": "th", "next": "/"})
    assert "My credit balance" not in browser.get("/").content.decode()
    # A message waiting for the next page (as after opening one's account) is shown once, not hidden by a cached copy.
    carrier = CookieStorage(HttpRequest())
    browser.cookies[carrier.cookie_name] = carrier._encode([Message(constants.SUCCESS, "บันทึกเรียบร้อย")])
    assert "บันทึกเรียบร้อย" in browser.get("/").content.decode()
    assert "บันทึกเรียบร้อย" not in browser.get("/").content.decode()


def test_logging_out_ends_the_session_for_every_copy_of_its_cookie(browser):
    stolen = Client()
    stolen.cookies = browser.cookies.__class__(browser.cookies)  # the same session and CSRF cookies
    assert "สุภาพร" in stolen.get("/").content.decode()
    browser.post(reverse("logout"))
    page = stolen.get("/").content.decode()
    assert "สุภาพร" not in page and reverse("login") in page


def test_an_expired_session_is_not_read(browser):
    from creditbank.models import Session

    Session.objects.update(expire_date="2000-01-01T00:00:00Z")
    assert "สุภาพร" not in browser.get("/").content.decode()


def test_one_statement_bumps_each_learner_once_and_names_bump_the_catalogue(pupil, school_course, registrar):
    before = LearnerStamp.objects.filter(learner=pupil).values_list("version", flat=True).first() or 0
    CreditDeposit.objects.bulk_create(
        [DepositFactory.build(learner=pupil, course=school_course, recorded_by=registrar, academic_year=y)
         for y in (2565, 2566, 2567)]
    )  # fmt: skip
    assert LearnerStamp.objects.get(learner=pupil).version == before + 1
    catalogue = CatalogueStamp.objects.filter(pk=1).values_list("version", flat=True).first() or 0
    with connection.cursor() as cursor:  # any writer, not only the ORM
        cursor.execute("UPDATE registry_course SET title_th = 'ชื่อใหม่' WHERE id = %s", [school_course.pk])
    assert CatalogueStamp.objects.get(pk=1).version == catalogue + 1


def test_a_deactivated_learner_is_signed_out_at_once_even_with_a_cached_page(browser, learner_user):
    assert "สุภาพร" in browser.get("/").content.decode()
    learner_user.is_active = False
    learner_user.save(update_fields=["is_active"])
    page = browser.get("/").content.decode()
    assert "สุภาพร" not in page and reverse("login") in page


def test_a_session_records_its_account_until_logout(browser, learner_user):
    from creditbank.models import Session

    assert Session.objects.filter(user=learner_user).count() == 1
    browser.post(reverse("logout"))
    assert not Session.objects.filter(user=learner_user).exists()


def test_the_sessions_data_decides_who_is_signed_in_not_its_account_column(browser, learner_user, registrar):
    from creditbank.models import Session

    Session.objects.filter(user=learner_user).update(user=registrar)  # a column out of step with the data
    page = browser.get("/").content.decode()
    assert "สุภาพร" in page and "วิไลวรรณ" not in page


@pytest.mark.django_db(transaction=True)
def test_the_session_is_read_on_a_new_database_connection_and_after_a_rollback(learner_user):
    from django.db import transaction

    client = Client()
    assert client.post(reverse("login"), {"username": "learner", "password": "pw-for-tests"}).status_code == 302
    assert "สุภาพร" in client.get("/").content.decode()
    connection.close()  # as after a database restart: the next request opens a new connection
    assert "สุภาพร" in client.get("/").content.decode()
    connection.close()
    with pytest.raises(RuntimeError), transaction.atomic():  # the new connection's first read, then a rollback
        assert "สุภาพร" in client.get("/").content.decode()
        raise RuntimeError
    assert "สุภาพร" in client.get("/").content.decode()
