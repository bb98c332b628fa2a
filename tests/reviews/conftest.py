"""Fixtures of the review tests: completed orders (paid through the simulated
gateway's real callback, shipped, received); messages in English."""

from decimal import Decimal

import pytest

from catalogue.models import ProductStatus
from orders.services.transitions import order_complete, order_ship
from tests.english import client, in_english  # noqa: F401 (fixtures)
from tests.factories import (
    AssistantFactory,
    ProductFactory,
    UserFactory,
    farmer_of,
    place_checkout,
)
from tests.settlement.conftest import pay


def completed(buyer, items):
    checkout = place_checkout(buyer, items)
    pay(checkout)
    order = checkout.orders.get()
    order_ship(
        order=order,
        actor=order.farmer.user,
        carrier="other",
        tracking_number="E1234",
    )
    return order_complete(order=order, actor=buyer)


@pytest.fixture
def shop(db):
    """A farmer (with an assistant) selling rice and honey."""
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    rice, honey = (
        ProductFactory(
            farmer=farmer, status=ProductStatus.ACTIVE, price=Decimal(price), stock=50
        )
        for price in ("50.00", "30.00")
    )
    return assistant, farmer, rice, honey


@pytest.fixture
def bought(shop):
    """A buyer's completed order of both products."""
    _assistant, _farmer, rice, honey = shop
    order = completed(UserFactory(), [(rice, 1), (honey, 1)])
    lines = {line.product_id: line for line in order.lines.all()}
    return order, lines[rice.pk], lines[honey.pk]
