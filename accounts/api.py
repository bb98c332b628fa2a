"""API building blocks shared by the apps: role permission, cursor pagination."""

import django_filters
from django import forms
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import BasePermission

from accounts.models import Role


class PeopleRoles(BasePermission):
    """Farmers, assistants, officials and staff; buyers and anonymous get 403.
    What each may see is the viewset's scoped queryset."""

    ROLES = {Role.FARMER, Role.ASSISTANT, Role.OFFICIAL, Role.STAFF}

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.role in self.ROLES)


class NewestFirst(CursorPagination):
    """Cursor pagination: stable pages under inserts, constant cost per page."""

    ordering = "-pk"
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


class IdFilter(django_filters.NumberFilter):
    """An id filter: whole numbers only ("1.5" is a 400, not id 1). Point it at the
    integer column ("…__id") so an id beyond 64 bits finds nothing instead of
    overflowing in the driver, and an out-of-scope id looks like an unknown one."""

    field_class = forms.IntegerField
