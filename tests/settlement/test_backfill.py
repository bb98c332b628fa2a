"""The backfill posts what the live rules post. The same histories are lived twice:
once with the ledger listening, once with it deaf (as the demo's bulk-written
orders are), then backfilled. Each order's entries, and each farmer's balances,
must come out the same: the fee's share and the last refund taking all the fee
still kept, a failed refund owed to the buyer and its retry, a refund after
completion on pay on delivery, holds that ended. A rerun posts nothing; history
added later (a refund of an order that already earned) is posted by the next."""

from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from orders import signals
from orders.models import OrderStatus, PaymentProviderCode, Refund
from orders.services.refunds import refund_retry, refund_send
from orders.services.transitions import order_cancel, order_refund, order_refund_part
from settlement import receivers
from settlement.invariants import first_mismatch
from settlement.models import Account, Entry, Posting
from settlement.services.backfill import ledger_backfill
from settlement.services.earnings import release_due_earnings
from tests.settlement.conftest import paid_order
from tests.settlement.test_ledger import fail, ship_and_complete

pytestmark = pytest.mark.django_db
LATER = timedelta(days=8)  # past every hold


@contextmanager
def ledger_deaf():
    """The orders' money signals reach no ledger receiver (a bulk history)."""
    uids = {
        signals.payment_received: "ledger.paid",
        signals.order_completed: "ledger.earned",
        signals.refund_sent: "ledger.refund",
        signals.refund_failed: "ledger.unrefund",
    }
    for signal, uid in uids.items():
        assert signal.disconnect(dispatch_uid=uid)
    try:
        yield
    finally:
        receivers.connect()


def history(staff) -> list:
    """Five orders' lives, all before the holds end; returns the orders."""
    fee_and_retry = ship_and_complete(paid_order("10.10"))
    order_refund_part(order=fee_and_retry, actor=staff, amount=Decimal("5.05"))
    failed = fail(Refund.objects.get(order=fee_and_retry), "h1")
    refund_retry(refund=failed, actor=staff)
    order_refund(order=fee_and_retry, actor=staff)  # the last of it

    cancelled_and_owed = paid_order("35.00")
    order_cancel(order=cancelled_and_owed, actor=cancelled_and_owed.buyer)
    fail(Refund.objects.get(order=cancelled_and_owed), "h2")

    cash_back = ship_and_complete(
        paid_order("33.30", provider=PaymentProviderCode.ON_DELIVERY)
    )
    order_refund(order=cash_back, actor=staff)

    refunded_during_hold = ship_and_complete(paid_order("40.00", 2))
    order_refund_part(order=refunded_during_hold, actor=staff, amount=Decimal("7.77"))

    refunded_before = paid_order("50.00")
    order_refund_part(order=refunded_before, actor=staff, amount=Decimal("9.99"))
    return [
        fee_and_retry,
        cancelled_and_owed,
        cash_back,
        ship_and_complete(refunded_before),
        refunded_during_hold,
    ]


def entries_of(order) -> list:
    """What the ledger posted for `order` (and the payment that paid it)."""
    payment = order.checkout.payments.get()
    rows = Posting.objects.filter(entry__order=order) | Posting.objects.filter(
        entry__payment=payment, entry__kind=Entry.Kind.BUYER_PAID
    )
    return sorted(
        (p.entry.kind, p.account.kind, p.amount)
        for p in rows.select_related("entry", "account")
    )


def balances_of(order) -> dict:
    """The farmer's balances that are not 0 (the backfill opens both accounts of
    every farmer it meets; the live rules open one when it is first posted to)."""
    rows = Account.objects.filter(farmer=order.farmer).exclude(balance=0)
    return {a.kind: a.balance for a in rows}


@override_settings(PLATFORM_FEE_RATE=Decimal("0.025"))
def test_the_backfill_posts_what_the_live_rules_post(staff):
    lived = history(staff)
    with ledger_deaf():
        written = history(staff)
    assert all(not entries_of(order) for order in written)  # nothing posted yet

    later = timezone.now() + LATER
    release_due_earnings(now=later)
    assert ledger_backfill(now=later) > 0
    for live, bulk in zip(lived, written, strict=True):
        assert entries_of(bulk) == entries_of(live), live.pk
        assert balances_of(bulk) == balances_of(live), live.pk
    # What the test expects of the first order, from the rules themselves: 10.10
    # earned with a fee of 0.25 (2.5 %, half up); half back returns 0.13 of it;
    # the failed half was sent again from what it left owed; the rest took the
    # last 0.12 of the fee. The farmer ends with nothing.
    fee_rows = [row for row in entries_of(written[0]) if row[1] == "platform_fees"]
    assert sorted(amount for _k, _a, amount in fee_rows) == sorted(
        [Decimal("-0.25"), Decimal("0.13"), Decimal("0.12")]
    )
    assert balances_of(written[0]) == {}
    assert first_mismatch() is None
    assert ledger_backfill(now=later) == 0  # a rerun posts nothing


def test_history_added_later_is_posted_by_the_next_backfill(staff):
    with ledger_deaf():
        order = ship_and_complete(paid_order("20.00"))
    ledger_backfill()
    assert balances_of(order)[Account.Kind.FARMER_PENDING] == Decimal("-20.00")
    with ledger_deaf():
        order_refund_part(order=order, actor=staff, amount=Decimal("4.00"))
    assert ledger_backfill() == 1  # the refund, though the order already earned
    assert balances_of(order)[Account.Kind.FARMER_PENDING] == Decimal("-16.00")
    assert order.status == OrderStatus.COMPLETED
    assert first_mismatch() is None


def test_a_failure_reported_after_a_whole_payment_refund_was_posted_is_posted():
    """A refund of a whole payment (a checkout paid twice) is posted live; the
    gateway's word that it failed comes while the ledger is deaf. The next
    backfill posts the failure, though the refund already has its entry."""
    order = paid_order("12.00")
    payment = order.checkout.payments.get()
    refund = refund_send(payment=payment, amount=payment.amount, refund_id="w-whole")
    assert Entry.objects.filter(refund=refund, kind=Entry.Kind.REFUND).exists()
    with ledger_deaf():
        fail(refund, "w1")
    assert ledger_backfill() == 1
    assert Entry.objects.filter(refund=refund, kind=Entry.Kind.REFUND_FAILED).exists()
    assert first_mismatch() is None
