from django.urls import reverse

from tests.grid import ROLES, Expect, everyone, logged_in, only

GRID = {
    "home": Expect(lambda f: reverse("home"), everyone(200)),
    "totp_setup": Expect(lambda f: reverse("totp_setup"), logged_in(200)),
    "totp_verify": Expect(lambda f: reverse("totp_verify"), logged_in(200)),
    "healthz": Expect(lambda f: reverse("healthz"), everyone(200)),
    "login": Expect(lambda f: reverse("login"), {"anonymous": 200, **dict.fromkeys(ROLES[1:], 302)}),
    "logout": Expect(lambda f: reverse("logout"), everyone(302), method="post"),
    "password_change": Expect(lambda f: reverse("password_change"), logged_in(200)),
    "password_change_done": Expect(lambda f: reverse("password_change_done"), logged_in(200)),
    "set_language": Expect(lambda f: reverse("set_language"), everyone(302), method="post", data={"language": "en"}),
    "password_reset": Expect(lambda f: reverse("password_reset"), everyone(200)),
    "password_reset_done": Expect(lambda f: reverse("password_reset_done"), everyone(200)),
    "password_reset_confirm": Expect(
        lambda f: reverse("password_reset_confirm", args=["MQ", "bad-token"]), everyone(200)
    ),
    "password_reset_complete": Expect(lambda f: reverse("password_reset_complete"), everyone(200)),
    "activate": Expect(lambda f: reverse("activate"), everyone(200)),
    "password_by_slip": Expect(lambda f: reverse("password_by_slip"), everyone(200)),
    "privacy": Expect(lambda f: reverse("privacy"), everyone(200)),
    "my_data": Expect(lambda f: reverse("my_data", args=["json"]), only({"learner": 200})),
    "my_data_csv": Expect(lambda f: reverse("my_data_csv", args=["credits"]), only({"learner": 200})),
    "my_credits": Expect(lambda f: reverse("my_credits"), only({"learner": 200})),
    "my_name": Expect(lambda f: reverse("my_name"), logged_in(200)),
    "transparency": Expect(lambda f: reverse("transparency"), everyone(200)),
    "course_public": Expect(
        lambda f: reverse("course_public", args=[f["deposit"].course.institution.code, f["deposit"].course.code]),
        everyone(200),
    ),
    "institution_public": Expect(
        lambda f: reverse("institution_public", args=[f["deposit"].course.institution.code]), everyone(200)
    ),
    "course_public_slash": Expect(
        lambda f: reverse("course_public_slash", args=[f["deposit"].course.institution.code, f["deposit"].course.code]),
        everyone(200),
    ),
    "institution_public_slash": Expect(
        lambda f: reverse("institution_public_slash", args=[f["deposit"].course.institution.code]), everyone(200)
    ),
    "dashboard": Expect(lambda f: reverse("dashboard"), only({"provincial": 200})),
    "report": Expect(lambda f: reverse("report", args=["csv"]), only({"provincial": 200})),
    "admin:index": Expect(
        lambda f: reverse("admin:index"),
        {**dict.fromkeys(ROLES[:-1], "admin-login"), "administrator": 200},
    ),
}
