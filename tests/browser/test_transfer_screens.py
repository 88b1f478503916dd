"""The pages of the transfer work and the dashboard at 1366 px and 390 px, Thai and English: nothing wider than the
screen, every link and control at least 24 px high; screenshots saved for a person to look at."""

import pytest
from django.core.management import call_command

from transfers.models import Equivalence, TransferRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "browser-demo-pw"
WIDTHS = {"1366": (1366, 768), "390": (390, 844)}

SMALL_TARGETS = """() => [...document.querySelectorAll('main a, main button, main input, main select, main summary')]
  .filter(e => e.offsetParent !== null && e.type !== 'hidden')
  .filter(e => { const r = e.getBoundingClientRect(); return r.height < 24 || r.width < 24; })
  .filter(e => !(e.tagName === 'A' && e.closest('p, li')))  // links inside a sentence: WCAG 2.5.8's inline exception
  .map(e => e.outerHTML.slice(0, 80))"""


def log_in(page, base, username):
    page.goto(base + "/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit], form button").last.click()


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_changed_pages_fit_both_widths_in_both_languages(live_server, browser, artifacts, lang):
    call_command("seed_demo", password=PASSWORD, verbosity=0)
    base = live_server.url
    review = TransferRequest.objects.get(status="under_review")
    rule = Equivalence.objects.get(status="proposed")
    staff_pages = {
        "queue": "/transfers/queue/",
        "decision": review.get_absolute_url(),
        "dashboard": "/office/dashboard/?academic_year=2566",
        "rule": rule.get_absolute_url(),
        "institutions": "/registry/institutions/",  # a scrolling table with a visually hidden heading
    }
    for width, (w, h) in WIDTHS.items():
        context = browser.new_context(locale="th-TH", viewport={"width": w, "height": h})
        context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
        page = context.new_page()
        log_in(page, base, "provincial")
        for name, url in staff_pages.items():
            page.goto(base + url)
            if name == "decision":  # show it refused: one item rejected without a reason
                page.locator("#approve_matched").check()
                page.locator("[id^=reject_]").last.check()
                page.locator("#decision-form button.btn-success").click()
                assert page.locator("#error-summary").is_visible()
            check(page, f"{name}-{width}-{lang}", artifacts, w)
        context.close()
        context = browser.new_context(locale="th-TH", viewport={"width": w, "height": h})
        context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
        page = context.new_page()
        log_in(page, base, "learner")
        for name, url in {"learner-home": "/", "my-credits": "/me/credits/"}.items():  # course links in tables
            page.goto(base + url)
            check(page, f"{name}-{width}-{lang}", artifacts, w)
        page.goto(base + "/transfers/requests/new/")
        check(page, f"request-new-pick-{width}-{lang}", artifacts, w)
        page.locator("#programme-results a").first.click()
        check(page, f"request-new-{width}-{lang}", artifacts, w)
        context.close()


def check(page, name, artifacts, width):
    page.screenshot(path=str(artifacts / f"issue15-{name}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    small = page.evaluate(SMALL_TARGETS)
    assert small == [], (name, small)


def test_a_registrar_finds_course_codes_for_a_rule_without_typing_them_blind(live_server, page):
    """Search the sending institution's catalogue, press Enter (it searches, it does not send the form), click two
    courses: both codes go into the box, once each, and each is named beside it."""
    from playwright.sync_api import expect

    call_command("seed_demo", password=PASSWORD, verbosity=0)
    log_in(page, live_server.url, "registrar")
    page.goto(live_server.url + "/transfers/rules/new/")
    page.select_option("#id_source_institution", label="วิทยาลัยชุมชนพิจิตร")
    page.locator("#source-find").fill("เพื่อการสื่อสาร")
    page.locator("#source-find").press("Enter")
    matches = page.locator("#source-matches button")
    expect(matches).to_have_count(2)
    assert page.url.endswith("/transfers/rules/new/") and not page.locator("#error-summary").count()
    matches.first.click()
    expect(page.locator("#source-named li")).to_have_count(1)
    page.locator("#source-matches button").first.click()
    expect(page.locator("#source-named li")).to_have_count(2)
    assert page.input_value("#id_source_codes") == "GE101, GE102"
    assert "ภาษาไทยเพื่อการสื่อสาร" in page.locator("#source-named").inner_text()
    expect(page.locator("#source-matches button")).to_have_count(0)  # both typed already: none offered again


def test_a_national_id_typed_into_a_search_as_you_type_box_is_never_sent(live_server, page):
    """The request page's programme search sent what was typed as it was typed: an ID typed into it (the box just
    under the learner's ID box, for a registrar) was in the server's log before Enter was pressed."""
    from playwright.sync_api import expect

    call_command("seed_demo", password=PASSWORD, verbosity=0)
    log_in(page, live_server.url, "learner")
    page.goto(live_server.url + "/transfers/requests/new/")
    sent = []
    page.on("request", lambda request: sent.append(request.url))
    page.locator("#id_q").press_sequentially("1-1017-00207-03-0", delay=20)
    page.wait_for_timeout(800)  # past htmx's 300 ms delay
    assert not any("1017" in url for url in sent), sent
    assert page.evaluate("document.querySelector('#id_q').validationMessage")  # the box says why
    page.locator("#id_q").fill("")
    page.locator("#id_q").press_sequentially("มัธยม", delay=20)
    expect(page.locator("#programme-results")).to_contain_text("มัธยม")  # words are still searched as typed
