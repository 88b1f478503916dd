"""A national ID never ends up in a page address: the searches kept in the address (GET forms) refuse one, say so
beside the box, and leave it out of the box and of every link the page makes (exports, pages, filters)."""

import re

import pytest
from django.urls import reverse

from registry.models import Learner
from tests.factories import TransferRequestFactory
from transcripts.services import transcript_issue

pytestmark = pytest.mark.django_db

REFUSED_TH = "ช่องนี้ไม่ค้นหาด้วยเลขประจำตัวประชาชน"


def assert_refused(page: str, learner: Learner, error_id: str):
    error = re.search(rf'<div class="invalid-feedback d-block" id="{error_id}">([^<]*)</div>', page)
    assert error and REFUSED_TH in error.group(1)  # beside the box, saying to search by name
    for address in re.findall(r'(?:href|value|action)="([^"]*)"', page):
        assert learner.national_id not in re.sub(r"\D", "", address)
    assert learner.national_id not in page and learner.formatted_id not in page


def test_the_registrars_deposit_list_refuses_an_id(client, registrar, deposit):
    learner = deposit.learner
    client.force_login(registrar)
    search = reverse("registry:deposits")
    assert "data-personal-id-refused" in client.get(search).content.decode()
    page = client.get(search, {"q": learner.formatted_id, "status": "active"}).content.decode()
    assert_refused(page, learner, "id_q_error")
    assert "status=active" in page  # the other filters still apply and travel in the links
    assert re.search(r'<input[^>]*class="form-control is-invalid"[^>]*id="filter-q"', page)


def test_the_staff_queue_refuses_an_id(client, provincial, learner_user):
    request = TransferRequestFactory(learner=learner_user.learner, status="submitted")
    client.force_login(provincial)
    for typed in (learner_user.learner.national_id, f"ID {learner_user.learner.formatted_id} สุภาพร"):
        page = client.get(reverse("transfers:queue"), {"q": typed}).content.decode()
        assert_refused(page, learner_user.learner, "id_q_error")  # alone, or pasted with a name
    assert f"#{request.pk}" in page  # not searched: the queue is shown whole
    assert 'aria-invalid="true"' in page


def test_the_issued_transcripts_list_refuses_an_id(client, provincial, registrar, deposit):
    learner = deposit.learner
    transcript_issue(actor=registrar, learner=learner, official=True)
    client.force_login(provincial)
    page = client.get(reverse("transcripts:list"), {"number": learner.formatted_id}).content.decode()
    assert_refused(page, learner, "number-error")


def test_words_and_numbers_that_are_no_id_are_still_searched(client, provincial, learner_user):
    request = TransferRequestFactory(learner=learner_user.learner, status="submitted")
    client.force_login(provincial)
    page = client.get(reverse("transfers:queue"), {"q": f"#{request.pk}"}).content.decode()
    assert 'id="id_q_error"' not in page and f"#{request.pk}" in page


@pytest.mark.parametrize(
    "typed, refused",
    [
        ("1101700207030", True),
        ("1-1017-00207-03-0", True),
        ("1 1017 00207 03 0", True),
        ("ID 1101700207030 สมชาย", True),
        ("1101700207030 2568", True),
        ("G123456789012", True),
        ("9" * 30, False),  # no one's ID: searched (and found nothing)
        ("PCB2569-0000012", False),
        ("#12", False),
        ("สมชาย ใจดี", False),
    ],
)
def test_what_counts_as_an_id_in_a_search_box(typed, refused):
    from registry.identifiers import looks_like_personal_id

    assert looks_like_personal_id(typed) is refused


def test_the_programme_rule_and_guide_searches_refuse_an_id_before_and_after_it_is_sent(
    client, registrar, learner_user, programme
):
    """Beside the learner's ID box on the request page, a programme search had put the ID typed into it in the
    address; so had the rules, the guide and the learner's own programme search."""
    national_id = learner_user.learner.national_id
    searches = [
        (registrar, reverse("transfers:request_new")),
        (registrar, reverse("transfers:rules")),
        (None, reverse("transfers:guide")),
        (learner_user, reverse("home")),
    ]
    for user, url in searches:
        if user:
            client.force_login(user)
        else:
            client.logout()
        assert "data-personal-id-refused" in client.get(url).content.decode(), url  # refused before it is sent
        page = client.get(url, {"q": learner_user.learner.formatted_id}).content.decode()
        assert "ช่องนี้ไม่ค้นหาด้วยเลขประจำตัวประชาชน" in page, url  # and said so when it comes all the same
        for address in re.findall(r'(?:href|value|action)="([^"]*)"', page):
            assert national_id not in re.sub(r"\D", "", address), (url, address)
