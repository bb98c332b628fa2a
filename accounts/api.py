"""The API's role permissions: who may call the people and buyer endpoints."""

from rest_framework.permissions import BasePermission

from accounts.models import Role


class PeopleRoles(BasePermission):
    """Farmers, assistants, officials and staff; buyers and anonymous get 403.
    What each may see is the viewset's scoped queryset."""

    ROLES = {Role.FARMER, Role.ASSISTANT, Role.OFFICIAL, Role.STAFF}

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.role in self.ROLES)


class IsBuyer(BasePermission):
    """Signed-in buyers only (carts, addresses, checkout)."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.role == Role.BUYER)
