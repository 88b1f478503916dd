"""No input gives a 500: every URL pattern of the permission grid, fed hostile values.

For each pattern a role that may open it (the grid says which) reads the page, and every parameter is sent a NUL
byte, an overlong string, a word where a number belongs, an unknown choice and a number no column can hold: the
fields of every form on the page (GET forms in the query string, POST forms to their action, with the page's other
values kept), a set of common query parameters, and the pattern's own path arguments where the converter allows the
value. Any 5xx, or an exception the view let escape, fails the test with the address and the value that caused it.
"""

import io
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, resolve, reverse

from tests.test_url_permissions import GRID, people  # noqa: F401  (the fixture, reused)

NUL = "\x00"
HOSTILE = [NUL, "x" * 5000, "abc", "zz", "99999999999999999999"]
COMMON = ["q", "page", "number", "lang", "programme", "status", "institution", "academic_year", "term"]
ROLE_ORDER = ["registrar", "provincial", "learner", "administrator", "anonymous"]
# Forms that end the session or leave the site are not probed (they would sign the test's user out).
SKIP_ACTIONS = {"/accounts/logout/"}


class FormParser(HTMLParser):
    """The forms of a page: method, action and every named control with the value the page gave it."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"method": (a.get("method") or "get").lower(), "action": a.get("action"), "fields": {}})
            return
        if not self.forms or not a.get("name"):
            return
        fields = self.forms[-1]["fields"]
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in {"checkbox", "radio"} and "checked" not in a:
                fields.setdefault(name, None)
            elif kind not in {"submit", "button", "image", "reset"} or name not in fields:
                fields[name] = a.get("value") or ""
        elif tag == "select":
            self._select = name
            fields.setdefault(name, None)
        elif tag == "textarea":
            self._textarea = name
            fields[name] = ""
        elif tag == "button":
            fields.setdefault(name, a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def parse_forms(html):
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        # A select with nothing chosen still sends its first option; an unchecked box sends nothing.
        form["fields"] = {k: v for k, v in form["fields"].items() if v is not None}
    return parser.forms


def readers(expect):
    """Every role the page opens for (each sees its own forms), or the first one a POST-only address serves."""
    roles = [role for role in ROLE_ORDER if expect.status[role] == 200]
    return roles or [next(r for r in ROLE_ORDER if expect.status[r] not in (403, 404, "login", "admin-login"))]


def path_variants(url):
    """The same pattern with each path argument replaced by each hostile value its converter accepts."""
    match = resolve(urlsplit(url).path)
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    for key in match.kwargs:
        for value in HOSTILE:
            try:
                yield key, value, reverse(name, kwargs={**match.kwargs, key: value})
            except NoReverseMatch:
                continue


class Prober:
    def __init__(self):
        self.failures = []
        self.count = 0
        self.client = self.role = None

    def sign_in(self, role, person):
        self.role = role
        self.client = Client(raise_request_exception=True)
        if person is not None:
            self.client.force_login(person)

    def send(self, method, url, data, what):
        self.count += 1
        try:
            with transaction.atomic():  # a failed statement must not poison the next request's queries
                response = getattr(self.client, method)(url, data)
                if hasattr(response, "streaming_content"):
                    io.BytesIO(b"".join(response.streaming_content))
        except Exception as error:  # noqa: BLE001 - the view let it escape: that is the 500 we look for
            self.failures.append(f"{self.role}: {method.upper()} {url} {what}: {type(error).__name__}: {error}"[:300])
            return None
        if response.status_code >= 500:
            self.failures.append(f"{self.role}: {method.upper()} {url} {what}: {response.status_code}")
        return response


def short(value):
    return repr(value if len(value) < 30 else value[:10] + f"…({len(value)})")


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(GRID))
def test_no_hostile_value_gives_a_500(people, name):  # noqa: F811
    expect = GRID[name]
    probe = Prober()
    for role in readers(expect):
        probe.sign_in(role, people[role])
        probe_page(probe, expect, expect.url(people))
    assert probe.count > 0
    assert not probe.failures, f"{name}: {len(probe.failures)} of {probe.count} probes failed:\n" + "\n".join(
        probe.failures
    )


def probe_page(probe, expect, url):
    base, _, query = url.partition("?")
    page = probe.send(expect.method, url, expect.data, "as given")

    forms = []
    if page is not None and "html" in page.get("Content-Type", "") and not hasattr(page, "streaming_content"):
        forms = [f for f in parse_forms(page.content.decode()) if f["action"] not in SKIP_ACTIONS]

    # The query string: every GET form field and the common names, one at a time.
    query_names = set(COMMON)
    for form in forms:
        if form["method"] == "get":
            query_names |= set(form["fields"])
    for key in sorted(query_names):
        for value in HOSTILE:
            sep = "&" if query else ""
            target = f"{base}?{query}{sep}{urlencode({key: value})}"
            probe.send("get", target, {}, f"{key}={short(value)}")

    # The page's own POST (for POST patterns), then every POST form on the page, one field at a time.
    posts = {}
    if expect.method == "post":
        posts[(url, "")] = (url, {"reason": "", **expect.data})
    for form in forms:
        if form["method"] == "post":
            target = form["action"] or url
            posts.setdefault((target, " ".join(sorted(form["fields"]))), (target, form["fields"]))
    for target, fields in posts.values():
        for key in sorted(fields):
            if key == "csrfmiddlewaretoken":
                continue
            for value in HOSTILE:
                probe.send("post", target, {**fields, key: value}, f"{key}={short(value)}")

    # Path arguments, where the converter lets the value through.
    for key, value, target in path_variants(url):
        probe.send(expect.method, target + (f"?{query}" if query else ""), expect.data, f"path {key}={short(value)}")


@pytest.mark.django_db
def test_a_nul_or_an_overlong_search_is_refused_with_django_s_message_in_thai(client):
    page = client.get(reverse("transfers:guide"), {"q": "ภาษา\x00ไทย"})
    assert page.status_code == 200 and "อักขระว่าง (NUL)" in page.content.decode()
    page = client.get(reverse("transfers:guide"), {"q": "ก" * 5000})
    assert "พิมพ์ได้ไม่เกิน 100 ตัวอักษร (ตอนนี้มี 5000 ตัว)" in page.content.decode()
    assert client.get("/verify/%00/").status_code == 200  # no such transcript, said as for any unknown code


@pytest.mark.django_db
def test_an_unknown_language_for_an_official_transcript_is_said_not_a_500(client, registrar, deposit):
    client.force_login(registrar)
    response = client.post(reverse("transcripts:official", args=[deposit.learner_id]), {"lang": "zz"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("registry:learner_detail", args=[deposit.learner_id])
    assert "กรุณาเลือกภาษาไทยหรืออังกฤษ" in response.content.decode()
