"""Read-only assignment endpoint; scope comes from the selector."""

import django_filters
from rest_framework import viewsets

from accounts.api import PeopleRoles
from assistants.api.serializers import AssignmentSerializer
from assistants.models import Assignment
from assistants.selectors import assignments_visible_to
from common.api import IdFilter
from common.web import IdConverter


class AssignmentFilter(django_filters.FilterSet):
    # Plain integer filters: an out-of-scope id gives no rows, not a 400 that would
    # reveal that the id exists (see farmers/api/views.py).
    assistant = IdFilter(field_name="assistant__id")
    farmer = IdFilter(field_name="farmer__id")
    active = django_filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull")

    class Meta:
        model = Assignment
        fields = ["assistant", "farmer", "active"]


class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AssignmentSerializer
    permission_classes = [PeopleRoles]
    filterset_class = AssignmentFilter
    lookup_value_regex = IdConverter.regex

    def get_queryset(self):
        return assignments_visible_to(self.request.user)
