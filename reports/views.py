"""Report pages for county officials (their counties) and staff (all). Each page
validates its filters and renders the report's ReportResult."""

import re

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Role
from accounts.permissions import role_required
from counties.models import County
from counties.selectors import counties_visible_to
from reports.charts import bar_chart
from reports.exports import FILTERS, export_request
from reports.income import IncomeFilters, income_impact
from reports.models import ReportExport
from reports.performance import assistant_performance
from reports.sales import SalesFilters, county_sales
from reports.targeting import TargetingFilters, targeting_quality
from reports.training_effect import training_effect

# Where each exportable report is shown (bad export filters go back there).
REPORT_PAGES = {
    "county_sales": "reports:sales",
    "income_impact": "reports:income",
    "targeting_quality": "reports:targeting",
    "assistant_performance": "reports:assistants",
    "training_effect": "reports:training",
}


def _my_counties(request, data):
    """The user's counties; a county asked for that exists but is not theirs is a
    404 (an unknown one is left to the form: a clear error)."""
    counties = counties_visible_to(request.user).order_by("province", "name")
    code = data.get("county", "")
    if re.fullmatch(r"[0-9]{6}", code):  # anything else: the form's error
        mine = counties.filter(code=code).exists()
        if not mine and County.objects.filter(code=code).exists():
            raise Http404
    return counties


def sales_filters(request, data=None) -> SalesFilters:
    data = request.GET if data is None else data
    return SalesFilters(data, counties=_my_counties(request, data))


def income_filters(request) -> IncomeFilters:
    return IncomeFilters(request.GET, counties=_my_counties(request, request.GET))


def targeting_filters(request) -> TargetingFilters:
    return TargetingFilters(request.GET, counties=_my_counties(request, request.GET))


@role_required(Role.OFFICIAL, Role.STAFF)
@require_safe
def assistants(request):
    filters = sales_filters(request)
    report = assistant_performance(filters) if filters.is_valid() else None
    context = {
        "filters": filters,
        "report": report,
        "slug": "assistant_performance",
        "title": _("Assistant performance"),
    }
    return render(request, "reports/household_report.html", context)


@role_required(Role.OFFICIAL, Role.STAFF)
@require_safe
def training(request):
    filters = sales_filters(request)
    report = training_effect(filters) if filters.is_valid() else None
    context = {
        "filters": filters,
        "report": report,
        "slug": "training_effect",
        "title": _("Training effect"),
    }
    return render(request, "reports/household_report.html", context)


@role_required(Role.OFFICIAL, Role.STAFF)
@require_safe
def targeting(request):
    filters = targeting_filters(request)
    report = targeting_quality(filters) if filters.is_valid() else None
    context = {
        "filters": filters,
        "report": report,
        "slug": "targeting_quality",
        "title": _("Targeting quality"),
    }
    return render(request, "reports/household_report.html", context)


@role_required(Role.OFFICIAL, Role.STAFF)
@require_safe
def income(request):
    filters = income_filters(request)
    report = income_impact(filters) if filters.is_valid() else None
    context = {
        "filters": filters,
        "report": report,
        "slug": "income_impact",
        "title": _("Income impact"),
    }
    return render(request, "reports/household_report.html", context)


@role_required(Role.OFFICIAL, Role.STAFF)
@require_safe
def home(request):
    return sales(request)


@role_required(Role.OFFICIAL, Role.STAFF)
@require_safe
def sales(request):
    filters = sales_filters(request)
    report = county_sales(filters) if filters.is_valid() else None
    context = {
        "filters": filters,
        "report": report,
        "chart": bar_chart(report.series[0]) if report else None,
    }
    return render(request, "reports/sales.html", context)


def _my_export(request, pk):
    return get_object_or_404(ReportExport, pk=pk, requested_by=request.user)


@role_required(Role.OFFICIAL, Role.STAFF)
@require_POST
def export_new(request):
    """Start an export of a report with the filters shown on its page."""
    report = request.POST.get("report", "")
    file_format = request.POST.get("format")
    if report not in FILTERS or file_format not in ReportExport.Format.values:
        raise Http404
    filters = FILTERS[report](
        request.POST, counties=_my_counties(request, request.POST)
    )
    if not filters.is_valid():
        messages.error(request, _("Check the filters, then export again."))
        return redirect(REPORT_PAGES[report])
    # What the form validated (its defaults filled in), so the job sees the same.
    params = {name: filters.data.get(name, "") for name in filters.fields}
    export = export_request(
        user=request.user, report=report, params=params, file_format=file_format
    )
    return redirect("reports:export", pk=export.pk)


@role_required(Role.OFFICIAL, Role.STAFF)
@require_safe
def export_detail(request, pk):
    """The export's progress bar (refreshed by HTMX), then its download link."""
    export = _my_export(request, pk)
    template = (
        "reports/_export_status.html"
        if request.headers.get("HX-Request")
        else "reports/export.html"
    )
    context = {
        "export": export,
        "now": timezone.now(),
        "page": REPORT_PAGES.get(export.report, "reports:sales"),
    }
    return render(request, template, context)


@role_required(Role.OFFICIAL, Role.STAFF)
@require_safe
def export_download(request, pk):
    export = _my_export(request, pk)
    if export.status != ReportExport.Status.DONE or not export.file:
        raise Http404
    if export.expires_at and export.expires_at < timezone.now():
        raise Http404
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"{export.report}-{export.created_at:%Y%m%d}-{export.pk}.{export.format}",
    )
