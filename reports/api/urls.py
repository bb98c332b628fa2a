"""API routes of the reports app."""

from django.urls import path

from reports.api.views import (
    AssistantPerformanceView,
    CountySalesView,
    IncomeImpactView,
    TargetingQualityView,
    TrainingEffectView,
)

urlpatterns = [
    path("reports/county-sales/", CountySalesView.as_view(), name="api-county-sales"),
    path(
        "reports/income-impact/", IncomeImpactView.as_view(), name="api-income-impact"
    ),
    path(
        "reports/targeting-quality/",
        TargetingQualityView.as_view(),
        name="api-targeting-quality",
    ),
    path(
        "reports/assistant-performance/",
        AssistantPerformanceView.as_view(),
        name="api-assistant-performance",
    ),
    path(
        "reports/training-effect/",
        TrainingEffectView.as_view(),
        name="api-training-effect",
    ),
]
