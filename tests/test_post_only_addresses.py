"""A form sent back with its errors leaves its action in the address bar: a reload or a visit from the history (a
GET) goes back to the page the form lives on, which checks who may see it, instead of a blank 405."""

import pytest
from django.urls import reverse

from tests.factories import TransferRequestFactory
from transcripts.services import transcript_issue

pytestmark = pytest.mark.django_db


def test_a_refused_void_reloaded_goes_back_to_the_deposit(client, registrar, deposit, other_deposit):
    client.force_login(registrar)
    void = reverse("registry:deposit_void", args=[deposit.pk])
    refused = client.post(void, {"reason": ""})
    assert refused.status_code == 400  # the page again, the error beside the reason box, at the action's address
    reloaded = client.get(void)
    assert reloaded.status_code == 302 and reloaded["Location"] == reverse("registry:deposit_detail", args=[deposit.pk])
    other = client.get(reverse("registry:deposit_void", args=[other_deposit.pk]), follow=True)
    assert other.status_code == 404  # another school's deposit: still not found
    assert client.put(void).status_code == 405


def test_a_refused_decision_reloaded_goes_back_to_the_request(client, provincial, learner_user):
    request = TransferRequestFactory(learner=learner_user.learner, status="submitted")
    client.force_login(provincial)
    for name in ("transfers:request_decide", "transfers:request_return"):
        reloaded = client.get(reverse(name, args=[request.pk]))
        assert reloaded.status_code == 302 and reloaded["Location"] == request.get_absolute_url()


def test_a_refused_send_or_attachment_reloaded_goes_back_to_the_request(client, learner_user):
    """Sending again without an answer, or adding no file, comes back at the action's address; switching language
    or reloading there showed the browser's blank 405 page."""
    request = TransferRequestFactory(learner=learner_user.learner, created_by=learner_user, status="submitted")
    client.force_login(learner_user)
    for name in ("transfers:request_submit", "transfers:request_attach"):
        reloaded = client.get(reverse(name, args=[request.pk]))
        assert reloaded.status_code == 302 and reloaded["Location"] == request.get_absolute_url()


def test_a_refused_revocation_reloaded_goes_back_to_the_list(client, provincial, registrar, deposit):
    transcript, _pdf = transcript_issue(actor=registrar, learner=deposit.learner, official=True)
    client.force_login(provincial)
    reloaded = client.get(reverse("transcripts:revoke", args=[transcript.pk]))
    assert reloaded.status_code == 302 and reloaded["Location"] == reverse("transcripts:list")


def test_an_empty_void_reason_is_asked_for_in_its_own_words(client, registrar, deposit):
    client.force_login(registrar)
    page = client.post(reverse("registry:deposit_void", args=[deposit.pk]), {"reason": ""}).content.decode()
    assert "กรุณาระบุเหตุผลที่ยกเลิกรายการนี้" in page and "กรุณากรอกหรือเลือกข้อมูลในช่องนี้" not in page


def test_the_actions_of_plain_buttons_opened_by_address_go_to_their_page_not_a_blank_405(client, learner_user):
    """A transcript button, a credential download, the language switch or a request's withdraw button, opened at its
    own address (a reload, a bookmark, the form-expired page's way back), answered with an empty 405 page."""
    request = TransferRequestFactory(learner=learner_user.learner, created_by=learner_user, status="submitted")
    client.force_login(learner_user)
    for url, back in (
        (reverse("transcripts:mine"), reverse("home")),
        (reverse("transcripts:my_clr", args=["json"]), reverse("transcripts:my_credentials")),
        (reverse("set_language"), reverse("home")),
        (reverse("transfers:request_withdraw", args=[request.pk]), request.get_absolute_url()),
        (reverse("transfers:request_remove_item", args=[request.pk]), request.get_absolute_url()),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == back, url
