"""Random order lifecycles against the ledger (hypothesis): orders are placed,
paid, cancelled, shipped, completed, refunded in part or in full, held and
released, paid out, and payouts failed or their batch paid, refunds failed at
the gateway and sent again, in any order the steps allow. After every step
check_ledger's invariants hold, and the providers' clearing accounts equal what
the payments took less what went back, summed from the orders' own rows."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from common.money import to_fen
from orders.models import Order, OrderStatus, Payment, Refund, RefundStatus
from orders.providers.base import RefundCallback
from orders.services import transitions
from orders.services.refunds import refund_retry, refund_settle
from settlement.invariants import first_mismatch
from settlement.models import Payout, PayoutBatch, PayoutStatus
from settlement.services.earnings import release_due_earnings
from settlement.services.payouts import batch_mark_paid, payout_fail, payout_run
from tests.factories import (
    AssistantFactory,
    ProductFactory,
    UserFactory,
    farmer_of,
    place_checkout,
)
from tests.settlement.conftest import K, pay, platform
from tests.settlement.conftest import owed as owed_to
from tests.settlement.test_payouts import verified

pytestmark = pytest.mark.django_db

# A step: what to do ("advance" moves one open order on by an action its status
# allows), which order, which of the actions, and a number (a price, an amount).
STEPS = st.lists(
    st.tuples(
        st.sampled_from(
            ["place"] * 2
            + ["advance"] * 7
            + ["release"] * 2
            + ["payout"] * 2
            + ["fail", "paid", "unrefund", "resend"]
        ),
        st.integers(min_value=0, max_value=3),
        st.integers(min_value=0, max_value=7),
        st.integers(min_value=1, max_value=9_999),
    ),
    min_size=5,
    max_size=40,
)
S = OrderStatus
# Moving on is likelier than closing, so lifecycles get as far as payouts.
ALLOWED = {
    S.PENDING_PAYMENT: ["pay"] * 4 + ["cancel"],
    S.PAID: ["ship"] * 4 + ["cancel", "refund_part", "refund"],
    S.SHIPPED: ["complete"] * 4 + ["refund_part", "refund"],
    S.COMPLETED: ["refund_part"] * 2 + ["refund"],
}


class World:
    def __init__(self):
        self.assistant = AssistantFactory()
        self.staff = UserFactory(role=Role.STAFF)
        self.farmers = [farmer_of(self.assistant) for _ in range(2)]
        for farmer in self.farmers:  # holds are the payout tests' business
            verified(farmer, self.assistant)
        self.later = timedelta(0)

    def pick(self, queryset, n):
        rows = list(queryset.order_by("pk"))
        return rows[n % len(rows)] if rows else None

    def act(self, what, which, choice, n):
        if what == "place":
            return self.place(which, n)
        if what != "advance":
            return self.job(what, which)
        open_orders = list(
            Order.objects.filter(farmer__in=self.farmers, status__in=ALLOWED).order_by(
                "pk"
            )
        )
        if not open_orders:
            return self.place(which, n)
        order = open_orders[which % len(open_orders)]
        actions = ALLOWED[order.status]
        action = actions[choice % len(actions)]
        if action == "pay":
            pay(order.checkout)
        elif action == "cancel":
            transitions.order_cancel(order=order, actor=order.buyer)
        elif action == "ship":
            transitions.order_ship(
                order=order,
                actor=order.farmer.user,
                carrier="other",
                tracking_number="E0001",
            )
        elif action == "complete":
            transitions.order_complete(order=order, actor=order.buyer)
        else:
            self.refund(order, action, n)

    def place(self, which, n):
        farmer = self.farmers[which % 2]
        product = ProductFactory(farmer=farmer, status="active", price=Decimal(n) / 100)
        provider = "on_delivery" if which == 3 else "simulated"
        place_checkout(UserFactory(), [(product, n % 3 + 1)], provider=provider)

    def refund(self, order, action, n):
        try:
            if action == "refund":
                transitions.order_refund(order=order, actor=self.staff)
            else:
                amount = Decimal(n % 500 + 1) / 100
                transitions.order_refund_part(
                    order=order, actor=self.staff, amount=amount
                )
        except ValidationError:
            pass  # not collected yet, or more than remains: refused, nothing moved

    def job(self, what, n):
        if what == "release":
            self.later += timedelta(days=n + 5)  # the hold may have ended
            release_due_earnings(now=timezone.now() + self.later)
            if n % 2:
                payout_run()  # a Monday
        elif what == "payout":
            payout_run()
        elif what == "fail":
            payout = self.pick(Payout.objects.exclude(status=PayoutStatus.FAILED), n)
            if payout:
                payout_fail(payout=payout, actor=self.staff, reason="退回")
        elif what == "unrefund":  # the gateway reports a refund failed
            sent = Refund.objects.filter(payment__provider="simulated")
            refund = self.pick(sent.exclude(status=RefundStatus.FAILED), n)
            if refund:
                Refund.objects.filter(pk=refund.pk).update(status="processing")
                callback = RefundCallback(
                    refund_id=refund.refund_id,
                    succeeded=False,
                    amount=refund.amount,
                    nonce=f"n{refund.pk}",
                )
                refund_settle(provider_code="simulated", callback=callback)
        elif what == "resend":  # staff send a failed refund again
            failed = Refund.objects.filter(status=RefundStatus.FAILED, retry=None)
            refund = self.pick(failed, n)
            if refund:
                refund_retry(refund=refund, actor=self.staff)
        else:
            batch = self.pick(PayoutBatch.objects.filter(status="sent"), n)
            if batch:
                batch_mark_paid(batch=batch, actor=self.staff, bank_reference="REF1")


def clearing_from_the_orders(provider: str) -> Decimal:
    took = Payment.objects.filter(provider=provider, transaction_id__isnull=False)
    paid = took.aggregate(t=Sum("amount"))["t"] or Decimal(0)
    if provider == "on_delivery":
        paid = Order.objects.filter(
            checkout__provider=provider, completed_at__isnull=False
        ).aggregate(t=Sum("total"))["t"] or Decimal(0)
    back = Refund.objects.filter(payment__provider=provider).exclude(
        status=RefundStatus.FAILED
    ).aggregate(t=Sum("amount"))["t"] or Decimal(0)
    return to_fen(paid - back)


def farmers_total_from_the_orders(farmers) -> Decimal:
    """What completed orders earned, less every refund of theirs (counted once: a
    failed refund is still the buyer's, and its retry is the same money): with
    no fee, all of it is the farmers' (owed, or paid out)."""
    done = Order.objects.filter(farmer__in=farmers, completed_at__isnull=False)
    total = done.aggregate(t=Sum("total"))["t"] or Decimal(0)
    back = Refund.objects.filter(order__in=done, retry_of=None).aggregate(
        t=Sum("amount")
    )["t"] or Decimal(0)
    return to_fen(total - back)


def farmers_total_in_the_ledger(farmers) -> Decimal:
    owed = sum(
        (
            owed_to(f, kind)
            for f in farmers
            for kind in (K.FARMER_PENDING, K.FARMER_AVAILABLE)
        ),
        Decimal(0),
    )
    paid = Payout.objects.filter(farmer__in=farmers).exclude(
        status=PayoutStatus.FAILED
    ).aggregate(t=Sum("amount"))["t"] or Decimal(0)
    return to_fen(owed + paid)


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,  # the same examples on every machine, none kept from before
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_the_ledger_holds_after_every_step_of_any_lifecycle(db, steps):
    """Each example in its own transaction, rolled back, so none sees another's;
    any amount owed is paid out (hypothesis likes prices of a few fen)."""
    with transaction.atomic(), override_settings(PAYOUT_MINIMUM=Decimal("0.01")):
        world = World()
        for step in steps:
            world.act(*step)
            assert first_mismatch() is None, (step, first_mismatch())
            for provider in ("simulated", "on_delivery"):
                ledger = platform(K.CLEARING, provider)
                orders = clearing_from_the_orders(provider)
                assert ledger == orders, (step, provider, ledger, orders)
            ledger = farmers_total_in_the_ledger(world.farmers)
            orders = farmers_total_from_the_orders(world.farmers)
            assert ledger == orders, (step, ledger, orders)
        transaction.set_rollback(True)
