"""Thai first: the browser's language never switches the site; a chosen language is remembered."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_english_browser_still_gets_thai(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="th">' in page


def test_the_choice_of_english_is_kept_in_a_cookie_before_signing_in(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get(reverse("login")).content.decode()


def test_a_signed_in_users_choice_follows_them_to_another_computer(learner_user):
    first = Client()
    first.force_login(learner_user)
    first.post(reverse("set_language"), {"language": "en", "next": "/"})
    learner_user.refresh_from_db()
    assert learner_user.language == "en"
    second = Client()  # another computer: no language cookie
    second.force_login(learner_user)
    assert '<html lang="en">' in second.get("/").content.decode()
    second.post(reverse("set_language"), {"language": "th", "next": "/"})
    assert '<html lang="th">' in first.get("/").content.decode()


def test_an_unknown_language_changes_nothing(client, learner_user):
    client.force_login(learner_user)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    learner_user.refresh_from_db()
    assert learner_user.language == "" and '<html lang="th">' in client.get("/").content.decode()


def test_switching_language_after_a_refused_form_goes_back_to_the_page_it_was_sent_from(client, registrar):
    import re

    from tests.factories import DepositFactory

    deposit = DepositFactory(course__institution=registrar.institution, recorded_by=registrar)
    client.force_login(registrar)
    detail = reverse("registry:deposit_detail", args=[deposit.pk])
    refused = client.post(
        reverse("registry:deposit_void", args=[deposit.pk]), {"reason": ""}, HTTP_REFERER=f"http://testserver{detail}"
    )
    assert refused.status_code in (200, 400)  # the refusal, at an address that takes POST only
    next_url = re.search(r'name="next" type="hidden" value="([^"]*)"', refused.content.decode()).group(1)
    switched = client.post(reverse("set_language"), {"language": "en", "next": next_url})
    assert switched.status_code == 302 and client.get(switched["Location"]).status_code == 200


def test_english_picked_on_the_sign_in_page_is_what_the_account_gets(client, learner_user):
    """The account had Thai saved; the person pressed EN on the sign-in page, then signed in: English stays."""
    learner_user.language = "th"
    learner_user.set_password("sign-in-pw-2569")
    learner_user.save()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    client.post(reverse("login"), {"username": learner_user.username, "password": "sign-in-pw-2569"})
    assert '<html lang="en">' in client.get("/").content.decode()
    learner_user.refresh_from_db()
    assert learner_user.language == "en"
    # Signing in elsewhere later, with no choice made on the way in, keeps the account's language.
    client.logout()
    other = Client()
    other.post(reverse("login"), {"username": learner_user.username, "password": "sign-in-pw-2569"})
    learner_user.refresh_from_db()
    assert learner_user.language == "en" and '<html lang="en">' in other.get("/").content.decode()


def test_signing_out_keeps_the_accounts_language_and_says_it_is_done(client, learner_user):
    """An English reader landed on the Thai home page after signing out, with no word that it was done."""
    client.force_login(learner_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.cookies.pop("django_language", None)  # chosen on another computer: only the account knows it
    page = client.post(reverse("logout"), follow=True).content.decode()
    assert '<html lang="en">' in page and "You are logged out." in page


def test_the_sign_out_address_opened_asks_for_the_button_and_signs_out_only_when_pressed(client, learner_user):
    """An old bookmark of /accounts/logout/ answered an empty "405" page."""
    client.force_login(learner_user)
    page = client.get(reverse("logout"))
    assert page.status_code == 200 and 'id="logout-confirm"' in page.content.decode()
    assert client.get("/").wsgi_request.user.is_authenticated  # opening it signed no one out
    client.post(reverse("logout"))
    assert client.get(reverse("logout")).url == reverse("home")  # signed out already: home
