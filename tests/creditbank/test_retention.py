"""What the privacy notice says is kept only for a time is deleted when that time is up, by the nightly job."""

import datetime

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_the_nightly_job_deletes_sign_in_records_older_than_the_notice_says(settings, capsys):
    settings.SIGN_IN_LOG_DAYS = 180
    now = timezone.now()
    for age in (181, 179):
        when = now - datetime.timedelta(days=age)
        for log in (AccessLog, AccessFailureLog):  # attempt_time is set on creation, so moved back after
            log.objects.create(username=f"u{age}", ip_address="10.0.0.1", user_agent="")
            log.objects.filter(username=f"u{age}").update(attempt_time=when)
    live = SessionStore()
    live.create()
    expired = SessionStore()
    expired.set_expiry(-1)
    expired.create()

    call_command("purge_old_logs")

    assert list(AccessLog.objects.values_list("username", flat=True)) == ["u179"]
    assert list(AccessFailureLog.objects.values_list("username", flat=True)) == ["u179"]
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    said = capsys.readouterr().out
    assert "older than 180 days" in said  # what the operator's log shows the job did
