"""Checkouts and orders: one order per storefront, with the sale's county, village
and assistant recorded at the time of sale, line snapshots, an event log of every
transition, the shipment, and the dirty-days outbox the reports rebuild from."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.money import MONEY
from shipping.carriers import carrier_name, tracking_link


class PaymentProviderCode(models.TextChoices):
    SIMULATED = "simulated", _("Online payment (simulated gateway)")
    ON_DELIVERY = "on_delivery", _("Pay on delivery")
    WECHAT = "wechat", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")
    BANK_TRANSFER = "bank_transfer", _("Company bank transfer")
    ON_ACCOUNT = "on_account", _("On account (bank transfer after acceptance)")


class Checkout(models.Model):
    """The orders a buyer placed together (one per storefront) and pays together.
    The idempotency key makes a double-submitted checkout place orders once."""

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="checkouts",
        verbose_name=_("buyer"),
    )
    idempotency_key = models.UUIDField(_("idempotency key"))
    provider = models.CharField(
        _("payment method"), max_length=16, choices=PaymentProviderCode.choices
    )
    total = models.DecimalField(_("total"), **MONEY)
    created_at = models.DateTimeField(_("placed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("checkout")
        verbose_name_plural = _("checkouts")
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "idempotency_key"], name="checkout_idempotent"
            ),
        ]

    def __str__(self):
        return f"checkout {self.pk}"

    @property
    def amount_due(self):
        """What its orders awaiting payment total now (one may have been
        cancelled since it was placed); reads prefetched orders."""
        return sum(
            (
                o.total
                for o in self.orders.all()
                if o.status == OrderStatus.PENDING_PAYMENT
            ),
            Decimal("0"),
        )


class OrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", _("Awaiting payment")
    PAID = "paid", _("To ship")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


# Statuses of an order paid for (or confirmed) and not yet received or closed.
ON_THE_WAY = (OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.DELIVERED)
# Statuses in which an order's units count as sold.
SOLD = (
    OrderStatus.PAID,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.COMPLETED,
)


class Order(models.Model):
    """One storefront's part of a checkout. County, village and assistant are those
    at the time of sale, so reports need no joins through profiles."""

    checkout = models.ForeignKey(
        Checkout,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("checkout"),
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("buyer"),
    )
    farmer = models.ForeignKey(
        "farmers.Farmer",
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("farmer"),
    )
    county = models.ForeignKey(
        "counties.County",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("county"),
    )
    village = models.ForeignKey(
        "counties.Village",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("village"),
    )
    assistant = models.ForeignKey(
        "assistants.Assistant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assistant"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OrderStatus.choices,
        default=OrderStatus.PENDING_PAYMENT,
    )
    # What the buyer pays for the order: its lines, plus the shipping fee.
    total = models.DecimalField(_("total"), **MONEY)
    shipping_fee = models.DecimalField(
        _("shipping fee"), default=Decimal("0"), db_default=Decimal("0"), **MONEY
    )
    recipient = models.CharField(_("recipient"), max_length=40)
    phone = models.CharField(_("phone"), max_length=20)
    shipping_address = models.CharField(_("shipping address"), max_length=290)
    # Collected at this point instead of delivered (no shipping fee).
    pickup_point = models.ForeignKey(
        "shipping.PickupPoint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("pickup point"),
    )
    placed_at = models.DateTimeField(_("placed at"))
    # A work unit's order: completed when its goods are accepted (procurement),
    # never by confirming receipt or by the automatic completion.
    completes_on_acceptance = models.BooleanField(
        _("completed on acceptance"), default=False, db_default=False
    )
    expires_at = models.DateTimeField(_("pay before"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    closed_at = models.DateTimeField(
        _("cancelled or refunded at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at", "-pk"]
        indexes = [
            models.Index(fields=["buyer", "-placed_at"], name="order_buyer_recent"),
            models.Index(
                fields=["farmer", "status", "paid_at"], name="order_farmer_to_ship"
            ),
            models.Index(fields=["status", "expires_at"], name="order_unpaid_expiry"),
            models.Index(
                fields=["assistant", "status", "paid_at"], name="order_assistant"
            ),
            models.Index(fields=["county", "placed_at"], name="order_county_day"),
            # The rollups read a day's paid orders (reports.rollups).
            models.Index(
                fields=["paid_at"],
                condition=Q(paid_at__isnull=False),
                name="order_paid_day",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gt=0), name="order_total_positive"
            ),
            models.CheckConstraint(
                condition=Q(shipping_fee__gte=0, shipping_fee__lt=F("total")),
                name="order_shipping_fee_within_total",
            ),
            models.CheckConstraint(
                condition=Q(status__in=OrderStatus.values), name="order_status_valid"
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        # The date as the buyer and farmer read it (TIME_ZONE), not UTC's.
        return f"{timezone.localtime(self.placed_at):%Y%m%d}-{self.pk}"

    @property
    def goods_total(self) -> Decimal:
        """What its lines cost: the total without the shipping fee."""
        return self.total - self.shipping_fee

    @property
    def is_unshipped(self) -> bool:
        return self.status in (OrderStatus.PENDING_PAYMENT, OrderStatus.PAID)


class OrderLine(models.Model):
    """A product bought, with its title, unit and price as they were at the sale."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    product = models.ForeignKey(
        "catalogue.Product",
        on_delete=models.PROTECT,
        related_name="order_lines",
        verbose_name=_("product"),
    )
    title = models.CharField(_("title"), max_length=80)
    unit = models.CharField(_("unit"), max_length=8)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    quantity = models.PositiveIntegerField(_("quantity"))
    line_total = models.DecimalField(_("line total"), **MONEY)
    # Units that came back to stock while the order stood (refused at a unit's
    # acceptance): a later cancel or refund restocks only the rest.
    returned = models.PositiveIntegerField(_("returned"), default=0, db_default=0)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="order_line_quantity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.title} × {self.quantity}"


class OrderEvent(models.Model):
    """The order's timeline: each transition, who made it (blank: the platform) and
    when. As Saleor's OrderEvent."""

    class Type(models.TextChoices):
        PLACED = "placed", _("Order placed")
        PAID = "paid", _("Paid")
        CONFIRMED = "confirmed", _("Confirmed: pay on delivery")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        COMPLETED = "completed", _("Receipt confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Cancelled: not paid in time")
        REFUNDED = "refunded", _("Refunded")
        REFUNDED_PART = "refunded_part", _("Refunded in part")
        AUTO_COMPLETE_SOON = "complete_soon", _("Buyer told of automatic completion")
        SHIP_SOON = "ship_soon", _("Farmer told of the shipping deadline")
        # After-sales (aftersales.services): each step of a case.
        AFTERSALE_ASKED = "aftersale_asked", _("After-sales asked")
        AFTERSALE_ACCEPTED = "aftersale_ok", _("After-sales accepted")
        AFTERSALE_REFUSED = "aftersale_no", _("After-sales refused")
        AFTERSALE_ESCALATED = "aftersale_up", _("After-sales escalated to the platform")
        AFTERSALE_DECIDED = "aftersale_staff", _("After-sales decided by the platform")
        AFTERSALE_RETURNED = "aftersale_back", _("Returned goods received")
        AFTERSALE_WITHDRAWN = "aftersale_off", _("After-sales withdrawn")

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="events", verbose_name=_("order")
    )
    type = models.CharField(_("event"), max_length=16, choices=Type.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.order_id} {self.type}"


class Shipment(models.Model):
    """How an order was sent: the carrier's code (shipping.carriers; text kept
    from before the list is shown as it was) and the tracking number."""

    order = models.OneToOneField(
        Order,
        on_delete=models.CASCADE,
        related_name="shipment",
        verbose_name=_("order"),
    )
    carrier = models.CharField(_("carrier"), max_length=40)
    tracking_number = models.CharField(_("tracking number"), max_length=40)
    shipped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("shipped by"),
    )
    shipped_at = models.DateTimeField(_("shipped at"), auto_now_add=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")

    def __str__(self):
        return f"{self.carrier_name} {self.tracking_number}"

    @property
    def carrier_name(self) -> str:
        return carrier_name(self.carrier)

    @property
    def tracking_link(self) -> str:
        return tracking_link(self.carrier, self.tracking_number)


class DirtyDay(models.Model):
    """A day whose sales changed since its rollup rows were built: the outbox
    the order transitions write to (orders.services.dirty_days), in the same
    transaction, and the reports' rebuild reads and clears."""

    day = models.DateField(primary_key=True)
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "reports_dirtyday"  # kept from reports/, where the model began
        verbose_name = _("day to rebuild")
        verbose_name_plural = _("days to rebuild")

    def __str__(self):
        return str(self.day)
