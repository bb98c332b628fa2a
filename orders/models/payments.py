"""Payments of a checkout, their refunds, and the payment providers' webhook
receipts."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.money import MONEY
from orders.models.orders import Checkout, Order, PaymentProviderCode


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
        indexes = [
            # The reconciliation reads one provider's payments of one day.
            models.Index(fields=["provider", "paid_at"], name="payment_day"),
        ]

    def __str__(self):
        return str(self.reference)


class BankReference(models.Model):
    """Every bank reference staff recorded (a unit's transfer received, a refund
    sent back by bank): unique, so one is recorded once, even by two staff at the
    same moment (orders.services.transfers)."""

    reference = models.CharField(_("bank reference"), max_length=64, unique=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("bank reference")
        verbose_name_plural = _("bank references")

    def __str__(self):
        return self.reference


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


class RefundStatus(models.TextChoices):
    PROCESSING = "processing", _("In progress")
    SUCCEEDED = "succeeded", _("Refunded")
    FAILED = "failed", _("Failed")


class Refund(models.Model):
    """Money given back from a payment: one order's share (in full or in part), or
    a whole payment that paid twice (`order` blank). `refund_id` is the refund
    number sent to the gateway, stable for one refund, so asking twice refunds
    once. A gateway may finish a refund later: its notification marks it
    succeeded or failed (the daily reconciliation flags one the gateway's bill
    disagrees with). A failed refund is still owed to the buyer, until staff send
    it again (`retry_of`). The settlement ledger posts every refund
    (docs/PAYMENTS.md)."""

    payment = models.ForeignKey(
        Payment,
        on_delete=models.PROTECT,
        related_name="refunds",
        verbose_name=_("payment"),
    )
    order = models.ForeignKey(
        Order,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refunds",
        verbose_name=_("order"),
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    refund_id = models.CharField(_("refund number"), max_length=64, unique=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RefundStatus.choices,
        default=RefundStatus.PROCESSING,
    )
    provider_refund_id = models.CharField(
        _("gateway refund"), max_length=64, blank=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    # A refund that failed stays owed to the buyer until it is sent again: the
    # new attempt (its own refund number) names the one it retries.
    retry_of = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retry",
        verbose_name=_("retry of"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="refund_amount_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["requested_at"], name="refund_day"),
        ]

    def __str__(self):
        return self.refund_id
