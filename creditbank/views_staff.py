"""The provincial office's dashboard and committee reports, and the public transparency page."""

import io
import re
from decimal import Decimal

from django import forms
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from registry.access import is_provincial_staff, role_required
from registry.dates import ThaiDateField
from registry.exports import csv_response, xlsx_cell
from registry.models import Term
from registry.templatetags.thaidate import format_date
from transcripts.rendering import font_dir_url, render_document
from transfers.models import Equivalence, EquivalenceStatus
from transfers.selectors import with_courses

from .charts import bar_chart
from .reports import DateBasis, Period, province_figures, public_figures, transfer_pipeline
from .snapshots import dashboard_figures


class PeriodForm(forms.Form):
    """The period of the dashboard and the committee's reports (GET). Empty fields mean "not chosen": no example
    value is ever shown inside a field, so what the form shows is exactly what is chosen."""

    academic_year = forms.IntegerField(
        label=gettext_lazy("Academic year (B.E.)"), required=False, min_value=2400, max_value=2700,
        help_text=gettext_lazy("For example 2566"),
        error_messages={
            "min_value": gettext_lazy("Type the academic year in the Buddhist Era, for example 2566."),
            "max_value": gettext_lazy("Type the academic year in the Buddhist Era, for example 2566."),
            "invalid": gettext_lazy("Type the academic year as four digits, for example 2566."),
        },
    )  # fmt: skip
    term = forms.TypedChoiceField(
        label=gettext_lazy("Term"), required=False, coerce=int, empty_value=None,
        choices=[("", gettext_lazy("Whole year"))] + list(Term.choices),
    )  # fmt: skip
    start = ThaiDateField(label=gettext_lazy("From"), required=False, help_text=gettext_lazy("day/month/year"))
    end = ThaiDateField(label=gettext_lazy("To"), required=False, help_text=gettext_lazy("day/month/year"))
    basis = forms.ChoiceField(
        label=gettext_lazy("Dates are read on"), required=False, widget=forms.RadioSelect,
        choices=[
            (DateBasis.COMPLETED, gettext_lazy("when the credits were earned (completion date)")),
            (DateBasis.RECORDED, gettext_lazy("when they were entered in the registry (for audits)")),
        ],
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end of the period must not be before its start."))
        if data.get("term") and not data.get("academic_year") and "academic_year" not in self.errors:
            self.add_error("academic_year", _("Type the academic year of this term, for example 2566."))
        return data

    def period(self) -> Period:
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            return Period(
                start=data.get("start"), end=data.get("end"), academic_year=data.get("academic_year"),
                term=data.get("term"), basis=data.get("basis") or DateBasis.COMPLETED,
            )  # fmt: skip
        return Period()


def period_title(period: Period) -> str:
    """The period in words, in the active language: it titles the page, the PDF and the spreadsheet."""
    parts = []
    if period.academic_year:
        year = period.academic_year  # B.E. in every language, as the form that chose it asks for it
        if period.term:
            parts.append(_("%(term)s, academic year %(year)s (B.E.)") % {"term": Term(period.term).label, "year": year})
        else:
            parts.append(_("Academic year %(year)s (B.E.)") % {"year": year})
    if period.start or period.end:
        days = f"{format_date(period.start) or '…'} – {format_date(period.end) or '…'}"
        if period.basis == DateBasis.RECORDED:
            parts.append(_("entered %(days)s") % {"days": days})
        else:
            parts.append(_("earned %(days)s") % {"days": days})
    return ", ".join(parts) if parts else _("All time")


def charts_for(figures):
    return {
        "institution": bar_chart(_("Credits by institution"), figures.by_institution, "credits"),
        "learning_type": bar_chart(_("Credits by learning type"), figures.by_learning_type, "credits"),
        "level": bar_chart(_("Credits by level"), figures.by_level, "credits"),
        "year": bar_chart(_("Deposits by academic year"), figures.by_year, "deposits"),
        "pipeline": bar_chart(
            _("Transfer requests by status"),
            [{"label": label, "n": n} for label, n in figures.pipeline["by_status"]],
            "n",
        ),
    }


@role_required(is_provincial_staff)
@require_GET
def dashboard(request):
    """All-time figures come from the background snapshot; a chosen period is computed on the spot."""
    form = PeriodForm(request.GET or None)
    period = form.period()
    if period.is_all_time and period.basis == DateBasis.COMPLETED:
        figures, as_of = dashboard_figures()
        # The requests are counted now, as the staff home counts them: a snapshot's had said 3 waiting beside a
        # home page saying none, minutes after the officer decided them. A few grouped counts on indexed columns.
        figures.pipeline = transfer_pipeline(period)
    else:
        figures, as_of = province_figures(period), None
    chosen = {k: v for k, v in form.cleaned_data.items() if v} if form.is_bound and form.is_valid() else {}
    context = {
        "form": form, "figures": figures, "charts": charts_for(figures), "as_of": as_of,
        # The reports' links carry the period the page shows: none for a refused one (the page shows all time; its
        # links had carried the typing to the report, which answered a bare 400).
        "query": urlencode({k: request.GET[k] for k in PeriodForm.base_fields if request.GET.get(k)})
        if not form.errors
        else "",
        "period_title": period_title(period), "chosen": chosen,
    }  # fmt: skip
    return render(request, "dashboard/dashboard.html", context)


def report_columns():
    """One column per measure, in the reader's language (the header row of the CSV and the XLSX)."""
    return [
        _("Section"), _("Item"), _("Learners"), _("Deposits"), _("Credits"), _("Transfer requests"), _("Imports"),
    ]  # fmt: skip


def plain(value):
    """A number as people write it: 72, 72.5 (never 72.00); XLSX cells stay numbers."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value.normalize())
    return value


def report_rows(figures):
    sections = [
        (_("Institution"), figures.by_institution),
        (_("Learning type"), figures.by_learning_type),
        (_("Level"), figures.by_level),
        (_("Academic year"), figures.by_year),
    ]
    for section, rows in sections:
        for row in rows:
            yield [section, str(row["label"]), row["learners"], row["deposits"], plain(row["credits"] or 0), "", ""]
    for label, n in figures.pipeline["by_status"]:
        yield [_("Transfer requests"), str(label), "", "", "", n, ""]
    for row in figures.mou_activity:
        yield [_("MOU member activity"), row["institution"], "", row["deposits"], "", "", row["imports"]]
    totals = figures.totals
    yield [
        _("Province total"), "", totals["learners"], totals["deposits"], plain(totals["credits"] or 0),
        figures.pipeline["submitted"], sum(row["imports"] for row in figures.mou_activity),
    ]  # fmt: skip


def _file_name(period: Period) -> str:
    name = "creditbank-report"
    if period.academic_year:
        name += f"-{period.academic_year}" + (f"-{period.term}" if period.term else "")
    if period.start or period.end:
        name += f"-{period.start or ''}_{period.end or ''}"
    return name


@role_required(is_provincial_staff)
@require_GET
def report(request, file_format):
    """The committee's report for a period: XLSX, CSV, or a printable Thai PDF. An invalid period is refused (400)
    rather than silently reported as all time."""
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        errors = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
    period = form.period()
    figures = province_figures(period)
    title = _("Credit bank report: %(period)s") % {"period": period_title(period)}
    name = _file_name(period)
    if file_format == "csv":
        return csv_response(name, report_columns(), report_rows(figures))
    if file_format == "xlsx":
        return xlsx_report(name, title, period_title(period), report_columns(), report_rows(figures))
    html = render_to_string(
        "dashboard/report_pdf.html",
        {
            "figures": figures,
            "font_dir": font_dir_url(),
            "period_title": period_title(period),
            "title": title,
            "as_of": timezone.now(),
        },  # fmt: skip
        request=request,
    )
    pdf = render_document(html).write_pdf(pdf_tags=True)  # tagged: headings and tables for a screen reader
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


def xlsx_report(filename: str, title: str, sheet_name: str, header: list, rows) -> HttpResponse:
    """The report as a workbook whose sheet and document title name the period; cells neutralised as in exports."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    sheet = workbook.create_sheet(title=re.sub(r"[\\/*?:\[\]]", " ", sheet_name)[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([xlsx_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


@require_GET
def transparency(request):
    """Public: the province's aggregate figures, small counts suppressed; no personal data at all."""
    rules = with_courses(Equivalence.objects.filter(status=EquivalenceStatus.APPROVED).order_by("pk")[:20])
    figures, as_of = dashboard_figures()
    context = {"figures": public_figures(figures), "rules": rules, "as_of": as_of}
    return render(request, "dashboard/transparency.html", context)
