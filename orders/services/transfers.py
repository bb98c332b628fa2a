"""A company bank transfer received: staff record it with the bank's reference
and the amount the bank shows, and it takes the callback's own path
(`_payment_paid`: the orders are paid, the ledger posts, money for an order
closed meanwhile goes back). The amount must be what the orders awaiting it
total now (an order cancelled before the transfer lowers it). A unit paying on
account pays once it has decided on all of the checkout's goods, for what it
accepted (orders.dues); the ledger then moves the money from what the unit
owed to the bank. The bank's reference is recorded once. A refund of such a
payment is sent back by staff by bank, and recorded with that transfer's
reference."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record
from common.money import to_fen
from orders.dues import is_credit, transfers_due
from orders.models import (
    ON_THE_WAY,
    BankReference,
    OrderStatus,
    Payment,
    PaymentStatus,
    Refund,
    RefundStatus,
)
from orders.providers import PROVIDERS
from orders.providers.base import Callback, InvalidCallback
from orders.services.payments import _payment_paid
from orders.signals import account_paid


def _waiting(payment: Payment) -> list:
    """The orders this transfer pays for, still awaiting it, locked (after the
    payment, as every path locks)."""
    orders = payment.checkout.orders.select_for_update(of=("self",))
    return list(orders.filter(status=OrderStatus.PENDING_PAYMENT).order_by("pk"))


def _refuse_unless_due(amount: Decimal, due: Decimal) -> None:
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


def _reference_used(bank_reference: str):
    return ValidationError(
        _(
            "The bank reference %(reference)s is already recorded. Check the "
            "bank statement."
        )
        % {"reference": bank_reference},
        code="reference_used",
    )


def _claim(bank_reference: str) -> None:
    """Record the reference once (BankReference is unique: of two staff at the
    same moment, the second waits for the first and is refused). It is undone
    with the caller's transaction if that is refused later."""
    try:
        with transaction.atomic():
            BankReference.objects.create(reference=bank_reference)
    except IntegrityError:
        raise _reference_used(bank_reference) from None


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
    _claim(bank_reference)
    if PROVIDERS[payment.provider].pays_later:
        paid, due = _account_paid(payment, bank_reference, amount)
    else:
        paid, due = _paid_before_shipping(payment, bank_reference, amount)
    record(
        actor=actor,
        action=AuditEvent.Action.TRANSFER_RECEIVED,
        subject=paid,
        before={"status": PaymentStatus.PENDING},
        after={"status": paid.status, "bank_reference": bank_reference},
        note=str(due),
    )
    return paid


def _paid_before_shipping(payment, bank_reference, amount):
    waiting = _waiting(payment)
    due = to_fen(sum((order.total for order in waiting), Decimal(0)))
    _refuse_unless_due(amount, due)
    if payment.amount != due:  # an order was cancelled before the transfer
        # The transfer pays for the orders still waiting only (as a reissued
        # payment does), so nothing is refunded for the one closed unpaid.
        Payment.objects.filter(pk=payment.pk).update(amount=due)
        payment.orders.set(waiting)
    callback = Callback(
        reference=payment.reference,
        transaction_id=bank_reference,
        amount=due,
        nonce=f"transfer-{payment.pk}",
    )
    try:
        with transaction.atomic():
            paid = _payment_paid(payment.provider, callback)
    except InvalidCallback as exc:  # a guard: refused above
        raise ValidationError(str(exc), code="not_applied") from None
    except IntegrityError:  # the same bank reference, recorded meanwhile
        raise _reference_used(bank_reference) from None
    return paid, due


def _account_paid(payment, bank_reference, amount):
    """A unit pays for goods it took on account: what it accepted of the
    checkout, once it decided on all of it. The orders are locked (after the
    payment), so no decision slips in between."""
    list(payment.checkout.orders.select_for_update(of=("self",)).order_by("pk"))
    due = transfers_due().filter(pk=payment.pk).values_list("due", flat=True).first()
    if due is None and payment.checkout.orders.filter(status__in=ON_THE_WAY).exists():
        raise ValidationError(
            _(
                "Some of these goods are not accepted yet: the unit pays on account "
                "once it has decided on all of them."
            ),
            code="not_decided",
        )
    due = to_fen(due) if due is not None else Decimal(0)
    _refuse_unless_due(amount, due)
    try:
        with transaction.atomic():
            # Its amount stays what was placed, less the orders closed unpaid
            # (orders.services.refunds.refund_money); what was credited is
            # refunded of it already, so the two leave what the unit paid.
            Payment.objects.filter(pk=payment.pk).update(
                status=PaymentStatus.PAID,
                transaction_id=bank_reference,
                paid_at=timezone.now(),
            )
    except IntegrityError:  # a guard: claimed above (an online payment's id?)
        raise _reference_used(bank_reference) from None
    payment.refresh_from_db()
    account_paid.send(sender=Payment, payment=payment, amount=due)
    return payment, due


@transaction.atomic
def transfer_refund_sent(*, refund: Refund, bank_reference: str, actor) -> Refund:
    """Staff sent a refund of a bank-transfer payment back to the unit's account:
    the bank's reference of that transfer is recorded once (as the refund's
    provider reference), audited."""
    refund = (
        Refund.objects.select_for_update().select_related("payment").get(pk=refund.pk)
    )
    if not PROVIDERS[refund.payment.provider].by_transfer:
        raise ValidationError(
            _("This refund is not of a bank transfer."), code="not_transfer"
        )
    if refund.status != RefundStatus.SUCCEEDED:
        raise ValidationError(
            _("This refund is not owed to the unit."), code="not_owed"
        )
    if Refund.objects.filter(is_credit(), pk=refund.pk).exists():
        raise ValidationError(
            _(
                "This refund is a credit: the unit had not paid yet, so nothing "
                "goes back to it."
            ),
            code="credit",
        )
    if refund.provider_refund_id:
        raise ValidationError(
            _("This refund was sent back already (bank reference %(reference)s).")
            % {"reference": refund.provider_refund_id},
            code="already_sent",
        )
    _claim(bank_reference)
    refund.provider_refund_id = bank_reference
    refund.save(update_fields=["provider_refund_id"])
    record(
        actor=actor,
        action=AuditEvent.Action.TRANSFER_REFUND_SENT,
        subject=refund.order or refund.payment,
        farmer=refund.order.farmer if refund.order else None,
        county=refund.order.county if refund.order else None,
        after={"bank_reference": bank_reference, "amount": str(refund.amount)},
    )
    return refund
