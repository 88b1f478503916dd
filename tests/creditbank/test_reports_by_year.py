"""Reports for the committee by academic year and term: what was earned in them, in the reader's language."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from creditbank.reports import DateBasis, Period, province_figures
from tests.factories import DepositFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(school_course, registrar):
    """Two deposits earned in 2566 (terms 1 and 2) but entered this year by a bulk import, and one earned in 2567."""
    entered_now = dict(recorded_by=registrar, course=school_course)
    DepositFactory(academic_year=2566, term=1, completed_on=datetime.date(2023, 9, 30), credits=Decimal("1.5"),
                   **entered_now)  # fmt: skip
    DepositFactory(academic_year=2566, term=2, completed_on=datetime.date(2024, 3, 15), credits=Decimal("1.5"),
                   **entered_now)  # fmt: skip
    DepositFactory(academic_year=2567, term=1, completed_on=datetime.date(2024, 9, 30), **entered_now)


def rows_of(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_past_academic_year_counts_what_was_earned_in_it_not_what_was_entered(ledger):
    assert province_figures(Period(academic_year=2566)).totals["deposits"] == 2
    assert province_figures(Period(academic_year=2566, term=2)).totals["deposits"] == 1
    assert province_figures(Period(academic_year=2565)).totals["deposits"] == 0
    # Completion dates: only the deposit completed in March 2024.
    march = Period(start=datetime.date(2024, 3, 1), end=datetime.date(2024, 3, 31))
    assert province_figures(march).totals["deposits"] == 1
    # Entry dates, for audits: all three were entered today.
    today = datetime.date.today()
    assert province_figures(Period(start=today, basis=DateBasis.RECORDED)).totals["deposits"] == 3


def test_the_csv_has_thai_headers_one_column_per_measure_a_totals_row_and_plain_numbers(client, provincial, ledger):
    client.force_login(provincial)
    response = client.get(reverse("report", args=["csv"]), {"academic_year": "2566"})
    assert "2566" in response["Content-Disposition"]
    rows = rows_of(response)
    assert rows[0] == ["หมวด", "รายการ", "ผู้เรียน", "รายการฝาก", "หน่วยกิต", "คำร้องขอเทียบโอน", "การนำเข้า"]
    total = rows[-1]
    assert total[0] == "รวมทั้งจังหวัด" and total[3] == "2" and total[4] == "3"  # 1.5 + 1.5, not "3.00"
    requests = [r for r in rows if r[0] == "คำร้องขอเทียบโอน"]
    assert requests and all(r[3] == "" and r[5] != "" for r in requests)  # request counts in their own column


def test_english_requests_get_english_headers(client, provincial, ledger):
    client.force_login(provincial)
    client.cookies["django_language"] = "en"
    rows = rows_of(client.get(reverse("report", args=["csv"]), {"academic_year": "2566"}))
    assert rows[0] == ["Section", "Item", "Learners", "Deposits", "Credits", "Transfer requests", "Imports"]
    assert rows[-1][0] == "Province total"


def test_the_xlsx_header_row_is_thai_and_its_title_names_the_period(client, provincial, ledger):
    client.force_login(provincial)
    response = client.get(reverse("report", args=["xlsx"]), {"academic_year": "2566", "term": "1"})
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert [c.value for c in next(sheet.iter_rows())][:3] == ["หมวด", "รายการ", "ผู้เรียน"]
    assert sheet.title == "ภาคเรียนที่ 1 ปีการศึกษา 2566" and "ภาคเรียนที่ 1 ปีการศึกษา 2566" in book.properties.title
    last = [c.value for c in list(sheet.iter_rows())[-1]]
    assert last[0] == "รวมทั้งจังหวัด" and last[3] == 1 and last[4] == 1.5


def test_the_pdf_names_its_period(client, provincial, ledger):
    from pypdf import PdfReader

    client.force_login(provincial)
    pdf = client.get(reverse("report", args=["pdf"]), {"academic_year": "2566"})
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).replace(" ", "")
    assert "ปีการศึกษา2566" in text


def test_an_impossible_period_is_refused_not_reported_as_all_time(client, provincial, ledger):
    client.force_login(provincial)
    response = client.get(reverse("report", args=["csv"]), {"academic_year": "2023"})
    assert response.status_code == 400 and "พ.ศ." in response.content.decode()
    page = client.get(reverse("dashboard"), {"term": "1"}).content.decode()
    assert 'id="error-summary"' in page and "กรอกปีการศึกษาของภาคเรียนนี้ด้วย" in page


def test_the_dashboard_form_shows_only_what_is_chosen_and_the_title_names_the_period(client, provincial, ledger):
    client.force_login(provincial)
    page = client.get(reverse("dashboard")).content.decode()
    assert "placeholder=" not in page[page.index('id="period-form"') : page.index("</form>", page.index("period-form"))]
    assert "ทั้งหมดตั้งแต่เริ่มระบบ" in page
    page = client.get(reverse("dashboard"), {"academic_year": "2566"}).content.decode()
    assert 'id="period-title">ปีการศึกษา 2566<' in page and 'data-total="deposits">2<' in page
    assert 'value="2566"' in page and "academic_year=2566" in page  # kept in the form and in the report links
