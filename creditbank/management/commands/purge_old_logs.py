"""Delete what the privacy notice says is kept only for a time: sign-in records (django-axes) older than
SIGN_IN_LOG_DAYS, and expired sessions. Run nightly, on one server."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = "Delete sign-in records older than SIGN_IN_LOG_DAYS, and expired sessions."

    def handle(self, *args, **options):
        days = settings.SIGN_IN_LOG_DAYS
        logs = AxesProxyHandler.reset_logs(age_days=days)
        failures = AxesProxyHandler.reset_failure_logs(age_days=days)
        sessions, _by_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
        self.stdout.write(
            f"deleted {logs} sign-in records and {failures} failed sign-ins older than {days} days, "
            f"and {sessions} expired sessions"
        )
