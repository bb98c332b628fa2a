"""Bank references on real PostgreSQL: two staff record the same bank reference
at the same moment, for two refunds sent back to units (and for a refund and a
transfer received): one is recorded, the other refused with the message, and
the reference is held by one record only."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from catalogue.models import ProductStatus
from orders.models import BankReference, Payment, Refund
from orders.services.transfers import transfer_received, transfer_refund_sent
from procurement.selectors import invite_by_token
from procurement.services.acceptance import order_accept
from procurement.services.units import invite_accept, unit_register
from tests.factories import (
    CategoryFactory,
    CountyFactory,
    FarmerFactory,
    ProductFactory,
    UserFactory,
)
from tests.procurement.conftest import unit_checkout
from tests.services.test_people_concurrency import run_together
from tests.services.test_unit_purchases_concurrency import member_of, shipped_order

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def unit_people():
    staff = UserFactory(role=Role.STAFF)
    unit, token = unit_register(
        name="县医院", name_en="", kind="hospital", county=CountyFactory(), actor=staff
    )
    admin = UserFactory(role=Role.BUYER)
    invite_accept(invite=invite_by_token(token), user=admin)
    return staff, member_of(unit, admin)


def refused_whole(member, staff, n):
    """A delivered unit order refused whole: its refund waits to be sent back."""
    unit_order = shipped_order(member, staff, n, FarmerFactory(), CategoryFactory())
    line = unit_order.order.lines.get()
    order_accept(
        unit_order=unit_order,
        actor=member.user,
        accepted={line.pk: 0},
        reason="all spoiled",
    )
    return Refund.objects.get(order=unit_order.order)


def outcome_messages(outcomes) -> list[str]:
    return sorted(
        "refused" if isinstance(o, ValidationError) else type(o).__name__
        for o in outcomes
    )


def test_one_bank_reference_for_two_refunds_at_once_is_recorded_once(unit_people):
    staff, member = unit_people
    refunds = [refused_whole(member, staff, n) for n in (1, 2)]
    outcomes = run_together(
        [
            lambda r=r: transfer_refund_sent(
                refund=r, bank_reference="HK-0001", actor=staff
            )
            for r in refunds
        ]
    )
    assert outcome_messages(outcomes) == ["Refund", "refused"], outcomes
    refused = next(o for o in outcomes if isinstance(o, ValidationError))
    assert refused.code == "reference_used"
    assert Refund.objects.filter(provider_refund_id="HK-0001").count() == 1
    assert BankReference.objects.filter(reference="HK-0001").count() == 1


def test_a_refund_and_a_transfer_cannot_share_a_reference_at_once(unit_people):
    staff, member = unit_people
    refund = refused_whole(member, staff, 3)
    # A new checkout awaiting its transfer.
    product = ProductFactory(status=ProductStatus.ACTIVE, price=Decimal("9.00"))
    checkout = unit_checkout(member.user, [(product, 2)], reference="HT-99")
    payment = checkout.payments.get()
    outcomes = run_together(
        [
            lambda: transfer_refund_sent(
                refund=refund, bank_reference="HK-0002", actor=staff
            ),
            lambda: transfer_received(
                payment=payment,
                bank_reference="HK-0002",
                amount=Decimal("18.00"),
                actor=staff,
            ),
        ]
    )
    assert sorted(type(o).__name__ for o in outcomes) in (
        ["Payment", "ValidationError"],
        ["Refund", "ValidationError"],
    ), outcomes
    held = Refund.objects.filter(provider_refund_id="HK-0002").count()
    held += Payment.objects.filter(transaction_id="HK-0002").count()
    assert held == 1
