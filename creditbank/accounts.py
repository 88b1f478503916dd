"""Reading the session and the signed-in account on every request, in one plain query.

Every signed-in request reads its session row and its account row before the view runs. Django reads them with two
ORM queries, one after the other, which cost more than the rest of a cached balance page (measured by `make
bench`). Here the session row carries its account's id as a column (creditbank.models.Session), so one fixed SQL
query reads both, and with them the learner's page versions (creditbank.pagecache): the session store keeps what it
read, and the authentication backend takes it from there instead of asking the database again, but only for the same
account and only within the same request. The query is a prepared statement on each database connection, so
PostgreSQL plans its joins once per connection instead of once per request (a connection pooler in front of
PostgreSQL must therefore run in session mode, not transaction mode).

Nothing else changes: sessions stay in the database (logging out anywhere ends the session everywhere at once),
expired sessions are ignored, the session's data still decides who is signed in (the column only fetches), and an
inactive account is refused exactly as Django's ModelBackend refuses it.
"""

import weakref
from contextvars import ContextVar

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends import db
from django.core.signals import request_started
from django.db import connections, router
from django.utils import timezone

from creditbank.pagecache import VERSIONS_COLUMNS, VERSIONS_JOINS

# What this request's session query read: (account id, database, account row, page versions).
# AccountBackend.get_user takes it once.
_account_read = ContextVar("account_read", default=None)

# The prepared session read, and the database connections (psycopg's) that have it.
SESSION_READ = "creditbank_session_read"
_prepared_on = weakref.WeakSet()


def _forget_account_read(**kwargs):
    _account_read.set(None)


request_started.connect(_forget_account_read, dispatch_uid="creditbank.accounts.forget_account_read")


def _account_columns():
    """The account model's attribute names and column names, primary key first (as the session query reads them)."""
    meta = get_user_model()._meta
    fields = [meta.pk, *(f for f in meta.concrete_fields if not f.primary_key)]
    return [f.attname for f in fields], [f.column for f in fields]


class SessionStore(db.SessionStore):
    """Django's database session store on creditbank.models.Session: it records which account a session belongs
    to, and reads a session together with that account."""

    @classmethod
    def get_model_class(cls):
        from creditbank.models import Session

        return Session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        session.user_id = int(user_id) if user_id is not None and str(user_id).isdigit() else None
        return session

    @classmethod
    def session_read_sql(cls) -> str:
        """The session read, with its two parameters as $1 (session key) and $2 (now)."""
        model = cls.get_model_class()
        _fields, columns = _account_columns()
        selected = ", ".join(f"account.{column}" for column in columns)
        return (
            f"SELECT session.session_data, session.expire_date, session.user_id, {VERSIONS_COLUMNS}, {selected}"  # noqa: S608
            f" FROM {model._meta.db_table} session"
            f" LEFT JOIN {get_user_model()._meta.db_table} account ON account.id = session.user_id {VERSIONS_JOINS}"
            " WHERE session.session_key = $1 AND session.expire_date > $2"
        )

    def _get_session_from_db(self):
        model = self.model
        database = router.db_for_read(model)
        connection = connections[database]
        with connection.cursor() as cursor:
            # Planning this join costs PostgreSQL more than running it, so each database connection plans it once:
            # a prepared statement lives as long as its connection (and survives a rolled-back transaction).
            if connection.connection not in _prepared_on:
                cursor.execute(f"PREPARE {SESSION_READ} (varchar, timestamptz) AS {self.session_read_sql()}")
                _prepared_on.add(connection.connection)
            cursor.execute(f"EXECUTE {SESSION_READ} (%s, %s)", [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            _account_read.set(None)
            self._session_key = None
            return None
        session_data, expire_date, user_id, *rest = row
        versions, account_row = tuple(rest[:3]), rest[3:]
        found = user_id is not None and account_row[0] is not None
        _account_read.set((user_id, database, account_row, versions) if found else None)
        return model(session_key=self.session_key, session_data=session_data, expire_date=expire_date)


class AccountBackend(ModelBackend):
    """Django's ModelBackend; the signed-in account comes from the session's query when that read it."""

    def get_user(self, user_id):
        read = _account_read.get()
        _account_read.set(None)
        if read is None or read[0] != int(user_id):
            return super().get_user(user_id)
        _user_id, database, row, versions = read
        fields, _columns = _account_columns()
        user = get_user_model().from_db(database, fields, row)
        user.page_versions = versions  # read with the session, for creditbank.pagecache.learner_versions
        return user if self.user_can_authenticate(user) else None
