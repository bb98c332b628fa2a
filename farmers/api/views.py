"""Read-only farmer and household endpoints; scope comes from the selectors."""

import django_filters
from rest_framework import viewsets

from accounts.api import PeopleRoles
from common.api import IdFilter
from common.web import IdConverter
from farmers.api.serializers import FarmerSerializer, HouseholdSerializer
from farmers.models import Farmer, Household, RegisterStatus
from farmers.selectors import farmers_visible_to, households_visible_to

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
