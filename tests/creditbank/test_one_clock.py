"""One clock: the learner's data download and every export write Asia/Bangkok times, never UTC."""

import datetime
import io
import json
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from creditbank.mydata import KINDS
from registry.models import RecordAccess
from tests.factories import DepositFactory

pytestmark = pytest.mark.django_db

# 20:30 UTC on 1 January 2026 is 03:30 on 2 January 2026 (2569 B.E.) in Bangkok: the date changes too.
UTC_TIME = datetime.datetime(2026, 1, 1, 20, 30, tzinfo=datetime.UTC)
LOCAL_ISO = "2026-01-02T03:30:00+07:00"


@pytest.fixture
def recorded_at_night(learner_user, school_course, registrar):
    deposit = DepositFactory(
        learner=learner_user.learner, course=school_course, recorded_by=registrar, recorded_at=UTC_TIME
    )
    RecordAccess.objects.create(user=registrar, learner=deposit.learner, what="learner_detail", at=UTC_TIME)
    return deposit


def assert_no_utc(text):
    assert "+00:00" not in text and "20:30" not in text and "2026-01-01T" not in text


def test_the_json_download_writes_bangkok_time_with_its_offset(client, learner_user, recorded_at_night):
    client.force_login(learner_user)
    text = client.get(reverse("my_data", args=["json"])).content.decode()
    data = json.loads(text)
    assert data["deposits"][0]["recorded_at"] == LOCAL_ISO
    assert data["who_looked_at_my_record"][0]["at"] == LOCAL_ISO
    assert_no_utc(text)


def test_each_kind_of_record_is_a_readable_thai_csv_with_local_times_and_an_iso_column(
    client, learner_user, recorded_at_night
):
    client.force_login(learner_user)
    for kind in KINDS:
        response = client.get(reverse("my_data_csv", args=[kind.slug]))
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        assert_no_utc(response.content.decode("utf-8-sig"))
    credits = client.get(reverse("my_data_csv", args=["credits"])).content.decode("utf-8-sig")
    header, row = credits.splitlines()[:2]
    assert "บันทึกเมื่อ,บันทึกเมื่อ (ISO 8601)" in header and "สถานะ" in header
    assert "2 ม.ค. 2569 03:30" in row and LOCAL_ISO in row and "ใช้งาน" in row
    accesses = client.get(reverse("my_data_csv", args=["record-accesses"])).content.decode("utf-8-sig")
    assert "เปิดดูระเบียนของท่านจากสถานศึกษาของตน" in accesses and LOCAL_ISO in accesses


def test_the_zip_holds_one_csv_per_kind(client, learner_user, recorded_at_night):
    client.force_login(learner_user)
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("my_data", args=["zip"])).content))
    assert sorted(archive.namelist()) == sorted(f"my-credit-bank-{k.slug}.csv" for k in KINDS)
    for name in archive.namelist():
        assert_no_utc(archive.read(name).decode("utf-8-sig"))


def test_an_unknown_kind_of_record_is_a_404(client, learner_user):
    client.force_login(learner_user)
    assert client.get(reverse("my_data_csv", args=["passwords"])).status_code == 404


def test_the_registrars_exports_write_local_time(client, registrar, recorded_at_night):
    client.force_login(registrar)
    text = client.get(reverse("registry:deposits_export", args=["csv"])).content.decode("utf-8-sig")
    assert LOCAL_ISO in text
    assert_no_utc(text)
    header, row = text.splitlines()[:2]
    assert "บันทึกเมื่อ,บันทึกเมื่อ (ISO 8601)" in header and "2 ม.ค. 2569 03:30" in row
    workbook = load_workbook(io.BytesIO(client.get(reverse("registry:deposits_export", args=["xlsx"])).content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[1][rows[0].index("บันทึกเมื่อ")] == "2 ม.ค. 2569 03:30"
    # The ISO column of a spreadsheet holds a real date and time, which it can sort and filter.
    assert rows[1][rows[0].index("บันทึกเมื่อ (ISO 8601)")] == datetime.datetime(2026, 1, 2, 3, 30)


def test_every_kind_of_record_access_the_code_writes_is_told_to_the_learner_in_words():
    """A registrar's lookup on the deposit form reached the learner's own access log as "deposit_form"."""
    import pathlib
    import re

    from django.conf import settings
    from django.utils import translation

    from creditbank.mydata import ACCESS_KINDS

    written = set()
    for app in ("registry", "transfers", "transcripts", "creditbank"):
        for path in (pathlib.Path(settings.BASE_DIR) / app).rglob("*.py"):
            written |= set(re.findall(r'what="([a-z_]+)"', path.read_text()))
    assert written and written <= set(ACCESS_KINDS), written - set(ACCESS_KINDS)
    with translation.override("th"):
        assert all(str(words) != code and not str(words).isascii() for code, words in ACCESS_KINDS.items())
