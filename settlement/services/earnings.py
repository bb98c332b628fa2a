"""What each money event of the orders posts (docs/PAYMENTS.md, "The ledger"):

    buyer paid online    Dr clearing(provider)     Cr orders held
    collected on delivery Dr clearing(on_delivery) Cr orders held   (at completion)
    owed on account      Dr clearing(on_account)   Cr orders held   (at completion)
    unit paid on account Dr clearing(bank_transfer) Cr clearing(on_account)
    order completed      Dr orders held            Cr farmer pending, platform fees
    hold ended           Dr farmer pending         Cr farmer available
    refund               Dr orders held — or, once the order has earned, the
                         farmer (pending or available) and the fees — Cr clearing
    refund failed        Dr clearing               Cr refunds owed
    refund sent again    Dr refunds owed           Cr clearing

An earning is the order's total less what was refunded (or is owed back: a
failed refund is still the buyer's) before completion, less
the platform fee (PLATFORM_FEE_RATE of it, half up; 0 by default, as on the 832
platform). It is pending for EARNING_HOLD_DAYS after completion, then available;
an order taken on account stays pending until the unit has paid for it too.
Before the unit pays, what is refunded of such an order is a credit (it lowers
what the unit owes); after, it goes back from the bank."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from common.money import round_half_up
from orders.dues import unpaid_on_account
from orders.models import Order, OrderStatus, PaymentProviderCode, PaymentStatus, Refund
from orders.providers import PROVIDERS
from orders.selectors import refunded_total
from settlement.models import Account, Entry, Posting
from settlement.services.ledger import account, post

K = Account.Kind
E = Entry.Kind


def fee_of(amount: Decimal) -> Decimal:
    """The platform's fee on an earning of `amount`."""
    return round_half_up(amount * settings.PLATFORM_FEE_RATE)


def fee_returned(
    amount: Decimal, *, fee: Decimal, gross: Decimal, kept: Decimal, last: bool
) -> Decimal:
    """The part of a refund of `amount`, after the order earned `gross` and paid
    `fee`, that the fee gives back: its share, half up, never more than the fee
    still `kept`; the `last` of the order's money takes all the fee still kept."""
    if last:
        return kept
    if not fee:
        return Decimal(0)
    return min(kept, round_half_up(amount * fee / gross))


def payment_received(payment) -> None:
    """An online payment took money: it is held for the orders it pays."""
    clearing = account(K.CLEARING, provider=payment.provider)
    post(
        E.BUYER_PAID,
        f"paid:{payment.pk}",
        [(clearing, payment.amount), (account(K.ORDERS_HELD), -payment.amount)],
        payment=payment,
    )


def account_paid(payment, amount: Decimal) -> None:
    """A unit paid `amount` for what it took on account: what it owed is in the
    bank."""
    post(
        E.ACCOUNT_PAID,
        f"account_paid:{payment.pk}",
        [
            (account(K.CLEARING, provider=PaymentProviderCode.BANK_TRANSFER), amount),
            (account(K.CLEARING, provider=payment.provider), -amount),
        ],
        payment=payment,
    )
    # Holds that ended while the unit had not paid end now.
    release_due_earnings(checkout_id=payment.checkout_id)


def _clearing_of(payment):
    """Where a refund of `payment` leaves from: its provider's money, except for
    goods on account already paid for, whose money is in the bank."""
    provider = payment.provider
    if PROVIDERS[provider].pays_later and payment.status == PaymentStatus.PAID:
        provider = PaymentProviderCode.BANK_TRANSFER
    return account(K.CLEARING, provider=provider)


def order_completed(order: Order) -> None:
    """The order completed: money collected on delivery is recorded, and what
    remains of its total becomes the farmer's, pending the hold."""
    held = account(K.ORDERS_HELD)
    provider = order.checkout.provider
    if not PROVIDERS[provider].online:
        post(
            E.COLLECTED,
            f"collected:{order.pk}",
            [
                (account(K.CLEARING, provider=provider), order.total),
                (held, -order.total),
            ],
            order=order,
        )
    gross = order.total - refunded_total(order.pk)
    fee = fee_of(gross)
    post(
        E.EARNING,
        f"earning:{order.pk}",
        [
            (held, gross),
            (account(K.FARMER_PENDING, farmer=order.farmer), -(gross - fee)),
            (account(K.PLATFORM_FEES), -fee),
        ],
        order=order,
    )


def _released(order: Order) -> bool:
    """Whether `order`'s hold has ended (its earning moved to available)."""
    return Entry.objects.filter(key=f"release:{order.pk}").exists()


def _order_total(order_id: int, kind: str) -> Decimal:
    """What the postings to accounts of `kind` for `order_id`'s entries sum to."""
    rows = Posting.objects.filter(entry__order_id=order_id, account__kind=kind)
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def _fee_back(earning: Entry, amount: Decimal, order_id: int) -> Decimal:
    """The part of a refund of `amount` the platform's fee gives back: the fee's
    share of the earning, half up, never more than the fee still kept."""
    postings = list(earning.postings.select_related("account"))
    gross = sum((p.amount for p in postings if p.amount > 0), Decimal(0))
    fee = -sum(
        (p.amount for p in postings if p.account.kind == K.PLATFORM_FEES), Decimal(0)
    )
    kept = -_order_total(order_id, K.PLATFORM_FEES)
    total = Order.objects.values_list("total", flat=True).get(pk=order_id)
    last = refunded_total(order_id) >= total
    return fee_returned(amount, fee=fee, gross=gross, kept=kept, last=last)


def refund_sent(refund: Refund) -> None:
    """Money went back to the buyer. Before the order earned, it leaves the
    orders' held money; after, it is taken back from the farmer (pending while
    the hold lasts, else available, which may go below zero: the next payout
    nets it off) and from the fee in proportion. A failed refund sent again
    takes what the failure left owed."""
    clearing = _clearing_of(refund.payment)
    order = refund.order
    earning = None
    if order is not None and refund.retry_of_id is None:
        earning = Entry.objects.filter(key=f"earning:{order.pk}").first()
    if refund.retry_of_id is not None:
        lines = [(account(K.REFUNDS_OWED), refund.amount)]
    elif earning is None:
        lines = [(account(K.ORDERS_HELD), refund.amount)]
    else:
        fee_back = _fee_back(earning, refund.amount, order.pk)
        released = _released(order)
        kind = K.FARMER_AVAILABLE if released else K.FARMER_PENDING
        lines = [
            (account(kind, farmer=order.farmer), refund.amount - fee_back),
            (account(K.PLATFORM_FEES), fee_back),
        ]
    post(
        E.REFUND,
        f"refund:{refund.pk}",
        [*lines, (clearing, -refund.amount)],
        refund=refund,
        order=order,
        payment=refund.payment,
    )


def refund_failed(refund: Refund) -> None:
    """The gateway did not return the money: it stays with the provider, owed to
    the buyer until the refund is sent again. Whoever it was taken from (the
    order's held money, the farmer, the fee) does not get it back: the refund
    was decided, only its sending failed."""
    clearing = account(K.CLEARING, provider=refund.payment.provider)
    post(
        E.REFUND_FAILED,
        f"refund_failed:{refund.pk}",
        [(clearing, refund.amount), (account(K.REFUNDS_OWED), -refund.amount)],
        refund=refund,
        order=refund.order,
        payment=refund.payment,
    )


def hold_ends(order: Order):
    """When `order`'s earning becomes available."""
    return order.completed_at + timedelta(days=settings.EARNING_HOLD_DAYS)


def release_due_earnings(now=None, batch: int = 1000, checkout_id=None) -> int:
    """Make available the earnings whose hold has ended (of one checkout's
    orders, if given): each completed order's pending balance moves to the
    farmer's available account, the order locked so a refund cannot slip in
    between. Returns how many orders were released."""
    now = now or timezone.now()
    due = now - timedelta(days=settings.EARNING_HOLD_DAYS)
    orders = Order.objects.filter(status=OrderStatus.COMPLETED, completed_at__lte=due)
    if checkout_id is not None:
        orders = orders.filter(checkout_id=checkout_id)
    ids = list(
        orders.filter(pk__in=Entry.objects.filter(kind=E.EARNING).values("order"))
        .exclude(pk__in=Entry.objects.filter(kind=E.RELEASE).values("order"))
        .exclude(unpaid_on_account())
        .order_by("pk")
        .values_list("pk", flat=True)[:batch]
    )
    released = 0
    for order_id in ids:
        with transaction.atomic():
            order = Order.objects.select_for_update(of=("self",)).get(pk=order_id)
            pending = -_order_total(order_id, K.FARMER_PENDING)
            entry = post(
                E.RELEASE,
                f"release:{order_id}",
                [
                    (account(K.FARMER_PENDING, farmer=order.farmer), pending),
                    (account(K.FARMER_AVAILABLE, farmer=order.farmer), -pending),
                ],
                order=order,
            )
            released += entry is not None
    return released
