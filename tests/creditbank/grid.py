from django.urls import reverse

from tests.grid import ROLES, Expect, everyone, logged_in

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
