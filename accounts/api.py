"""API building blocks shared by the apps: role permission, cursor pagination."""

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
