"""URLs of the reports app: one page per report in reports.registry, and exports."""

from django.urls import path

from reports import views
from reports.registry import REPORTS

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    *[
        path(f"{report.path}/", views.report_page(slug), name=slug)
        for slug, report in REPORTS.items()
    ],
    path("exports/", views.export_new, name="export_new"),
    path("exports/<id:pk>/", views.export_detail, name="export"),
    path("exports/<id:pk>/download/", views.export_download, name="export_download"),
]
