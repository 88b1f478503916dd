"""The shape of the permission grids: one per app, merged by tests/test_url_permissions.py."""

from dataclasses import dataclass, field

ROLES = ["anonymous", "learner", "registrar", "provincial", "administrator"]


@dataclass
class Expect:
    """What each role gets from one URL.

    `url` builds the address from the fixtures dict; `other` builds the same URL for an object of another
    institution or learner, which must be a 404 for every role listed in `other_404`.
    """

    url: object
    status: dict
    method: str = "get"
    data: dict = field(default_factory=dict)
    other: object = None
    other_404: tuple = ()


def everyone(code):
    return dict.fromkeys(ROLES, code)


def logged_in(code):
    return {"anonymous": "login", **dict.fromkeys(ROLES[1:], code)}


def only(roles: dict):
    """Anonymous users go to the login page; roles not named get 403."""
    return {"anonymous": "login", **dict.fromkeys(ROLES[1:], 403), **roles}
