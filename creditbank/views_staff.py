"""The provincial office's dashboard and committee reports, and the public transparency page."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from registry.access import is_provincial_staff, role_required
from registry.dates import ThaiDateField
from registry.exports import csv_response, xlsx_response
from registry.templatetags.thaidate import format_date
from transcripts.rendering import font_dir_url, render_document
from transfers.models import EquivalenceStatus
from transfers.selectors import rule_queryset

from .charts import bar_chart
from .reports import Period, province_figures, public_figures
from .snapshots import dashboard_figures


class PeriodForm(forms.Form):
    start = ThaiDateField(label=gettext_lazy("From"), required=False)
    end = ThaiDateField(label=gettext_lazy("To"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end of the period must not be before its start."))
        return data

    def period(self) -> Period:
        if self.is_bound and self.is_valid():
            return Period(self.cleaned_data.get("start"), self.cleaned_data.get("end"))
        return Period()


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
    if period.start or period.end:
        figures, as_of = province_figures(period), None
    else:
        figures, as_of = dashboard_figures()
    context = {
        "form": form, "figures": figures, "charts": charts_for(figures), "query": request.GET.urlencode(),
        "as_of": as_of,
    }  # fmt: skip
    return render(request, "dashboard/dashboard.html", context)


REPORT_HEADER = ["section", "label", "learners", "deposits", "credits"]


def report_rows(figures):
    sections = [
        (_("Institution"), figures.by_institution),
        (_("Learning type"), figures.by_learning_type),
        (_("Level"), figures.by_level),
        (_("Academic year"), figures.by_year),
    ]
    for section, rows in sections:
        for row in rows:
            yield [section, str(row["label"]), row["learners"], row["deposits"], row["credits"] or 0]
    for label, n in figures.pipeline["by_status"]:
        yield [_("Transfer requests"), str(label), "", n, ""]
    for row in figures.mou_activity:
        yield [_("MOU member activity"), row["institution"], "", row["deposits"], ""]


@role_required(is_provincial_staff)
@require_GET
def report(request, file_format):
    """The committee's report for a period: XLSX, CSV, or a printable Thai PDF."""
    form = PeriodForm(request.GET or None)
    figures = province_figures(form.period())
    name = "creditbank-report"
    if file_format == "csv":
        return csv_response(name, REPORT_HEADER, report_rows(figures))
    if file_format == "xlsx":
        return xlsx_response(name, REPORT_HEADER, report_rows(figures))
    html = render_to_string(
        "dashboard/report_pdf.html",
        {"figures": figures, "font_dir": font_dir_url(), "start": format_date(figures.period.start),
         "end": format_date(figures.period.end)},
        request=request,
    )  # fmt: skip
    pdf = render_document(html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@require_GET
def transparency(request):
    """Public: the province's aggregate figures, small counts suppressed; no personal data at all."""
    rules = rule_queryset().filter(status=EquivalenceStatus.APPROVED).order_by("pk")[:20]
    return render(
        request, "dashboard/transparency.html", {"figures": public_figures(dashboard_figures()[0]), "rules": rules}
    )
