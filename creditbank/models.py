from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone


class FigureSnapshot(models.Model):
    """The dashboard's province-wide figures, computed in the background: one scan of millions of deposits is too
    slow to repeat for every page view. Reports for a chosen period are computed live."""

    computed_at = models.DateTimeField(default=timezone.now, db_index=True)
    seconds = models.FloatField()
    data = models.JSONField()

    class Meta:
        get_latest_by = "computed_at"

    def __str__(self):
        return f"{self.computed_at:%Y-%m-%d %H:%M}"


class Session(AbstractBaseSession):
    """A browser's session in the database, as Django keeps it, plus the account signed in with it as a column.

    Django keeps the account only inside the encoded data. As a column it lets one query read the session together
    with its account (creditbank.accounts), and lets a deactivated account's sessions be found by index.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=True
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "creditbank_session"

    @classmethod
    def get_session_store_class(cls):
        from creditbank.accounts import SessionStore

        return SessionStore
