"""Errors are said twice (UX.md): a summary at the top of the page that links to each field at fault, and the message
beside the field. Every form page a refusal brings back has the summary."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def summary_links(page: str) -> list[str]:
    summary = page.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    return re.findall(r'href="#([^"]+)"', summary)


@pytest.mark.parametrize(
    "user, url, sent",
    [
        ("registrar", reverse("registry:learner_new"), {"first_name": "สมชาย"}),
        ("registrar", reverse("registry:course_new"), {"code": "ท21199", "credits": "0"}),
        ("registrar", reverse("transfers:programme_new"), {"code": ""}),
        ("staff", reverse("transfers:rule_new"), {"basis": "ทดลอง"}),
        ("staff", reverse("registry:institution_new"), {"code": ""}),
        ("staff", reverse("password_change"), {"old_password": "wrong"}),
    ],
)
def test_a_refused_form_links_from_a_summary_at_the_top_to_each_field_at_fault(client, request, user, url, sent):
    client.force_login(request.getfixturevalue(user))
    page = client.post(url, sent).content.decode()
    links = summary_links(page)
    assert links, url
    for anchor in links:
        assert f'id="{anchor}"' in page, (url, anchor)  # each link lands on its field
    assert page.index('id="error-summary"') < page.index("<h1")


def test_the_one_box_reason_forms_say_a_missing_reason_at_the_top_too(client, staff, proposer, src, dst, programme):
    """Returning a request and deciding a rule (retiring one uses the same page and summary): a missing reason is
    summarised at the top, linking to the box, as well as said beside it."""
    from tests.factories import TransferRequestFactory
    from transfers.services.rules import equivalence_propose

    client.force_login(staff)
    waiting = TransferRequestFactory(status="submitted", programme=programme, target_institution=programme.institution)
    rule = equivalence_propose(
        actor=proposer, source_courses=[src["ท21101"]], target_courses=[dst["ท21101"]], basis="x"
    )
    for url, sent in (
        (reverse("transfers:request_return", args=[waiting.pk]), {"reason": " "}),
        (reverse("transfers:rule_decide", args=[rule.pk]), {"approve": "1", "reason": ""}),
    ):
        page = client.post(url, sent).content.decode()
        assert summary_links(page) == ["id_reason"], url
        assert 'id="id_reason"' in page
