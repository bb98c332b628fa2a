"""A work unit's monthly purchases on real PostgreSQL: two members accept two
deliveries of the same month at the same moment, each in its own connection,
and then four transactions rebuild the month at once; the rebuilds run one
after the other (a lock on the unit), so every decision stands and the month's
one row holds them all, round after round."""

from decimal import Decimal

import pytest
from django.db.models import F, Sum
from django.utils import timezone

from accounts.models import Role
from catalogue.models import ProductStatus
from orders.services.transfers import transfer_received
from orders.services.transitions import order_ship
from procurement.models import AcceptanceLine, MonthlyUnitPurchases
from procurement.selectors import invite_by_token
from procurement.services.acceptance import order_accept
from procurement.services.purchases import unit_month_rebuild
from procurement.services.units import (
    invite_accept,
    invite_create,
    unit_register,
)
from tests.factories import (
    AddressFactory,
    CategoryFactory,
    CountyFactory,
    FarmerFactory,
    ProductFactory,
    UserFactory,
)
from tests.procurement.conftest import unit_checkout
from tests.services.test_people_concurrency import run_together

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
ROUNDS = 3


def member_of(unit, admin):
    token = invite_create(unit=unit, role="buyer", note="", actor=admin)
    member = invite_accept(invite=invite_by_token(token), user=UserFactory())
    AddressFactory(buyer=member.user)
    return member


def shipped_order(member, staff, n, farmer, category):
    """4 × ¥12.50 of the farmer's produce, all in one category and county, so the
    two decisions' rows share one key of the month."""
    product = ProductFactory(
        status=ProductStatus.ACTIVE,
        price=Decimal("12.50"),
        farmer=farmer,
        category=category,
    )
    checkout = unit_checkout(member.user, [(product, 4)], reference=f"HT-{n}")
    payment = checkout.payments.get()
    transfer_received(
        payment=payment, bank_reference=f"B{n:06d}", amount=payment.amount, actor=staff
    )
    order = checkout.orders.get()
    order_ship(
        order=order, actor=order.farmer.user, carrier="other", tracking_number="E0001"
    )
    return order.unit_order


def test_two_acceptances_of_one_units_month_both_stand():
    staff = UserFactory(role=Role.STAFF)
    unit, token = unit_register(
        name="县医院", name_en="", kind="hospital", county=CountyFactory(), actor=staff
    )
    admin = UserFactory(role=Role.BUYER)
    invite_accept(invite=invite_by_token(token), user=admin)
    members = [member_of(unit, admin) for _ in range(2)]
    farmer, category = FarmerFactory(), CategoryFactory()
    for round_ in range(ROUNDS):
        orders = [
            shipped_order(member, staff, round_ * 10 + n, farmer, category)
            for n, member in enumerate(members)
        ]
        outcomes = run_together(
            [
                lambda o=o, m=m: order_accept(
                    unit_order=o, actor=m.user, accepted={}, reason=""
                )
                for o, m in zip(orders, members, strict=True)
            ]
        )
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
        accepted = AcceptanceLine.objects.filter(
            acceptance__unit_order__unit=unit
        ).aggregate(t=Sum(F("accepted") * F("line__unit_price")))["t"]
        month = MonthlyUnitPurchases.objects.filter(unit=unit).aggregate(
            t=Sum("amount")
        )["t"]
        assert month == accepted == Decimal("50.00") * 2 * (round_ + 1)
        # The month rebuilt by two transactions at once (as two decisions, or a
        # decision and a refund, would): one waits for the other's commit.
        outcomes = run_together(
            [lambda: unit_month_rebuild(unit.pk, timezone.localdate())] * 4
        )
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
        rows = MonthlyUnitPurchases.objects.filter(unit=unit)
        assert rows.count() == 1 and rows.get().amount == accepted
