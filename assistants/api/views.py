"""The people API, read-only: farmers, households and assignments as assistants,
officials and staff see them (and farmers themselves); scope comes from the
selectors (assistants.selectors: who sees whom follows the assignments)."""

import django_filters
from rest_framework import viewsets

from accounts.api import PeopleRoles
from assistants.api.serializers import (
    AssignmentSerializer,
    FarmerSerializer,
    HouseholdSerializer,
)
from assistants.models import Assignment
from assistants.selectors import (
    assignments_visible_to,
    farmers_visible_to,
    households_visible_to,
)
from common.api import IdFilter
from common.web import IdConverter
from farmers.models import Farmer, Household, RegisterStatus


class AssignmentFilter(django_filters.FilterSet):
    # Plain integer filters: an out-of-scope id gives no rows, not a 400 that would
    # reveal that the id exists (see FarmerFilter below).
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


# Id filters compare the integer column ("…__id"): Django then answers an id beyond
# 64 bits with no rows instead of an overflow in the driver, and an id outside the
# user's scope with no rows instead of revealing whether it exists.


class FarmerFilter(django_filters.FilterSet):
    county = IdFilter(field_name="household__village__county__id")
    village = IdFilter(field_name="household__village__id")
    verified = django_filters.BooleanFilter(
        field_name="verified_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Farmer
        fields = ["county", "village", "verified"]


class HouseholdFilter(django_filters.FilterSet):
    county = IdFilter(field_name="village__county__id")
    village = IdFilter(field_name="village__id")
    status = django_filters.ChoiceFilter(choices=RegisterStatus.choices)

    class Meta:
        model = Household
        fields = ["county", "village", "status", "registration_year"]


class FarmerViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FarmerSerializer
    permission_classes = [PeopleRoles]
    filterset_class = FarmerFilter
    lookup_value_regex = IdConverter.regex

    def get_queryset(self):
        return farmers_visible_to(self.request.user)


class HouseholdViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = HouseholdSerializer
    permission_classes = [PeopleRoles]
    filterset_class = HouseholdFilter
    lookup_value_regex = IdConverter.regex

    def get_queryset(self):
        return households_visible_to(self.request.user)
