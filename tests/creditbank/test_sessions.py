"""Signing in and out with Django's own database sessions: what a learner on a shared computer relies on."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from registry.services import deposit_void, user_deactivate

from ..factories import DepositFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(learner_user):
    """A learner signed in through the login form, as in a browser: session and CSRF cookies kept."""
    client = Client()
    assert client.post(reverse("login"), {"username": "learner", "password": "pw-for-tests"}).status_code == 302
    return client


def balance_of(page: str) -> str:
    return re.search(r'id="total-credits"[^>]*>([^<]+)<', page).group(1).strip()


def test_new_and_voided_deposits_show_at_once(browser, learner_user, school_course, registrar):
    assert balance_of(browser.get("/").content.decode()) == "0"
    deposit = DepositFactory(learner=learner_user.learner, course=school_course, grade="4", recorded_by=registrar)
    page = browser.get("/").content.decode()
    assert school_course.title_th in page and balance_of(page) == f"{school_course.credits:g}"
    deposit_void(actor=registrar, deposit_id=deposit.pk, reason="บันทึกซ้ำ")
    page = browser.get("/").content.decode()
    assert "บันทึกซ้ำ" in page and balance_of(page) == "0"


def test_each_learner_sees_only_their_own_page(browser, learner2_user):
    other = Client()
    other.post(reverse("login"), {"username": "learner2", "password": "pw-for-tests"})
    page = other.get("/").content.decode()
    assert "ธนากร" in page and "สุภาพร" not in page
    assert "สุภาพร" in browser.get("/").content.decode()


def test_logging_out_ends_the_session_for_every_copy_of_its_cookie(browser):
    stolen = Client()
    stolen.cookies = browser.cookies.__class__(browser.cookies)  # the same session and CSRF cookies
    assert "สุภาพร" in stolen.get("/").content.decode()
    browser.post(reverse("logout"))
    page = stolen.get("/").content.decode()
    assert "สุภาพร" not in page and reverse("login") in page


def test_an_expired_session_is_not_read(browser):
    Session.objects.update(expire_date="2000-01-01T00:00:00Z")
    assert "สุภาพร" not in browser.get("/").content.decode()


def test_a_deactivated_learner_is_signed_out_at_once(browser, learner_user, provincial):
    assert "สุภาพร" in browser.get("/").content.decode()
    user_deactivate(actor=provincial, user_id=learner_user.pk)
    page = browser.get("/").content.decode()
    assert "สุภาพร" not in page and reverse("login") in page
    assert browser.post(reverse("login"), {"username": "learner", "password": "pw-for-tests"}).status_code == 200


def test_sessions_are_djangos_own_rows(browser, learner_user):
    assert [s.get_decoded()["_auth_user_id"] for s in Session.objects.all()] == [str(learner_user.pk)]
    browser.post(reverse("logout"))
    assert not Session.objects.exists()
