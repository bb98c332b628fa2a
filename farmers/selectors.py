"""Reads about farmers and households, always scoped to the user asking."""

from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from accounts.selectors import scoped
from assistants.models import Assignment, Assistant
from farmers.models import Farmer, Household, RegisterImport

ACTIVE = Q(assignments__ended_on__isnull=True)


def _assigned_to(user) -> Q:
    return Q(assignments__assistant__user=user) & ACTIVE


def farmers_visible_to(user) -> QuerySet[Farmer]:
    """Staff: all; officials: their counties; assistants: their assigned farmers;
    farmers: themselves. Rows carry their active assignment in `active_assignments`."""
    queryset = Farmer.objects.select_related(
        "user", "household__village__county"
    ).prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.filter(ended_on__isnull=True).select_related(
                "assistant__user"
            ),
            to_attr="active_assignments",
        )
    )
    return scoped(
        queryset,
        user,
        official=lambda u: Q(household__village__county__officials=u),
        assistant=_assigned_to,
        farmer=lambda u: Q(user=u),
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


def households_visible_to(user) -> QuerySet[Household]:
    """Households of the farmers `user` may see (officials: all in their counties)."""
    queryset = Household.objects.select_related("village__county")
    return scoped(
        queryset,
        user,
        official=lambda u: Q(village__county__officials=u),
        assistant=lambda u: Q(
            pk__in=Farmer.objects.filter(_assigned_to(u)).values("household_id")
        ),
        farmer=lambda u: Q(farmers__user=u),
    )


def register_imports_visible_to(user) -> QuerySet[RegisterImport]:
    """Officials see their own uploads; staff see all."""
    return scoped(
        RegisterImport.objects.select_related("uploaded_by"),
        user,
        official=lambda u: Q(uploaded_by=u),
    )


def households_open_for_onboarding(user) -> QuerySet[Household]:
    """Households an assistant may add a new farmer to: those of their own farmers,
    and households of their county that have no farmer yet (such as the registered
    households an official imported from the register)."""
    no_farmer_yet = ~Exists(Farmer.objects.filter(household=OuterRef("pk")))
    # The county as a subquery: joining the county's assistants gave a household
    # once per assistant there, and picking it failed (MultipleObjectsReturned).
    my_county = Assistant.objects.filter(user=user).values("county")
    return Household.objects.select_related("village").filter(
        Q(pk__in=households_visible_to(user).values("pk"))
        | (Q(village__county__in=my_county) & no_farmer_yet)
    )
