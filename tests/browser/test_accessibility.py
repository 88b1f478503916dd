"""WCAG 2.2 AA on every page each role can open, checked by axe-core in Chromium, in Thai and English, at 1366 px
(a school's old PC) and 390 px (a learner's phone).

The pages are the permission grid's: every GET address that answers the role with an HTML page. Public pages are
visited signed out; signed in, each role visits its own pages and its home. A serious or critical axe violation
fails the test, as do a heading out of order and a navigation label that wraps onto a second line (Thai labels
must not break inside a word). Each view leaves a full-page screenshot in test-artifacts/axe/ for a person to look
at: an artifact for review, not a comparison.
"""

import re

import pytest
from django.conf import settings
from django.test import Client

from registry.models import User
from tests.grid import ROLES, everyone
from tests.test_url_permissions import GRID, people  # noqa: F401  (the fixture, reused)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1366, 390]
LANGUAGES = ["th", "en"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "rules": {"heading-order": {"enabled": True}},  # a best practice in axe, asked for by our UX rules
    "resultTypes": ["violations"],
}
FAILING_IMPACTS = {"serious", "critical"}
ALWAYS_FAILING = {"heading-order"}
# Pages everyone opens alike are visited signed out; signed in, only the home page differs by role.
PER_ROLE_EVEN_IF_PUBLIC = {"home", "privacy"}
# A navigation label on more than one line: its height is more than one line of text.
WRAPPED_LABELS = """() => [...document.querySelectorAll('.navbar .nav-link, .navbar .btn, .navbar-brand')]
  .filter(el => el.offsetParent !== null)
  .filter(el => {
    const range = document.createRange(); range.selectNodeContents(el);
    const tops = new Set([...range.getClientRects()].filter(r => r.width > 1).map(r => Math.round(r.top)));
    return tops.size > (el.classList.contains('navbar-brand') ? 2 : 1);
  })
  .map(el => el.textContent.trim())"""


def html_pages(role, everyone_people):
    """(name, address) of every GET page of the grid that this role opens as HTML."""
    client = Client()
    if everyone_people[role] is not None:
        client.force_login(everyone_people[role])
    for name in sorted(GRID):
        expect = GRID[name]
        if expect.method != "get" or expect.status[role] != 200:
            continue
        if role != "anonymous" and expect.status == everyone(200) and name not in PER_ROLE_EVEN_IF_PUBLIC:
            continue
        url = expect.url(everyone_people)
        response = client.get(url)
        html = response.get("Content-Type", "").startswith("text/html")
        if response.status_code == 200 and html and b"<html" in response.content:  # not an htmx fragment
            yield name, url


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_each_role_passes_axe_in_thai_and_english_at_both_widths(
    live_server,
    browser,
    people,  # noqa: F811
    role,
    artifacts,
):
    from axe_playwright_python.sync_playwright import Axe

    axe_script = Axe().axe_script  # axe-core, as axe-playwright-python ships it
    person = people[role]
    pages = list(html_pages(role, people))
    assert pages, f"{role} opens no HTML page"
    problems = []
    shots = artifacts / "axe"
    shots.mkdir(exist_ok=True)
    for language in LANGUAGES:
        context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900}, locale="en-US")
        cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        if person is not None:
            User.objects.filter(pk=person.pk).update(language=language)
            client = Client()
            client.force_login(person)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url})
        context.add_cookies(cookies)
        context.add_init_script(script=axe_script)  # in every page once, not sent again for each run
        page = context.new_page()
        page.set_default_timeout(15000)
        for name, url in pages:
            page.goto(live_server.url + url, wait_until="load")
            assert page.locator("html").get_attribute("lang") == language, f"{name}: not in {language}"
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                where = f"{role} {language} {width}px {name} ({url})"
                results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
                for violation in results["violations"]:
                    if violation["impact"] in FAILING_IMPACTS or violation["id"] in ALWAYS_FAILING:
                        targets = [" ".join(map(str, n["target"])) for n in violation["nodes"]][:3]
                        problems.append(f"{where}: {violation['id']} ({violation['impact']}) {targets}")
                wrapped = page.evaluate(WRAPPED_LABELS)
                if wrapped:
                    problems.append(f"{where}: navigation labels on two lines: {wrapped}")
                page.screenshot(path=str(shots / f"{role}-{language}-{width}-{slug(name)}.png"), full_page=True)
        context.close()
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
