"""Report pages for county officials (their counties) and staff (all): one view
for every report in reports.registry, which validates the filters and renders the
report's ReportResult (reports.cache keeps it, and its rendering, for the next
viewer of the same figures); and the exports' pages."""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Role
from accounts.permissions import role_required
from counties.models import County
from counties.selectors import counties_visible_to
from procurement.models import WorkUnit
from procurement.selectors import units_reported_to
from reports.cache import CachedReport
from reports.charts import bar_chart
from reports.exports import export_request
from reports.models import ReportExport
from reports.registry import EVERY_READER, REPORTS, readable_by

READERS = EVERY_READER  # the exports' pages; each report checks its own readers


def my_counties(request, data):
    """The user's counties; a county asked for that exists but is not theirs is a
    404 (an unknown or malformed one is left to the form: a clear error)."""
    counties = counties_visible_to(request.user).order_by("province", "name")
    code = data.get("county", "")
    if re.fullmatch(r"[0-9]{6}", code):
        mine = counties.filter(code=code).exists()
        if not mine and County.objects.filter(code=code).exists():
            raise Http404
    return counties


def my_units_only(request, data) -> None:
    """A work unit asked for that exists but is not the viewer's is a 404 (as a
    county is)."""
    unit = data.get("unit", "")
    if (
        re.fullmatch(r"[0-9]{1,18}", unit)
        and not units_reported_to(request.user).filter(pk=unit).exists()
        and WorkUnit.objects.filter(pk=unit).exists()
    ):
        raise Http404


def report_filters(request, slug: str, data=None):
    data = request.GET if data is None else data
    report = REPORTS[slug]
    if report.by_unit:
        buyer = request.user.role == Role.BUYER
        if buyer and not units_reported_to(request.user).exists():
            raise PermissionDenied  # a buyer who is no unit's admin
        my_units_only(request, data)
        return report.filters_for(request.user, data)
    return report.filters_for(request.user, data, counties=my_counties(request, data))


def _rendered(report, result) -> str:
    chart = bar_chart(result.series[0]) if report.chart else None
    return render_to_string("reports/_result.html", {"report": result, "chart": chart})


def report_page(slug: str):
    """The page of one report."""
    report = REPORTS[slug]

    @role_required(*report.readers)
    @require_safe
    def page(request):
        filters = report_filters(request, slug)
        context = {
            "filters": filters,
            "slug": slug,
            "title": report.title,
            "reports": readable_by(request.user),
            "report": None,
        }
        if filters.is_valid():
            cached = CachedReport(report, filters)
            # The rendered result is kept on its own: a repeat view reads no
            # result (a big one costs more to load than the page to show).
            context["report"] = SimpleLazyObject(cached.result)
            context["result"] = cached.html(lambda: _rendered(report, cached.result()))
        return render(request, "reports/report.html", context)

    page.__name__ = f"{slug}_page"
    return page


home = report_page("county_sales")


def _my_export(request, pk):
    return get_object_or_404(ReportExport, pk=pk, requested_by=request.user)


@role_required(*READERS)
@require_POST
def export_new(request):
    """Start an export of a report with the filters shown on its page."""
    slug = request.POST.get("report", "")
    file_format = request.POST.get("format")
    if slug not in REPORTS or file_format not in ReportExport.Format.values:
        raise Http404
    if request.user.role not in REPORTS[slug].readers:
        raise PermissionDenied
    filters = report_filters(request, slug, data=request.POST)
    if not filters.is_valid():
        messages.error(request, _("Check the filters, then export again."))
        return redirect(REPORTS[slug].page)
    # What the form validated (its defaults filled in), so the job sees the same.
    params = {name: filters.data.get(name, "") for name in filters.fields}
    export = export_request(
        user=request.user, report=slug, params=params, file_format=file_format
    )
    return redirect("reports:export", pk=export.pk)


@role_required(*READERS)
@require_safe
def export_detail(request, pk):
    """The export's progress bar (refreshed by HTMX), then its download link."""
    export = _my_export(request, pk)
    template = (
        "reports/_export_status.html"
        if request.headers.get("HX-Request")
        else "reports/export.html"
    )
    report = REPORTS.get(export.report, REPORTS["county_sales"])
    context = {"export": export, "now": timezone.now(), "page": report.page}
    return render(request, template, context)


@role_required(*READERS)
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
