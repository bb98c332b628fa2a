"""Payment services: start paying a checkout, and take a gateway's callback. The
callback is verified by its provider, refused if replayed (its nonce seen before),
and idempotent: a duplicate of a callback already applied changes nothing."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from orders.models import (
    Checkout,
    OrderEvent,
    OrderStatus,
    Payment,
    PaymentStatus,
    WebhookReceipt,
)
from orders.providers import InvalidCallback, provider_for
from orders.transitions import order_pay


class ReplayedCallback(InvalidCallback):
    """A callback whose nonce was already received."""


def payment_start(*, checkout: Checkout) -> str | None:
    """Where the buyer goes to pay `checkout`'s orders that await payment."""
    payment = checkout.payments.filter(status=PaymentStatus.PENDING).first()
    unpaid = checkout.orders.filter(status=OrderStatus.PENDING_PAYMENT)
    if payment is None or not unpaid.exists():
        raise ValidationError(_("Nothing here is waiting for payment."), code="nothing")
    return provider_for(payment.provider).start_url(payment)


@transaction.atomic
def payment_callback(*, provider_code: str, body: bytes, headers) -> Payment:
    provider = provider_for(provider_code)
    callback = provider.parse_callback(body, headers)
    try:
        with transaction.atomic():
            WebhookReceipt.objects.create(provider=provider_code, nonce=callback.nonce)
    except IntegrityError:
        raise ReplayedCallback("replayed callback") from None
    payment = (
        Payment.objects.select_for_update()
        .filter(reference=callback.reference, provider=provider_code)
        .first()
    )
    if payment is None:
        raise InvalidCallback("unknown payment")
    if payment.status == PaymentStatus.PAID:
        if payment.transaction_id == callback.transaction_id:
            return payment  # the gateway sent it again: already applied
        raise InvalidCallback("payment already paid by another transaction")
    if callback.amount != payment.amount:
        raise InvalidCallback("amount does not match")
    payment.status = PaymentStatus.PAID
    payment.transaction_id = callback.transaction_id
    payment.paid_at = timezone.now()
    payment.save()
    for order in payment.checkout.orders.order_by("pk"):
        if order.status == OrderStatus.PENDING_PAYMENT:
            order_pay(order=order)
            continue
        # Paid after the order was cancelled or expired: give that part back.
        provider.refund(payment, order.total)
        Payment.objects.filter(pk=payment.pk).update(
            refunded=F("refunded") + order.total
        )
        OrderEvent.objects.create(
            order=order,
            type=OrderEvent.Type.REFUNDED,
            note=_("Payment arrived after the order closed; refunded."),
        )
    return payment
