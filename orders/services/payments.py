"""Payment services: start paying a checkout, and take a gateway's callback. The
callback is verified by its provider, refused if replayed (its nonce seen before),
and idempotent: a duplicate of a callback already applied changes nothing. A
changed amount due closes the payment and issues a new reference; money arriving
later on the closed reference is taken (the difference refunded) or, if the new
one was paid, refunded whole (docs/PAYMENTS.md)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
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
from orders.providers.base import (
    Buyer,
    ProviderError,
    ProviderUnavailable,
    RefundCallback,
    Start,
)
from orders.services.refunds import refund_send, refund_settle, refund_share
from orders.services.transitions import orders_pay
from orders.signals import payment_received

# Stored untranslated (the timeline translates it for each reader).
LATE_PAYMENT_NOTE = gettext_noop("Payment arrived after the order closed; refunded.")
SECOND_PAYMENT_NOTE = gettext_noop(
    "A second payment for this checkout arrived; it was refunded in full."
)

# At most one payment of a checkout has one of these (payment_one_open_per_checkout).
OPEN_OR_PAID = (PaymentStatus.PENDING, PaymentStatus.PAID)


class ReplayedCallback(InvalidCallback):
    """A callback whose nonce was already received."""


def _asked(request, *args):
    """Ask the gateway; a refusal or silence is a ValidationError saying so, and
    the caller's transaction changes nothing."""
    try:
        return request(*args)
    except ProviderUnavailable:
        raise ValidationError(
            _(
                "The payment service did not answer. Nothing was charged; please "
                "try again in a minute."
            ),
            code="provider_unavailable",
        ) from None
    except ProviderError as exc:
        raise ValidationError(
            _("The payment service refused: %(reason)s") % {"reason": exc},
            code="provider_refused",
        ) from None


def _close(payment: Payment) -> None:
    """Close `payment` at its gateway and here: its reference takes no more money."""
    _asked(PROVIDERS[payment.provider].close, payment)
    payment.status = PaymentStatus.CLOSED
    payment.closed_at = timezone.now()
    payment.save(update_fields=["status", "closed_at"])


@transaction.atomic
def payment_start(*, checkout: Checkout, buyer: Buyer) -> Start | None:
    """How the buyer pays `checkout`'s orders that await payment from their
    device. A gateway fixes the amount of a reference, so when what those orders
    total now differs from the pending payment's amount (one was cancelled since),
    that payment is closed and a new one, with a new reference, issued for them.
    Starting again reuses the reference, so a retry after a gateway timeout is
    the same merchant order and cannot charge twice."""
    # Lock order: the checkout's payments by primary key, as the callback does.
    payments = list(checkout.payments.select_for_update().order_by("pk"))
    payment = next((p for p in payments if p.status == PaymentStatus.PENDING), None)
    # One query: the amount and the orders it pays for are the same snapshot.
    unpaid = list(
        checkout.orders.filter(status=OrderStatus.PENDING_PAYMENT).order_by("pk")
    )
    if payment is None or not unpaid:
        raise ValidationError(_("Nothing here is waiting for payment."), code="nothing")
    provider = PROVIDERS[payment.provider]
    if provider.by_transfer:
        raise ValidationError(
            _("This order is paid by bank transfer, quoting its reference."),
            code="by_transfer",
        )
    due = sum((order.total for order in unpaid), Decimal(0))
    if provider.online and payment.amount != due:
        _close(payment)
        payment = Payment.objects.create(
            checkout=checkout, provider=payment.provider, amount=due
        )
        payment.orders.set(unpaid)
    return _asked(provider.start, payment, buyer)


def _paid_for(payment: Payment) -> set[int]:
    """The ids of the orders `payment` pays for: its own list if it replaced
    another payment, else every order of its checkout."""
    listed = set(payment.orders.values_list("pk", flat=True))
    return listed or set(payment.checkout.orders.values_list("pk", flat=True))


def _refund_whole(payment: Payment, callback) -> Payment:
    """Money on a closed reference after the checkout was paid by another: the
    buyer paid twice, so all of this payment goes back."""
    payment.transaction_id = callback.transaction_id
    payment.paid_at = timezone.now()
    payment.save(update_fields=["transaction_id", "paid_at"])
    payment_received.send(sender=Payment, payment=payment)
    refund_send(
        payment=payment, amount=payment.amount, refund_id=f"{payment.reference}-whole"
    )
    OrderEvent.objects.bulk_create(
        OrderEvent(order_id=pk, type=OrderEvent.Type.REFUNDED, note=SECOND_PAYMENT_NOTE)
        for pk in sorted(_paid_for(payment))
    )
    payment.refresh_from_db()
    return payment


@transaction.atomic
def payment_callback(*, provider_code: str, body: bytes, headers):
    """Take a gateway's verified callback: a payment (returns the Payment) or a
    refund's outcome (returns the Refund)."""
    provider = provider_for(provider_code)
    callback = provider.parse_callback(body, headers)
    try:
        with transaction.atomic():
            WebhookReceipt.objects.create(provider=provider_code, nonce=callback.nonce)
    except IntegrityError:
        raise ReplayedCallback("replayed callback") from None
    if isinstance(callback, RefundCallback):
        return refund_settle(provider_code=provider_code, callback=callback)
    return _payment_paid(provider_code, callback)


def _payment_paid(provider_code: str, callback) -> Payment:
    checkout_id = (
        Payment.objects.filter(reference=callback.reference, provider=provider_code)
        .values_list("checkout_id", flat=True)
        .first()
    )
    if checkout_id is None:
        raise InvalidCallback("unknown payment")
    # Lock order: the checkout's payments by primary key, then its orders by
    # primary key, then their products (orders_pay).
    payments = list(
        Payment.objects.select_for_update()
        .filter(checkout_id=checkout_id)
        .order_by("pk")
    )
    payment = next(p for p in payments if p.reference == callback.reference)
    if payment.transaction_id is not None:
        if payment.transaction_id == callback.transaction_id:
            return payment  # the gateway sent it again: already applied
        raise InvalidCallback("payment already paid by another transaction")
    if payment.status not in (PaymentStatus.PENDING, PaymentStatus.CLOSED):
        raise InvalidCallback("payment is not awaiting money")
    if callback.amount != payment.amount:
        raise InvalidCallback("amount does not match")
    if Payment.objects.filter(transaction_id=callback.transaction_id).exists():
        raise InvalidCallback("transaction already paid another payment")
    if payment.status == PaymentStatus.CLOSED:
        # The buyer paid a reference closed when the amount due changed (on a
        # gateway page opened before). Its amount is what the gateway took.
        current = next((p for p in payments if p.status in OPEN_OR_PAID), None)
        if current is not None and current.status == PaymentStatus.PAID:
            return _refund_whole(payment, callback)
        if current is not None:
            _close(current)  # this payment takes its place
    # Decided under the locks, so expiry or a cancel cannot slip in.
    orders = list(
        payment.checkout.orders.select_for_update(of=("self",)).order_by("pk")
    )
    paid_for = _paid_for(payment)
    payment.status = PaymentStatus.PAID
    payment.transaction_id = callback.transaction_id
    payment.paid_at = timezone.now()
    payment.save()
    payment_received.send(sender=Payment, payment=payment)
    orders_pay(orders=[o for o in orders if o.status == OrderStatus.PENDING_PAYMENT])
    for order in orders:
        if order.status == OrderStatus.PENDING_PAYMENT or order.pk not in paid_for:
            continue
        # Paid after the order was cancelled or expired: give that part back.
        refund_share(payment, order)
        OrderEvent.objects.create(
            order=order, type=OrderEvent.Type.REFUNDED, note=LATE_PAYMENT_NOTE
        )
    payment.refresh_from_db()
    return payment
