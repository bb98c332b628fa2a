"""Payment services: start paying a checkout, and take a gateway's callback. The
callback is verified by its provider, refused if replayed (its nonce seen before),
and idempotent: a duplicate of a callback already applied changes nothing."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from orders.models import (
    Checkout,
    OrderEvent,
    OrderStatus,
    Payment,
    PaymentStatus,
    WebhookReceipt,
)
from orders.providers import PROVIDERS, InvalidCallback, provider_for
from orders.transitions import orders_pay, refund_share

# Stored untranslated (the timeline translates it for each reader).
LATE_PAYMENT_NOTE = gettext_noop("Payment arrived after the order closed; refunded.")


class ReplayedCallback(InvalidCallback):
    """A callback whose nonce was already received."""


@transaction.atomic
def payment_start(*, checkout: Checkout) -> str | None:
    """Where the buyer goes to pay `checkout`'s orders that await payment. The
    amount is what those orders total now (one may have been cancelled)."""
    payment = (
        checkout.payments.select_for_update()
        .filter(status=PaymentStatus.PENDING)
        .first()
    )
    unpaid = checkout.orders.filter(status=OrderStatus.PENDING_PAYMENT)
    due = unpaid.aggregate(total=Sum("total"))["total"]
    if payment is None or due is None:
        raise ValidationError(_("Nothing here is waiting for payment."), code="nothing")
    provider = PROVIDERS[payment.provider]
    if provider.online and payment.amount != due:
        payment.amount = due
        payment.save(update_fields=["amount"])
    return provider.start_url(payment)


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
    # Lock order: payment, then its orders by primary key, then their products
    # (orders_pay); decided under the locks, so expiry or a cancel cannot slip in.
    orders = list(
        payment.checkout.orders.select_for_update(of=("self",)).order_by("pk")
    )
    payment.status = PaymentStatus.PAID
    payment.transaction_id = callback.transaction_id
    payment.paid_at = timezone.now()
    payment.save()
    orders_pay(orders=[o for o in orders if o.status == OrderStatus.PENDING_PAYMENT])
    for order in orders:
        if order.status == OrderStatus.PENDING_PAYMENT:
            continue
        # Paid after the order was cancelled or expired: give that part back.
        refund_share(payment, order)
        OrderEvent.objects.create(
            order=order, type=OrderEvent.Type.REFUNDED, note=LATE_PAYMENT_NOTE
        )
    payment.refresh_from_db()
    return payment
