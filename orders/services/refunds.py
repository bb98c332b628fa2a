"""Money back to the buyer: one service sends every refund through its provider
and records it (`refund_send`), whatever asked for it (a cancel, a staff refund in
full or in part, a payment that arrived late or twice). A gateway that finishes a
refund later says how it ended in a refund notification (`refund_settle`). A
refund that failed is still owed to the buyer: staff are told, and send it again
under a new refund number (`refund_retry`). Each refund is a `Refund` row and a
signal the settlement ledger posts from."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from audit.models import AuditEvent
from audit.services import record
from common.money import decimal, to_fen
from notifications.models import Notification
from notifications.services import notify
from orders.models import (
    Order,
    OrderStatus,
    Payment,
    PaymentStatus,
    Refund,
    RefundStatus,
)
from orders.providers import PROVIDERS
from orders.providers.base import (
    InvalidCallback,
    ProviderError,
    ProviderUnavailable,
    RefundCallback,
)
from orders.selectors import made_says_the_gateway, refunded_total
from orders.signals import refund_failed, refund_sent


def refund_send(
    *,
    payment: Payment,
    amount: Decimal,
    refund_id: str,
    order=None,
    actor=None,
    retry_of: Refund | None = None,
) -> Refund:
    """Return `amount` of `payment` through its provider and record it; the same
    `refund_id` again returns the refund already made. A gateway that refuses or
    does not answer is a ValidationError, so the caller's transaction changes
    nothing and the refund can be asked for again (with the same number)."""
    done = Refund.objects.filter(refund_id=refund_id).first()
    if done is not None:
        return done
    try:
        result = PROVIDERS[payment.provider].refund(
            payment, amount, refund_id=refund_id
        )
    except ProviderUnavailable:
        raise ValidationError(
            _(
                "The payment provider did not answer, so nothing was changed. "
                "Please try again in a minute."
            ),
            code="provider_unavailable",
        ) from None
    except ProviderError as exc:
        raise ValidationError(
            _("The payment provider refused the refund: %(reason)s") % {"reason": exc},
            code="provider_refused",
        ) from None
    refund = Refund.objects.create(
        payment=payment,
        order=order,
        amount=amount,
        refund_id=refund_id,
        status=RefundStatus.SUCCEEDED if result.succeeded else RefundStatus.PROCESSING,
        provider_refund_id=result.provider_refund_id[:64],
        requested_by=actor,
        retry_of=retry_of,
        settled_at=timezone.now() if result.succeeded else None,
    )
    _move_refunded(payment.pk, amount)
    refund_sent.send(sender=Refund, refund=refund)
    return refund


def _move_refunded(payment_id: int, amount: Decimal) -> None:
    """Add `amount` to the (locked) payment's refunded total, summed here in
    Decimal: SQLite would add the two as floats, a fen's hair over the amount."""
    refunded = Payment.objects.values_list("refunded", flat=True).get(pk=payment_id)
    Payment.objects.filter(pk=payment_id).update(
        refunded=to_fen(decimal(refunded) + amount)
    )


def refundable(order: Order) -> Decimal:
    """What of `order`'s total has not been refunded (or owed back) yet."""
    return to_fen(order.total - refunded_total(order.pk))


def refund_share(payment: Payment, order: Order, *, actor=None) -> Refund | None:
    """Give back what remains of `order`'s share of a paid payment. The refund
    number is the payment and order, so a gateway asked twice refunds once."""
    amount = refundable(order)
    if amount <= 0:
        return None
    return refund_send(
        payment=payment,
        amount=amount,
        refund_id=f"{payment.reference}-{order.pk}",
        order=order,
        actor=actor,
    )


def current_payment(order: Order) -> Payment | None:
    """The checkout's payment that is pending or paid, locked (the closed ones
    were replaced when the amount due changed)."""
    return (
        order.checkout.payments.select_for_update()
        .exclude(status=PaymentStatus.CLOSED)
        .first()
    )


def refund_money(order: Order, *, actor=None) -> None:
    """Money back for a closed order: its share of the checkout's online payment if
    paid. With pay on delivery, money collected (the order was completed) goes back
    in cash; money not collected yet lowers the amount to collect instead."""
    payment = current_payment(order)
    if payment is None:
        return
    if not PROVIDERS[payment.provider].online:
        if order.previous_status == OrderStatus.COMPLETED:
            refund_share(payment, order, actor=actor)
        elif payment.status == PaymentStatus.PENDING:
            due = Payment.objects.values_list("amount", flat=True).get(pk=payment.pk)
            Payment.objects.filter(pk=payment.pk).update(
                amount=to_fen(due - order.total)
            )
        return
    if payment.status == PaymentStatus.PAID:
        refund_share(payment, order, actor=actor)


@transaction.atomic
def refund_settle(*, provider_code: str, callback: RefundCallback) -> Refund:
    """A gateway's word on a refund in progress: it succeeded, or it failed and
    the money, still with the platform, is owed to the buyer until staff send it
    again (the ledger moves it to `refunds_owed`, the farmer's share is not given
    back, and the payment's refunded amount goes down). Telling again changes
    nothing; a word on a refund no longer in progress is ignored, and a refund
    the gateway made after all shows in the daily reconciliation."""
    found = (
        Refund.objects.filter(
            refund_id=callback.refund_id, payment__provider=provider_code
        )
        .values_list("payment__checkout_id", "order_id")
        .first()
    )
    if found is None:
        raise InvalidCallback("unknown refund")
    _lock(*found)
    refund = Refund.objects.select_for_update().get(refund_id=callback.refund_id)
    if callback.amount != refund.amount:
        raise InvalidCallback("refund amount does not match")
    if refund.status != RefundStatus.PROCESSING:
        return refund
    refund.status = (
        RefundStatus.SUCCEEDED if callback.succeeded else RefundStatus.FAILED
    )
    refund.settled_at = timezone.now()
    if callback.provider_refund_id:
        refund.provider_refund_id = callback.provider_refund_id[:64]
    refund.save(update_fields=["status", "settled_at", "provider_refund_id"])
    if not callback.succeeded:
        _move_refunded(refund.payment_id, -refund.amount)
        refund_failed.send(sender=Refund, refund=refund)
        _tell_staff(refund)
    return refund


def _lock(checkout_id: int, order_id: int | None) -> None:
    """Lock as every path does: the checkout's payments, then the order, so the
    hold's end or another refund cannot move the order's money meanwhile."""
    list(
        Payment.objects.select_for_update()
        .filter(checkout_id=checkout_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if order_id is not None:
        Order.objects.select_for_update(of=("self",)).filter(pk=order_id).first()


def _tell_staff(refund: Refund) -> None:
    """Every active staff member is told a refund must be sent again."""
    staff = User.objects.filter(role=Role.STAFF, is_active=True).order_by("pk")
    for user in staff:
        notify(
            recipient=user,
            kind=Notification.Kind.REFUND_FAILED,
            order=refund.order,
            reason=str(refund.pk),
        )


def _attempt(refund: Refund) -> tuple[str, int]:
    """The first attempt's refund number, and how many attempts came so far."""
    first, attempts = refund, 1
    while first.retry_of_id is not None:
        first, attempts = first.retry_of, attempts + 1
    return first.refund_id, attempts


@transaction.atomic
def refund_retry(*, refund: Refund, actor) -> Refund:
    """Send a refund that failed again, as a new refund (number `<first>-r<n>`)
    of the same amount to the same buyer; the money the failure left owed goes
    with it. A gateway that refuses again is a ValidationError and changes
    nothing; one that takes it and later fails makes it owed once more."""
    found = Refund.objects.values_list("payment__checkout_id", "order_id")
    _lock(*found.get(pk=refund.pk))
    refund = (
        Refund.objects.select_for_update().select_related("payment").get(pk=refund.pk)
    )
    if refund.status != RefundStatus.FAILED:
        raise ValidationError(
            _("Only a refund that failed can be sent again."), code="not_failed"
        )
    if Refund.objects.filter(retry_of=refund).exists():
        raise ValidationError(
            _("This refund has already been sent again."), code="already_retried"
        )
    if made_says_the_gateway(refund):
        raise ValidationError(
            _(
                "The gateway's statement names this refund as made: resolve that "
                "mismatch on the reconciliation page before sending it again, or "
                "the buyer may be paid twice."
            ),
            code="gateway_says_refunded",
        )
    first, attempts = _attempt(refund)
    again = refund_send(
        payment=refund.payment,
        amount=refund.amount,
        refund_id=f"{first}-r{attempts}",
        order=refund.order,
        actor=actor,
        retry_of=refund,
    )
    record(
        actor=actor,
        action=AuditEvent.Action.REFUND_RETRIED,
        subject=again,
        farmer=refund.order.farmer if refund.order else None,
        before={"refund": refund.refund_id, "status": refund.status},
        after={"refund": again.refund_id, "status": again.status},
    )
    return again
