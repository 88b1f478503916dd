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
