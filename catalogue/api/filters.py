"""Filters of the catalogue API's lists."""

import django_filters

from catalogue.models import Product, ProductStatus
from catalogue.selectors import search_products
from common.api import IdFilter
from farmers.models import Farmer, RegisterStatus

# --- Filters --------------------------------------------------------------------

# Id filters compare the integer column ("…__id"), as in assistants/api/views.py: an id
# beyond 64 bits gives no rows, not a 500.


class CatalogueProductFilter(django_filters.FilterSet):
    county = IdFilter(field_name="farmer__household__village__county__id")
    category = django_filters.CharFilter(field_name="category__slug")
    storefront = django_filters.CharFilter(field_name="farmer__slug")
    min_price = django_filters.NumberFilter(field_name="price", lookup_expr="gte")
    max_price = django_filters.NumberFilter(field_name="price", lookup_expr="lte")
    poverty_only = django_filters.BooleanFilter(
        method="filter_poverty_only", label="Poverty-alleviation products only"
    )
    q = django_filters.CharFilter(
        method="filter_q", max_length=100, label="Search title and description"
    )

    class Meta:
        model = Product
        fields = [
            "county",
            "category",
            "storefront",
            "min_price",
            "max_price",
            "poverty_only",
            "q",
        ]

    def filter_poverty_only(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(farmer__household__status=RegisterStatus.REGISTERED)

    def filter_q(self, queryset, name, value):
        # The catalogue page's search: substring match, plus full-text search on
        # PostgreSQL.
        return search_products(queryset, value)


class StorefrontFilter(django_filters.FilterSet):
    county = IdFilter(field_name="household__village__county__id")

    class Meta:
        model = Farmer
        fields = ["county"]


class ListingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ProductStatus.choices)
    farmer = IdFilter(field_name="farmer__id")
    category = django_filters.CharFilter(field_name="category__slug")

    class Meta:
        model = Product
        fields = ["status", "farmer", "category"]
