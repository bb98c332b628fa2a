"""The payout run is idempotent under a race, on real PostgreSQL: eight runs at
once (the weekly beat, staff pressing "run now", a retried task), five rounds, pay
each farmer due exactly once, for exactly what they were owed; a refund racing a
run leaves the ledger whole."""

from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from accounts.models import Role
from orders.models import Order
from orders.services.transitions import order_refund_part
from settlement.invariants import first_mismatch
from settlement.models import Payout, PayoutBatch
from settlement.services.payouts import payout_run
from tests.factories import AssistantFactory, UserFactory
from tests.services.test_people_concurrency import run_together
from tests.settlement.conftest import K, owed
from tests.settlement.test_payouts import earning_farmer, verified

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
RUNS = 8
FARMERS = 4
ROUNDS = 5


def test_eight_runs_at_once_pay_each_farmer_once_five_rounds():
    assistant = AssistantFactory()
    for round_ in range(ROUNDS):
        farmers = [earning_farmer(assistant, f"{20 + n}.50") for n in range(FARMERS)]
        for farmer in farmers:
            verified(farmer, assistant)
        owed_before = {f.pk: owed(f, K.FARMER_AVAILABLE) for f in farmers}
        outcomes = run_together([payout_run for _ in range(RUNS)])
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
        batches = [batch for batch, _held in outcomes if batch is not None]
        assert len(batches) == 1, f"round {round_}: {len(batches)} batches"
        per_farmer = dict(
            Payout.objects.filter(farmer__in=farmers)
            .values_list("farmer")
            .annotate(n=Count("pk"))
            .values_list("farmer", "n")
        )
        assert per_farmer == {f.pk: 1 for f in farmers}
        for farmer in farmers:
            paid = Payout.objects.filter(farmer=farmer).aggregate(t=Sum("amount"))["t"]
            assert paid == owed_before[farmer.pk]
            assert owed(farmer, K.FARMER_AVAILABLE) == 0
    assert PayoutBatch.objects.count() == ROUNDS
    assert first_mismatch() is None


def test_a_refund_racing_a_run_leaves_the_ledger_whole():
    assistant = AssistantFactory()
    staff = UserFactory(role=Role.STAFF)
    for _ in range(ROUNDS):
        farmer = earning_farmer(assistant, "50.00")
        verified(farmer, assistant)
        order = Order.objects.get(farmer=farmer)
        outcomes = run_together(
            [
                payout_run,
                lambda o=order: order_refund_part(
                    order=o, actor=staff, amount=Decimal("10.00")
                ),
            ]
        )
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
        paid = Payout.objects.filter(farmer=farmer).aggregate(t=Sum("amount"))["t"]
        # Whichever went first, what is paid plus what is still owed is the
        # earning less the refund.
        assert paid + owed(farmer, K.FARMER_AVAILABLE) == Decimal("40.00")
        assert first_mismatch() is None
