"""Payments of a checkout and the payment providers' webhook receipts."""

import uuid
from decimal import Decimal

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
