"""The ledger follows an order's money: paid, completed (the farmer's earning, less
the fee), held, released, refunded before and after completion, and refunds that
fail (owed to the buyer until sent again). Every figure is the test's own
arithmetic over the postings; check_ledger holds after each step, and finds a
planted mismatch."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from orders.models import (
    Order,
    OrderStatus,
    Payment,
    PaymentProviderCode,
    Refund,
    RefundStatus,
)
from orders.providers.base import RefundCallback
from orders.services.refunds import refund_retry, refund_settle, refundable
from orders.services.transitions import (
    order_cancel,
    order_complete,
    order_refund,
    order_refund_part,
    order_ship,
)
from settlement.invariants import first_mismatch, refunds_owed_off
from settlement.models import Account, Entry, Posting
from settlement.models.ledger import AppendOnly
from settlement.services.earnings import release_due_earnings
from tests.settlement.conftest import K, owed, paid_order, platform

pytestmark = pytest.mark.django_db


def ship_and_complete(order):
    order_ship(
        order=order, actor=order.farmer.user, carrier="other", tracking_number="E0001"
    )
    return order_complete(order=order, actor=order.buyer)


def test_a_paid_order_is_held_until_it_completes_then_pending_then_available():
    order = paid_order("88.00", 2)
    assert platform(K.CLEARING, "simulated") == Decimal("176.00")
    assert platform(K.ORDERS_HELD) == Decimal("-176.00")
    assert owed(order.farmer, K.FARMER_PENDING) == 0
    order = ship_and_complete(order)
    assert platform(K.ORDERS_HELD) == 0
    assert owed(order.farmer, K.FARMER_PENDING) == Decimal("176.00")
    assert first_mismatch() is None
    # Not yet: the hold lasts EARNING_HOLD_DAYS (7) after completion.
    assert release_due_earnings(now=timezone.now() + timedelta(days=6)) == 0
    assert release_due_earnings(now=timezone.now() + timedelta(days=7, hours=1)) == 1
    assert release_due_earnings(now=timezone.now() + timedelta(days=8)) == 0
    assert owed(order.farmer, K.FARMER_PENDING) == 0
    assert owed(order.farmer, K.FARMER_AVAILABLE) == Decimal("176.00")
    account = Account.objects.get(farmer=order.farmer, kind=K.FARMER_AVAILABLE)
    assert account.balance == Decimal("-176.00")  # debit-positive, owed
    assert first_mismatch() is None


def test_the_platform_fee_is_taken_half_up_and_given_back_in_proportion(
    settings, staff
):
    settings.PLATFORM_FEE_RATE = Decimal("0.025")
    order = ship_and_complete(paid_order("10.10"))  # fee 0.2525 → 0.25
    assert platform(K.PLATFORM_FEES) == Decimal("-0.25")
    assert owed(order.farmer, K.FARMER_PENDING) == Decimal("9.85")
    order_refund_part(order=order, actor=staff, amount=Decimal("5.05"))
    # Half the order back: the fee returns 0.25 × 5.05 / 10.10 = 0.125 → 0.13.
    assert platform(K.PLATFORM_FEES) == Decimal("-0.12")
    assert owed(order.farmer, K.FARMER_PENDING) == Decimal("9.85") - Decimal("4.92")
    order_refund(order=order, actor=staff)
    # The rest: at most the fee still kept comes back, so the fee ends at 0.
    assert platform(K.PLATFORM_FEES) == 0
    assert owed(order.farmer, K.FARMER_PENDING) == 0
    assert first_mismatch() is None


def test_a_refund_before_completion_lowers_the_earning(staff):
    order = paid_order("50.00", 2)
    order_refund_part(order=order, actor=staff, amount=Decimal("30.00"))
    assert platform(K.CLEARING, "simulated") == Decimal("70.00")
    order = ship_and_complete(order)
    assert owed(order.farmer, K.FARMER_PENDING) == Decimal("70.00")
    assert first_mismatch() is None


def test_a_refund_after_the_hold_takes_the_money_back_from_what_is_available(staff):
    order = ship_and_complete(paid_order("40.00"))
    release_due_earnings(now=timezone.now() + timedelta(days=8))
    order_refund_part(order=order, actor=staff, amount=Decimal("15.00"))
    assert owed(order.farmer, K.FARMER_PENDING) == 0
    assert owed(order.farmer, K.FARMER_AVAILABLE) == Decimal("25.00")
    assert first_mismatch() is None


def fail(refund, nonce):
    """The gateway's word that `refund` failed (the simulated gateway refunds at
    once, so the row is first made one still in progress)."""
    Refund.objects.filter(pk=refund.pk).update(status=RefundStatus.PROCESSING)
    return refund_settle(
        provider_code="simulated",
        callback=RefundCallback(
            refund_id=refund.refund_id,
            succeeded=False,
            amount=refund.amount,
            nonce=nonce,
        ),
    )


def test_a_failed_refund_stays_owed_to_the_buyer_until_it_is_sent_again(staff):
    order = ship_and_complete(paid_order("60.00"))
    order_refund_part(order=order, actor=staff, amount=Decimal("20.00"))
    row = fail(Refund.objects.get(order=order), "n1")
    # The refund was decided: the farmer does not get the 20 back; the provider
    # still holds it, owed to the buyer.
    assert owed(order.farmer, K.FARMER_PENDING) == Decimal("40.00")
    assert platform(K.CLEARING, "simulated") == Decimal("60.00")
    assert platform(K.REFUNDS_OWED) == Decimal("-20.00")
    assert Payment.objects.get(pk=row.payment_id).refunded == 0
    assert refundable(order) == Decimal("40.00")  # the 20 is not refundable twice
    assert first_mismatch() is None

    again = refund_retry(refund=row, actor=staff)
    assert (again.status, again.refund_id) == (
        RefundStatus.SUCCEEDED,
        f"{row.refund_id}-r1",
    )
    assert platform(K.REFUNDS_OWED) == 0
    assert platform(K.CLEARING, "simulated") == Decimal("40.00")
    assert owed(order.farmer, K.FARMER_PENDING) == Decimal("40.00")
    assert Payment.objects.get(pk=row.payment_id).refunded == Decimal("20.00")
    assert first_mismatch() is None


def test_a_failed_refund_of_a_cancelled_order_leaves_nothing_held(staff):
    order = paid_order("35.00")
    order_cancel(order=order, actor=order.buyer)
    fail(Refund.objects.get(order=order), "n3")
    assert platform(K.ORDERS_HELD) == 0
    assert platform(K.REFUNDS_OWED) == Decimal("-35.00")
    assert first_mismatch() is None
    refund_retry(refund=Refund.objects.get(order=order), actor=staff)
    assert platform(K.REFUNDS_OWED) == 0
    assert platform(K.CLEARING, "simulated") == 0
    assert first_mismatch() is None


def test_check_ledger_finds_money_held_for_a_closed_checkout():
    order = paid_order("12.00")
    # Cancelled around the services: its money was never given back.
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.CANCELLED)
    with pytest.raises(CommandError, match="all done, yet ¥12.00 of its money"):
        call_command("check_ledger")


def test_check_ledger_finds_a_failed_refund_the_ledger_does_not_owe(staff):
    order = ship_and_complete(paid_order("12.00"))
    order_refund_part(order=order, actor=staff, amount=Decimal("2.00"))
    Refund.objects.filter(order=order).update(status=RefundStatus.FAILED)
    problem = refunds_owed_off()
    assert problem == (
        "the ledger owes buyers ¥0.00 of failed refunds; the refunds not sent "
        "again come to ¥2.00"
    )


def test_pay_on_delivery_is_collected_when_the_order_completes():
    order = paid_order("33.30", provider=PaymentProviderCode.ON_DELIVERY)
    assert Entry.objects.count() == 0
    order = ship_and_complete(order)
    assert platform(K.CLEARING, "on_delivery") == Decimal("33.30")
    assert owed(order.farmer, K.FARMER_PENDING) == Decimal("33.30")
    assert first_mismatch() is None


def test_entries_are_append_only():
    ship_and_complete(paid_order())
    entry = Entry.objects.first()
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        Posting.objects.first().save()


def test_check_ledger_names_the_first_mismatch():
    order = ship_and_complete(paid_order("12.00"))
    call_command("check_ledger")  # holds
    Account.objects.filter(farmer=order.farmer).update(balance=Decimal("-1.00"))
    with pytest.raises(CommandError, match="balance is -1.00; its postings sum"):
        call_command("check_ledger")


def test_check_ledger_finds_a_completed_order_without_its_earning():
    order = ship_and_complete(paid_order("12.00"))
    order.pk = None  # a second completed order, written around the services
    order.save()
    with pytest.raises(CommandError, match=f"order {order.pk} completed but has no"):
        call_command("check_ledger")


def test_a_refund_that_fails_after_the_hold_ended_stays_owed(staff):
    order = ship_and_complete(paid_order("60.00"))
    order_refund_part(order=order, actor=staff, amount=Decimal("20.00"))
    row = Refund.objects.get(order=order)
    Refund.objects.filter(pk=row.pk).update(status=RefundStatus.PROCESSING)
    release_due_earnings(now=timezone.now() + timedelta(days=8))
    assert owed(order.farmer, K.FARMER_AVAILABLE) == Decimal("40.00")
    fail(row, "n2")
    assert owed(order.farmer, K.FARMER_PENDING) == 0
    assert owed(order.farmer, K.FARMER_AVAILABLE) == Decimal("40.00")
    assert platform(K.REFUNDS_OWED) == Decimal("-20.00")
    assert first_mismatch() is None
