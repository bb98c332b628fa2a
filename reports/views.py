"""Report pages for county officials (their counties) and staff (all). Each page
validates its filters and renders the report's ReportResult."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.models import Role
from accounts.permissions import role_required
from counties.models import County
from counties.selectors import counties_visible_to
from reports.sales import SalesFilters, county_sales


def sales_filters(request) -> SalesFilters:
    """The filters for `request`; a county that exists but is not the user's is a
    404 (an unknown one is a form error)."""
    counties = counties_visible_to(request.user).order_by("province", "name")
    code = request.GET.get("county", "")
    mine = counties.filter(code=code).exists()
    if code and not mine and County.objects.filter(code=code).exists():
        raise Http404
    return SalesFilters(request.GET, counties=counties)


@role_required(Role.OFFICIAL, Role.STAFF)
@require_safe
def home(request):
    return sales(request)


@role_required(Role.OFFICIAL, Role.STAFF)
@require_safe
def sales(request):
    filters = sales_filters(request)
    report = county_sales(filters) if filters.is_valid() else None
    return render(request, "reports/sales.html", {"filters": filters, "report": report})
