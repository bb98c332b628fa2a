"""The assistant's dashboard flags a farmer with an after-sales case open, and
one with cases on a tenth or more of the orders of 90 days (at least three);
the flags clear when the cases close or age out."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from aftersales.models import AfterSale
from aftersales.services import aftersale_move, aftersale_request
from catalogue.models import ProductStatus
from fieldwork.help import dashboard_farmers, help_reasons
from orders.services.transitions import order_deliver, order_ship
from tests.factories import (
    AssistantFactory,
    ProductFactory,
    UserFactory,
    farmer_of,
    place_checkout,
)
from tests.settlement.conftest import pay

pytestmark = pytest.mark.django_db


def flags(assistant, farmer):
    row = dashboard_farmers(assistant.user).get(pk=farmer.pk)
    return {rule.code for rule in help_reasons(row)}


def received(farmer):
    product = ProductFactory(
        farmer=farmer, status=ProductStatus.ACTIVE, price=Decimal("20.00")
    )
    checkout = place_checkout(UserFactory(), [(product, 1)])
    pay(checkout)
    order = checkout.orders.get()
    order_ship(order=order, actor=farmer.user, carrier="other", tracking_number="E1234")
    return order_deliver(order=order, actor=farmer.user)


def ask(order):
    return aftersale_request(
        order=order,
        buyer=order.buyer,
        kind=AfterSale.Kind.REFUND,
        reason=AfterSale.Reason.SPOILED,
        quantities={order.lines.get().pk: 1},
    )


def test_an_open_case_needs_help_until_it_closes():
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    case = ask(received(farmer))
    assert "aftersales_open" in flags(assistant, farmer)
    aftersale_move(case=case, action="withdraw", actor=case.order.buyer)
    assert "aftersales_open" not in flags(assistant, farmer)


def test_many_cases_for_the_orders_need_help():
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    orders = [received(farmer) for _ in range(3)]
    cases = [ask(order) for order in orders[:2]]
    for case in cases:
        aftersale_move(case=case, action="withdraw", actor=case.order.buyer)
    assert "aftersales_many" not in flags(assistant, farmer)  # two: not enough
    third = ask(orders[2])
    aftersale_move(case=third, action="withdraw", actor=third.order.buyer)
    # Three cases on three orders: far over a tenth.
    assert "aftersales_many" in flags(assistant, farmer)
    AfterSale.objects.filter(order__farmer=farmer).update(
        created_at=timezone.now() - timedelta(days=91)
    )
    assert "aftersales_many" not in flags(assistant, farmer)
