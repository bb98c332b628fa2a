"""Carts, checkouts and orders: one order per storefront, with the sale's county,
village and assistant recorded at the time of sale, line snapshots, payments,
shipments and an event log of every transition."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 2}
# One cart line may not ask for more than this; stock is the real limit.
MAX_QUANTITY = 9999


class Cart(models.Model):
    """A buyer's cart, or an anonymous visitor's (its id kept in the session),
    which merges into the buyer's cart at sign-in."""

    buyer = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cart",
        verbose_name=_("buyer"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")

    def __str__(self):
        return f"cart {self.pk}"


class CartItem(models.Model):
    """A product in a cart, with the price the buyer saw when adding it, so a later
    price change is shown to them before they pay."""

    cart = models.ForeignKey(
        Cart, on_delete=models.CASCADE, related_name="items", verbose_name=_("cart")
    )
    product = models.ForeignKey(
        "catalogue.Product",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("product"),
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    price_seen = models.DecimalField(_("price when added"), **MONEY)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cart item")
        verbose_name_plural = _("cart items")
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cart", "product"], name="cart_item_one_row_per_product"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=MAX_QUANTITY),
                name="cart_item_quantity_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.product_id} × {self.quantity}"


class Address(models.Model):
    """An entry in a buyer's address book."""

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="addresses",
        verbose_name=_("buyer"),
    )
    recipient = models.CharField(_("recipient"), max_length=40)
    phone = models.CharField(_("phone"), max_length=20)
    region = models.CharField(
        _("province, city and district"),
        max_length=80,
        help_text=_("For example: 湖北省 恩施州 巴东县"),
    )
    street = models.CharField(_("street address"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.recipient} {self.region} {self.street}"


class PaymentProviderCode(models.TextChoices):
    SIMULATED = "simulated", _("Online payment (simulated gateway)")
    ON_DELIVERY = "on_delivery", _("Pay on delivery")


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
    total = models.DecimalField(_("total"), **MONEY)
    recipient = models.CharField(_("recipient"), max_length=40)
    phone = models.CharField(_("phone"), max_length=20)
    shipping_address = models.CharField(_("shipping address"), max_length=290)
    placed_at = models.DateTimeField(_("placed at"))
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


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    # Replaced by a new reference for a new amount (docs/PAYMENTS.md).
    CLOSED = "closed", _("Closed")


class Payment(models.Model):
    """A payment for a checkout through one provider. `reference` is what we send
    the gateway (its merchant order number, whose amount the gateway fixes);
    `transaction_id` is the gateway's, unique, so a duplicate callback cannot pay
    twice. Refunds add up in `refunded`. When the amount due changes, the payment
    is closed and a new one issued for the orders then awaiting payment (`orders`);
    at most one payment of a checkout is pending or paid."""

    checkout = models.ForeignKey(
        Checkout,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("checkout"),
    )
    provider = models.CharField(
        _("payment method"), max_length=16, choices=PaymentProviderCode.choices
    )
    reference = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    refunded = models.DecimalField(_("refunded"), default=Decimal("0"), **MONEY)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=PaymentStatus.choices,
        default=PaymentStatus.PENDING,
    )
    transaction_id = models.CharField(
        _("gateway transaction"), max_length=64, null=True, blank=True, unique=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    orders = models.ManyToManyField(
        Order,
        blank=True,
        related_name="+",
        verbose_name=_("orders paid for"),
        help_text=_(
            "A replacement payment's orders; the checkout's first payment pays for "
            "all of them and lists none."
        ),
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(refunded__gte=0, refunded__lte=models.F("amount")),
                name="payment_refund_within_amount",
            ),
            models.UniqueConstraint(
                fields=["checkout"],
                condition=Q(status__in=["pending", "paid"]),
                name="payment_one_open_per_checkout",
            ),
        ]

    def __str__(self):
        return str(self.reference)


class WebhookReceipt(models.Model):
    """A gateway callback's nonce, kept so a replayed callback is refused."""

    provider = models.CharField(max_length=16)
    nonce = models.CharField(max_length=64)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "nonce"], name="webhook_nonce_once"
            ),
        ]

    def __str__(self):
        return f"{self.provider} {self.nonce}"


class Shipment(models.Model):
    """How an order was sent: carrier and tracking number."""

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
        return f"{self.carrier} {self.tracking_number}"


class DirtyDay(models.Model):
    """A day whose sales changed since its rollup rows were built: the outbox
    the order transitions write to (orders.dirty_days), in the same transaction,
    and the reports' rebuild reads and clears."""

    day = models.DateField(primary_key=True)
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "reports_dirtyday"  # kept from reports/, where the model began
        verbose_name = _("day to rebuild")
        verbose_name_plural = _("days to rebuild")

    def __str__(self):
        return str(self.day)
