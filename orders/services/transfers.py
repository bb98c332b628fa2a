"""A company bank transfer received: staff record it with the bank's reference
and the amount the bank shows, and it takes the callback's own path
(`_payment_paid`: the orders are paid, the ledger posts, money for an order
closed meanwhile goes back). The amount must be what the orders awaiting it
total now (an order cancelled before the transfer lowers it); the bank's
reference is recorded once."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record
from common.money import to_fen
from orders.models import OrderStatus, Payment, PaymentStatus
from orders.providers import PROVIDERS
from orders.providers.base import Callback, InvalidCallback
from orders.services.payments import _payment_paid


def _due(payment: Payment) -> Decimal:
    """What the orders this transfer pays for, still awaiting it, total."""
    waiting = payment.checkout.orders.filter(status=OrderStatus.PENDING_PAYMENT)
    return to_fen(waiting.aggregate(total=Sum("total"))["total"])


@transaction.atomic
def transfer_received(
    *, payment: Payment, bank_reference: str, amount: Decimal, actor
) -> Payment:
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if not PROVIDERS[payment.provider].by_transfer:
        raise ValidationError(
            _("This payment is not made by bank transfer."), code="not_transfer"
        )
    if payment.status != PaymentStatus.PENDING:
        raise ValidationError(
            _("This transfer is already recorded, or the payment is closed."),
            code="not_pending",
        )
    if Payment.objects.filter(transaction_id=bank_reference).exists():
        raise ValidationError(
            _(
                "The bank reference %(reference)s is already recorded for another "
                "payment. Check the bank statement."
            )
            % {"reference": bank_reference},
            code="reference_used",
        )
    due = _due(payment)
    if due == 0:
        raise ValidationError(
            _(
                "No order of this checkout awaits payment any more: refund the "
                "transfer to the unit's account instead."
            ),
            code="nothing_due",
        )
    if amount != due:
        raise ValidationError(
            _(
                "The amount received (¥%(received)s) is not the amount due "
                "(¥%(due)s). Record a transfer only when it matches."
            )
            % {"received": to_fen(amount), "due": due},
            code="amount_differs",
        )
    if payment.amount != due:  # an order was cancelled before the transfer
        Payment.objects.filter(pk=payment.pk).update(amount=due)
    callback = Callback(
        reference=payment.reference,
        transaction_id=bank_reference,
        amount=due,
        nonce=f"transfer-{payment.pk}",
    )
    try:
        paid = _payment_paid(payment.provider, callback)
    except InvalidCallback as exc:  # a guard: refused above
        raise ValidationError(str(exc), code="not_applied") from None
    record(
        actor=actor,
        action=AuditEvent.Action.TRANSFER_RECEIVED,
        subject=paid,
        before={"status": PaymentStatus.PENDING},
        after={"status": paid.status, "bank_reference": bank_reference},
        note=str(due),
    )
    return paid
