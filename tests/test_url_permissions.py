"""The authorization harness: every URL pattern of the project × anonymous and every role.

A view added without an entry in GRID fails `test_every_url_pattern_has_an_expectation`, so no page ships
without its permission test. Django's own admin pages are covered by their index entry: the admin site checks
is_staff itself on every one of them.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ["anonymous", "learner", "registrar", "provincial", "administrator"]
LOGIN = "/accounts/login/"


@dataclass
class Expect:
    """What each role gets from one URL. `url` builds the address from the fixtures dict."""

    url: object
    status: dict
    method: str = "get"
    data: dict = field(default_factory=dict)


def everyone(code):
    return dict.fromkeys(ROLES, code)


def logged_in(code):
    return {"anonymous": "login", **dict.fromkeys(ROLES[1:], code)}


GRID = {
    "home": Expect(lambda f: reverse("home"), everyone(200)),
    "login": Expect(lambda f: reverse("login"), {"anonymous": 200, **dict.fromkeys(ROLES[1:], 302)}),
    "logout": Expect(lambda f: reverse("logout"), everyone(302), method="post"),
    "password_change": Expect(lambda f: reverse("password_change"), logged_in(200)),
    "password_change_done": Expect(lambda f: reverse("password_change_done"), logged_in(200)),
    "set_language": Expect(lambda f: reverse("set_language"), everyone(302), method="post", data={"language": "en"}),
    "admin:index": Expect(
        lambda f: reverse("admin:index"),
        {**dict.fromkeys(ROLES[:-1], "admin-login"), "administrator": 200},
    ),
}

# Namespaces whose every page is guarded by the same check as the entry above that stands for them.
COVERED_NAMESPACES = {"admin": "admin:index"}


def all_url_names(patterns=None, namespace=""):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    names = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            names += all_url_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            names.append(f"{namespace}{p.name}" if p.name else f"{namespace}<unnamed {p.pattern}>")
    return names


def missing_expectations(patterns):
    return [
        name for name in all_url_names(patterns) if name not in GRID and name.split(":")[0] not in COVERED_NAMESPACES
    ]


def test_every_url_pattern_has_an_expectation():
    missing = missing_expectations(get_resolver().url_patterns)
    assert not missing, f"URL patterns with no permission expectation: {missing}"


def test_the_harness_fails_for_a_url_without_an_expectation():
    from django.urls import path

    patterns = get_resolver().url_patterns + [path("new/", lambda request: None, name="new_view")]
    assert missing_expectations(patterns) == ["new_view"]


@pytest.fixture
def people(learner_user, registrar, provincial, administrator, deposit, other_deposit):
    return {
        "anonymous": None,
        "learner": learner_user,
        "registrar": registrar,
        "provincial": provincial,
        "administrator": administrator,
        "deposit": deposit,
        "other_deposit": other_deposit,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(GRID))
@pytest.mark.parametrize("role", ROLES)
def test_url_answers_each_role_as_expected(client, people, name, role):
    expect = GRID[name]
    if people[role] is not None:
        client.force_login(people[role])
    url = expect.url(people)
    response = getattr(client, expect.method)(url, expect.data)
    wanted = expect.status[role]
    if wanted == "login":
        assert response.status_code == 302 and response["Location"].startswith(LOGIN), response
    elif wanted == "admin-login":
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == wanted, f"{name} as {role}: {response.status_code}"
