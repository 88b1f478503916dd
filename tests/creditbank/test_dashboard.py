import datetime
import io
import re
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from creditbank.reports import DateBasis, Period, province_figures
from registry.choices import Level
from registry.grades import CREDIT_EARNING_CODES
from registry.models import CreditDeposit, Institution, Learner, User
from tests.factories import DepositFactory, InstitutionFactory
from transfers.models import TransferRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", password="demo-pass", verbosity=0)
    return User.objects.get(username="provincial")


def direct():
    """The same figures counted the long way, row by row in Python."""
    rows = list(
        CreditDeposit.objects.filter(status="active", origin="earned").values(
            "learner_id", "credits", "grade", "learning_type", "course__level", "course__institution__name_th",
            "academic_year",
        )
    )  # fmt: skip

    def group(key):
        out = defaultdict(lambda: {"learners": set(), "deposits": 0, "credits": Decimal(0)})
        for row in rows:
            g = out[row[key]]
            g["learners"].add(row["learner_id"])
            g["deposits"] += 1
            if row["grade"] in CREDIT_EARNING_CODES:
                g["credits"] += row["credits"]
        return {k: (len(v["learners"]), v["deposits"], v["credits"]) for k, v in out.items()}

    return rows, group


def test_every_dashboard_figure_matches_a_direct_count(client, seeded):
    rows, group = direct()
    figures = province_figures()
    assert figures.totals["deposits"] == len(rows)
    assert figures.totals["learners"] == len({r["learner_id"] for r in rows})
    assert figures.totals["credits"] == sum(r["credits"] for r in rows if r["grade"] in CREDIT_EARNING_CODES)
    for key, section in [("course__institution__name_th", figures.by_institution), ("academic_year", figures.by_year)]:
        expected = group(key)
        assert {str(k): v for k, v in expected.items()} == {
            r["label"]: (r["learners"], r["deposits"], r["credits"] or 0) for r in section
        }
    assert len(figures.by_learning_type) == 3 and sum(r["deposits"] for r in figures.by_learning_type) == len(rows)
    assert sum(r["deposits"] for r in figures.by_level) == len(rows)
    # In their own order, as every other page lists them, not by their codes (a degree first, lower secondary third).
    assert [r["learning_type"] for r in figures.by_learning_type] == ["formal", "non_formal", "informal"]
    levels = [r["level"] for r in figures.by_level]
    assert levels == [level for level in Level.values if level in levels] and len(levels) > 2
    statuses = dict(figures.pipeline["by_status"])
    assert statuses["ยื่นแล้ว"] == TransferRequest.objects.filter(status="submitted").count()
    assert figures.pipeline["submitted"] == sum(statuses.values())  # the total is what its rows add up to
    assert (
        figures.pipeline["waiting_now"]
        == TransferRequest.objects.filter(status__in=["submitted", "under_review"]).count()
    )
    for row in figures.mou_activity:
        assert row["deposits"] == sum(1 for r in rows if r["course__institution__name_th"] == row["institution"])
    assert len(figures.mou_activity) == Institution.objects.filter(mou_member=True).count()

    client.force_login(seeded)
    page = client.get(reverse("dashboard")).content.decode()
    assert province_figures(Period(start=datetime.date(2000, 1, 1), end=timezone.localdate())).totals == figures.totals
    assert f'data-total="deposits">{len(rows):,}<' in page  # thousands grouped, as people read them
    assert page.count("<svg") >= 5 and page.count('class="table table-sm bg-white border figures"') >= 4


def test_the_entry_date_is_a_separate_choice_for_audits(school_course, registrar):
    DepositFactory(course=school_course, recorded_by=registrar)
    recent = DepositFactory(course=school_course, recorded_by=registrar, recorded_at=timezone.now(), term=1)
    old_day = datetime.date(2020, 1, 1)
    DepositFactory(course=school_course, recorded_by=registrar, academic_year=2562,
                   recorded_at=datetime.datetime(2020, 1, 1, 10, tzinfo=datetime.UTC))  # fmt: skip
    assert province_figures(Period(start=old_day, end=old_day, basis=DateBasis.RECORDED)).totals["deposits"] == 1
    assert province_figures(Period(start=timezone.localdate(), basis=DateBasis.RECORDED)).totals["deposits"] == 2
    # Read on completion dates (the default), nothing was earned on that day or since today.
    assert province_figures(Period(start=old_day, end=old_day)).totals["deposits"] == 0
    assert recent.pk


def test_reports_export_csv_xlsx_and_a_thai_pdf_safely(client, seeded):
    Institution.objects.filter(code="CE-BNR01").update(name_th="=HYPERLINK(1)")
    client.force_login(seeded)
    csv_text = client.get(reverse("report", args=["csv"])).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "โรงเรียนพิจิตรพิทยาคม" in csv_text
    sheet = load_workbook(io.BytesIO(client.get(reverse("report", args=["xlsx"])).content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    pdf = client.get(reverse("report", args=["pdf"]), {"start": "01/01/2565"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf.content))
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged: a screen reader gets its headings and tables
    text = "".join(p.extract_text() for p in reader.pages)
    assert "คณะกรรมการศึกษาธิการจังหวัด" in text.replace(" ", "") or "กศจ" in text
    for heading in ("รูปแบบการเรียนรู้", "ระดับการศึกษา"):  # the section's title, and its table's first column
        assert text.replace(" ", "").count(heading) == 2, heading
    # Dated: a committee paper with no date could not be told from last month's (the dashboard's figures lag).
    from django.utils import timezone

    year = str(timezone.localdate().year + 543)
    assert "จากทะเบียนณขณะนั้น" in text.replace(" ", "") and year in text


def test_the_public_page_has_no_personal_data_and_no_count_below_five(client, seeded):
    page = client.get(reverse("transparency")).content.decode()
    for learner in Learner.objects.all():
        assert learner.national_id not in page
        assert f"{learner.first_name} {learner.last_name}" not in page
    cells = re.findall(r"data-(?:learners|deposits)>([^<]*)<", page) + re.findall(r'class="stat">([^<]*)<', page)
    assert cells
    for cell in cells:
        value = cell.strip().replace(",", "")
        if value.isdigit():
            assert int(value) >= 5, cell
    # A small group is suppressed: add an institution with one learner's deposit in a new academic year.
    DepositFactory(academic_year=2599, course__institution=InstitutionFactory(code="TINY"))
    call_command("refresh_figures")
    page = client.get(reverse("transparency")).content.decode()
    assert re.search(r"2599</th><td[^>]*data-learners>&lt; 5<", page)


def test_staff_manage_institutions_and_registrar_accounts(client, provincial, registrar):
    client.force_login(provincial)
    data = {"code": "1066549999", "name_th": "โรงเรียนบ้านใหม่", "kind": "school", "district": "dong_charoen",
            "mou_signed_on": "01/06/2568"}  # fmt: skip
    page = client.post(reverse("registry:institution_new"), data).content.decode()
    assert "MOU" in page and not Institution.objects.filter(code="1066549999").exists()  # a date needs membership
    client.post(reverse("registry:institution_new"), {**data, "mou_member": "on"})
    school = Institution.objects.get(code="1066549999")
    assert school.mou_signed_on == datetime.date(2025, 6, 1)
    client.post(
        reverse("registry:institution_users", args=[school.pk]),
        {"username": "reg-new", "first_name": "มานี", "last_name": "มีนา", "password": "ไผ่ตง-กอใหญ่-2569"},
    )
    newcomer = User.objects.get(username="reg-new")
    assert newcomer.institution == school and newcomer.password_change_required
    # The password staff chose works once: every page leads to the password change until the registrar sets their own.
    client.force_login(newcomer)
    response = client.get(reverse("registry:deposits"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    assert 'id="password-change-required"' in client.get(reverse("password_change")).content.decode()
    given = {"old_password": "ไผ่ตง-กอใหญ่-2569", "new_password1": "ไผ่ตง-กอใหญ่-2569", "new_password2": "ไผ่ตง-กอใหญ่-2569"}
    assert "ไม่ใช่รหัสผ่านที่ได้รับมา" in client.post(reverse("password_change"), given).content.decode()
    newcomer.refresh_from_db()
    assert newcomer.password_change_required  # the password staff chose is not the registrar's own
    client.post(
        reverse("password_change"),
        {"old_password": "ไผ่ตง-กอใหญ่-2569", "new_password1": "ทุ่งนา-ฟ้ากว้าง-77", "new_password2": "ทุ่งนา-ฟ้ากว้าง-77"},
    )
    newcomer.refresh_from_db()
    assert not newcomer.password_change_required
    assert client.get(reverse("registry:deposits")).status_code == 200


def test_an_institution_with_a_taken_code_or_a_future_signing_date_is_refused_beside_the_field(
    client, provincial, school
):
    """Django said only that 'an institution with this code exists'; a signing date years ahead was accepted."""
    client.force_login(provincial)
    data = {"code": school.code, "name_th": "โรงเรียนบ้านใหม่", "kind": "school", "district": "dong_charoen",
            "mou_member": "on", "mou_signed_on": "31/12/2580"}  # fmt: skip
    page = client.post(reverse("registry:institution_new"), data).content.decode()
    assert school.name_th in page.split('id="error_1_id_code"', 1)[1][:300]  # who has it
    assert "ในอนาคต" in page.split('id="error_1_id_mou_signed_on"', 1)[1][:300]
    assert 'value="โรงเรียนบ้านใหม่"' in page and Institution.objects.count() == 1
    # The same code in other letters' case is the same code ("cc-pct" had been saved beside CC-PCT).
    school.code = "CC-PCT"
    school.save()
    page = client.post(reverse("registry:institution_new"), {**data, "code": "cc-pct"}).content.decode()
    assert school.name_th in page.split('id="error_1_id_code"', 1)[1][:300] and Institution.objects.count() == 1


def test_a_new_registrar_account_says_everything_wrong_with_it_at_once(client, provincial, registrar):
    client.force_login(provincial)
    page = client.post(
        reverse("registry:institution_users", args=[registrar.institution_id]),
        {"username": registrar.username.upper(), "first_name": "มานี", "last_name": "มีนา", "email": "not-an-email",
         "password": "12345678"},
    ).content.decode()  # fmt: skip
    for field in ("username", "email", "password"):
        assert f'id="error_1_id_{field}"' in page, field
    assert 'value="มานี"' in page and User.objects.filter(role="registrar").count() == 1
    # Said once at the top too, each linked to its box, as every other form does; the rules before the first try.
    summary = page.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert set(re.findall(r'href="#id_(\w+)"', summary)) == {"username", "email", "password"}
    fresh = client.get(reverse("registry:institution_users", args=[registrar.institution_id])).content.decode()
    assert "อย่างน้อย 8 ตัวอักษร" in fresh.split('id="id_password_helptext"', 1)[1][:800]


def test_a_deactivated_registrars_sessions_end_at_once(client, provincial, registrar):
    from django.test import Client

    registrar_client = Client()
    registrar_client.force_login(registrar)
    assert registrar_client.get(reverse("registry:deposits")).status_code == 200
    client.force_login(provincial)
    client.post(reverse("registry:user_deactivate", args=[registrar.pk]))
    response = registrar_client.get(reverse("registry:deposits"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    page = client.get(reverse("registry:institution_users", args=[registrar.institution_id])).content.decode()
    assert "data-confirm=" not in page.split(registrar.username, 1)[1].split("</li>")[0]  # no deactivation asked
    client.post(reverse("registry:user_reactivate", args=[registrar.pk]))  # a mistake is put right by staff
    registrar.refresh_from_db()
    registrar_client.force_login(registrar)
    assert registrar.is_active and registrar_client.get(reverse("registry:deposits")).status_code == 200


def test_the_dashboard_serves_a_snapshot_and_refreshes_it_in_the_background(
    client, provincial, school_course, registrar, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from creditbank.models import FigureSnapshot

    DepositFactory(course=school_course, recorded_by=registrar)
    client.force_login(provincial)
    assert 'data-total="deposits">1<' in client.get(reverse("dashboard")).content.decode()
    assert FigureSnapshot.objects.count() == 1
    DepositFactory(course=school_course, recorded_by=registrar, term=1)
    # Fresh: the snapshot is served as it is.
    assert 'data-total="deposits">1<' in client.get(reverse("dashboard")).content.decode()
    # Stale: still served at once, and a refresh is queued for the worker.
    FigureSnapshot.objects.update(computed_at=timezone.now() - datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("dashboard"))
    assert DBTaskResult.objects.filter(task_path="creditbank.snapshots.refresh_figures").exists()
    call_command("refresh_figures")
    assert 'data-total="deposits">2<' in client.get(reverse("dashboard")).content.decode()
    # Transfer requests are counted now, beside the snapshot: it had said one waiting after it was decided.
    from tests.factories import TransferRequestFactory

    waiting = TransferRequestFactory(status="submitted", submitted_at=timezone.now())
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-total="waiting">1<' in page and "คำร้องขอเทียบโอนนับ ณ ขณะนี้" in page
    TransferRequestFactory._meta.model.objects.filter(pk=waiting.pk).update(status="rejected")
    assert 'data-total="waiting">0<' in client.get(reverse("dashboard")).content.decode()
    # A chosen period is always computed on the spot.
    page = client.get(reverse("dashboard"), {"start": "01/01/2500"}).content.decode()
    assert 'data-total="deposits">2<' in page and 'id="as-of"' not in page


def test_a_snapshot_made_in_thai_is_read_in_english_and_the_other_way(client, provincial, school_course, registrar):
    from django.utils import translation

    from creditbank.snapshots import dashboard_figures, refresh_snapshot

    DepositFactory(course=school_course, recorded_by=registrar)
    with translation.override("th"):
        refresh_snapshot()  # the worker runs in Thai
    with translation.override("en"):
        figures, _as_of = dashboard_figures()
        labels = [str(r["label"]) for r in figures.by_learning_type + figures.by_level]
        statuses = [str(label) for label, _n in figures.pipeline["by_status"]]
    assert "formal" in labels and "lower secondary" in labels and "submitted" in statuses
    client.force_login(provincial)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("dashboard")).content.decode()
    assert "ในระบบ" not in page and "ยื่นแล้ว" not in page
    client.cookies["django_language"] = "th"
    assert "ในระบบ" in client.get(reverse("dashboard")).content.decode()


def test_the_charts_name_each_bar_whole_in_the_pages_language(client, seeded):
    with translation.override("th"):
        call_command("refresh_figures")  # the worker writes the snapshot in its own language
    client.force_login(seeded)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("dashboard")).content.decode()
    # The longest English name of the demo's institutions (50 characters), above its bar, not cut.
    assert ">Wang Sai Phun Bamboo Weaving Community Enterprise</text>" in page
    assert "วิสาหกิจชุมชนกลุ่มจักสานไม้ไผ่วังทรายพูน" not in page  # nor in the MOU members' table
    long_name = "Phichit Provincial Lifelong Learning and Community Development Centre of Excellence"
    Institution.objects.filter(code="CE-WSP01").update(name_en=long_name)
    page = client.get(reverse("dashboard")).content.decode()
    assert f"<title>{long_name}: " in page and f">{long_name[:59]}…</text>" in page  # cut, whole in the tooltip
    client.cookies["django_language"] = "th"
    page = client.get(reverse("dashboard")).content.decode()
    assert ">วิสาหกิจชุมชนกลุ่มจักสานไม้ไผ่วังทรายพูน</text>" in page and long_name not in page


def test_the_figure_tables_group_thousands_as_the_cards_above_them_do():
    """The cards said 2,381 and the tables under them 1481 and 1047."""
    from django.template.loader import render_to_string

    rows = [
        {"label": "formal", "learners": 1481, "deposits": 12047, "credits": Decimal("18220.5")},
        {"label": "informal", "learners": "< 5", "deposits": "< 5", "credits": None},
    ]
    with translation.override("th"):
        html = render_to_string("dashboard/_figures_table.html", {"rows": rows, "key": "k", "caption": "c"})
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", html)
    assert cells == ["1,481", "12,047", "18,220.5", "&lt; 5", "&lt; 5", "—"]
    from creditbank.charts import bar_chart

    chart = bar_chart("c", [{"label": "formal", "n": 1481}, {"label": "informal", "n": Decimal("2381.5")}], "n")
    with translation.override("th"):
        svg = render_to_string("dashboard/_chart.html", {"chart": chart})
    assert re.findall(r'font-size="12">([^<]*)</text>', svg) == ["1,481", "2,381.5"]  # the bars' figures too


def test_a_refused_period_leaves_the_report_links_on_what_the_page_shows(client, provincial):
    """The links carried the refused typing to the report, which answered with a bare 400 page."""
    client.force_login(provincial)
    page = client.get(reverse("dashboard"), {"academic_year": "abc"}).content.decode()
    assert "กรอกปีการศึกษาเป็นตัวเลขสี่หลัก" in page.split('id="id_academic_year_error"', 1)[1].split("</div>", 1)[0]
    box = page.split('id="id_academic_year"', 1)[1].split(">", 1)[0]  # the box is tied to its message
    assert 'aria-invalid="true"' in box and 'aria-describedby="id_academic_year_error' in box
    assert f'href="{reverse("report", args=["pdf"])}"' in page and "report.pdf?academic_year=abc" not in page
