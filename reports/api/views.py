"""Reports API: the same definitions and scope as the pages, as JSON."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from reports.income import income_impact
from reports.performance import assistant_performance
from reports.sales import county_sales
from reports.targeting import targeting_quality
from reports.training_effect import training_effect
from reports.views import income_filters, sales_filters, targeting_filters


class ReportReaders(BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(user.is_authenticated and user.role in (Role.OFFICIAL, Role.STAFF))


class CountySalesView(APIView):
    """County sales for the caller's counties (or one of them) and a period of
    months: figures, a monthly series with the year before, and breakdown tables."""

    permission_classes = [ReportReaders]

    @extend_schema(
        parameters=[
            OpenApiParameter("county", str, description="A county code; all if empty"),
            OpenApiParameter("village", int),
            OpenApiParameter("start", str, description="YYYY-MM"),
            OpenApiParameter("end", str, description="YYYY-MM"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        filters = sales_filters(request)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        return Response(county_sales(filters).as_data())


class IncomeImpactView(APIView):
    """Income impact on the poverty register's surveyed households for a county
    and a year (against a base year), with the lines used in `notes`."""

    permission_classes = [ReportReaders]

    @extend_schema(
        parameters=[
            OpenApiParameter("county", str, description="A county code"),
            OpenApiParameter("year", int),
            OpenApiParameter("base_year", int, description="Empty: the year before"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        filters = income_filters(request)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        return Response(income_impact(filters).as_data())


class TargetingQualityView(APIView):
    """Candidates for wrong and missing evaluation, and the two rates, for a
    county and a year."""

    permission_classes = [ReportReaders]

    @extend_schema(
        parameters=[
            OpenApiParameter("county", str, description="A county code"),
            OpenApiParameter("year", int),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        filters = targeting_filters(request)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        return Response(targeting_quality(filters).as_data())


class AssistantPerformanceView(APIView):
    """For each assistant of the caller's counties: their farmers' sales and growth,
    training hours, visits, and the share of farmers with a sale in 30 days."""

    permission_classes = [ReportReaders]

    @extend_schema(
        parameters=[
            OpenApiParameter("county", str, description="A county code; all if empty"),
            OpenApiParameter("start", str, description="YYYY-MM"),
            OpenApiParameter("end", str, description="YYYY-MM"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        filters = sales_filters(request)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        return Response(assistant_performance(filters).as_data())


class TrainingEffectView(APIView):
    """Sales in the 90 days after farmers' first training against the 90 before,
    for farmers first trained in the period."""

    permission_classes = [ReportReaders]

    @extend_schema(
        parameters=[
            OpenApiParameter("county", str, description="A county code; all if empty"),
            OpenApiParameter("start", str, description="YYYY-MM"),
            OpenApiParameter("end", str, description="YYYY-MM"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        filters = sales_filters(request)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        return Response(training_effect(filters).as_data())
