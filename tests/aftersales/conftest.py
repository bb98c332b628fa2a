"""Fixtures of the after-sales tests: an order of two products from one
farmer, paid through the simulated gateway's real callback, shipped and
delivered; messages in English."""

from decimal import Decimal

import pytest

from catalogue.models import ProductStatus
from orders.services.transitions import order_deliver, order_ship
from tests.english import client, in_english  # noqa: F401 (fixtures)
from tests.factories import (
    AssistantFactory,
    ProductFactory,
    UserFactory,
    farmer_of,
    place_checkout,
)
from tests.settlement.conftest import pay


@pytest.fixture
def received(db):
    """(order, rice line, honey line): 3 bags of rice at ¥50 and 2 jars of honey
    at ¥30, received (delivered) by the buyer; the farmer has an assistant."""
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    rice = ProductFactory(
        farmer=farmer, status=ProductStatus.ACTIVE, price=Decimal("50.00"), stock=10
    )
    honey = ProductFactory(
        farmer=farmer, status=ProductStatus.ACTIVE, price=Decimal("30.00"), stock=10
    )
    checkout = place_checkout(UserFactory(), [(rice, 3), (honey, 2)])
    pay(checkout)
    order = checkout.orders.get()
    order_ship(
        order=order,
        actor=farmer.user,
        carrier="sf",
        tracking_number="SF1234567890123",
    )
    order = order_deliver(order=order, actor=farmer.user)
    lines = {line.product_id: line for line in order.lines.all()}
    return order, lines[rice.pk], lines[honey.pk]
