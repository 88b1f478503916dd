"""Reading the session and the signed-in account on every request, with one plain query each.

Every signed-in request reads its session row and its user row before the view runs. Django builds those two
queries with the ORM each time, which costs more than running them (measured by `make bench`: about half the time
of a cached balance page). These subclasses run the same two lookups as fixed SQL and change nothing else: sessions
stay in the database (logging out anywhere ends the session everywhere at once), expired sessions are ignored, and
an inactive account is refused exactly as Django's ModelBackend refuses it.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    """Django's database session store; only the read of a session by its key is plain SQL."""

    def _get_session_from_db(self):
        model = self.model
        table = model._meta.db_table
        with connections[router.db_for_read(model)].cursor() as cursor:
            cursor.execute(
                f"SELECT session_data, expire_date FROM {table} WHERE session_key = %s AND expire_date > %s",  # noqa: S608
                [self.session_key, timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0], expire_date=row[1])


class AccountBackend(ModelBackend):
    """Django's ModelBackend; only the read of the signed-in user by primary key is plain SQL."""

    def get_user(self, user_id):
        model = get_user_model()
        fields = [f.attname for f in model._meta.concrete_fields]
        columns = ", ".join(f.column for f in model._meta.concrete_fields)
        database = router.db_for_read(model)
        with connections[database].cursor() as cursor:
            cursor.execute(f"SELECT {columns} FROM {model._meta.db_table} WHERE id = %s", [int(user_id)])  # noqa: S608
            row = cursor.fetchone()
        if row is None:
            return None
        user = model.from_db(database, fields, row)
        return user if self.user_can_authenticate(user) else None
