"""Reports API: every report in reports.registry, with the same definition and
scope as its page, as JSON."""

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.cache import CachedReport
from reports.registry import REPORTS
from reports.views import report_filters


class ReportReaders(BasePermission):
    """The report's readers (`view.report.readers`)."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user.is_authenticated and user.role in view.report.readers)


def report_api(slug: str):
    """The API view of one report: its filters as query parameters."""
    report = REPORTS[slug]
    parameters = [
        OpenApiParameter(name, str, description=str(field.help_text or field.label))
        for name, field in report.filters_for(AnonymousUser()).fields.items()
    ]

    class ReportView(APIView):
        permission_classes = [ReportReaders]
        report = REPORTS[slug]

        @extend_schema(
            summary=str(report.title),
            parameters=parameters,
            responses=OpenApiTypes.OBJECT,
        )
        def get(self, request):
            filters = report_filters(request, slug)
            if not filters.is_valid():
                raise ValidationError(filters.errors)
            return Response(CachedReport(report, filters).result().as_data())

    ReportView.__name__ = ReportView.__qualname__ = (
        "".join(part.title() for part in slug.split("_")) + "View"
    )
    return ReportView
