"""API routes of the reports app: /api/reports/<report>/ for each report."""

from django.urls import path

from reports.api.views import report_api
from reports.registry import REPORTS

urlpatterns = [
    path(
        f"reports/{report.api}/",
        report_api(slug).as_view(),
        name=f"api-{report.api}",
    )
    for slug, report in REPORTS.items()
]
