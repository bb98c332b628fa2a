"""Reads about orders, always scoped to the user asking: buyers their own orders
(orders.buyers), farmers their storefront's, assistants their assigned farmers',
officials their counties', staff all; the payment reconciliation (staff only);
and what the order notifications say (registered in OrdersConfig.ready())."""

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.selectors import scoped
from assistants.selectors import assigned_farmers
from common.money import TOTAL_FIELD, decimal, to_fen
from common.web import IdConverter
from orders.buyers import as_buyer
from orders.models import (
    Address,
    Checkout,
    Mismatch,
    Order,
    OrderLine,
    OrderStatus,
    PaymentProviderCode,
    Reconciliation,
    Refund,
    RefundStatus,
)
from orders.providers import PROVIDERS
from orders.sales import COMPLETED, NET, order_value

# A paid order should ship within this many hours: the one shipping limit that
# pages, notifications, the dashboard and the API all name.
SHIP_WITHIN_HOURS = 48
SHIP_WITHIN = timedelta(hours=SHIP_WITHIN_HOURS)
# A farmer is told this many hours before an order's shipping deadline.
SHIP_SOON_HOURS = 24


def orders_visible_to(user) -> QuerySet[Order]:
    queryset = Order.objects.select_related("farmer", "buyer", "county", "village")
    return scoped(
        queryset,
        user,
        official=lambda u: Q(county__officials=u),
        assistant=lambda u: Q(farmer__in=assigned_farmers(user=u).values("pk")),
        farmer=lambda u: Q(farmer__user=u),
        buyer=as_buyer,
    )


def overdue(now=None) -> Q:
    """The one rule for an overdue order: paid, and not shipped within
    SHIP_WITHIN of its payment."""
    now = now or timezone.now()
    return Q(status=OrderStatus.PAID, paid_at__lt=now - SHIP_WITHIN)


def for_list(queryset: QuerySet[Order]) -> QuerySet[Order]:
    """Rows for a list page: lines prefetched in one query, the overdue flag
    computed by the database."""
    return queryset.prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("pk"))
    ).annotate(overdue=Case(When(overdue(), then=True), default=False))


def order_detail(user, pk: int) -> QuerySet[Order]:
    """The order page's row with all it shows (filter with get_object_or_404)."""
    return (
        orders_visible_to(user)
        .select_related("farmer__user", "shipment", "checkout", "pickup_point")
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


@dataclass(frozen=True)
class MonthFigures:
    """A storefront's month so far, to the fen, and its orders waiting now."""

    sales: Decimal  # orders paid this month, less those cancelled or refunded
    sales_orders: int
    completed: Decimal  # orders completed this month
    completed_orders: int
    to_ship: int
    overdue: int


def _month_of(now) -> tuple:
    """The local calendar month holding `now`: its first instant and the next's."""
    start = timezone.localtime(now).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    return start, (start + timedelta(days=32)).replace(day=1)


def month_figures(user, now=None) -> MonthFigures:
    """This month's sales and completed income of the orders `user` sees (a
    farmer: their storefront's), and how many wait to be shipped and are
    overdue: one aggregate query."""
    now = now or timezone.now()
    start, end = _month_of(now)
    # Net sales paid this month (orders.sales.NET); income: completed this month.
    paid = Q(paid_at__gte=start, paid_at__lt=end) & NET.condition()
    completed = COMPLETED.condition() & Q(completed_at__gte=start, completed_at__lt=end)
    zero = Value(Decimal("0"), output_field=TOTAL_FIELD)
    figures = orders_visible_to(user).aggregate(
        sales=Coalesce(Sum(order_value(), filter=paid), zero),
        sales_orders=Count("pk", filter=paid),
        completed=Coalesce(Sum(order_value(), filter=completed), zero),
        completed_orders=Count("pk", filter=completed),
        to_ship=Count("pk", filter=Q(status=OrderStatus.PAID)),
        overdue=Count("pk", filter=overdue(now)),
    )
    return MonthFigures(
        **{
            **figures,
            "sales": to_fen(figures["sales"]),
            "completed": to_fen(figures["completed"]),
        }
    )


def fees_address(addresses: QuerySet[Address], query) -> Address | None:
    """The address the shipping fees are shown for: the one a page's query asks
    for (?address=), else the buyer's latest; None without any."""
    asked = query.get("address", "")
    chosen = (
        addresses.filter(pk=asked).first()
        if re.fullmatch(IdConverter.regex, asked)
        else None
    )
    return chosen or addresses.first()


def addresses_of(user) -> QuerySet[Address]:
    """A buyer's address book (nobody else's: not even staff pick from it)."""
    return (
        Address.objects.filter(buyer=user)
        if user.is_authenticated
        else Address.objects.none()
    )


def checkouts_of(user) -> QuerySet[Checkout]:
    if not user.is_authenticated:
        return Checkout.objects.none()
    mine = Order.objects.filter(as_buyer(user), checkout=OuterRef("pk"))
    return Checkout.objects.filter(Exists(mine), buyer=user)


def awaiting_payment(checkout: Checkout) -> bool:
    """Whether the buyer has something to pay online now (reads the checkout's
    prefetched orders)."""
    return PROVIDERS[checkout.provider].online and checkout.amount_due > 0


def _order_url(order) -> str:
    return reverse("orders:detail", args=[order.pk])


def order_paid_message(notification) -> tuple[str, str]:
    """The farmer's notification of a paid order: its text and link."""
    order = notification.order
    text = _(
        "Order %(number)s (¥%(total)s) is paid. Please ship it within %(hours)s hours."
    ) % {"number": order.number, "total": order.total, "hours": SHIP_WITHIN_HOURS}
    return text, _order_url(order)


def order_paid_sms(notification) -> dict:
    """The farmer's text message of a paid order: its template's parameters."""
    return {"number": notification.order.number, "hours": SHIP_WITHIN_HOURS}


def ship_soon_message(notification) -> tuple[str, str]:
    """The farmer's reminder of an order's shipping deadline."""
    order = notification.order
    text = _(
        "Order %(number)s must ship by %(deadline)s. Ship it, or ask your "
        "assistant for help."
    ) % {
        "number": order.number,
        "deadline": date_format(
            timezone.localtime(order.paid_at + SHIP_WITHIN), "SHORT_DATETIME_FORMAT"
        ),
    }
    return text, _order_url(order)


def ship_soon_sms(notification) -> dict:
    return {"number": notification.order.number, "hours": SHIP_SOON_HOURS}


def farmer_order_paid_message(notification) -> tuple[str, str]:
    """The assistant's notification of their farmer's paid order."""
    order = notification.order
    text = _("%(shop)s has a paid order %(number)s (¥%(total)s) to ship.") % {
        "shop": order.farmer.shop_name,
        "number": order.number,
        "total": order.total,
    }
    return text, _order_url(order)


def order_shipped_message(notification) -> tuple[str, str]:
    """The buyer's notification of their order shipped."""
    order = notification.order
    shipment = getattr(order, "shipment", None)
    text = _(
        "Your order %(number)s from %(shop)s has shipped: %(carrier)s, "
        "tracking number %(tracking)s."
    ) % {
        "number": order.number,
        "shop": order.farmer.shop_name,
        "carrier": shipment.carrier_name if shipment else "",
        "tracking": shipment.tracking_number if shipment else "",
    }
    return text, _order_url(order)


def order_shipped_sms(notification) -> dict:
    """The buyer's text message of their order shipped: the carrier and the
    tracking number."""
    order = notification.order
    shipment = getattr(order, "shipment", None)
    return {
        "number": order.number,
        "carrier": str(shipment.carrier_name) if shipment else "",
        "tracking": shipment.tracking_number if shipment else "",
    }


def completes_at(order: Order):
    """When the platform completes `order` if the buyer does not confirm receipt
    (orders.services.deadlines)."""
    return order.shipped_at + timedelta(days=settings.ORDER_AUTO_COMPLETE_DAYS)


def order_completes_soon_message(notification) -> tuple[str, str]:
    """The buyer's notice that the platform will confirm receipt for them."""
    order = notification.order
    text = _(
        "Your order %(number)s from %(shop)s will be marked as received on "
        "%(day)s. If it has not arrived or something is wrong, contact us before "
        "then."
    ) % {
        "number": order.number,
        "shop": order.farmer.shop_name,
        "day": date_format(timezone.localtime(completes_at(order)), "DATE_FORMAT"),
    }
    return text, _order_url(order)


# Refunds -------------------------------------------------------------------------


def refunded_total(order_id: int) -> Decimal:
    """What of an order was given back, or is owed back: each refund counted once,
    whatever became of it (a failed one is owed until it is sent again, and its
    retry is the same money)."""
    rows = Refund.objects.filter(order_id=order_id, retry_of__isnull=True)
    return decimal(rows.aggregate(total=Sum("amount"))["total"] or 0)


def refunds_owed(user) -> QuerySet[Refund]:
    """The refunds that failed and have not been sent again (staff only), oldest
    first, with what a row shows."""
    failed = Refund.objects.filter(status=RefundStatus.FAILED, retry__isnull=True)
    rows = failed.select_related("payment", "order").order_by("settled_at", "pk")
    return scoped(rows, user)


def made_says_the_gateway(refund: Refund) -> bool:
    """An open `refund_not_recorded` mismatch: the gateway made the refund we hold
    as failed, and sending it again could pay twice."""
    kind, open_ = Mismatch.Kind.REFUND_NOT_RECORDED, {"resolved_at__isnull": True}
    return Mismatch.objects.filter(refund=refund, kind=kind, **open_).exists()


def refund_failed_message(notification) -> tuple[str, str]:
    """Staff's notice that a refund failed at the gateway (the reason is the
    refund's id, services.refunds)."""
    reason = notification.reason
    refund = Refund.objects.filter(pk=int(reason) if reason.isdigit() else 0).first()
    text = _(
        "A refund of ¥%(amount)s failed at the payment provider; the buyer is "
        "still owed it. Please send it again."
    ) % {"amount": refund.amount if refund else "—"}
    return text, reverse("orders:reconciliation") + "#refunds-owed"


# The payment reconciliation (staff only) -----------------------------------------


def reconciliations_visible_to(user) -> QuerySet[Reconciliation]:
    """The reconciliation runs, newest day first, each with its open count."""
    open_ones = Count("mismatches", filter=Q(mismatches__resolved_at__isnull=True))
    runs = Reconciliation.objects.annotate(open_count=open_ones)
    # A GROUP BY query keeps no Meta.ordering: the order is said again.
    return scoped(runs.order_by("-day", "-ran_at", "-pk"), user)


def mismatches_visible_to(user) -> QuerySet[Mismatch]:
    """The mismatches, newest first, with what a row shows in the same query."""
    queryset = Mismatch.objects.select_related(
        "reconciliation", "payment", "refund", "resolved_by"
    )
    return scoped(queryset, user)


def payments_to_check_message(notification) -> tuple[str, str]:
    """Staff's notice that a day's statement disagrees with the platform (the
    reason is "<day> <provider>", services.reconciliation)."""
    day, _sep, provider = notification.reason.partition(" ")
    label = dict(PaymentProviderCode.choices).get(provider, provider)
    text = _(
        "The %(provider)s statement of %(day)s does not match the platform's "
        "records. Please check the mismatches."
    ) % {"provider": label, "day": day}
    url = reverse("orders:reconciliation")
    return text, f"{url}?{urlencode({'provider': provider})}" if provider else url
