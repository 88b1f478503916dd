"""The learner's balance page, cached per learner and exact: keyed on version stamps the database keeps.

Learners open their balance page far more often than their credits change. The rendered page is kept in the
"pages" cache under a key made of the learner's stamp and the catalogue stamp (registry.stamps: bumped by
triggers in the transaction that changes anything the page shows), so a hit costs no query of its own (the versions
come with the session's query, creditbank.accounts) and no template rendering, and a page is never served after its
data changed: the change commits a new version, and the next request looks for a key nobody has stored yet.

The key also holds what the page shows of the request itself: the language, the login's name (the navigation bar)
and the CSRF secret its forms' tokens are made from. A page is only served from the cache when the request asks
for nothing more: no query string, no messages waiting to be shown, and a CSRF cookie already set.

The cache may be per process (the default, local memory): the key changes with the data, so processes never
disagree about what is current; each only warms its own copy.
"""

import hashlib

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.utils.translation import get_language

CACHE_ALIAS = "pages"

# The learner's page versions for the account aliased `account`: (learner pk, learner version, catalogue version),
# all NULL when the account has no learner record. The session query (creditbank.accounts) reads them along with
# the signed-in account, so that a cached balance page costs that one query and no other.
VERSIONS_COLUMNS = """learner.id, COALESCE(stamp.version, 0),
    COALESCE((SELECT version FROM registry_cataloguestamp WHERE id = 1), 0)"""
VERSIONS_JOINS = """LEFT JOIN registry_learner learner ON learner.user_id = account.id
    LEFT JOIN registry_learnerstamp stamp ON stamp.learner_id = learner.id"""
VERSIONS_SQL = f"SELECT {VERSIONS_COLUMNS} FROM registry_user account {VERSIONS_JOINS} WHERE account.id = %s"  # noqa: S608


def learner_versions(user) -> tuple[int, int, int] | None:
    """(learner pk, learner version, catalogue version); None when the login has no learner record.

    Read with the session when the account came from the session query (AccountBackend sets `page_versions`),
    otherwise with one plain query: it runs on every visit to the balance page, and building it with the ORM cost
    more than running it.
    """
    versions = getattr(user, "page_versions", ())
    if versions == ():
        with connection.cursor() as cursor:
            cursor.execute(VERSIONS_SQL, [user.pk])
            versions = cursor.fetchone()
    return versions if versions and versions[0] is not None else None


def page_key(request, name: str, versions: tuple) -> str | None:
    """The cache key of this request's page, or None when the page must be rendered afresh."""
    csrf_secret = request.META.get("CSRF_COOKIE")
    if request.GET or not csrf_secret or len(get_messages(request)):
        return None
    user = request.user
    parts = [name, *versions, get_language(), csrf_secret, user.pk, user.username, user.get_full_name(), user.role]
    parts += [user.institution_id, user.is_staff, user.is_superuser]
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()
    return f"{name}:{versions[0]}:{digest}"


def cached_page(request, name: str, versions: tuple, render) -> HttpResponse:
    """The page from the cache when it is there and may be used; otherwise `render()`, stored for next time."""
    cache = caches[CACHE_ALIAS]
    key = page_key(request, name, versions)
    if key is not None:
        body = cache.get(key)
        if body is not None:
            return HttpResponse(body)
    response = render()
    if key is not None and response.status_code == 200 and not response.streaming:
        cache.set(key, response.content, settings.PAGE_CACHE_SECONDS)
    return response
