"""Reads about farmers and households: the search over farmers, a farmer's own
profile, and the register imports in scope. Who sees which farmers and households
depends on the assignments, so those scopes are the assistants' rule
(assistants.selectors.farmers_visible_to and households_visible_to)."""

from django.db.models import Q, QuerySet

from accounts.selectors import scoped
from farmers.models import Farmer, RegisterImport
from sms.models import TextMessage


def own_profile(user) -> QuerySet[Farmer]:
    """The signed-in farmer's own profile (empty for anyone else)."""
    if not user.is_authenticated:
        return Farmer.objects.none()
    return Farmer.objects.select_related("user", "household__village__county").filter(
        user=user
    )


def search_farmers(queryset: QuerySet[Farmer], text: str) -> QuerySet[Farmer]:
    """Match a name, shop, phone or village."""
    text = text.strip()
    if not text:
        return queryset
    if "\x00" in text:
        # No stored text holds a NUL (every form refuses it), and PostgreSQL
        # refuses it as a query parameter: nothing can match.
        return queryset.none()
    return queryset.filter(
        Q(user__first_name__icontains=text)
        | Q(user__username__icontains=text)
        | Q(shop_name__icontains=text)
        | Q(phone__contains=text)
        | Q(household__village__name__icontains=text)
    )


def register_imports_visible_to(user) -> QuerySet[RegisterImport]:
    """Officials see their own uploads; staff see all."""
    return scoped(
        RegisterImport.objects.select_related("uploaded_by"),
        user,
        official=lambda u: Q(uploaded_by=u),
    )


def password_link_texts(farmer: Farmer):
    """The set-password links texted to the farmer, latest first."""
    return TextMessage.objects.filter(
        recipient=farmer.user, purpose=TextMessage.Purpose.SET_PASSWORD
    ).order_by("-created_at", "-pk")
