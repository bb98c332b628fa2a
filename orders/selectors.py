"""Reads about orders, always scoped to the user asking: buyers their own orders,
farmers their storefront's, assistants their assigned farmers', officials their
counties', staff all."""

from datetime import timedelta

from django.db.models import Case, Prefetch, Q, QuerySet, When
from django.utils import timezone

from accounts.selectors import scoped
from farmers.models import Farmer
from farmers.selectors import ACTIVE
from orders.models import Address, Checkout, Order, OrderLine, OrderStatus

# A paid order not shipped within this is overdue, and highlighted.
SHIP_WITHIN = timedelta(hours=48)


def orders_visible_to(user) -> QuerySet[Order]:
    queryset = Order.objects.select_related("farmer", "buyer", "county", "village")
    return scoped(
        queryset,
        user,
        official=lambda u: Q(county__officials=u),
        assistant=lambda u: Q(
            farmer__in=Farmer.objects.filter(
                Q(assignments__assistant__user=u) & ACTIVE
            ).values("pk")
        ),
        farmer=lambda u: Q(farmer__user=u),
        buyer=lambda u: Q(buyer=u),
    )


def for_list(queryset: QuerySet[Order]) -> QuerySet[Order]:
    """Rows for a list page: lines prefetched in one query, the overdue flag
    computed by the database."""
    overdue_before = timezone.now() - SHIP_WITHIN
    return queryset.prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("pk"))
    ).annotate(
        overdue=Case(
            When(status=OrderStatus.PAID, paid_at__lt=overdue_before, then=True),
            default=False,
        )
    )


def order_detail(user, pk: int) -> QuerySet[Order]:
    """The order page's row with all it shows (filter with get_object_or_404)."""
    return (
        orders_visible_to(user)
        .select_related("farmer__user", "shipment", "checkout")
        .prefetch_related("lines", "events__actor")
        .filter(pk=pk)
    )


def to_ship(user) -> QuerySet[Order]:
    """Paid orders waiting to be shipped, oldest payment first."""
    return for_list(
        orders_visible_to(user)
        .filter(status=OrderStatus.PAID)
        .order_by("paid_at", "pk")
    )


def addresses_of(user) -> QuerySet[Address]:
    """A buyer's address book (nobody else's: not even staff pick from it)."""
    return (
        Address.objects.filter(buyer=user)
        if user.is_authenticated
        else Address.objects.none()
    )


def checkouts_of(user) -> QuerySet[Checkout]:
    return (
        Checkout.objects.filter(buyer=user)
        if user.is_authenticated
        else Checkout.objects.none()
    )
